"""Reps, the seats they hold and their terms; induction, training, meetings, equality monitoring,
the expressions of interest that recruitment starts from, and the documents boards give reps.

State changes go through `reps.services`, reads that pages need through `reps.selectors`; the rules
about dates are plain functions in `reps.rules`.
"""

import secrets
import uuid
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import RangeBoundary, RangeOperators
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from simple_history.models import HistoricalRecords

from portal.core.constraints import ChecksInOneQuery
from portal.core.models import Board
from portal.core.periods import day_in_words as _day
from portal.core.periods import financial_year_label
from reps import rules
from reps.constraints import DateRange, PostgresExclusionConstraint


def _finite_between(
    field: str, low: Decimal, high: Decimal, *, low_inclusive: bool, high_inclusive: bool = False
) -> Q:
    # PostgreSQL's numeric accepts NaN and sorts it above every number, so the upper bound is what
    # keeps NaN (and Infinity) out; the lower bound keeps out negative amounts.
    lower = Q(**{f"{field}__gte" if low_inclusive else f"{field}__gt": low})
    return lower & Q(**{f"{field}__lte" if high_inclusive else f"{field}__lt": high})


class BoardSettings(ChecksInOneQuery):
    """A board's own standards for its reps' work; a board without a row uses the defaults."""

    board = models.OneToOneField(Board, on_delete=models.CASCADE, related_name="rep_settings")
    papers_notice_days = models.PositiveSmallIntegerField(
        "days' notice for meeting papers",
        default=rules.DEFAULT_PAPERS_NOTICE_DAYS,
        help_text="Papers that reach reps with fewer days' notice than this count as late.",
    )
    succession_lead_months = models.PositiveSmallIntegerField(
        "months' warning of a term ending",
        default=rules.DEFAULT_SUCCESSION_LEAD_MONTHS,
        help_text="How long before a term ends staff are prompted to find a successor.",
    )
    # The named contact on the board's public page: the one person's details it shows.
    contact_name = models.CharField("contact's name", max_length=150, blank=True)
    contact_role = models.CharField(
        "contact's job title",
        max_length=150,
        blank=True,
        help_text="For example, Carer involvement officer.",
    )
    contact_email = models.EmailField(
        "contact's email address",
        blank=True,
        help_text="Expressions of interest are emailed here as they arrive.",
    )
    contact_phone = models.CharField("contact's phone number", max_length=40, blank=True)

    class Meta:
        verbose_name = "board settings"
        verbose_name_plural = "board settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(papers_notice_days__lte=60),
                name="board_settings_notice_at_most_60_days",
                violation_error_message="The notice standard can be at most 60 days.",
            ),
            models.CheckConstraint(
                condition=Q(succession_lead_months__gte=1, succession_lead_months__lte=36),
                name="board_settings_lead_1_to_36_months",
                violation_error_message="The warning must be between 1 and 36 months.",
            ),
        ]

    def __str__(self):
        return f"Settings for {self.board}"

    @property
    def has_contact(self) -> bool:
        """Whether the board named someone reps and the public can reach."""
        return bool(self.contact_name or self.contact_email or self.contact_phone)


class Group(ChecksInOneQuery):
    """The board itself or one of its strategic groups; each board keeps its own list."""

    class Kind(models.TextChoices):
        BOARD = "board", "The Integration Joint Board"
        STRATEGIC_PLANNING = "planning", "Strategic planning group"
        COMMITTEE = "committee", "Committee"
        LOCALITY = "locality", "Locality group"
        OTHER = "other", "Other group"

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="rep_groups")
    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.OTHER)
    order = models.PositiveSmallIntegerField(
        default=0, help_text="Groups are listed from the lowest number."
    )

    class Meta:
        ordering = ["board_id", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["board", "name"],
                name="group_name_unique_per_board",
                violation_error_message="This board already has a group with that name.",
            )
        ]

    def __str__(self):
        return self.name


def seat_open_on(day: date) -> Q:
    """Seats not closed by `day`, whenever they were set up."""
    return Q(closed_on__isnull=True) | Q(closed_on__gt=day)


def seat_in_place_on(day: date) -> Q:
    """Seats that exist on `day`: set up by then and not yet closed. A condition rather than a
    filter, so that counts of several days can filter on it in one query."""
    return Q(created_on__lte=day) & seat_open_on(day)


class SeatQuerySet(models.QuerySet["Seat"]):
    def in_place_on(self, day: date) -> "SeatQuerySet":
        return self.filter(seat_in_place_on(day))

    def not_closed_by(self, day: date) -> "SeatQuerySet":
        """Seats still there on `day`, including those set up later: the staff's list of seats."""
        return self.filter(seat_open_on(day))


