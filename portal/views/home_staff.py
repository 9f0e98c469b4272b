from django.shortcuts import render

from portal import scoping
from portal.access import staff_required


@staff_required
def staff_home(request):
    memberships = request.user.memberships.select_related("board").order_by("board__name")
    return render(request, "portal/home_staff.html", {"memberships": memberships})


@staff_required
def staff_board(request, slug):
    board = scoping.get_board_for_staff(request.user, slug)
    membership = request.user.memberships.get(board=board)
    return render(request, "portal/staff_board.html", {"board": board, "membership": membership})
