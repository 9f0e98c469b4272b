from django.db import migrations


def load_first_edition(apps, schema_editor):
    from standards import loading

    loading.install(
        loading.read(loading.FIRST_EDITION),
        Framework=apps.get_model("standards", "Framework"),
        Recommendation=apps.get_model("standards", "Recommendation"),
        AreaForDevelopment=apps.get_model("standards", "AreaForDevelopment"),
    )


class Migration(migrations.Migration):
    dependencies = [("standards", "0001_initial")]
    operations = [migrations.RunPython(load_first_edition, migrations.RunPython.noop)]