class Seat(ChecksInOneQuery):
    """A place for a rep on a board or one of its groups; with no current term, a vacancy.

    A seat the board abolishes is closed rather than deleted: its terms stay on record, and from
    `closed_on` it is neither a seat nor a vacancy in any figure.
    """

    class Kind(models.TextChoices):
        CARER = "carer", "Carer representative"
        LIVED_EXPERIENCE = "lived", "Lived experience representative"
        DEPUTY_CARER = "deputy_carer", "Deputy carer representative"
        DEPUTY_LIVED_EXPERIENCE = "deputy_lived", "Deputy lived experience representative"

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="seats")
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="seats")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    title = models.CharField(max_length=150)
    voting = models.BooleanField("carries a vote", default=False)
    # The board's own words for its public page, beside the role's standard description.
    about = models.TextField(
        "about the seat",
        blank=True,
        max_length=1000,
        help_text="How often it meets, where, and the time it takes, for someone thinking of it.",
    )
    created_on = models.DateField(
        "seat set up on",
        default=timezone.localdate,
        help_text="A seat that has never been filled has been vacant since this date.",
    )
    closed_on = models.DateField(
        "closed on",
        null=True,
        blank=True,
        help_text="The first day the seat no longer exists.",
    )

    objects = SeatQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["board_id", "group_id", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gt=F("created_on")),
                name="seat_closed_after_set_up",
                violation_error_message="A seat can only close after the day it was set up.",
            ),
            models.UniqueConstraint(
                fields=["group", "title"],
                name="seat_title_unique_per_group",
                violation_error_message="This group already has a seat with that title.",
            ),
        ]

    def __str__(self):
        return f"{self.title}, {self.group}"

    def is_closed(self, today: date) -> bool:
        return self.closed_on is not None and self.closed_on <= today

    @property
    def is_deputy(self) -> bool:
        return self.kind in {self.Kind.DEPUTY_CARER, self.Kind.DEPUTY_LIVED_EXPERIENCE}

    @property
    def rep_type(self) -> str:
        """The kind of rep this seat is for (`Rep.RepType`)."""
        if self.kind in {self.Kind.CARER, self.Kind.DEPUTY_CARER}:
            return Rep.RepType.CARER
        return Rep.RepType.LIVED_EXPERIENCE

    def clean(self):
        if self.group_id and self.board_id and self.group.board_id != self.board_id:
            raise ValidationError({"group": "Choose a group of this seat's board."})


class RepQuerySet(models.QuerySet["Rep"]):
    def former(self, today: date) -> "RepQuerySet":
        """Reps who held a seat and hold none now, nor have one to come: they have left."""
        return self.filter(self._left(today))

    def not_former(self, today: date) -> "RepQuerySet":
        """Reps in a seat, appointed to one that starts later, or not appointed yet."""
        return self.exclude(self._left(today))

    @staticmethod
    def _left(today: date) -> Q:
        terms = Term.objects.filter(rep=models.OuterRef("pk"))
        return Q(models.Exists(terms.filter(start__lte=today))) & ~Q(
            models.Exists(terms.with_end().filter(end__gte=today))
        )


class Rep(ChecksInOneQuery):
    """A carer or lived experience representative on one board.

    A rep need not have a portal account: staff keep the record of reps who never sign in.
    Equality monitoring is kept apart, in `EqualityRecord`, and only with the rep's consent.
    """

    class RepType(models.TextChoices):
        CARER = "carer", "Carer representative"
        LIVED_EXPERIENCE = "lived", "Lived experience representative"

    # (field name, what the rep ticks) for the access and support needs a form offers.
    ACCESS_NEEDS = [
        ("needs_large_print", "Large print"),
        ("needs_easy_read", "Easy read"),
        ("needs_bsl", "British Sign Language (BSL) interpreter"),
        ("needs_paper_copies", "Paper copies of meeting papers"),
        ("needs_papers_by_post", "Papers sent by post"),
        ("needs_meeting_times", "Meeting times that fit around work or caring"),
    ]
    CONTACT_PREFERENCES = [
        ("contact_by_email", "Email"),
        ("contact_by_post", "Post"),
        ("contact_by_phone", "Phone"),
    ]

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="reps")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rep_profile",
    )
    full_name = models.CharField(max_length=150)
    rep_type = models.CharField(max_length=10, choices=RepType.choices)

    email = models.EmailField("email address", blank=True)
    phone = models.CharField("phone number", max_length=40, blank=True)
    address = models.TextField(blank=True)
    postcode_area = models.CharField(
        max_length=8, blank=True, help_text="The first half of the postcode, such as G66."
    )
    filled_by_staff = models.BooleanField(
        "a member of staff fills this role",
        default=False,
        help_text=(
            "Tick when the person is a member of staff rather than an unpaid carer or a person "
            "with lived experience."
        ),
    )

    needs_large_print = models.BooleanField("large print", default=False)
    needs_easy_read = models.BooleanField("easy read", default=False)
    needs_bsl = models.BooleanField("British Sign Language (BSL) interpreter", default=False)
    needs_paper_copies = models.BooleanField("paper copies of meeting papers", default=False)
    needs_papers_by_post = models.BooleanField("papers sent by post", default=False)
    needs_meeting_times = models.BooleanField(
        "meeting times that fit around work or caring", default=False
    )
    needs_other = models.TextField("other support needed", blank=True)

    contact_by_email = models.BooleanField("contact by email", default=True)
    contact_by_post = models.BooleanField("contact by post", default=False)
    contact_by_phone = models.BooleanField("contact by phone", default=False)

    involvement_payment_opt_in = models.BooleanField(
        "wants involvement payments",
        default=False,
        help_text=(
            "Payment for your time can affect some benefits. Expenses never do. Off unless the "
            "rep asks for it."
        ),
    )
    listed_publicly = models.BooleanField(
        "name shown on the board's public page",
        default=False,
        help_text="Off unless the rep chooses it: the public page names nobody else.",
    )
    anonymised_on = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text=(
            "When the personal details were removed (`reps.retention`): the record stays for "
            "past years' figures."
        ),
    )

    objects = RepQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["full_name"]

    def __str__(self):
        return self.full_name

    @property
    def support_needs(self) -> list[str]:
        """What the rep needs to take part, in words, for staff arranging a meeting."""
        needs = [label for field, label in self.ACCESS_NEEDS if getattr(self, field)]
        if self.needs_other:
            needs.append(self.needs_other)
        return needs

    @property
    def contact_preferences(self) -> list[str]:
        return [label for field, label in self.CONTACT_PREFERENCES if getattr(self, field)]


def new_calendar_token() -> str:
    """256 random bits: the address is the only lock on the feed, so it must not be guessable."""
    return secrets.token_urlsafe(32)


