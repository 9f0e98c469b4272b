"""What the self-assessment pages read: one function per read, each a fixed number of queries
however many reps, events or past years a board has.

Nothing here decides who may see what: the views ask `standards.access` for a person's standing,
and pass only the sides that person may see. A side that is not passed is never read, so a page
cannot show what it never loaded.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from portal.core.models import Board
from portal.core.periods import day_in_words
from reps.models import Rep
from standards import scoring
from standards.models import (
    AreaForDevelopment,
    Assessment,
    AssessmentEvent,
    Framework,
    Participant,
    Perspective,
    Recommendation,
    Response,
)
from standards.states import AssessmentStatus, PerspectiveStatus, Side, Subject

# A response counts as answered with a score, or "not assessed" with a reason
# (`Response.is_answered`, as the database can ask it).
ANSWERED = Q(score__isnull=False) | (Q(not_assessed=True) & ~Q(not_assessed_reason=""))

SIDE_NAMES = {Side.STAFF: "The staff's scores", Side.REPS: "The reps' scores"}
SIDE_SHORT = {Side.STAFF: "Staff", Side.REPS: "Reps"}


# The framework


@dataclass(frozen=True)
class Block:
    """One recommendation area with its areas for development, as a page lays them out."""

    recommendation: Recommendation
    areas: list[AreaForDevelopment]

    @property
    def number(self) -> int:
        return self.recommendation.number

    @property
    def first_code(self) -> str:
        return self.areas[0].code if self.areas else ""

    @property
    def last_code(self) -> str:
        return self.areas[-1].code if self.areas else ""


def framework_blocks(framework: Framework) -> list[Block]:
    """The framework's recommendation areas, each with its areas for development: one query."""
    areas = AreaForDevelopment.objects.filter(recommendation__framework=framework).select_related(
        "recommendation"
    )
    grouped: dict[int, list[AreaForDevelopment]] = defaultdict(list)
    recommendations: dict[int, Recommendation] = {}
    for area in areas:
        recommendations[area.recommendation.number] = area.recommendation
        grouped[area.recommendation.number].append(area)
    return [Block(recommendations[number], grouped[number]) for number in sorted(grouped)]


def item_anchor(area: AreaForDevelopment) -> str:
    return f"item-{area.code.replace('.', '-')}"


def all_areas(blocks: Iterable[Block]) -> list[AreaForDevelopment]:
    return [area for block in blocks for area in block.areas]


# Answers


@dataclass(frozen=True)
class Answer:
    """One side's answer for one area for development, as a page says it."""

    area: AreaForDevelopment
    response: Response | None

    @property
    def score(self) -> int | None:
        return self.response.score if self.response else None

    @property
    def is_answered(self) -> bool:
        return self.response is not None and self.response.is_answered

    @property
    def not_assessed(self) -> bool:
        return self.response is not None and self.response.not_assessed

    @property
    def level(self) -> scoring.Level | None:
        return scoring.level(self.score) if self.score is not None else None

    @property
    def words(self) -> str:
        """ "4 – Good", "Not assessed", or "Not answered yet"."""
        if self.score is not None:
            return f"{self.score} – {scoring.label(self.score)}"
        if self.is_answered:
            return "Not assessed"
        return "Not answered yet"

    @property
    def anchor(self) -> str:
        """The id of the item on its page of the scoring form: "item-1-3"."""
        return item_anchor(self.area)

    @property
    def has_action(self) -> bool:
        return self.response is not None and bool(self.response.action_what)


def answers(assessment: Assessment, sides: Iterable[str]) -> dict[str, dict[int, Response]]:
    """The responses of the given sides only, by side and area: one query (none for no side)."""
    wanted = sorted(set(sides))
    found: dict[str, dict[int, Response]] = {side: {} for side in wanted}
    if not wanted:
        return found
    responses = Response.objects.filter(
        perspective__assessment=assessment, perspective__side__in=wanted
    ).select_related("perspective")
    for response in responses:
        found[response.perspective.side][response.area_id] = response
    return found


