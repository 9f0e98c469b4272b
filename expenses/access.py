"""Who may see and change claims, their items, payment batches and a board's expenses policy.

The one place for these rules, built on `portal.core.access`. Two answers, as everywhere: a claim,
batch or board outside the person's boards (or a claim that is not theirs) answers 404, so a
guessed number does not even reveal that it exists; something they can see but whose change
their role or permissions do not allow answers 403.

The `get_*_to_*` fetchers fetch and authorise for a change in one call, so a view cannot read an
object and then forget to check that the person may change it. The predicates (`may_*`) are what
`expenses.services` checks again on the locked row.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404

from expenses.models import Claim, ClaimItem, PaymentBatch
from expenses.states import EDITABLE, ClaimStatus
from portal.core.access import (
    Permission,
    boards_for,
    boards_with_permission,
    get_board_for_staff,
    has_board_permission,
    staff_boards,
)
from portal.core.models import Board, StaffMembership, User
from reps.models import Rep

# Querysets


def claims_visible_to(user: User) -> QuerySet[Claim]:
    """Every claim the user may open: their own as a rep, their boards' as staff."""
    if user.role == User.Role.REP:
        return Claim.objects.filter(rep__user=user)
    if user.role == User.Role.STAFF:
        return Claim.objects.filter(board__in=boards_for(user))
    # National viewers see no single claim; administrators use the Django admin.
    return Claim.objects.none()


def boards_to_export_claims(user: User) -> QuerySet[Board]:
    """The boards whose claims the user may download: where they approve or pay claims."""
    return boards_with_permission(user, Permission.APPROVE_CLAIMS, Permission.PAY_CLAIMS).order_by(
        "name"
    )


def claims_to_export(boards: QuerySet[Board]) -> QuerySet[Claim]:
    """The claims sent in on `boards` (from `boards_to_export_claims`): a draft is not a claim
    yet, only the rep's unfinished work."""
    return Claim.objects.filter(board__in=boards).exclude(status=ClaimStatus.DRAFT)


def claims_to_decide(user: User) -> QuerySet[Claim]:
    """Submitted claims on the boards where the user approves claims."""
    return Claim.objects.filter(
        board__in=boards_with_permission(user, Permission.APPROVE_CLAIMS),
        status=ClaimStatus.SUBMITTED,
    )


def without_own_claims(claims: QuerySet[Claim], user: User) -> QuerySet[Claim]:
    """`claims` less those of a rep record linked to `user`, which someone else must handle."""
    return claims.exclude(rep__user=user)


def own_claims_waiting(board: Board, user: User) -> QuerySet[Claim]:
    """Approved claims of the board, not yet batched, of a rep record linked to `user`."""
    return Claim.objects.filter(
        board=board, status=ClaimStatus.APPROVED, batch__isnull=True, rep__user=user
    ).order_by("pk")


def own_claim_in_batch(batch: PaymentBatch, user: User) -> str | None:
    """The reference of a claim in `batch` whose rep record is linked to `user`, if any."""
    return batch.claims.filter(rep__user=user).values_list("reference", flat=True).first()