class CalendarFeed(ChecksInOneQuery):
    """The secret address of a rep's meetings calendar, for a phone's calendar app to follow.

    Calendar apps cannot sign in, so whoever has the address can read the feed. The rep asks for
    it, and resetting it (a new token) ends the old address at once. Kept apart from `Rep` so the
    token never reaches the rep's history, the admin or a spreadsheet export.
    """

    rep = models.OneToOneField(Rep, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=new_calendar_token, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Calendar address of {self.rep}"


class UsualJourney(ChecksInOneQuery):
    """A trip a rep makes again and again, so that an expense claim never asks for it twice."""

    rep = models.ForeignKey(Rep, on_delete=models.CASCADE, related_name="usual_journeys")
    from_area = models.CharField("from", max_length=100, help_text="A town or postcode area.")
    venue = models.CharField("to", max_length=200)
    miles = models.DecimalField(max_digits=7, decimal_places=1)

    class Meta:
        ordering = ["from_area", "venue"]
        constraints = [
            models.CheckConstraint(
                condition=_finite_between(
                    "miles", Decimal(0), Decimal(1_000_000), low_inclusive=False
                ),
                name="usual_journey_miles_positive",
                violation_error_message="Enter the miles as a number above 0.",
            ),
            models.UniqueConstraint(
                fields=["rep", "from_area", "venue"],
                name="usual_journey_unique_per_rep",
                violation_error_message="This journey is already saved.",
            ),
        ]

    def __str__(self):
        return f"{self.from_area} to {self.venue} ({self.miles} miles)"


class TermQuerySet(models.QuerySet["Term"]):
    def with_end(self) -> "TermQuerySet":
        """Adds `end`: the last day in post, whether the term ran its course or ended early."""
        return self.annotate(end=Coalesce("ended_on", "planned_end"))

    def current(self, today: date) -> "TermQuerySet":
        return self.with_end().filter(start__lte=today, end__gte=today)

    def with_number(self) -> "TermQuerySet":
        """Adds `number`: 1 for the rep's first term in the seat, 2 for the next, and so on.

        Counted in a subquery rather than a window so that a filtered list still numbers each
        term against all of the rep's terms in the seat.
        """
        earlier = (
            Term.objects.filter(
                rep=models.OuterRef("rep"),
                seat=models.OuterRef("seat"),
                start__lt=models.OuterRef("start"),
            )
            .order_by()
            .values("rep")
            .annotate(count=models.Count("pk"))
            .values("count")
        )
        return self.annotate(
            number=Coalesce(models.Subquery(earlier), 0) + 1,
        )

    def with_induction_progress(self) -> "TermQuerySet":
        """Adds `induction_done` and `induction_total`: ticked and all checklist items."""
        return self.annotate(
            induction_total=models.Count("induction_items", distinct=True),
            induction_done=models.Count(
                "induction_items", filter=Q(induction_items__done=True), distinct=True
            ),
        )


class Term(ChecksInOneQuery):
    """A rep appointed to a seat from a start date to a planned end, both days included."""

    class HowRecruited(models.TextChoices):
        OPEN = "open", "Open recruitment"
        NOMINATION = "nomination", "Nomination"
        CARERS_CENTRE = "carers_centre", "Through a carers centre"
        OTHER = "other", "Other"

    class Afterwards(models.TextChoices):
        """What the rep would like when the term ends, in their own words (`reps.forms_own`)."""

        ANOTHER = "another", "Would like another term"
        STEPPING_DOWN = "stepping_down", "Plans to step down"
        NOT_SURE = "not_sure", "Not sure yet"

    rep = models.ForeignKey(Rep, on_delete=models.PROTECT, related_name="terms")
    seat = models.ForeignKey(Seat, on_delete=models.PROTECT, related_name="terms")
    start = models.DateField()
    planned_end = models.DateField()
    ended_on = models.DateField(
        "ended on",
        null=True,
        blank=True,
        help_text="The last day in post, once the term is over (early or as planned).",
    )
    ended_early_reason = models.TextField("why the term ended early", blank=True)
    how_recruited = models.CharField(max_length=15, choices=HowRecruited.choices)
    exit_interview_held = models.BooleanField(default=False)
    handover_notes = models.TextField(blank=True)
    handed_over_to = models.ForeignKey(
        Rep,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handovers_received",
        help_text="The rep who took over from this one, once the handover has happened.",
    )
    # Asked of the rep as the term's end comes into view, so that staff can plan who follows.
    afterwards = models.CharField(
        "what the rep would like when the term ends",
        max_length=15,
        choices=Afterwards.choices,
        blank=True,
    )
    will_help_successor = models.BooleanField(
        "happy to help whoever follows settle in", default=False
    )
    afterwards_said_on = models.DateField(null=True, blank=True, editable=False)

    objects = TermQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["seat_id", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gt=F("start")),
                name="term_ends_after_it_starts",
                violation_error_message="The planned end must be after the start.",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("start")),
                name="term_ended_on_or_after_start",
                violation_error_message="A term cannot end before it starts.",
            ),
            # Two terms in one seat may not share a day. On SQLite the migration keeps the same
            # rule with triggers.
            PostgresExclusionConstraint(
                name="term_no_overlap_in_seat",
                expressions=[
                    ("seat", RangeOperators.EQUAL),
                    (
                        DateRange(
                            "start",
                            Coalesce("ended_on", "planned_end"),
                            RangeBoundary(inclusive_lower=True, inclusive_upper=True),
                        ),
                        RangeOperators.OVERLAPS,
                    ),
                ],
            ),
        ]

    def __str__(self):
        return f"{self.rep} in {self.seat}, from {_day(self.start)}"

    @property
    def end(self) -> date:
        """The last day in post: the day the term ended, or its planned end while it runs."""
        return rules.term_end(self.planned_end, self.ended_on)

    @end.setter
    def end(self, value: date) -> None:
        # `Term.objects.with_end()` annotates the same value under this name, so queries can
        # filter on it; the property already works it out from the fields.
        pass

    @property
    def ended_early(self) -> bool:
        return self.ended_on is not None and self.ended_on < self.planned_end

    def is_current(self, today: date) -> bool:
        return rules.term_is_current(self.start, self.end, today)

    def clean(self):
        errors = {}
        if self.rep_id and self.seat_id:
            if self.rep.board_id != self.seat.board_id:
                errors["seat"] = "Choose a seat on the rep's own board."
            elif self.rep.rep_type != self.seat.rep_type:
                errors["seat"] = (
                    f"This seat is for a {self.seat.get_kind_display().lower()}; "
                    f"{self.rep} is a {self.rep.get_rep_type_display().lower()}."
                )
        if self.start and self.planned_end and self.planned_end <= self.start:
            errors["planned_end"] = "The planned end must be after the start."
        if self.start and self.ended_on and self.ended_on < self.start:
            errors["ended_on"] = "A term cannot end before it starts."
        closes = self.seat.closed_on if self.seat_id else None
        if closes is not None and self.start and self.planned_end and self.end >= closes:
            field = "ended_on" if self.ended_on else "planned_end"
            errors.setdefault(
                field,
                f"The seat closed on {_day(closes)}: a term in it must end before then.",
            )
        if errors:
            raise ValidationError(errors)
        if self.seat_id and self.start and self.planned_end:
            clash = self.overlapping_term()
            if clash is not None:
                raise ValidationError(
                    f"{clash.rep} holds this seat from {_day(clash.start)} to "
                    f"{_day(clash.end)}. Terms in one seat cannot overlap: change the "
                    "dates, or end that term first.",
                    code="term_overlap",
                )

    def overlapping_term(self) -> "Term | None":
        return (
            Term.objects.with_end()
            .filter(seat_id=self.seat_id, start__lte=self.end, end__gte=self.start)
            .exclude(pk=self.pk)
            .select_related("rep")
            .order_by("start")
            .first()
        )


