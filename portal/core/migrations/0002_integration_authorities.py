from django.db import migrations


def load_boards(apps, schema_editor):
    from portal.core.boards import ensure_integration_authorities

    ensure_integration_authorities(apps.get_model("portal", "Board"))


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]
    operations = [migrations.RunPython(load_boards, migrations.RunPython.noop)]