def side_answers(blocks: Iterable[Block], responses: Mapping[int, Response]) -> list[Answer]:
    return [Answer(area, responses.get(area.pk)) for area in all_areas(blocks)]


@dataclass(frozen=True)
class Progress:
    answered: int
    total: int

    @property
    def missing(self) -> int:
        return self.total - self.answered

    @property
    def complete(self) -> bool:
        return self.answered == self.total


def progress(side: Iterable[Answer]) -> Progress:
    listed = list(side)
    return Progress(sum(1 for answer in listed if answer.is_answered), len(listed))


def area_scores(side: Iterable[Answer]) -> dict[int, scoring.AreaScore | None]:
    """Each recommendation area's score from one side's answers (unanswered items left out)."""
    return scoring.area_scores({answer.area.code: answer.score for answer in side})


# Side by side


@dataclass(frozen=True)
class ComparedItem:
    area: AreaForDevelopment
    staff: Answer
    reps: Answer
    gap: scoring.Gap | None

    @property
    def gap_words(self) -> str:
        return gap_words(self.gap)


@dataclass(frozen=True)
class ComparedBlock:
    block: Block
    staff: scoring.AreaScore | None
    reps: scoring.AreaScore | None
    gap: scoring.Gap | None
    items: list[ComparedItem]

    @property
    def gap_words(self) -> str:
        return gap_words(self.gap)

    @property
    def flagged_items(self) -> list[ComparedItem]:
        return [item for item in self.items if item.gap is not None and item.gap.flagged]


def gap_words(gap: scoring.Gap | None) -> str:
    """ "Staff 2 points higher", "Reps 1.5 points higher", "Same", or "" without a gap."""
    if gap is None:
        return ""
    if gap.points == 0:
        return "Same"
    size = gap.size.normalize()
    points = f"{size:f} point{'' if size == 1 else 's'}"
    return f"Staff {points} higher" if gap.points > 0 else f"Reps {points} higher"


def compare(
    blocks: Iterable[Block], staff: Mapping[int, Response], reps: Mapping[int, Response]
) -> list[ComparedBlock]:
    """Both sides side by side, per recommendation area and per area for development.

    Call only with both sides' responses when the person may see both.
    """
    compared = []
    for block in blocks:
        staff_side = [Answer(area, staff.get(area.pk)) for area in block.areas]
        reps_side = [Answer(area, reps.get(area.pk)) for area in block.areas]
        staff_score = scoring.area_score([answer.score for answer in staff_side])
        reps_score = scoring.area_score([answer.score for answer in reps_side])
        compared.append(
            ComparedBlock(
                block=block,
                staff=staff_score,
                reps=reps_score,
                gap=scoring.gap(
                    staff_score.value if staff_score else None,
                    reps_score.value if reps_score else None,
                ),
                items=[
                    ComparedItem(area, mine, theirs, scoring.gap(mine.score, theirs.score))
                    for area, mine, theirs in zip(block.areas, staff_side, reps_side, strict=True)
                ],
            )
        )
    return compared


# The action plan


@dataclass(frozen=True)
class Action:
    area: AreaForDevelopment
    side: str
    response: Response

    @property
    def side_label(self) -> str:
        return SIDE_SHORT[Side(self.side)]


def action_plan(
    blocks: Iterable[Block], by_side: Mapping[str, Mapping[int, Response]]
) -> list[Action]:
    """The improvement actions of the sides given, in the framework's order, staff first."""
    return _with(blocks, by_side, lambda response: bool(response.action_what))


def last_plan(
    blocks: Iterable[Block], by_side: Mapping[str, Mapping[int, Response]]
) -> list[Action]:
    """Last year's actions as each side reported on them, in the same order."""
    return _with(blocks, by_side, lambda response: bool(response.last_action_what))