def document_path(instance: "Document", filename: str) -> str:
    """A random stored name with the extension of what the file is, whatever it was called."""
    return f"documents/{uuid.uuid4().hex}{Document.EXTENSIONS.get(instance.file_type, '')}"


class Document(ChecksInOneQuery):
    """A document a board gives its reps, or a national one (no board) that every board shares.

    The file is kept in private storage and reaches people only through views that check who is
    asking (`reps.access`); a public one is also linked from the board's public page. Files are
    checked by what their bytes are (`reps.documents`), and `file_type` says what was found.
    """

    class Kind(models.TextChoices):
        ROLE_DESCRIPTION = "role", "Role description"
        TERMS_OF_REFERENCE = "terms_of_reference", "Terms of reference"
        CODE_OF_CONDUCT = "conduct", "Code of conduct"
        CONFIDENTIALITY = "confidentiality", "Confidentiality agreement"
        GLOSSARY = "glossary", "Glossary"
        EXPENSES_POLICY = "expenses", "Expenses policy"
        OTHER = "other", "Other"

    class FileType(models.TextChoices):
        PDF = "pdf", "PDF"
        WORD = "docx", "Word document"
        TEXT = "text", "Plain text"

    EXTENSIONS = {FileType.PDF: ".pdf", FileType.WORD: ".docx", FileType.TEXT: ".txt"}

    board = models.ForeignKey(
        Board,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rep_documents",
        help_text="Empty for a national document, which every board's reps read.",
    )
    title = models.CharField(max_length=150)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    public = models.BooleanField(
        "shown on the board's public page",
        default=False,
        help_text=(
            "Anyone can read it there, signed in or not: for a role description or the expenses "
            "policy, never for anything with people's details in it."
        ),
    )
    file = models.FileField(upload_to=document_path, max_length=200)
    file_type = models.CharField(max_length=4, choices=FileType.choices)
    file_size = models.PositiveIntegerField("size in bytes")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["title"],
                condition=Q(board__isnull=True),
                name="document_national_title_unique",
                violation_error_message="There is already a national document with that title.",
            ),
            models.UniqueConstraint(
                fields=["board", "title"],
                name="document_title_unique_per_board",
                violation_error_message="This board already has a document with that title.",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def extension(self) -> str:
        return self.EXTENSIONS.get(self.file_type, "")


class InductionItemTemplate(ChecksInOneQuery):
    """An item on every new term's induction checklist: national (no board) or a board's own."""

    board = models.ForeignKey(
        Board,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="induction_templates",
        help_text="Leave empty for an item every board uses.",
    )
    title = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=100)
    active = models.BooleanField(default=True, help_text="Only active items go on new checklists.")
    document = models.ForeignKey(
        Document,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="induction_templates",
        help_text="A document for this item, which reps open from their checklist.",
    )

    class Meta:
        ordering = ["order", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["title"],
                condition=Q(board__isnull=True),
                name="induction_template_national_title_unique",
                violation_error_message="There is already a national item with that title.",
            ),
            models.UniqueConstraint(
                fields=["board", "title"],
                name="induction_template_title_unique_per_board",
                violation_error_message="This board already has an item with that title.",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        # Every rep given this item must be able to open its document: a national item can
        # point only at a national document, a board's item at the board's or a national one.
        if self.document_id and self.document.board_id not in (None, self.board_id):
            raise ValidationError(
                {"document": "Choose a national document or one of this item's board."}
            )


class InductionItem(ChecksInOneQuery):
    """One item of a term's induction checklist, copied from a template when the term began."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="induction_items")
    template = models.ForeignKey(
        InductionItemTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Copied, so that renaming a template later does not rewrite what a rep was given.
    title = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=100)
    done = models.BooleanField(default=False)
    done_on = models.DateField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["term_id", "order", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["term", "title"],
                name="induction_item_title_unique_per_term",
                violation_error_message="This checklist already has that item.",
            ),
            models.CheckConstraint(
                condition=Q(done=True, done_on__isnull=False)
                | Q(done=False, done_on__isnull=True, done_by__isnull=True),
                name="induction_item_done_has_a_date",
                violation_error_message="A done item needs the date it was done.",
            ),
        ]

    def __str__(self):
        return self.title


# A course longer or dearer than this is a slip of the keyboard (2000 hours for 2.0), or one to
# record in parts.
TRAINING_MOST_HOURS = Decimal(200)
TRAINING_MOST_COST = Decimal(10_000)


class Training(ChecksInOneQuery):
    """A course a rep took, with its cost: More than Equal asks boards for a training budget."""

    rep = models.ForeignKey(Rep, on_delete=models.CASCADE, related_name="training")
    course = models.CharField(max_length=200)
    date = models.DateField()
    provider = models.CharField(max_length=150, blank=True)
    hours = models.DecimalField(max_digits=5, decimal_places=1)
    cost = models.DecimalField(max_digits=9, decimal_places=2, default=Decimal("0.00"))

    class Meta:
        verbose_name_plural = "training"
        ordering = ["-date", "course"]
        constraints = [
            models.CheckConstraint(
                condition=_finite_between(
                    "hours",
                    Decimal(0),
                    TRAINING_MOST_HOURS,
                    low_inclusive=False,
                    high_inclusive=True,
                ),
                name="training_hours_positive",
                violation_error_message="Enter the hours as a number above 0, up to 200.",
            ),
            models.CheckConstraint(
                condition=_finite_between(
                    "cost", Decimal(0), TRAINING_MOST_COST, low_inclusive=True, high_inclusive=True
                ),
                name="training_cost_not_negative",
                violation_error_message="Enter the cost in pounds, from 0 to 10,000.",
            ),
        ]

    def __str__(self):
        return f"{self.course} ({_day(self.date)})"


class NeedsConversation(ChecksInOneQuery):
    """A conversation staff had with a rep about their training and support needs.

    More than Equal asks boards to discuss these needs with each rep regularly, as they differ
    for each person; what was agreed is kept in words the rep can read.
    """

    rep = models.ForeignKey(Rep, on_delete=models.CASCADE, related_name="needs_conversations")
    held_on = models.DateField("date of the conversation")
    agreed = models.TextField(
        "what was agreed",
        blank=True,
        help_text="The rep can read this on their training page.",
    )

    # Who recorded the conversation, and any change since.
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"Conversation with {self.rep} on {_day(self.held_on)}"


# A year's budget above this is a slip of the keyboard (an extra nought or two).
BUDGET_MOST = Decimal(1_000_000)


class Budget(ChecksInOneQuery):
    """What a board sets aside for its reps in a financial year: a dedicated training budget
    (More than Equal 2.4) and a budget for their expenses, replacement care included (4.3 asks
    boards to report spend supporting reps transparently). Either may be left unset."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="rep_budgets")
    # The year April starts in: 2026 is 2026/27.
    financial_year = models.PositiveSmallIntegerField()
    training = models.DecimalField(
        "training budget", max_digits=9, decimal_places=2, null=True, blank=True
    )
    expenses = models.DecimalField(
        "budget for reps' expenses", max_digits=9, decimal_places=2, null=True, blank=True
    )

    # Who set or changed the budget, and when.
    history = HistoricalRecords()

    class Meta:
        ordering = ["board_id", "-financial_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["board", "financial_year"],
                name="budget_one_per_board_and_year",
                violation_error_message="This board already has a budget for that year.",
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{field}__isnull": True})
                    | _finite_between(
                        field, Decimal(0), BUDGET_MOST, low_inclusive=True, high_inclusive=True
                    ),
                    name=f"budget_{field}_in_range",
                    violation_error_message="Enter a budget in pounds, from 0 to 1,000,000.",
                )
                for field in ("training", "expenses")
            ),
        ]

    def __str__(self):
        return f"{self.board}, {financial_year_label(self.financial_year)}"


