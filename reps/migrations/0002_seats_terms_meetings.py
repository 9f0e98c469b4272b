from decimal import Decimal

import django.contrib.postgres.fields.ranges
import django.db.models.deletion
import django.db.models.functions.comparison
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations, models

import reps.constraints

# SQLite has no exclusion constraints, so triggers keep the same rule there: no two terms in one
# seat may share a day (both dates included). A later migration that makes Django rebuild the
# reps_term table on SQLite drops these triggers and must create them again.
SQLITE_OVERLAP = """
    EXISTS (
        SELECT 1 FROM reps_term AS other
        WHERE other.seat_id = NEW.seat_id
          AND other."start" <= COALESCE(NEW.ended_on, NEW.planned_end)
          AND COALESCE(other.ended_on, other.planned_end) >= NEW."start"
          {extra}
    )
"""
SQLITE_TRIGGERS = [
    f"""
    CREATE TRIGGER reps_term_no_overlap_insert BEFORE INSERT ON reps_term
    WHEN {SQLITE_OVERLAP.format(extra="")}
    BEGIN SELECT RAISE(ABORT, 'term_no_overlap_in_seat'); END
    """,
    f"""
    CREATE TRIGGER reps_term_no_overlap_update
    BEFORE UPDATE OF seat_id, "start", planned_end, ended_on ON reps_term
    WHEN {SQLITE_OVERLAP.format(extra="AND other.id <> NEW.id")}
    BEGIN SELECT RAISE(ABORT, 'term_no_overlap_in_seat'); END
    """,
]


def create_sqlite_overlap_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for sql in SQLITE_TRIGGERS:
        schema_editor.execute(sql)