def _with(
    blocks: Iterable[Block],
    by_side: Mapping[str, Mapping[int, Response]],
    holds: Callable[[Response], bool],
) -> list[Action]:
    found = []
    for area in all_areas(blocks):
        for side in (Side.STAFF, Side.REPS):
            response = by_side.get(side, {}).get(area.pk)
            if response is not None and holds(response):
                found.append(Action(area, side, response))
    return found


# Each side's status, as the other side may see it


@dataclass(frozen=True)
class SideStatus:
    """One side's set as a page shows it: its status, and its progress only to its own side."""

    side: str
    perspective: Perspective
    own: bool
    progress: Progress | None = None
    # Each recommendation area with this side's score, for a side the person may see.
    scores: list[tuple[Block, scoring.AreaScore | None]] | None = None

    @property
    def name(self) -> str:
        return SIDE_NAMES[Side(self.side)]

    @property
    def words(self) -> str:
        """What anyone who may open the assessment may know: submitted and when, or not yet."""
        perspective = self.perspective
        if perspective.status == PerspectiveStatus.SUBMITTED and perspective.submitted_at:
            return f"Submitted on {day_in_words(perspective.submitted_at)}"
        if perspective.status == PerspectiveStatus.CLOSED:
            return "Closed without the reps' scores"
        return "Not submitted yet"


def side_statuses(
    blocks: list[Block],
    perspectives: Mapping[str, Perspective],
    own_side: str | None,
    own_answers: list[Answer] | None,
    visible_scores: Mapping[str, list[Answer]],
) -> list[SideStatus]:
    """Both sides' statuses; progress only for the person's own side, area scores for each side
    whose answers were passed (those the person may see)."""
    statuses = []
    for side in (Side.STAFF, Side.REPS):
        own = side == own_side
        seen = visible_scores.get(side)
        scores = area_scores(seen) if seen is not None else None
        statuses.append(
            SideStatus(
                side=side,
                perspective=perspectives[side],
                own=own,
                progress=progress(own_answers) if own and own_answers is not None else None,
                scores=[(block, scores.get(block.number)) for block in blocks]
                if scores is not None
                else None,
            )
        )
    return statuses


# The record, for the board's own eyes


_EVENT_SUBJECT = {
    Subject.ASSESSMENT.value: "The assessment",
    Subject.STAFF.value: "The staff's scores",
    Subject.REPS.value: "The reps' scores",
}
_EVENT_MOVE = {
    ("", AssessmentStatus.DRAFT.value): "started",
    (AssessmentStatus.DRAFT.value, AssessmentStatus.PUBLISHED.value): "published",
    (AssessmentStatus.PUBLISHED.value, AssessmentStatus.DRAFT.value): "reopened",
    (PerspectiveStatus.DRAFT.value, PerspectiveStatus.SUBMITTED.value): "submitted",
    (PerspectiveStatus.SUBMITTED.value, PerspectiveStatus.DRAFT.value): "reopened",
    (PerspectiveStatus.CLOSED.value, PerspectiveStatus.DRAFT.value): "reopened",
}


def event_words(event: AssessmentEvent) -> str:
    """ "The staff's scores submitted", "The reps' window closed"."""
    if event.subject == Subject.REPS and event.to_status == PerspectiveStatus.CLOSED:
        return "The reps' window closed"
    move = _EVENT_MOVE.get((event.from_status, event.to_status), f"moved to {event.to_status}")
    return f"{_EVENT_SUBJECT.get(event.subject, event.subject)} {move}"


@dataclass(frozen=True)
class Happening:
    """One step in the record, as the page says it."""

    words: str
    event: AssessmentEvent


def events(assessment: Assessment) -> list[Happening]:
    """Every step of the assessment's life with who took it: one query. Names: inside only."""
    return [
        Happening(event_words(event), event)
        for event in AssessmentEvent.objects.filter(assessment=assessment).select_related("by")
    ]


def participants(assessment: Assessment) -> QuerySet[Participant]:
    """The reps who worked on the reps' set: one query. Names: inside the board only."""
    return Participant.objects.filter(
        perspective__assessment=assessment, perspective__side=Side.REPS
    ).select_related("rep")


# The list of a person's assessments