class SupportRequest(ChecksInOneQuery):
    """Training or support a rep asked for, and the answer they were given.

    More than Equal asks boards to discuss each rep's training and support needs regularly, as
    they differ for each person: a request is where a rep says what would help, in their words.
    """

    class Kind(models.TextChoices):
        TRAINING = "training", "Training or a course"
        SUPPORT = "support", "Support in the role"

    class Status(models.TextChoices):
        ASKED = "asked", "Waiting for an answer"
        ARRANGED = "arranged", "Arranged"
        NOT_POSSIBLE = "not_possible", "Not possible"
        WITHDRAWN = "withdrawn", "Withdrawn"

    # Staff answer a request once, and may arrange one they first could not; the rep may
    # withdraw one still waiting. An arranged or withdrawn request is settled.
    TRANSITIONS = {
        Status.ASKED: {Status.ARRANGED, Status.NOT_POSSIBLE, Status.WITHDRAWN},
        Status.NOT_POSSIBLE: {Status.ARRANGED},
        Status.ARRANGED: set(),
        Status.WITHDRAWN: set(),
    }
    ANSWERS = (Status.ARRANGED, Status.NOT_POSSIBLE)

    rep = models.ForeignKey(Rep, on_delete=models.CASCADE, related_name="support_requests")
    kind = models.CharField("what kind of help", max_length=10, choices=Kind.choices)
    what = models.CharField("what would help", max_length=200)
    details = models.TextField(
        "anything else",
        blank=True,
        help_text="Why it would help, when suits you, or how you would like it given.",
    )
    asked_on = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ASKED)
    answer = models.TextField(
        "answer to the rep",
        blank=True,
        help_text="What is arranged and when, or why it is not possible. The rep reads this.",
    )
    answered_on = models.DateField(null=True, blank=True)

    # Who answered, and when an answer changed.
    history = HistoricalRecords()

    class Meta:
        ordering = ["-asked_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["arranged", "not_possible"], answered_on__isnull=False)
                | (~Q(status__in=["arranged", "not_possible"]) & Q(answered_on__isnull=True)),
                name="support_request_answered_on_with_answer",
                violation_error_message="An answered request has the day it was answered.",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["arranged", "not_possible"], answer=""),
                name="support_request_answer_given",
                violation_error_message="An answered request says what is arranged, or why not.",
            ),
        ]

    def __str__(self):
        return self.what

    @property
    def is_waiting(self) -> bool:
        return self.status == self.Status.ASKED

    @property
    def answerable(self) -> bool:
        """Whether staff may still give an answer: while it waits, or arrange it after all."""
        return bool(set(self.ANSWERS) & self.TRANSITIONS[self.Status(self.status)])


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def not_cancelled(self) -> "MeetingQuerySet":
        return self.filter(cancelled_on__isnull=True)


