from datetime import timedelta

from django.shortcuts import render
from django.utils import timezone

from expenses.selectors import claims_waiting
from portal.context_processors import abilities
from portal.core.access import Permission, get_board_for_staff, staff_required
from reps import rules, selectors
from standards.selectors import waiting_for_staff

# Late papers are worth following up while the meeting is fresh in people's minds.
RECENT_MEETING_DAYS = 90
RECENT_MEETINGS_SHOWN = 10


def _reps_record(boards, today):
    """What needs doing in the reps record of the boards where the person manages reps."""
    # Read once: the late papers and the succession warnings both follow each board's settings.
    settings = selectors.settings_by_board(boards)
    late_meetings = list(
        selectors.meetings_with_late_papers(
            boards,
            settings=settings,
            start=today - timedelta(days=RECENT_MEETING_DAYS),
            end=today,
        )[:RECENT_MEETINGS_SHOWN]
    )
    for meeting in late_meetings:
        meeting.notice_standard = settings[meeting.board_id].papers_notice_days

    follow_up = selectors.terms_to_follow_up(boards, today=today, settings=settings)
    completion = selectors.induction_completion_by_board(boards, today=today)
    induction = []
    for board in boards:
        done, total = completion.get(board.pk, (0, 0))
        induction.append(
            {"board": board, "done": done, "total": total, "percent": rules.percentage(done, total)}
        )
    return {
        "succession": follow_up.succession,
        "long_service": follow_up.long_service,
        "vacancies": selectors.vacancies(boards, today=today),
        "late_meetings": late_meetings,
        "recent_days": RECENT_MEETING_DAYS,
        "induction": induction,
    }


@staff_required
def staff_home(request):
    """What needs doing across the staff member's boards, each item linked to where it is done.

    Each part shows only for the permission that lets the person act on it, so finance see the
    claims waiting to be paid and not the reps record, and nothing links to a page they may not use.
    """
    today = timezone.localdate()
    held = abilities(request)
    boards = list(held.by_board)
    managed = held.boards_with(Permission.MANAGE_REPS)
    context = {
        "boards": boards,
        "today": today,
        "manages_reps": bool(managed),
        "approves_claims": held.anywhere(Permission.APPROVE_CLAIMS),
        "pays_claims": held.anywhere(Permission.PAY_CLAIMS),
        "several_boards": len(boards) > 1,
        # Self-assessments whose staff's scores are waiting for this person, as the boards' lead.
        "assessments_waiting": waiting_for_staff(held.boards_with(Permission.LEAD_ASSESSMENT)),
    }
    if managed:
        context.update(_reps_record(managed, today))
    deciding, waiting = claims_waiting(
        deciding=held.boards_with(Permission.APPROVE_CLAIMS),
        paying=held.boards_with(Permission.PAY_CLAIMS),
    )
    if context["approves_claims"]:
        context["claims_waiting"] = deciding
    if context["pays_claims"]:
        context["payments_waiting"] = waiting
        context["payments_waiting_count"] = sum(row.count for row in waiting)
    return render(request, "portal/home_staff.html", context)


@staff_required
def staff_board(request, slug):
    board = get_board_for_staff(request.user, slug)
    held = abilities(request).on(board)
    return render(
        request,
        "portal/staff_board.html",
        {
            "board": board,
            "manages_reps": Permission.MANAGE_REPS in held,
            "approves_claims": Permission.APPROVE_CLAIMS in held,
            "pays_claims": Permission.PAY_CLAIMS in held,
            "leads_assessment": Permission.LEAD_ASSESSMENT in held,
        },
    )
