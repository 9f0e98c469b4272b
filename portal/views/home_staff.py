from datetime import timedelta

from django.shortcuts import render
from django.utils import timezone

from expenses.selectors import claims_awaiting_approval
from portal.core.access import get_board_for_staff, staff_required
from reps import rules, selectors

# Late papers are worth following up while the meeting is fresh in people's minds.
RECENT_MEETING_DAYS = 90
RECENT_MEETINGS_SHOWN = 10


@staff_required
def staff_home(request):
    """What needs doing across the staff member's boards, each item linked to where it is done."""
    today = timezone.localdate()
    memberships = list(request.user.memberships.select_related("board").order_by("board__name"))
    boards = [membership.board for membership in memberships]
    settings = selectors.settings_by_board(boards)

    late_meetings = list(
        selectors.meeting_list(
            boards,
            start=today - timedelta(days=RECENT_MEETING_DAYS),
            end=today,
            late_papers=True,
            settings=settings,
        )[:RECENT_MEETINGS_SHOWN]
    )
    for meeting in late_meetings:
        meeting.notice_standard = settings[meeting.board_id].papers_notice_days

    completion = selectors.induction_completion_by_board(boards, today=today)
    induction = [
        {
            "board": board,
            "done": completion.get(board.pk, (0, 0))[0],
            "total": completion.get(board.pk, (0, 0))[1],
            "percent": rules.percentage(*completion.get(board.pk, (0, 0))),
        }
        for board in boards
    ]
    return render(
        request,
        "portal/home_staff.html",
        {
            "memberships": memberships,
            "today": today,
            "claims_waiting": claims_awaiting_approval(request.user).count(),
            "succession": selectors.terms_needing_successor(boards, today=today),
            "long_service": selectors.reps_beyond_usual_service(boards, today=today),
            "vacancies": selectors.vacancies(boards, today=today),
            "late_meetings": late_meetings,
            "recent_days": RECENT_MEETING_DAYS,
            "induction": induction,
            "several_boards": len(boards) > 1,
        },
    )


@staff_required
def staff_board(request, slug):
    board = get_board_for_staff(request.user, slug)
    membership = request.user.memberships.get(board=board)
    return render(request, "portal/staff_board.html", {"board": board, "membership": membership})