class Meeting(ChecksInOneQuery):
    """A meeting of the board or one of its groups, and how much notice reps had of its papers.

    A cancelled meeting stays on record, and in reps' calendars marked as cancelled, but counts
    in no figure: it was not held.
    """

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="meetings")
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField()
    # Empty until staff know it: the rep's calendar then shows the meeting as all day.
    start_time = models.TimeField("start time", null=True, blank=True)
    end_time = models.TimeField("finish time", null=True, blank=True)
    venue = models.CharField(max_length=200, blank=True)
    papers_issued_on = models.DateField("papers sent out on", null=True, blank=True)
    pre_meeting_held = models.BooleanField(
        "pre-meeting held", default=False, help_text="A meeting for reps to prepare beforehand."
    )
    cancelled_on = models.DateField("cancelled on", null=True, blank=True, editable=False)
    cancelled_reason = models.CharField(
        "why it was cancelled", max_length=300, blank=True, editable=False
    )

    objects = MeetingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(papers_issued_on__isnull=True) | Q(papers_issued_on__lte=F("date")),
                name="meeting_papers_before_meeting",
                violation_error_message="Papers cannot be sent out after the meeting.",
            ),
            # A finish time only follows a start time: a meeting's length is what calendars show.
            models.CheckConstraint(
                condition=Q(end_time__isnull=True)
                | Q(start_time__isnull=False, end_time__gt=F("start_time")),
                name="meeting_finishes_after_it_starts",
                violation_error_message="The meeting must have a start time, and finish after it.",
            ),
        ]

    def __str__(self):
        return f"{self.group}, {_day(self.date)}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_on is not None

    def is_ahead(self, today: date) -> bool:
        """Still to come and going ahead: a rep may put items forward and send apologies."""
        return not self.is_cancelled and self.date >= today

    @property
    def notice_days(self) -> int | None:
        return rules.notice_days(self.date, self.papers_issued_on)

    def papers_late(self, standard_days: int) -> bool | None:
        """Whether papers went out with less notice than the board's standard (None: unknown,
        or the meeting was cancelled)."""
        if self.is_cancelled:
            return None
        return rules.papers_late(self.notice_days, standard_days)

    def clean(self):
        if self.group_id and self.board_id and self.group.board_id != self.board_id:
            raise ValidationError({"group": "Choose a group of this meeting's board."})


class Attendance(ChecksInOneQuery):
    class Status(models.TextChoices):
        ATTENDED = "attended", "Attended"
        APOLOGIES = "apologies", "Sent apologies"
        ABSENT = "absent", "Absent"
        DEPUTY_ATTENDED = "deputy", "Deputy attended"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    rep = models.ForeignKey(Rep, on_delete=models.PROTECT, related_name="attendance")
    status = models.CharField(max_length=10, choices=Status.choices)

    class Meta:
        verbose_name_plural = "attendance"
        ordering = ["meeting_id", "rep__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "rep"],
                name="attendance_once_per_meeting",
                violation_error_message="Attendance for this rep is already recorded.",
            )
        ]

    def __str__(self):
        return f"{self.rep}: {self.get_status_display()}"

    def clean(self):
        if self.meeting_id and self.meeting.is_cancelled:
            raise ValidationError(
                {"meeting": "This meeting was cancelled: there is no attendance to record."}
            )
        if self.meeting_id and self.rep_id and self.meeting.board_id != self.rep.board_id:
            raise ValidationError({"rep": "Choose a rep on this meeting's board."})


