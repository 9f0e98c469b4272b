"""A board's published self-assessment as its public page shows it, to anyone, without signing in.

More than Equal asks boards to publish their evaluation. The public page shows the latest
assessment the board published: the framework it was made against, each recommendation area's
score from the staff's and the reps' perspectives with the gap between them, both sides'
action plan (what, who as a role, by when), and how far last year's actions got. Only a set
that was submitted is shown: a reps' set closed without being submitted is "the reps did not
give a view", never its drafts. A draft or reopened assessment is not published, so it is not
read at all.

Nothing else leaves this module: no evidence, no reasons for not assessing, no names, no record of
who did what or who took part. The page is built from the dataclasses below, which carry nothing
else, so a template cannot reach what they do not hold.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from django.utils.text import get_text_list
from django.utils.timezone import localdate

from portal.core.models import Board
from portal.core.periods import financial_year_label
from standards import scoring, selectors
from standards.models import Assessment, Framework, Perspective
from standards.states import AssessmentStatus, PerspectiveStatus, Side


@dataclass(frozen=True)
class PublicAreaScore:
    """One recommendation area's score from each side, and the gap; None where a side gave none."""

    number: int
    title: str
    staff: scoring.AreaScore | None
    reps: scoring.AreaScore | None
    gap: scoring.Gap | None

    @property
    def gap_words(self) -> str:
        return selectors.gap_words(self.gap)


@dataclass(frozen=True)
class PublicAction:
    """One improvement action of the published plan: what, who as a role, and by when."""

    code: str
    area_title: str
    side_label: str
    what: str
    who: str
    by: date | None


@dataclass(frozen=True)
class PublicProgress:
    """How far one of last year's actions got, as one side said: its words are published too."""

    code: str
    area_title: str
    side_label: str
    what: str
    progress: str
    note: str


@dataclass(frozen=True)
class PublicPlan:
    """What of an assessment may be shown outside the board."""

    areas: list[PublicAreaScore]
    actions: list[PublicAction]
    progress: list[PublicProgress]


@dataclass(frozen=True)
class PublishedAssessment:
    financial_year: int
    published_on: date | None
    framework: Framework
    # False where the reps' window was closed after its deadline without their scores.
    reps_gave_view: bool
    areas: list[PublicAreaScore]
    actions: list[PublicAction]
    progress: list[PublicProgress]
    # The other years the board has published, oldest first.
    earlier_years: list[int]

    @property
    def year_label(self) -> str:
        return financial_year_label(self.financial_year)

    @property
    def earlier_words(self) -> str:
        """ "2022/23 and 2023/24", or "" when this is the board's first published year."""
        return str(get_text_list([financial_year_label(y) for y in self.earlier_years], "and"))


def published_assessment(board: Board) -> PublishedAssessment | None:
    """`board`'s latest published assessment, or None until it has published one: three queries
    however many years, areas or actions."""
    perspectives = list(
        Perspective.objects.filter(
            assessment__board=board, assessment__status=AssessmentStatus.PUBLISHED
        )
        .select_related("assessment__framework")
        .order_by("-assessment__financial_year", "side")
    )
    if not perspectives:
        return None
    assessment = perspectives[0].assessment
    submitted = {
        perspective.side
        for perspective in perspectives
        if perspective.assessment_id == assessment.pk
        and perspective.status == PerspectiveStatus.SUBMITTED
    }
    plan = scores_and_plan(assessment, submitted)
    return PublishedAssessment(
        financial_year=assessment.financial_year,
        published_on=localdate(assessment.published_at) if assessment.published_at else None,
        framework=assessment.framework,
        reps_gave_view=Side.REPS in submitted,
        areas=plan.areas,
        actions=plan.actions,
        progress=plan.progress,
        earlier_years=sorted(
            {
                perspective.assessment.financial_year
                for perspective in perspectives
                if perspective.assessment_id != assessment.pk
            }
        ),
    )


def scores_and_plan(assessment: Assessment, submitted: Collection[str]) -> PublicPlan:
    """A published assessment's area scores from the `submitted` sides, its action plan, and how
    far last year's got: what may be shown outside the board. Two queries."""
    blocks = selectors.framework_blocks(assessment.framework)
    # Only submitted sets are read: a closed reps' set's drafts never leave the board.
    by_side = selectors.answers(assessment, submitted)
    compared = selectors.compare(blocks, by_side.get(Side.STAFF, {}), by_side.get(Side.REPS, {}))
    areas = [
        PublicAreaScore(
            number=row.block.number,
            title=row.block.recommendation.title,
            staff=row.staff,
            reps=row.reps,
            gap=row.gap,
        )
        for row in compared
    ]
    actions = [
        PublicAction(
            code=action.area.code,
            area_title=action.area.title,
            side_label=action.side_label,
            what=action.response.action_what,
            who=action.response.action_who,
            by=action.response.action_by,
        )
        for action in selectors.action_plan(blocks, by_side)
    ]
    progress = [
        PublicProgress(
            code=action.area.code,
            area_title=action.area.title,
            side_label=action.side_label,
            what=action.response.last_action_what,
            progress=action.response.get_last_action_progress_display() or "Not said",
            note=action.response.last_action_note,
        )
        for action in selectors.last_plan(blocks, by_side)
    ]
    return PublicPlan(areas, actions, progress)