def approvers_to_email(claim: Claim) -> QuerySet[User]:
    """Active staff who approve claims on the claim's board and have an email address."""
    return (
        User.objects.filter(
            is_active=True,
            role=User.Role.STAFF,
            memberships__board_id=claim.board_id,
            **{f"memberships__{Permission.APPROVE_CLAIMS.value}": True},
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


# Who may do what


def _holds(user: User, board: Board, permission: Permission) -> bool:
    return user.is_active and has_board_permission(user, board, permission)


def may_act_for_rep(user: User, rep: Rep) -> bool:
    """The rep themselves, or staff of the rep's board entering a claim on the rep's behalf."""
    if not user.is_active:
        return False
    if user.role == User.Role.REP:
        return rep.user_id == user.pk
    return staff_boards(user).filter(pk=rep.board_id).exists()


def may_edit_claim(user: User, claim: Claim) -> bool:
    return claim.status in EDITABLE and may_act_for_rep(user, claim.rep)


def entered_for_rep(claim: Claim) -> bool:
    """Started by someone other than the rep: staff entering it on the rep's behalf."""
    return claim.created_by_id is not None and claim.created_by_id != claim.rep.user_id


def entered_claim(user: User, claim: Claim) -> bool:
    """Whether the user started, changed or sent in this claim, on the rep's behalf or not."""
    return (
        claim.created_by_id == user.pk
        or claim.events.filter(to_status=ClaimStatus.SUBMITTED, by=user).exists()
        or ClaimItem.history.filter(claim_id=claim.pk, history_user=user).exists()
    )


def is_own_claim(user: User, claim: Claim) -> bool:
    """Whether the claim is for a rep record linked to the user's account: staff who also hold a
    rep's seat claim like any rep, and must not decide on or pay their own claims."""
    return claim.rep.user_id is not None and claim.rep.user_id == user.pk


def may_decide_claims(user: User, board: Board) -> bool:
    return _holds(user, board, Permission.APPROVE_CLAIMS)


def may_approve_claim(user: User, claim: Claim) -> bool:
    return (
        may_decide_claims(user, claim.board)
        and not entered_claim(user, claim)
        and not is_own_claim(user, claim)
    )


def may_pay_claims(user: User, board: Board) -> bool:
    return _holds(user, board, Permission.PAY_CLAIMS)


def may_change_policy(user: User, board: Board) -> bool:
    return _holds(user, board, Permission.MANAGE_REPS) or _holds(user, board, Permission.PAY_CLAIMS)


# Fetch and authorise in one step


def _holds_on_claims_board(user: User, permission: Permission) -> Exists:
    return Exists(
        StaffMembership.objects.filter(
            user=user, board=OuterRef("board"), **{permission.value: True}
        )
    )


def get_claim_to_view(user: User, pk: int) -> Claim:
    """A claim the user may open (see `claims_visible_to`), or 404."""
    return get_object_or_404(claims_visible_to(user).select_related("board", "rep"), pk=pk)


def get_claim_for_staff(user: User, pk: int, *, with_items: bool = False) -> Claim:
    """A claim of one of the staff member's boards, or 404.

    It carries `user_may_approve` and `user_may_pay`, read in the same query, so that a page
    can offer the right buttons without asking the database again.
    """
    claims = (
        Claim.objects.filter(board__in=staff_boards(user))
        .select_related("rep", "board", "created_by", "batch")
        .annotate(
            user_may_approve=_holds_on_claims_board(user, Permission.APPROVE_CLAIMS),
            user_may_pay=_holds_on_claims_board(user, Permission.PAY_CLAIMS),
        )
    )
    if with_items:
        claims = claims.prefetch_related("items")
    return get_object_or_404(claims, pk=pk)


def get_claim_to_edit(user: User, pk: int) -> Claim:
    """A claim whose items the user may change: the rep's own, or one that staff of the rep's
    board entered on the rep's behalf.

    Anyone else's claim answers 404. Staff who can see a claim the rep made themselves get 403:
    the rep changes their own claim. Whether its state still allows a change is the view's to
    say, and the service's to enforce.
    """
    if user.role == User.Role.REP:
        claims = claims_visible_to(user)
    elif user.role == User.Role.STAFF:
        claims = Claim.objects.filter(board__in=staff_boards(user))
    else:
        claims = Claim.objects.none()
    claim = get_object_or_404(claims.select_related("board", "rep", "created_by"), pk=pk)
    if user.role == User.Role.STAFF and not entered_for_rep(claim):
        raise PermissionDenied(
            "The rep changes their own claim; staff change only claims they entered for a rep."
        )
    return claim


def get_claim_to_decide(user: User, pk: int) -> Claim:
    """A claim for an approver to approve, return or reject.

    404 outside the staff member's boards; 403 on their own board without "approve claims".
    """
    claim = get_claim_for_staff(user, pk)
    if not may_decide_claims(user, claim.board):
        raise PermissionDenied("You do not have permission to decide on claims for this board.")
    return claim


def get_item_of(claim: Claim, item_pk: int) -> ClaimItem:
    """One item of `claim`, which must itself come from one of the fetchers above."""
    return get_object_or_404(ClaimItem.objects.filter(claim=claim), pk=item_pk)


def get_board_to_pay(user: User, slug: str) -> Board:
    """A board whose approved claims the user pays: 404 outside their boards, 403 without
    "pay claims" there."""
    board = get_board_for_staff(user, slug)
    if not may_pay_claims(user, board):
        raise PermissionDenied("You do not have permission to pay claims for this board.")
    return board


def get_payee_to_set(user: User, slug: str, pk: int) -> Rep:
    """A rep of a board whose claims the user pays, with their finance reference if any: 404
    outside the user's boards or for a rep of another board, 403 without "pay claims"."""
    board = get_board_to_pay(user, slug)
    reps = Rep.objects.filter(board=board, anonymised_on__isnull=True)
    return get_object_or_404(reps.select_related("board", "payee"), pk=pk)


def get_batch_to_pay(user: User, pk: int) -> PaymentBatch:
    """A payment batch of one of the user's boards (404 otherwise), for finance staff (403)."""
    batches = (
        PaymentBatch.objects.filter(board__in=staff_boards(user))
        .select_related("board", "created_by", "paid_by")
        .annotate(user_may_pay=_holds_on_claims_board(user, Permission.PAY_CLAIMS))
    )
    batch = get_object_or_404(batches, pk=pk)
    if not may_pay_claims(user, batch.board):
        raise PermissionDenied("You do not have permission to pay claims for this board.")
    return batch


def get_policy_board_to_change(user: User, slug: str) -> Board:
    """A board whose expenses policy the user may see and add to: 404 outside their boards, 403
    without "manage reps" or "pay claims" there."""
    board = get_board_for_staff(user, slug)
    if not may_change_policy(user, board):
        raise PermissionDenied("You do not have permission to change this board's policy.")
    return board