class AgendaItem(ChecksInOneQuery):
    """An item a rep put on a meeting's agenda, and what came of it ("you said, we did")."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        ACCEPTED = "accepted", "Accepted"
        DEFERRED = "deferred", "Deferred"
        DECLINED = "declined", "Declined"

    # Which decisions may follow which: a deferred item comes back for a decision; an accepted
    # one can still be pushed to a later meeting; a declined one stays declined.
    TRANSITIONS = {
        Status.SUBMITTED: {Status.ACCEPTED, Status.DEFERRED, Status.DECLINED},
        Status.DEFERRED: {Status.ACCEPTED, Status.DECLINED},
        Status.ACCEPTED: {Status.DEFERRED},
        Status.DECLINED: set(),
    }

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    rep = models.ForeignKey(
        Rep,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name="put forward by",
    )
    title = models.CharField(max_length=200)
    details = models.TextField(
        "more about it",
        blank=True,
        help_text="Why it matters, or what the rep would like to happen.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    minutes_given = models.PositiveSmallIntegerField(
        "time given on the agenda (minutes)", null=True, blank=True
    )
    outcome = models.TextField(
        "what came of it", blank=True, help_text="You said, we did: what changed as a result."
    )

    # Who decided, recorded what came of it, or took it to another meeting, and when.
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting_id", "pk"]

    def __str__(self):
        return self.title

    def why_it_stays(self) -> str:
        """Why the item cannot be taken to another meeting; empty when it can."""
        if self.status == self.Status.DECLINED:
            return "It was declined, so it stays with the meeting that declined it."
        if self.outcome:
            return "What came of it is recorded, so it stays with the meeting that took it."
        return ""

    def clean(self):
        if self.pk is None and self.meeting_id and self.meeting.is_cancelled:
            raise ValidationError(
                {"meeting": "This meeting was cancelled: put the item forward for another meeting."}
            )
        if self.meeting_id and self.rep_id and self.meeting.board_id != self.rep.board_id:
            raise ValidationError({"rep": "Choose a rep on this meeting's board."})


class EqualityRecord(ChecksInOneQuery):
    """A rep's answers to equality monitoring questions, kept apart from their profile, or the
    answers of someone who said they were interested in being a rep.

    It exists only with the person's explicit consent, and it is deliberately not kept in the
    audit history: when a rep withdraws consent, or someone interested asks staff to remove their
    details, the record is deleted and no copy of it remains. Nobody but the rep sees it (someone
    interested sees it only as they send it); everyone else sees only suppressed counts.
    """

    class AgeBand(models.TextChoices):
        UNDER_25 = "16-24", "16 to 24"
        FROM_25 = "25-34", "25 to 34"
        FROM_35 = "35-44", "35 to 44"
        FROM_45 = "45-54", "45 to 54"
        FROM_55 = "55-64", "55 to 64"
        FROM_65 = "65-74", "65 to 74"
        FROM_75 = "75+", "75 or over"
        PREFER_NOT_TO_SAY = "prefer_not", "Prefer not to say"

    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        PREFER_NOT_TO_SAY = "prefer_not", "Prefer not to say"

    class TransStatus(models.TextChoices):
        NO = "no", "No"
        YES = "yes", "Yes"
        PREFER_NOT_TO_SAY = "prefer_not", "Prefer not to say"

    class SexualOrientation(models.TextChoices):
        STRAIGHT = "straight", "Straight or heterosexual"
        GAY_OR_LESBIAN = "gay_lesbian", "Gay or lesbian"
        BISEXUAL = "bisexual", "Bisexual"
        OTHER = "other", "Other sexual orientation"
        PREFER_NOT_TO_SAY = "prefer_not", "Prefer not to say"

    class EthnicGroup(models.TextChoices):
        """Scotland's Census 2022 ethnic groups."""

        WHITE_SCOTTISH = "white_scottish", "White: Scottish"
        WHITE_OTHER_BRITISH = "white_british", "White: Other British"
        WHITE_IRISH = "white_irish", "White: Irish"
        WHITE_POLISH = "white_polish", "White: Polish"
        WHITE_GYPSY_TRAVELLER = "white_gypsy", "White: Gypsy/Traveller"
        WHITE_ROMA = "white_roma", "White: Roma"
        WHITE_SHOWMAN = "white_showman", "White: Showman/Showwoman"
        WHITE_OTHER = "white_other", "White: Other white ethnic group"
        MIXED = "mixed", "Mixed or multiple ethnic groups"
        ASIAN_PAKISTANI = "asian_pakistani", "Pakistani, Scottish Pakistani or British Pakistani"
        ASIAN_INDIAN = "asian_indian", "Indian, Scottish Indian or British Indian"
        ASIAN_BANGLADESHI = (
            "asian_bangladeshi",
            "Bangladeshi, Scottish Bangladeshi or British Bangladeshi",
        )
        ASIAN_CHINESE = "asian_chinese", "Chinese, Scottish Chinese or British Chinese"
        ASIAN_OTHER = "asian_other", "Other Asian, Scottish Asian or British Asian"
        AFRICAN = "african", "African, Scottish African or British African"
        AFRICAN_OTHER = "african_other", "Other African"
        CARIBBEAN = "caribbean", "Caribbean, Scottish Caribbean or British Caribbean"
        BLACK = "black", "Black, Scottish Black or British Black"
        CARIBBEAN_OR_BLACK_OTHER = "caribbean_black_other", "Other Caribbean or Black"
        ARAB = "arab", "Arab, Scottish Arab or British Arab"
        OTHER = "other", "Other ethnic group"
        PREFER_NOT_TO_SAY = "prefer_not", "Prefer not to say"

    class Disability(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        PREFER_NOT_TO_SAY = "prefer_not", "Prefer not to say"

    class CaringRole(models.TextChoices):
        UNDER_20_HOURS = "under_20", "I care for someone for up to 19 hours a week"
        FROM_20_HOURS = "20_to_49", "I care for someone for 20 to 49 hours a week"
        FROM_50_HOURS = "50_plus", "I care for someone for 50 hours a week or more"
        FORMER = "former", "I used to be a carer"
        NONE = "none", "I am not a carer"
        PREFER_NOT_TO_SAY = "prefer_not", "Prefer not to say"

    # (field, question) in the order a form asks them and a report shows them.
    QUESTIONS = [
        ("age_band", "What is your age?"),
        ("sex", "What is your sex?"),
        ("gender_identity", "Do you consider yourself to be trans, or have a trans history?"),
        ("sexual_orientation", "Which of the following best describes your sexual orientation?"),
        ("ethnic_group", "What is your ethnic group?"),
        ("disability", "Do you consider yourself to be disabled?"),
        ("caring_role", "Do you look after someone because of illness, disability or age?"),
    ]

    rep = models.OneToOneField(
        Rep, on_delete=models.CASCADE, null=True, blank=True, related_name="equality_record"
    )
    interest = models.OneToOneField(
        "ExpressionOfInterest",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="equality_record",
        help_text="Answers given after saying they were interested: whom recruitment reaches.",
    )
    consent_given_at = models.DateTimeField(
        help_text="When the person agreed to answer. Without consent there is no record."
    )
    age_band = models.CharField(max_length=12, choices=AgeBand.choices, blank=True)
    sex = models.CharField(max_length=12, choices=Sex.choices, blank=True)
    gender_identity = models.CharField(
        "trans or with a trans history", max_length=12, choices=TransStatus.choices, blank=True
    )
    sexual_orientation = models.CharField(
        max_length=12, choices=SexualOrientation.choices, blank=True
    )
    ethnic_group = models.CharField(max_length=24, choices=EthnicGroup.choices, blank=True)
    disability = models.CharField(max_length=12, choices=Disability.choices, blank=True)
    caring_role = models.CharField(max_length=12, choices=CaringRole.choices, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(rep__isnull=False, interest__isnull=True)
                | Q(rep__isnull=True, interest__isnull=False),
                name="equality_record_of_a_rep_or_an_interest",
                violation_error_message="Answers belong to one rep or one person interested.",
            )
        ]

    def __str__(self):
        return f"Equality monitoring answers ({self.pk})"


