from django.db import migrations

# The induction every new rep should have, from More than Equal and East Dunbartonshire's
# induction pack. Boards add their own items beside these.
NATIONAL_INDUCTION_ITEMS = [
    "Role description given",
    "Expenses policy given",
    "Code of conduct and confidentiality agreement",
    "Glossary of terms given",
    "Introductory meeting with the chair",
    "Introductory meeting with the chief finance officer",
    "Named contact agreed",
    "Buddy or mentor offered",
    "Handover with the outgoing rep",
]


def add_national_items(apps, schema_editor):
    template = apps.get_model("reps", "InductionItemTemplate")
    for position, title in enumerate(NATIONAL_INDUCTION_ITEMS, start=1):
        template.objects.get_or_create(
            board=None, title=title, defaults={"order": position * 10, "active": True}
        )


class Migration(migrations.Migration):
    dependencies = [("reps", "0002_seats_terms_meetings")]
    operations = [migrations.RunPython(add_national_items, migrations.RunPython.noop)]
