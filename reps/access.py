"""The one place that decides which rows each user may reach.

Every listing starts from one of these querysets, and every object a view touches comes from a
`get_*_for_user` helper: outside the user's scope it raises 404, so that a guessed URL does not
even reveal that the object exists.
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from portal.core.access import Permission, boards_for, boards_with_permission, staff_boards
from portal.core.models import Board, User
from reps.models import AgendaItem, Group, Meeting, Rep, Seat, Term, UsualJourney


def reps_for(user: User) -> QuerySet[Rep]:
    if user.role == User.Role.REP:
        return Rep.objects.filter(user=user)
    return Rep.objects.filter(board__in=boards_for(user))


def rep_profile_for(user: User) -> Rep | None:
    return Rep.objects.select_related("board").filter(user=user).first()


# Staff screens for reps, seats, terms and meetings. Each helper fetches and authorises in one
# step: an object on a board the staff member does not support answers 404, so a guessed id
# does not even reveal that the object exists. Changing anything needs `can_manage_reps` on the
# object's board as well (see `can_manage_reps`).


def can_manage_reps(user: User, board: Board) -> bool:
    return boards_with_permission(user, Permission.MANAGE_REPS).filter(pk=board.pk).exists()


def get_rep_for_staff(user: User, pk: int) -> Rep:
    return get_object_or_404(
        Rep.objects.filter(board__in=staff_boards(user)).select_related("board", "user"), pk=pk
    )


def get_usual_journey_for_staff(user: User, rep: Rep, pk: int) -> UsualJourney:
    """One of `rep`'s usual journeys; `rep` must itself come from `get_rep_for_staff`."""
    return get_object_or_404(
        UsualJourney.objects.filter(rep=rep, rep__board__in=staff_boards(user)), pk=pk
    )


def get_group_for_staff(user: User, pk: int) -> Group:
    return get_object_or_404(
        Group.objects.filter(board__in=staff_boards(user)).select_related("board"), pk=pk
    )


def get_seat_for_staff(user: User, pk: int) -> Seat:
    return get_object_or_404(
        Seat.objects.filter(board__in=staff_boards(user)).select_related("board", "group"),
        pk=pk,
    )


def get_term_for_staff(user: User, pk: int) -> Term:
    """A term with its end and number worked out, as every page about one term shows them."""
    return get_object_or_404(
        Term.objects.filter(seat__board__in=staff_boards(user))
        .with_end()
        .with_number()
        .select_related("rep", "seat", "seat__group", "seat__board", "handed_over_to"),
        pk=pk,
    )


def get_meeting_for_staff(user: User, pk: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.filter(board__in=staff_boards(user)).select_related("board", "group"),
        pk=pk,
    )


def get_agenda_item_for_staff(user: User, pk: int) -> AgendaItem:
    return get_object_or_404(
        AgendaItem.objects.filter(meeting__board__in=staff_boards(user)).select_related(
            "rep", "meeting", "meeting__board", "meeting__group"
        ),
        pk=pk,
    )


# A rep's own pages.


def get_own_rep(user: User) -> Rep:
    """The signed-in rep's own record; a rep account that staff have not linked yet gets 404."""
    if user.role != User.Role.REP:
        return get_object_or_404(Rep.objects.none())
    return get_object_or_404(Rep.objects.select_related("board"), user=user)


def get_own_usual_journey(user: User, pk: int) -> UsualJourney:
    """One of the signed-in rep's own usual journeys; anyone else's answers 404."""
    return get_object_or_404(UsualJourney.objects.filter(rep__user=user), pk=pk)


def boards_for_import(user: User) -> QuerySet[Board]:
    """Boards whose records the user may bring in from a spreadsheet or take out as one.

    Staff may do it for the boards where they manage reps; administrators, through the admin,
    for every board.
    """
    if user.role == User.Role.ADMINISTRATOR:
        return Board.objects.all()
    return boards_with_permission(user, Permission.MANAGE_REPS)