class ExpressionOfInterest(ChecksInOneQuery):
    """Someone who said, on a board's public page, that they would like to be a rep.

    Staff move it along (`rules.InterestStatus`, as `rules.INTEREST_TRANSITIONS` allows) through
    `reps.services`. Appointing the person makes their rep record and term from it; someone not
    appointed may join the board's pool, for strategic groups and peer support, if they agree.
    """

    Status = rules.InterestStatus

    board = models.ForeignKey(
        Board, on_delete=models.PROTECT, related_name="expressions_of_interest"
    )
    full_name = models.CharField("name", max_length=150)
    email = models.EmailField("email address", blank=True)
    phone = models.CharField("phone number", max_length=40, blank=True)
    role = models.CharField(
        "role they are interested in",
        max_length=12,
        choices=Seat.Kind.choices,
        blank=True,
        help_text="Empty when they were not sure yet.",
    )
    support_needed = models.TextField("support they need to take part", blank=True)
    consent_to_contact = models.BooleanField("agreed to be contacted", default=False)
    created_at = models.DateTimeField("received", default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    notes = models.TextField(blank=True, help_text="Staff's notes: calls made, what was agreed.")
    pool_consent = models.BooleanField(
        "agreed to join the pool",
        default=False,
        help_text="To be asked about strategic groups and peer support if no seat is free.",
    )
    in_pool_since = models.DateField("in the pool since", null=True, blank=True)
    # When they last said they want to stay in the pool: on joining, then each time staff ask
    # (`rules.pool_check_cutoff`). Agreement that nobody renews runs out (`reps.retention`).
    pool_checked_on = models.DateField(
        "last said they want to stay in the pool", null=True, blank=True
    )
    appointed_on = models.DateField(null=True, blank=True)
    rep = models.ForeignKey(
        Rep,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expressions_of_interest",
        help_text="The rep record made when they were appointed.",
    )
    anonymised_on = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the name and contact details were removed (`reps.retention`).",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "expression of interest"
        verbose_name_plural = "expressions of interest"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(consent_to_contact=True),
                name="interest_consent_to_contact",
                violation_error_message="We can only keep your details if we may contact you.",
            ),
            models.CheckConstraint(
                condition=~Q(email="") | ~Q(phone="") | Q(anonymised_on__isnull=False),
                name="interest_has_a_contact_route",
                violation_error_message="Give an email address or a phone number.",
            ),
            models.CheckConstraint(
                condition=Q(in_pool_since__isnull=True)
                | (Q(pool_consent=True) & ~Q(status=rules.InterestStatus.APPOINTED)),
                name="interest_pool_needs_consent",
                violation_error_message=(
                    "Only someone who agreed, and who has not been appointed, can be in the pool."
                ),
            ),
            models.CheckConstraint(
                condition=Q(in_pool_since__isnull=True, pool_checked_on__isnull=True)
                | Q(
                    in_pool_since__isnull=False,
                    pool_checked_on__isnull=False,
                    pool_checked_on__gte=F("in_pool_since"),
                ),
                name="interest_pool_checked_since_joining",
                violation_error_message=(
                    "Someone in the pool last said they want to stay on or after joining it."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status=rules.InterestStatus.APPOINTED, appointed_on__isnull=False)
                | (~Q(status=rules.InterestStatus.APPOINTED) & Q(appointed_on__isnull=True)),
                name="interest_appointed_has_a_date",
                violation_error_message="An appointment needs the date it was made.",
            ),
        ]
        indexes = [models.Index(fields=["board", "status"], name="interest_board_status")]

    def __str__(self):
        return f"{self.full_name} ({_day(timezone.localdate(self.created_at))})"

    @property
    def in_pool(self) -> bool:
        return self.in_pool_since is not None

    @property
    def pool_check_due(self) -> bool:
        """Whether staff should ask again if they want to stay in the pool."""
        cutoff = rules.pool_check_cutoff(timezone.localdate(), settings.POOL_CHECK_MONTHS)
        return self.pool_checked_on is not None and self.pool_checked_on <= cutoff


class InterestFormPost(models.Model):
    """One post of a public "I'm interested" form, kept only while it counts towards the limit.

    Counted in the database, so every worker of the portal sees the same count. The address is
    kept as a keyed hash: enough to count posts from one address, and useless to anyone who reads
    the table hoping to learn who visited.
    """

    client = models.CharField(max_length=64)
    posted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["client", "posted_at"], name="interest_post_client_time")]

    def __str__(self):
        return f"Post at {self.posted_at:%Y-%m-%d %H:%M}"