def drop_sqlite_overlap_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute("DROP TRIGGER IF EXISTS reps_term_no_overlap_insert")
    schema_editor.execute("DROP TRIGGER IF EXISTS reps_term_no_overlap_update")


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0002_integration_authorities"),
        ("reps", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Lets the exclusion constraint on terms compare seats with "=" in a GiST index. It does
        # nothing on databases other than PostgreSQL.
        BtreeGistExtension(),
        migrations.AddField(
            model_name="rep",
            name="address",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="rep",
            name="contact_by_email",
            field=models.BooleanField(default=True, verbose_name="contact by email"),
        ),
        migrations.AddField(
            model_name="rep",
            name="contact_by_phone",
            field=models.BooleanField(default=False, verbose_name="contact by phone"),
        ),
        migrations.AddField(
            model_name="rep",
            name="contact_by_post",
            field=models.BooleanField(default=False, verbose_name="contact by post"),
        ),
        migrations.AddField(
            model_name="rep",
            name="email",
            field=models.EmailField(blank=True, max_length=254, verbose_name="email address"),
        ),
        migrations.AddField(
            model_name="rep",
            name="filled_by_staff",
            field=models.BooleanField(
                default=False,
                help_text="Tick when the person is a member of staff rather than an unpaid carer or a person with lived experience.",
                verbose_name="a member of staff fills this role",
            ),
        ),
        migrations.AddField(
            model_name="rep",
            name="involvement_payment_opt_in",
            field=models.BooleanField(
                default=False,
                help_text="Payment for your time can affect some benefits. Expenses never do. Off unless the rep asks for it.",
                verbose_name="wants involvement payments",
            ),
        ),
        migrations.AddField(
            model_name="rep",
            name="needs_bsl",
            field=models.BooleanField(
                default=False, verbose_name="British Sign Language (BSL) interpreter"
            ),
        ),
        migrations.AddField(
            model_name="rep",
            name="needs_easy_read",
            field=models.BooleanField(default=False, verbose_name="easy read"),
        ),
        migrations.AddField(
            model_name="rep",
            name="needs_large_print",
            field=models.BooleanField(default=False, verbose_name="large print"),
        ),
        migrations.AddField(
            model_name="rep",
            name="needs_meeting_times",
            field=models.BooleanField(
                default=False, verbose_name="meeting times that fit around work or caring"
            ),
        ),
        migrations.AddField(
            model_name="rep",
            name="needs_other",
            field=models.TextField(blank=True, verbose_name="other support needed"),
        ),
        migrations.AddField(
            model_name="rep",
            name="needs_paper_copies",
            field=models.BooleanField(default=False, verbose_name="paper copies of meeting papers"),
        ),
        migrations.AddField(
            model_name="rep",
            name="needs_papers_by_post",
            field=models.BooleanField(default=False, verbose_name="papers sent by post"),
        ),
        migrations.AddField(
            model_name="rep",
            name="phone",
            field=models.CharField(blank=True, max_length=40, verbose_name="phone number"),
        ),
        migrations.AddField(
            model_name="rep",
            name="postcode_area",
            field=models.CharField(
                blank=True, help_text="The first half of the postcode, such as G66.", max_length=8
            ),
        ),
        migrations.CreateModel(
            name="EqualityRecord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "consent_given_at",
                    models.DateTimeField(
                        help_text="When the rep agreed to answer. Without consent there is no record."
                    ),
                ),
                (
                    "age_band",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("16-24", "16 to 24"),
                            ("25-34", "25 to 34"),
                            ("35-44", "35 to 44"),
                            ("45-54", "45 to 54"),
                            ("55-64", "55 to 64"),
                            ("65-74", "65 to 74"),
                            ("75+", "75 or over"),
                            ("prefer_not", "Prefer not to say"),
                        ],
                        max_length=12,
                    ),
                ),
                (
                    "sex",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("female", "Female"),
                            ("male", "Male"),
                            ("prefer_not", "Prefer not to say"),
                        ],
                        max_length=12,
                    ),
                ),
                (
                    "gender_identity",
                    models.CharField(
                        blank=True,
                        choices=[("no", "No"), ("yes", "Yes"), ("prefer_not", "Prefer not to say")],
                        max_length=12,
                        verbose_name="trans or with a trans history",
                    ),
                ),
                (
                    "sexual_orientation",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("straight", "Straight or heterosexual"),
                            ("gay_lesbian", "Gay or lesbian"),
                            ("bisexual", "Bisexual"),
                            ("other", "Other sexual orientation"),
                            ("prefer_not", "Prefer not to say"),
                        ],
                        max_length=12,
                    ),
                ),
                (
                    "ethnic_group",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("white_scottish", "White: Scottish"),
                            ("white_british", "White: Other British"),
                            ("white_irish", "White: Irish"),
                            ("white_polish", "White: Polish"),
                            ("white_gypsy", "White: Gypsy/Traveller"),
                            ("white_roma", "White: Roma"),
                            ("white_showman", "White: Showman/Showwoman"),
                            ("white_other", "White: Other white ethnic group"),
                            ("mixed", "Mixed or multiple ethnic groups"),
                            (
                                "asian_pakistani",
                                "Pakistani, Scottish Pakistani or British Pakistani",
                            ),
                            ("asian_indian", "Indian, Scottish Indian or British Indian"),
                            (
                                "asian_bangladeshi",
                                "Bangladeshi, Scottish Bangladeshi or British Bangladeshi",
                            ),
                            ("asian_chinese", "Chinese, Scottish Chinese or British Chinese"),
                            ("asian_other", "Other Asian, Scottish Asian or British Asian"),
                            ("african", "African, Scottish African or British African"),
                            ("african_other", "Other African"),
                            ("caribbean", "Caribbean, Scottish Caribbean or British Caribbean"),
                            ("black", "Black, Scottish Black or British Black"),
                            ("caribbean_black_other", "Other Caribbean or Black"),
                            ("arab", "Arab, Scottish Arab or British Arab"),
                            ("other", "Other ethnic group"),
                            ("prefer_not", "Prefer not to say"),
                        ],
                        max_length=24,
                    ),
                ),
                (
                    "disability",
                    models.CharField(
                        blank=True,
                        choices=[("yes", "Yes"), ("no", "No"), ("prefer_not", "Prefer not to say")],
                        max_length=12,
                    ),
                ),
                (
                    "caring_role",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("under_20", "I care for someone for up to 19 hours a week"),
                            ("20_to_49", "I care for someone for 20 to 49 hours a week"),
                            ("50_plus", "I care for someone for 50 hours a week or more"),
                            ("former", "I used to be a carer"),
                            ("none", "I am not a carer"),
                            ("prefer_not", "Prefer not to say"),
                        ],
                        max_length=12,
                    ),
                ),
                (
                    "rep",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="equality_record",
                        to="reps.rep",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="Group",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=150)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("board", "The Integration Joint Board"),
                            ("planning", "Strategic planning group"),
                            ("committee", "Committee"),
                            ("locality", "Locality group"),
                            ("other", "Other group"),
                        ],
                        default="other",
                        max_length=10,
                    ),
                ),
                (
                    "order",
                    models.PositiveSmallIntegerField(
                        default=0, help_text="Groups are listed from the lowest number."
                    ),
                ),
                (
                    "board",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="rep_groups",
                        to="portal.board",
                    ),
                ),
            ],
            options={
                "ordering": ["board_id", "order", "name"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalMeeting",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("date", models.DateField()),
                ("venue", models.CharField(blank=True, max_length=200)),
                (
                    "papers_issued_on",
                    models.DateField(blank=True, null=True, verbose_name="papers sent out on"),
                ),
                (
                    "pre_meeting_held",
                    models.BooleanField(
                        default=False,
                        help_text="A meeting for reps to prepare beforehand.",
                        verbose_name="pre-meeting held",
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "board",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="portal.board",
                    ),
                ),
                (
                    "group",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="reps.group",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical meeting",
                "verbose_name_plural": "historical meetings",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalRep",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("full_name", models.CharField(max_length=150)),
                (
                    "rep_type",
                    models.CharField(
                        choices=[
                            ("carer", "Carer representative"),
                            ("lived", "Lived experience representative"),
                        ],
                        max_length=10,
                    ),
                ),
                (
                    "email",
                    models.EmailField(blank=True, max_length=254, verbose_name="email address"),
                ),
                ("phone", models.CharField(blank=True, max_length=40, verbose_name="phone number")),
                ("address", models.TextField(blank=True)),
                (
                    "postcode_area",
                    models.CharField(
                        blank=True,
                        help_text="The first half of the postcode, such as G66.",
                        max_length=8,
                    ),
                ),
                (
                    "filled_by_staff",
                    models.BooleanField(
                        default=False,
                        help_text="Tick when the person is a member of staff rather than an unpaid carer or a person with lived experience.",
                        verbose_name="a member of staff fills this role",
                    ),
                ),
                (
                    "needs_large_print",
                    models.BooleanField(default=False, verbose_name="large print"),
                ),
                ("needs_easy_read", models.BooleanField(default=False, verbose_name="easy read")),
                (
                    "needs_bsl",
                    models.BooleanField(
                        default=False, verbose_name="British Sign Language (BSL) interpreter"
                    ),
                ),
                (
                    "needs_paper_copies",
                    models.BooleanField(
                        default=False, verbose_name="paper copies of meeting papers"
                    ),
                ),
                (
                    "needs_papers_by_post",
                    models.BooleanField(default=False, verbose_name="papers sent by post"),
                ),
                (
                    "needs_meeting_times",
                    models.BooleanField(
                        default=False, verbose_name="meeting times that fit around work or caring"
                    ),
                ),
                ("needs_other", models.TextField(blank=True, verbose_name="other support needed")),
                (
                    "contact_by_email",
                    models.BooleanField(default=True, verbose_name="contact by email"),
                ),
                (
                    "contact_by_post",
                    models.BooleanField(default=False, verbose_name="contact by post"),
                ),
                (
                    "contact_by_phone",
                    models.BooleanField(default=False, verbose_name="contact by phone"),
                ),
                (
                    "involvement_payment_opt_in",
                    models.BooleanField(
                        default=False,
                        help_text="Payment for your time can affect some benefits. Expenses never do. Off unless the rep asks for it.",
                        verbose_name="wants involvement payments",
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "board",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="portal.board",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical rep",
                "verbose_name_plural": "historical reps",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalSeat",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("carer", "Carer representative"),
                            ("lived", "Lived experience representative"),
                            ("deputy_carer", "Deputy carer representative"),
                            ("deputy_lived", "Deputy lived experience representative"),
                        ],
                        max_length=12,
                    ),
                ),
                ("title", models.CharField(max_length=150)),
                ("voting", models.BooleanField(default=False, verbose_name="carries a vote")),
                (
                    "created_on",
                    models.DateField(
                        default=django.utils.timezone.localdate,
                        help_text="A seat that has never been filled has been vacant since this date.",
                        verbose_name="seat set up on",
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "board",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="portal.board",
                    ),
                ),
                (
                    "group",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="reps.group",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical seat",
                "verbose_name_plural": "historical seats",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="InductionItemTemplate",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200)),
                ("order", models.PositiveSmallIntegerField(default=100)),
                (
                    "active",
                    models.BooleanField(
                        default=True, help_text="Only active items go on new checklists."
                    ),
                ),
                (
                    "board",
                    models.ForeignKey(
                        blank=True,
                        help_text="Leave empty for an item every board uses.",
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="induction_templates",
                        to="portal.board",
                    ),
                ),
            ],
            options={
                "ordering": ["order", "title"],
            },
        ),
        migrations.CreateModel(
            name="Meeting",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("date", models.DateField()),
                ("venue", models.CharField(blank=True, max_length=200)),
                (
                    "papers_issued_on",
                    models.DateField(blank=True, null=True, verbose_name="papers sent out on"),
                ),
                (
                    "pre_meeting_held",
                    models.BooleanField(
                        default=False,
                        help_text="A meeting for reps to prepare beforehand.",
                        verbose_name="pre-meeting held",
                    ),
                ),
                (
                    "board",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="meetings",
                        to="portal.board",
                    ),
                ),
                (
                    "group",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="meetings",
                        to="reps.group",
                    ),
                ),
            ],
            options={
                "ordering": ["-date", "pk"],
            },
        ),
        migrations.CreateModel(
            name="Attendance",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("attended", "Attended"),
                            ("apologies", "Sent apologies"),
                            ("absent", "Absent"),
                            ("deputy", "Deputy attended"),
                        ],
                        max_length=10,
                    ),
                ),
                (
                    "rep",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="attendance",
                        to="reps.rep",
                    ),
                ),
                (
                    "meeting",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="attendance",
                        to="reps.meeting",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "attendance",
                "ordering": ["meeting_id", "rep__full_name"],
            },
        ),
        migrations.CreateModel(
            name="AgendaItem",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("submitted", "Submitted"),
                            ("accepted", "Accepted"),
                            ("deferred", "Deferred"),
                            ("declined", "Declined"),
                        ],
                        default="submitted",
                        max_length=10,
                    ),
                ),
                (
                    "minutes_given",
                    models.PositiveSmallIntegerField(
                        blank=True, null=True, verbose_name="minutes given for discussion"
                    ),
                ),
                (
                    "outcome",
                    models.TextField(
                        blank=True,
                        help_text="You said, we did: what changed as a result.",
                        verbose_name="what came of it",
                    ),
                ),
                (
                    "rep",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="agenda_items",
                        to="reps.rep",
                        verbose_name="put forward by",
                    ),
                ),
                (
                    "meeting",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="agenda_items",
                        to="reps.meeting",
                    ),
                ),
            ],
            options={
                "ordering": ["meeting_id", "pk"],
            },
        ),
        migrations.CreateModel(
            name="Seat",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("carer", "Carer representative"),
                            ("lived", "Lived experience representative"),
                            ("deputy_carer", "Deputy carer representative"),
                            ("deputy_lived", "Deputy lived experience representative"),
                        ],
                        max_length=12,
                    ),
                ),
                ("title", models.CharField(max_length=150)),
                ("voting", models.BooleanField(default=False, verbose_name="carries a vote")),
                (
                    "created_on",
                    models.DateField(
                        default=django.utils.timezone.localdate,
                        help_text="A seat that has never been filled has been vacant since this date.",
                        verbose_name="seat set up on",
                    ),
                ),
                (
                    "board",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="seats",
                        to="portal.board",
                    ),
                ),
                (
                    "group",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="seats",
                        to="reps.group",
                    ),
                ),
            ],
            options={
                "ordering": ["board_id", "group_id", "title"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalTerm",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("start", models.DateField()),
                ("planned_end", models.DateField()),
                (
                    "ended_on",
                    models.DateField(
                        blank=True,
                        help_text="The last day in post, once the term is over (early or as planned).",
                        null=True,
                        verbose_name="ended on",
                    ),
                ),
                (
                    "ended_early_reason",
                    models.TextField(blank=True, verbose_name="why the term ended early"),
                ),
                (
                    "how_recruited",
                    models.CharField(
                        choices=[
                            ("open", "Open recruitment"),
                            ("nomination", "Nomination"),
                            ("carers_centre", "Through a carers centre"),
                            ("other", "Other"),
                        ],
                        max_length=15,
                    ),
                ),
                ("exit_interview_held", models.BooleanField(default=False)),
                ("handover_notes", models.TextField(blank=True)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "handed_over_to",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="The rep who took over from this one, once the handover has happened.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="reps.rep",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "rep",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="reps.rep",
                    ),
                ),
                (
                    "seat",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="reps.seat",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical term",
                "verbose_name_plural": "historical terms",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Term",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("start", models.DateField()),
                ("planned_end", models.DateField()),
                (
                    "ended_on",
                    models.DateField(
                        blank=True,
                        help_text="The last day in post, once the term is over (early or as planned).",
                        null=True,
                        verbose_name="ended on",
                    ),
                ),
                (
                    "ended_early_reason",
                    models.TextField(blank=True, verbose_name="why the term ended early"),
                ),
                (
                    "how_recruited",
                    models.CharField(
                        choices=[
                            ("open", "Open recruitment"),
                            ("nomination", "Nomination"),
                            ("carers_centre", "Through a carers centre"),
                            ("other", "Other"),
                        ],
                        max_length=15,
                    ),
                ),
                ("exit_interview_held", models.BooleanField(default=False)),
                ("handover_notes", models.TextField(blank=True)),
                (
                    "handed_over_to",
                    models.ForeignKey(
                        blank=True,
                        help_text="The rep who took over from this one, once the handover has happened.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="handovers_received",
                        to="reps.rep",
                    ),
                ),
                (
                    "rep",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="terms",
                        to="reps.rep",
                    ),
                ),
                (
                    "seat",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="terms",
                        to="reps.seat",
                    ),
                ),
            ],
            options={
                "ordering": ["seat_id", "start"],
            },
        ),
        migrations.CreateModel(
            name="InductionItem",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200)),
                ("order", models.PositiveSmallIntegerField(default=100)),
                ("done", models.BooleanField(default=False)),
                ("done_on", models.DateField(blank=True, null=True)),
                (
                    "done_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "template",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="reps.inductionitemtemplate",
                    ),
                ),
                (
                    "term",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="induction_items",
                        to="reps.term",
                    ),
                ),
            ],
            options={
                "ordering": ["term_id", "order", "title"],
            },
        ),
        migrations.CreateModel(
            name="Training",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("course", models.CharField(max_length=200)),
                ("date", models.DateField()),
                ("provider", models.CharField(blank=True, max_length=150)),
                ("hours", models.DecimalField(decimal_places=1, max_digits=5)),
                (
                    "cost",
                    models.DecimalField(decimal_places=2, default=Decimal("0.00"), max_digits=9),
                ),
                (
                    "rep",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="training",
                        to="reps.rep",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "training",
                "ordering": ["-date", "course"],
            },
        ),
        migrations.CreateModel(
            name="UsualJourney",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "from_area",
                    models.CharField(
                        help_text="A town or postcode area.", max_length=100, verbose_name="from"
                    ),
                ),
                ("venue", models.CharField(max_length=200, verbose_name="to")),
                ("miles", models.DecimalField(decimal_places=1, max_digits=7)),
                (
                    "rep",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="usual_journeys",
                        to="reps.rep",
                    ),
                ),
            ],
            options={
                "ordering": ["from_area", "venue"],
            },
        ),
        migrations.CreateModel(
            name="BoardSettings",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "papers_notice_days",
                    models.PositiveSmallIntegerField(
                        default=7,
                        help_text="Papers that reach reps with fewer days' notice than this count as late.",
                        verbose_name="days' notice for meeting papers",
                    ),
                ),
                (
                    "succession_lead_months",
                    models.PositiveSmallIntegerField(
                        default=6,
                        help_text="How long before a term ends staff are prompted to find a successor.",
                        verbose_name="months' warning of a term ending",
                    ),
                ),
                (
                    "board",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="rep_settings",
                        to="portal.board",
                    ),
                ),
            ],
            options={
                "verbose_name": "board settings",
                "verbose_name_plural": "board settings",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("papers_notice_days__lte", 60)),
                        name="board_settings_notice_at_most_60_days",
                        violation_error_message="The notice standard can be at most 60 days.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("succession_lead_months__gte", 1), ("succession_lead_months__lte", 36)
                        ),
                        name="board_settings_lead_1_to_36_months",
                        violation_error_message="The warning must be between 1 and 36 months.",
                    ),
                ],
            },
        ),
        migrations.AddConstraint(
            model_name="group",
            constraint=models.UniqueConstraint(
                fields=("board", "name"),
                name="group_name_unique_per_board",
                violation_error_message="This board already has a group with that name.",
            ),
        ),
        migrations.AddConstraint(
            model_name="inductionitemtemplate",
            constraint=models.UniqueConstraint(
                condition=models.Q(("board__isnull", True)),
                fields=("title",),
                name="induction_template_national_title_unique",
                violation_error_message="There is already a national item with that title.",
            ),
        ),
        migrations.AddConstraint(
            model_name="inductionitemtemplate",
            constraint=models.UniqueConstraint(
                fields=("board", "title"),
                name="induction_template_title_unique_per_board",
                violation_error_message="This board already has an item with that title.",
            ),
        ),
        migrations.AddConstraint(
            model_name="meeting",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("papers_issued_on__isnull", True),
                    ("papers_issued_on__lte", models.F("date")),
                    _connector="OR",
                ),
                name="meeting_papers_before_meeting",
                violation_error_message="Papers cannot be sent out after the meeting.",
            ),
        ),
        migrations.AddConstraint(
            model_name="attendance",
            constraint=models.UniqueConstraint(
                fields=("meeting", "rep"),
                name="attendance_once_per_meeting",
                violation_error_message="Attendance for this rep is already recorded.",
            ),
        ),
        migrations.AddConstraint(
            model_name="seat",
            constraint=models.UniqueConstraint(
                fields=("group", "title"),
                name="seat_title_unique_per_group",
                violation_error_message="This group already has a seat with that title.",
            ),
        ),
        migrations.AddConstraint(
            model_name="term",
            constraint=models.CheckConstraint(
                condition=models.Q(("planned_end__gt", models.F("start"))),
                name="term_ends_after_it_starts",
                violation_error_message="The planned end must be after the start.",
            ),
        ),
        migrations.AddConstraint(
            model_name="term",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("ended_on__isnull", True),
                    ("ended_on__gte", models.F("start")),
                    _connector="OR",
                ),
                name="term_ended_on_or_after_start",
                violation_error_message="A term cannot end before it starts.",
            ),
        ),
        migrations.AddConstraint(
            model_name="term",
            constraint=reps.constraints.PostgresExclusionConstraint(
                expressions=[
                    ("seat", "="),
                    (
                        reps.constraints.DateRange(
                            "start",
                            django.db.models.functions.comparison.Coalesce(
                                "ended_on", "planned_end"
                            ),
                            django.contrib.postgres.fields.ranges.RangeBoundary(
                                inclusive_lower=True, inclusive_upper=True
                            ),
                        ),
                        "&&",
                    ),
                ],
                name="term_no_overlap_in_seat",
            ),
        ),
        migrations.AddConstraint(
            model_name="inductionitem",
            constraint=models.UniqueConstraint(
                fields=("term", "title"),
                name="induction_item_title_unique_per_term",
                violation_error_message="This checklist already has that item.",
            ),
        ),
        migrations.AddConstraint(
            model_name="inductionitem",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("done", True), ("done_on__isnull", False)),
                    models.Q(("done", False), ("done_by__isnull", True), ("done_on__isnull", True)),
                    _connector="OR",
                ),
                name="induction_item_done_has_a_date",
                violation_error_message="A done item needs the date it was done.",
            ),
        ),
        migrations.AddConstraint(
            model_name="training",
            constraint=models.CheckConstraint(
                condition=models.Q(("hours__gt", Decimal("0")), ("hours__lt", Decimal("10000"))),
                name="training_hours_positive",
                violation_error_message="Enter the hours as a number above 0.",
            ),
        ),
        migrations.AddConstraint(
            model_name="training",
            constraint=models.CheckConstraint(
                condition=models.Q(("cost__gte", Decimal("0")), ("cost__lt", Decimal("10000000"))),
                name="training_cost_not_negative",
                violation_error_message="Enter the cost in pounds, 0 or more.",
            ),
        ),
        migrations.AddConstraint(
            model_name="usualjourney",
            constraint=models.CheckConstraint(
                condition=models.Q(("miles__gt", Decimal("0")), ("miles__lt", Decimal("1000000"))),
                name="usual_journey_miles_positive",
                violation_error_message="Enter the miles as a number above 0.",
            ),
        ),
        migrations.AddConstraint(
            model_name="usualjourney",
            constraint=models.UniqueConstraint(
                fields=("rep", "from_area", "venue"),
                name="usual_journey_unique_per_rep",
                violation_error_message="This journey is already saved.",
            ),
        ),
        migrations.RunPython(create_sqlite_overlap_triggers, drop_sqlite_overlap_triggers),
    ]
