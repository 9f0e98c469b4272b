"""The More than Equal framework as data, and each board's yearly self-assessment against it.

The framework is loaded from a versioned file in `standards/frameworks/` (`standards.loading`);
a later edition is added beside the earlier one, and each assessment keeps the edition it was made
against. State changes go through `standards.services`; the states and who sees what are declared
in `standards.states`, the arithmetic in `standards.scoring`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from portal.core.constraints import ChecksInOneQuery
from portal.core.models import Board
from portal.core.periods import financial_year_label
from reps.models import Rep
from standards import scoring
from standards.states import AssessmentStatus, PerspectiveStatus, Side, Subject

# The Public Bodies (Joint Working) (Scotland) Act 2014 put reps on the boards: no year before.
FIRST_YEAR = 2014


class Framework(ChecksInOneQuery):
    """One edition of a framework, such as More than Equal (2024), as its file states it."""

    slug = models.SlugField(max_length=80, unique=True)
    version = models.CharField(max_length=20)
    title = models.CharField(max_length=300)
    short_title = models.CharField(max_length=80)
    year = models.PositiveSmallIntegerField()
    published = models.CharField(
        max_length=40, help_text="When the edition came out, as it says: April 2024."
    )
    authors = models.JSONField(default=list)
    # A fingerprint of the file's content: loading the same edition again changes nothing, and a
    # file that says something different under the same name is refused.
    checksum = models.CharField(max_length=64, editable=False)
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["year", "pk"]

    def __str__(self):
        return f"{self.short_title} ({self.year})"

    @property
    def authors_line(self) -> str:
        """ "Coalition of Carers in Scotland (COCIS) and Health and Social Care Alliance ..." """
        names = list(self.authors)
        if len(names) < 2:
            return "".join(names)
        return f"{', '.join(names[:-1])} and {names[-1]}"


class Recommendation(ChecksInOneQuery):
    """One of a framework's recommendation areas, such as "1. Strengthen recruitment ..."."""

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="recommendations"
    )
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    context = models.TextField(blank=True)
    resources = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "number"], name="one_recommendation_per_number"
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


class AreaForDevelopment(ChecksInOneQuery):
    """One area for development, such as 1.3, with the actions the report says support it.

    `actions` holds the report's actions in order, each as {"text": ..., "points": [...]}.
    """

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="areas"
    )
    number = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=8, help_text="As the report numbers it: 1.3.")
    title = models.TextField()
    actions = models.JSONField(default=list)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["recommendation__framework", "recommendation__number", "number"]
        verbose_name = "area for development"
        verbose_name_plural = "areas for development"
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "number"], name="one_area_for_development_per_number"
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"


class Assessment(ChecksInOneQuery):
    """A board's self-assessment for one financial year (April to March), named by its start year.

    Two perspectives score it, the staff's and the reps', each blind to the other until both are
    done (`standards.states.shows_other`).
    """

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="assessments")
    financial_year = models.PositiveSmallIntegerField(
        help_text="The year the financial year starts in: 2025 is April 2025 to March 2026."
    )
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="assessments")
    status = models.CharField(
        max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    reps_deadline = models.DateField(
        "deadline for the reps' scores",
        null=True,
        blank=True,
        help_text="After this day the staff lead may close the reps' window and publish.",
    )
    # The deadline the reps were last reminded of (`standards.reminders`): one reminder for each
    # deadline, and another if the deadline moves.
    reps_reminded_of = models.DateField(null=True, blank=True, editable=False)
    # The assessment whose action plan this one started from.
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["board", "-financial_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["board", "financial_year"],
                name="one_assessment_per_board_per_year",
                violation_error_message="This board already has an assessment for that year.",
            ),
            models.CheckConstraint(
                condition=Q(financial_year__gte=FIRST_YEAR),
                name="assessment_year_from_2014",
                violation_error_message="Choose a financial year from 2014/15 onwards.",
            ),
            models.CheckConstraint(
                condition=Q(status=AssessmentStatus.DRAFT) | Q(published_at__isnull=False),
                name="published_assessment_says_when",
            ),
        ]

    def __str__(self):
        return f"{self.board} {self.year_label}"

    @property
    def year_label(self) -> str:
        return financial_year_label(self.financial_year)


class Perspective(ChecksInOneQuery):
    """One side's set of scores for an assessment: the staff lead's, or the board's reps' together.

    The reps' set is shared: any of the board's reps may change it, and one submits it for all.
    """

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="perspectives"
    )
    side = models.CharField(max_length=5, choices=Side.choices)
    status = models.CharField(
        max_length=10, choices=PerspectiveStatus.choices, default=PerspectiveStatus.DRAFT
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "side"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "side"], name="one_perspective_per_side"),
            models.CheckConstraint(
                condition=~Q(status=PerspectiveStatus.CLOSED) | Q(side=Side.REPS),
                name="only_the_reps_window_closes",
            ),
            models.CheckConstraint(
                condition=~Q(status=PerspectiveStatus.SUBMITTED) | Q(submitted_at__isnull=False),
                name="submitted_perspective_says_when",
            ),
        ]

    def __str__(self):
        return f"{self.assessment}: {self.get_side_display().lower()}"

    def unanswered(self) -> list[str]:
        """Codes of the areas for development this set has not yet scored or marked not
        assessed."""
        answered = {response.area_id for response in self.responses.all() if response.is_answered}
        return [
            area.code
            for area in AreaForDevelopment.objects.filter(
                recommendation__framework_id=self.assessment.framework_id
            ).select_related("recommendation")
            if area.pk not in answered
        ]


