"""Who the person is and which boards they support: the one rule every app's access builds on.

Each app's own `access.py` fetches and authorises its objects from these querysets. Two answers,
the same everywhere: an object outside the person's boards is "not yours" and answers 404, so a
guessed URL does not even reveal that it exists; a page or change the person's role or
permissions do not allow, on something they can see, is "yours but not allowed" and answers 403.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from portal.core.models import Board, StaffMembership, User

View = Callable[..., HttpResponse]


class Permission(models.TextChoices):
    """What a staff member may do on a board: each is a flag on their membership of it."""

    MANAGE_REPS = "can_manage_reps", "manage reps"
    APPROVE_CLAIMS = "can_approve_claims", "approve claims"
    PAY_CLAIMS = "can_pay_claims", "pay claims (finance)"
    LEAD_ASSESSMENT = "can_lead_assessment", "lead the self-assessment"


def has_board_permission(user: User, board: Board, permission: Permission) -> bool:
    """Whether `user` is staff on `board` holding `permission` there."""
    if user.role != User.Role.STAFF:
        return False
    return StaffMembership.objects.filter(
        user=user, board=board, **{permission.value: True}
    ).exists()


def staff_to_email(board: Board, permission: Permission) -> QuerySet[User]:
    """The board's staff who hold `permission` there, with an account that is switched on and
    an email address: whom the portal emails about work waiting for that permission."""
    return (
        User.objects.filter(
            is_active=True,
            role=User.Role.STAFF,
            memberships__board=board,
            **{f"memberships__{permission.value}": True},
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def permissions_by_board(user: User) -> dict[Board, frozenset[Permission]]:
    """For each of a staff member's boards, by name, the permissions they hold there.

    The same rule as `has_board_permission`, for every board and permission at once (a test
    holds them together), in one query rather than one per board and permission: the menu needs
    it on every page.
    """
    if user.role != User.Role.STAFF:
        return {}
    memberships = (
        StaffMembership.objects.filter(user=user).select_related("board").order_by("board__name")
    )
    return {
        membership.board: frozenset(
            permission for permission in Permission if getattr(membership, permission.value)
        )
        for membership in memberships
    }


def boards_for(user: User) -> QuerySet[Board]:
    """Boards whose records the user may see in person-level detail."""
    if user.role == User.Role.STAFF:
        return Board.objects.filter(staff_memberships__user=user).distinct()
    if user.role == User.Role.REP:
        return Board.objects.filter(reps__user=user)
    if user.role == User.Role.ADMINISTRATOR:
        return Board.objects.all()
    # National viewers see aggregates for every board but no board's personal records.
    return Board.objects.none()


def staff_boards(user: User) -> QuerySet[Board]:
    """The boards a staff member supports; nobody else's, as `boards_for` gives a rep theirs."""
    if user.role != User.Role.STAFF:
        return Board.objects.none()
    return boards_for(user)


@dataclass(frozen=True)
class Abilities:
    """What one person may do: their role and, for staff, their permissions board by board."""

    role: str
    by_board: dict[Board, frozenset[Permission]]

    def anywhere(self, permission: Permission) -> bool:
        """Whether the person holds `permission` on at least one of their boards."""
        return any(permission in held for held in self.by_board.values())

    def boards_with(
        self, permission: Permission, *, among: Iterable[Board] | None = None
    ) -> list[Board]:
        """The person's boards where they hold `permission`; only those of `among`, if given."""
        held = [board for board, there in self.by_board.items() if permission in there]
        return held if among is None else [board for board in among if board in held]

    def on(self, board: Board) -> frozenset[Permission]:
        return self.by_board.get(board, frozenset())


def abilities(request: HttpRequest) -> Abilities:
    """The person's abilities, worked out once per request however many times they are asked."""
    cached: Abilities | None = getattr(request, "_abilities", None)
    if cached is not None:
        return cached
    user = request.user
    role = getattr(user, "role", "")
    by_board = permissions_by_board(user) if isinstance(user, User) else {}
    found = Abilities(role=role, by_board=by_board)
    request._abilities = found  # type: ignore[attr-defined]
    return found


def boards_with_permission(user: User, *permissions: Permission) -> QuerySet[Board]:
    """Boards where a staff member holds `permissions`, or any one of them when given several."""
    if user.role != User.Role.STAFF:
        return Board.objects.none()
    holds = Q(pk__in=[])
    for permission in permissions:
        holds |= Q(**{f"staff_memberships__{permission.value}": True})
    # One condition, so that the user and the permission are read from the same membership.
    return Board.objects.filter(holds, staff_memberships__user=user).distinct()


def get_board_for_staff(user: User, slug: str) -> Board:
    return get_object_or_404(staff_boards(user), slug=slug)


def role_required(*roles: str) -> Callable[[View], View]:
    """Turn away, with 403, anyone signed in whose role is not one of `roles`."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if getattr(request.user, "role", None) not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


rep_required = role_required(User.Role.REP)
staff_required = role_required(User.Role.STAFF)
national_viewer_required = role_required(User.Role.NATIONAL_VIEWER)
administrator_required = role_required(User.Role.ADMINISTRATOR)