@dataclass
class ListedAssessment:
    assessment: Assessment
    sides: list[SideStatus] = field(default_factory=list)


def assessment_list(
    assessments: QuerySet[Assessment], own_side: str | None
) -> list[ListedAssessment]:
    """Assessments newest first, each with both sides' statuses and, for the person's own side
    only, how many items are answered: three queries however many there are."""
    rows = list(
        assessments.select_related("board", "framework")
        .prefetch_related("perspectives")
        .order_by("-financial_year", "board__name")
    )
    answered: dict[int, int] = {}
    totals: dict[int, int] = {}
    if rows and own_side:
        answered = dict(
            Response.objects.filter(
                ANSWERED,
                perspective__assessment__in=[row.pk for row in rows],
                perspective__side=own_side,
            )
            .values_list("perspective__assessment")
            .annotate(count=Count("pk"))
        )
        totals = dict(
            AreaForDevelopment.objects.filter(
                recommendation__framework__in={row.framework_id for row in rows}
            )
            .values_list("recommendation__framework")
            .annotate(count=Count("pk"))
        )
    listed = []
    for assessment in rows:
        perspectives = {
            perspective.side: perspective for perspective in assessment.perspectives.all()
        }
        sides = []
        for side in (Side.STAFF, Side.REPS):
            own = side == own_side
            sides.append(
                SideStatus(
                    side=side,
                    perspective=perspectives[side],
                    own=own,
                    progress=(
                        Progress(
                            answered.get(assessment.pk, 0), totals.get(assessment.framework_id, 0)
                        )
                        if own
                        else None
                    ),
                )
            )
        listed.append(ListedAssessment(assessment, sides))
    return listed


def years_started(board: Board) -> set[int]:
    return set(Assessment.objects.filter(board=board).values_list("financial_year", flat=True))


# Home pages: an assessment open and waiting for someone


def waiting_for_staff(boards: Iterable[Board]) -> list[Assessment]:
    """Draft assessments of these boards whose staff's scores are still a draft: one query."""
    return list(
        Assessment.objects.filter(
            board__in=list(boards),
            status=AssessmentStatus.DRAFT,
            perspectives__side=Side.STAFF,
            perspectives__status=PerspectiveStatus.DRAFT,
        )
        .select_related("board")
        .order_by("-financial_year", "board__name")
    )


# Actions of the published plan are shown to the lead this long before they are due.
ACTIONS_DUE_WITHIN_DAYS = 60


def actions_due(boards: Iterable[Board], *, today: date) -> list[Response]:
    """The improvement actions of each board's latest published plan that are due within
    `ACTIONS_DUE_WITHIN_DAYS` or overdue, soonest first, with their area and board: one
    query. A plan keeps its actions until a later year's assessment is published."""
    latest = (
        Assessment.objects.filter(
            board=OuterRef("perspective__assessment__board"), status=AssessmentStatus.PUBLISHED
        )
        .order_by("-financial_year")
        .values("pk")[:1]
    )
    return list(
        Response.objects.filter(
            perspective__assessment__board__in=list(boards),
            perspective__assessment=Subquery(latest),
            perspective__status=PerspectiveStatus.SUBMITTED,
            action_by__lte=today + timedelta(days=ACTIONS_DUE_WITHIN_DAYS),
        )
        .exclude(action_what="")
        .select_related("area", "perspective__assessment__board")
        .order_by("action_by", "perspective__assessment__board__name", "area__code")
    )


def waiting_for_rep(rep: Rep, today: date) -> list[Assessment]:
    """Draft assessments of the rep's board whose reps' scores are still a draft, none once the
    rep has left the board: one query."""
    return list(
        Assessment.objects.filter(
            Exists(Rep.objects.filter(pk=rep.pk).not_former(today)),
            board=rep.board_id,
            status=AssessmentStatus.DRAFT,
            perspectives__side=Side.REPS,
            perspectives__status=PerspectiveStatus.DRAFT,
        ).order_by("-financial_year")
    )
