from django.shortcuts import redirect, render

from portal.core.access import national_viewer_required
from portal.core.models import Board, User


def home(request):
    """Send each person to the home page of their role."""
    destinations = {
        User.Role.REP: "rep_home",
        User.Role.STAFF: "staff_home",
        User.Role.NATIONAL_VIEWER: "national_home",
        User.Role.ADMINISTRATOR: "admin:index",
    }
    return redirect(destinations[request.user.role])


@national_viewer_required
def national_home(request):
    return render(request, "portal/home_national.html", {"board_count": Board.objects.count()})
