"""Who may see and change a board's self-assessment, and what each side may see of the other.

The one place for these rules, built on `portal.core.access`. Two answers, as everywhere: an
assessment outside the person's boards answers 404, so a guessed number does not even reveal that
it exists; one they can see but whose change their role or permissions do not allow answers 403.

Sides: the staff of a board stand on the staff side, which its staff lead (`Permission.
LEAD_ASSESSMENT`) scores; the board's reps stand on the reps' side, which any of them but those
who have left the board may score. A person with no side on the board (a national viewer, an
administrator, a rep who has left) sees only published assessments. Blindness: each side sees
the other's scores, evidence and actions only as `may_see_other_perspective` allows; before that,
only whether the other side has submitted and when.

`standards.services` checks the same predicates again on the locked rows, so the rules hold for
the admin, commands and the demo too.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from portal.core.access import (
    Permission,
    abilities,
    boards_for,
    boards_with_permission,
    has_board_permission,
    role_required,
    staff_boards,
)
from portal.core.models import Board, User
from reps.models import Rep
from standards.models import Assessment, Perspective
from standards.states import AssessmentStatus, PerspectiveStatus, Side, shows_other

# Who stands where


def is_lead(user: User, board: Board) -> bool:
    """Whether `user` leads the self-assessment on `board`: scores the staff side, opens, closes,
    publishes and reopens."""
    return user.is_active and has_board_permission(user, board, Permission.LEAD_ASSESSMENT)


def require_lead(user: User, board: Board) -> None:
    if not is_lead(user, board):
        raise PermissionDenied


def rep_on_board(user: User, board: Board, today: date | None = None) -> Rep | None:
    """The rep record through which `user` takes part in `board`'s reps' perspective, if any.

    Only rep accounts: a member of staff who also holds a rep's seat stands on the staff side,
    so nobody can see both sides' drafts. Not a rep who has left the board by `today` (the day of
    the change; the demo's earlier years happened long ago): their account stays open for their
    own claims and data, but the board's scores are for the reps it has.
    """
    if not user.is_active or user.role != User.Role.REP:
        return None
    today = today or timezone.localdate()
    return Rep.objects.filter(user=user, board=board).not_former(today).first()


def names_of_people_on(board_id: int) -> set[str]:
    """The full names of the board's reps (those not anonymised) and staff."""
    return {
        *Rep.objects.filter(board_id=board_id, anonymised_on__isnull=True).values_list(
            "full_name", flat=True
        ),
        *User.objects.filter(memberships__board_id=board_id).values_list("full_name", flat=True),
    }


def side_of(user: User, board: Board) -> Side | None:
    """Which side of `board`'s assessment `user` stands on; None for everyone else."""
    if not user.is_active:
        return None
    if user.role == User.Role.STAFF and staff_boards(user).filter(pk=board.pk).exists():
        return Side.STAFF
    if rep_on_board(user, board) is not None:
        return Side.REPS
    return None


def may_edit_side(user: User, board: Board, side: str, today: date | None = None) -> bool:
    """Whether `user` may change `side`'s scores on `board`: the staff lead the staff's, any of the
    board's reps the reps'."""
    if side == Side.STAFF:
        return is_lead(user, board)
    if side == Side.REPS:
        return rep_on_board(user, board, today) is not None
    return False


def require_edit_side(user: User, board: Board, side: str, today: date | None = None) -> None:
    if not may_edit_side(user, board, side, today):
        raise PermissionDenied


# Blindness


def may_see_other_perspective(own: Perspective, other: Perspective) -> bool:
    """Whether the side that scored `own` may see `other`'s scores, evidence, actions and counts.

    The blindness rule, in one place: only once both are done (each side submitted, or the reps'
    window closed after its deadline), and never a set that was not submitted. Before that, each
    side sees of the other only whether it has submitted and when (`submitted_at`).
    """
    if own.assessment_id != other.assessment_id or own.side == other.side:
        return False
    return shows_other(own.status, other.status)


def may_see_perspective(user: User, perspective: Perspective) -> bool:
    """Whether `user` may see this perspective's scores, evidence and actions."""
    assessment = perspective.assessment
    if not assessments_for(user).filter(pk=assessment.pk).exists():
        return False
    side = side_of(user, assessment.board)
    if side == perspective.side:
        return True
    if side is None:
        # Outside the board only what was published, and only a set that was submitted.
        return (
            assessment.status == AssessmentStatus.PUBLISHED
            and perspective.status == PerspectiveStatus.SUBMITTED
        )
    own = Perspective.objects.get(assessment=assessment, side=side)
    return may_see_other_perspective(own, perspective)


@dataclass(frozen=True)
class Standing:
    """Where one person stands on one assessment they may open, worked out once for a page.

    `side` is None outside the board (national viewers, administrators); `sees` holds the sides
    whose scores, evidence and actions the person may see, by the same rule as
    `may_see_perspective`.
    """

    side: Side | None
    leads: bool
    sees: frozenset[str]

    @property
    def may_edit(self) -> bool:
        """Whether the person may change their own side's scores, as `may_edit_side` says: the
        staff lead the staff's, any of the board's reps the reps'."""
        return self.leads if self.side == Side.STAFF else self.side == Side.REPS

    @property
    def inside(self) -> bool:
        """Whether the person stands on a side of this board: only they see names and events."""
        return self.side is not None


