from django.db import migrations
from django.utils.text import slugify


def load_boards(apps, schema_editor):
    from portal.boards import INTEGRATION_AUTHORITIES

    Board = apps.get_model("portal", "Board")
    for name, hscp, health_board, councils in INTEGRATION_AUTHORITIES:
        Board.objects.get_or_create(
            slug=slugify(name.replace("(lead agency)", "")),
            defaults={
                "name": name,
                "hscp_name": hscp,
                "health_board": health_board,
                "councils": councils,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]
    operations = [migrations.RunPython(load_boards, migrations.RunPython.noop)]