class Participant(ChecksInOneQuery):
    """A rep who took part in the reps' perspective: shown inside the board, never nationally."""

    perspective = models.ForeignKey(
        Perspective, on_delete=models.CASCADE, related_name="participants"
    )
    # A rep's record may be erased; who took part goes with it.
    rep = models.ForeignKey(Rep, on_delete=models.CASCADE, related_name="+")
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()

    class Meta:
        ordering = ["perspective", "first_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["perspective", "rep"], name="one_participant_per_rep"),
        ]

    def __str__(self):
        return f"{self.rep} on {self.perspective}"


class ActionProgress(models.TextChoices):
    """How far last year's improvement action got."""

    DONE = "done", "Done"
    PARTLY = "partly", "Partly done"
    NOT_DONE = "not_done", "Not done"


class Response(ChecksInOneQuery):
    """One side's answer for one area for development: a score or "not assessed" with a reason,
    the evidence, and an improvement action (what, who as a role, by when).

    A response may be saved before it is decided (evidence first, or an action carried over from
    last year); the set can be submitted only once every area for development has a score or is
    marked not assessed with a reason.
    """

    perspective = models.ForeignKey(Perspective, on_delete=models.CASCADE, related_name="responses")
    area = models.ForeignKey(AreaForDevelopment, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        choices=scoring.CHOICES,
        error_messages={"invalid_choice": "Choose a score from 1 to 6."},
    )
    not_assessed = models.BooleanField(default=False)
    not_assessed_reason = models.TextField("why it was not assessed", blank=True)
    evidence = models.TextField(blank=True)
    action_what = models.TextField("improvement action", blank=True)
    action_who = models.CharField(
        "who will do it",
        max_length=150,
        blank=True,
        help_text='A role, such as "HSCP carers lead", never a person\'s name.',
    )
    action_by = models.DateField("by when", null=True, blank=True)
    # Set when the action came from last year's plan and nobody has changed it since.
    action_carried_over = models.BooleanField(default=False)
    # Last year's action for the area as its plan gave it, kept whatever becomes of this year's,
    # and how far it got: More than Equal asks boards to report progress on their actions.
    last_action_what = models.TextField("last year's action", blank=True)
    last_action_progress = models.CharField(
        "how far it got", max_length=8, choices=ActionProgress.choices, blank=True
    )
    last_action_note = models.TextField("what came of it", blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["perspective", "area"]
        constraints = [
            models.UniqueConstraint(
                fields=["perspective", "area"], name="one_response_per_area_for_development"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True)
                | Q(score__gte=scoring.LOWEST, score__lte=scoring.HIGHEST),
                name="score_on_the_six_point_scale",
                violation_error_message="Choose a score from 1 to 6.",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(not_assessed=False),
                name="score_or_not_assessed_never_both",
                violation_error_message="Give a score or mark it not assessed, not both.",
            ),
            models.CheckConstraint(
                condition=Q(not_assessed=False) | ~Q(not_assessed_reason=""),
                name="not_assessed_gives_a_reason",
                violation_error_message="Say why this area for development was not assessed.",
            ),
            models.CheckConstraint(
                condition=Q(not_assessed=True) | Q(not_assessed_reason=""),
                name="reason_only_when_not_assessed",
                violation_error_message=(
                    "A reason for not assessing goes only with \u201cnot assessed\u201d."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(action_what="") | (Q(action_who="") & Q(action_by__isnull=True)),
                name="action_says_what_will_be_done",
                violation_error_message="Say what will be done, as well as who and by when.",
            ),
            models.CheckConstraint(
                condition=~Q(last_action_what="")
                | (Q(last_action_progress="") & Q(last_action_note="")),
                name="progress_only_on_last_years_action",
                violation_error_message="There was no action last year to say how far it got.",
            ),
        ]

    def __str__(self):
        return f"{self.perspective}: {self.area.code}"

    @property
    def is_answered(self) -> bool:
        """A score, or not assessed with a reason: what submitting the set needs of every item."""
        return self.score is not None or (self.not_assessed and bool(self.not_assessed_reason))


class AssessmentEvent(ChecksInOneQuery):
    """One step in an assessment's life: a set submitted, the reps' window closed, the assessment
    published, or something reopened, with who did it, when, and (for reopening) why."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="events")
    subject = models.CharField(
        max_length=10, choices=[(subject.value, subject.value) for subject in Subject]
    )
    # Blank for the event that starts the assessment.
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            # Reopening undoes a decision others relied on: the record must say why.
            models.CheckConstraint(
                condition=~Q(
                    from_status__in=[
                        PerspectiveStatus.SUBMITTED,
                        PerspectiveStatus.CLOSED,
                        AssessmentStatus.PUBLISHED,
                    ],
                    to_status=PerspectiveStatus.DRAFT,
                )
                | ~Q(reason=""),
                name="reopening_gives_a_reason",
                violation_error_message="Say why it is being reopened.",
            ),
        ]

    def __str__(self):
        return f"{self.assessment}: {self.subject} {self.from_status} to {self.to_status}"