def standing(
    user: User, assessment: Assessment, perspectives: Mapping[str, Perspective]
) -> Standing:
    """`user`'s standing on `assessment`, already fetched through `get_assessment_for_user`, whose
    two sets are `perspectives` (by side)."""
    side = side_of(user, assessment.board)
    if side is None:
        published = assessment.status == AssessmentStatus.PUBLISHED
        sees = frozenset(
            name
            for name, perspective in perspectives.items()
            if published and perspective.status == PerspectiveStatus.SUBMITTED
        )
        return Standing(side=None, leads=False, sees=sees)
    own = perspectives[side]
    others = {
        name
        for name, perspective in perspectives.items()
        if name != side and may_see_other_perspective(own, perspective)
    }
    return Standing(
        side=side,
        leads=side == Side.STAFF and is_lead(user, assessment.board),
        sees=frozenset({side.value, *others}),
    )


def own_side(user: User) -> Side | None:
    """The side `user` stands on in every assessment `assessments_for` gives them through their
    boards: the staff side for staff, the reps' side for reps, None for everyone else.

    The same answer as `side_of` for each of those boards, without a query per board.
    """
    if not user.is_active:
        return None
    if user.role == User.Role.STAFF:
        return Side.STAFF
    if user.role == User.Role.REP:
        return Side.REPS
    return None


# Querysets


def assessments_for(user: User) -> QuerySet[Assessment]:
    """Every assessment the user may open: their boards' as staff or rep, only the published ones
    of a board a rep has left; published ones for national viewers and administrators, who stand
    on neither side."""
    if not user.is_active:
        return Assessment.objects.none()
    published = Assessment.objects.filter(status=AssessmentStatus.PUBLISHED)
    if user.role == User.Role.STAFF:
        return Assessment.objects.filter(board__in=boards_for(user))
    if user.role == User.Role.REP:
        # A rep who has left sees their board's assessments as anyone outside it does.
        in_post = Rep.objects.filter(user=user).not_former(timezone.localdate())
        return Assessment.objects.filter(board__in=in_post.values("board")) | published.filter(
            board__in=boards_for(user)
        )
    return published


def boards_led_by(user: User) -> QuerySet[Board]:
    """Boards where `user` leads the self-assessment (none for anyone but staff)."""
    if not user.is_active:
        return Board.objects.none()
    return boards_with_permission(user, Permission.LEAD_ASSESSMENT)


# Fetch and authorise in one step


def get_assessment_for_user(user: User, pk: int) -> Assessment:
    return get_object_or_404(assessments_for(user).select_related("board", "framework"), pk=pk)


def get_assessment_to_lead(user: User, pk: int) -> Assessment:
    """An assessment to open, close, publish or reopen: 404 outside, 403 unless the lead."""
    assessment = get_assessment_for_user(user, pk)
    require_lead(user, assessment.board)
    return assessment


def get_board_to_lead(user: User, slug: str) -> Board:
    """A board on which to start an assessment: 404 outside the staff's boards, 403 unless lead."""
    board = get_object_or_404(boards_for(user), slug=slug)
    require_lead(user, board)
    return board


def get_perspective_for_user(user: User, assessment_pk: int, side: str) -> Perspective:
    """One side's set to read: 404 outside, 403 while blindness hides it from this person."""
    assessment = get_assessment_for_user(user, assessment_pk)
    perspective = get_object_or_404(Perspective.objects.filter(assessment=assessment), side=side)
    perspective.assessment = assessment
    if not may_see_perspective(user, perspective):
        raise PermissionDenied
    return perspective


def get_perspective_to_edit(user: User, assessment_pk: int, side: str) -> Perspective:
    """One side's set to change: 404 outside, 403 unless the person scores that side."""
    assessment = get_assessment_for_user(user, assessment_pk)
    perspective = get_object_or_404(Perspective.objects.filter(assessment=assessment), side=side)
    perspective.assessment = assessment
    require_edit_side(user, assessment.board, side)
    return perspective


# The national comparison


# National viewers see every board's published scores; staff see the same national picture with
# their own boards marked. Reps score their own board and administrators run the service: the
# comparison is not their page, as the national home is not.
comparison_viewer_required = role_required(User.Role.NATIONAL_VIEWER, User.Role.STAFF)


def boards_marked_for(request: HttpRequest) -> set[int]:
    """The boards the comparison marks as "Your board": a staff member's own boards, as the
    permissions every page reads once give them."""
    user = request.user
    if not isinstance(user, User) or user.role != User.Role.STAFF:
        return set()
    return {board.pk for board in abilities(request).by_board}


def get_board_in_comparison(user: User, slug: str) -> Board:
    """Any board, for someone who may see the national comparison: every board is in it, and
    the comparison shows only what the boards published."""
    if user.role not in (User.Role.NATIONAL_VIEWER, User.Role.STAFF):
        raise PermissionDenied
    return get_object_or_404(Board, slug=slug)
