from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from portal import scoping
from portal.access import national_viewer_required, rep_required, staff_required
from portal.models import Board, User


def home(request):
    """Send each person to the home page of their role."""
    destinations = {
        User.Role.REP: "rep_home",
        User.Role.STAFF: "staff_home",
        User.Role.NATIONAL_VIEWER: "national_home",
        User.Role.ADMINISTRATOR: "admin:index",
    }
    return redirect(destinations[request.user.role])


@rep_required
def rep_home(request):
    rep = scoping.rep_profile_for(request.user)
    if rep is None:
        # A rep account without a rep record: staff have not linked it yet.
        raise PermissionDenied
    return render(request, "portal/home_rep.html", {"rep": rep})


@staff_required
def staff_home(request):
    memberships = request.user.memberships.select_related("board").order_by("board__name")
    return render(request, "portal/home_staff.html", {"memberships": memberships})


@staff_required
def staff_board(request, slug):
    board = scoping.get_board_for_staff(request.user, slug)
    membership = request.user.memberships.get(board=board)
    return render(request, "portal/staff_board.html", {"board": board, "membership": membership})


@national_viewer_required
def national_home(request):
    return render(request, "portal/home_national.html", {"board_count": Board.objects.count()})
