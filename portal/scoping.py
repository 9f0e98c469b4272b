"""The one place that decides which rows each user may reach.

Every listing starts from one of these querysets, and every object a view touches comes from a
`get_*_for_user` helper: outside the user's scope it raises 404, so that a guessed URL does not
even reveal that the object exists.
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from portal.models import Board, User
from reps.models import Rep


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


def boards_with_permission(user: User, permission: str) -> QuerySet[Board]:
    """Boards where a staff member holds one of the membership permissions (`can_*`)."""
    if user.role != User.Role.STAFF:
        return Board.objects.none()
    return Board.objects.filter(
        staff_memberships__user=user, **{f"staff_memberships__{permission}": True}
    ).distinct()


def reps_for(user: User) -> QuerySet[Rep]:
    if user.role == User.Role.REP:
        return Rep.objects.filter(user=user)
    return Rep.objects.filter(board__in=boards_for(user))


def get_board_for_staff(user: User, slug: str) -> Board:
    if user.role != User.Role.STAFF:
        return get_object_or_404(Board.objects.none(), slug=slug)
    return get_object_or_404(boards_for(user), slug=slug)


def rep_profile_for(user: User) -> Rep | None:
    return Rep.objects.select_related("board").filter(user=user).first()
