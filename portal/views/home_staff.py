import hashlib
from datetime import timedelta

from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from expenses.selectors import claims_waiting
from portal.core.access import Permission, abilities, get_board_for_staff, staff_required
from portal.core.record_changes import kept_until_changed
from reps import recruitment, rules, selectors
from standards.selectors import waiting_for_staff

# Late papers are worth following up while the meeting is fresh in people's minds.
RECENT_MEETING_DAYS = 90
# Each list shows its most pressing few, with how many there are in all and a link to the rest,
# so that the page stays short however many seats and terms the boards have.
SHOWN = 10


def _reps_record(boards, today):
    """What needs doing in the reps record of the boards where the person manages reps."""
    # Read once: the late papers and the succession warnings both follow each board's settings;
    # the counts of people who came forward, and of reps' requests waiting, come with them.
    settings, completion, counts = selectors.settings_and_induction(
        boards,
        today=today,
        counting={
            **recruitment.interest_counts(today=today),
            "support_waiting": selectors.support_waiting_count(),
        },
    )
    support_waiting = counts.pop("support_waiting")
    late_meetings = list(
        selectors.meetings_with_late_papers(
            boards,
            settings=settings,
            start=today - timedelta(days=RECENT_MEETING_DAYS),
            end=today,
        )[:SHOWN]
    )
    for meeting in late_meetings:
        meeting.notice_standard = settings[meeting.board_id].papers_notice_days

    follow_up = selectors.terms_to_follow_up(boards, today=today, settings=settings)
    induction = []
    for board in boards:
        done, total = completion.get(board.pk, (0, 0))
        induction.append(
            {"board": board, "done": done, "total": total, "percent": rules.percentage(done, total)}
        )
    vacancies = selectors.vacancies(boards, today=today)
    agenda_waiting, agenda_waiting_count = selectors.agenda_items_waiting(boards, most=SHOWN)
    return {
        "agenda_waiting": agenda_waiting,
        "agenda_waiting_count": agenda_waiting_count,
        "interest": recruitment.InterestToFollowUp(**counts),
        "support_waiting": support_waiting,
        "succession": follow_up.succession[:SHOWN],
        "succession_count": len(follow_up.succession),
        "long_service": follow_up.long_service[:SHOWN],
        "long_service_count": len(follow_up.long_service),
        "vacancies": vacancies[:SHOWN],
        "vacancy_count": len(vacancies),
        "shown": SHOWN,
        "late_meetings": late_meetings,
        "recent_days": RECENT_MEETING_DAYS,
        "induction": induction,
    }


def _sections(held, today) -> str:
    """What needs doing, from the boards' records, for what the person may do on each: the
    page's sections, rendered."""
    managed = held.boards_with(Permission.MANAGE_REPS)
    context = {
        "today": today,
        "manages_reps": bool(managed),
        "approves_claims": held.anywhere(Permission.APPROVE_CLAIMS),
        "pays_claims": held.anywhere(Permission.PAY_CLAIMS),
        "several_boards": len(held.by_board) > 1,
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
    return render_to_string("portal/home_staff_sections.html", context)


@staff_required
def staff_home(request):
    """What needs doing across the staff member's boards, each item linked to where it is done.

    Each part shows only for the permission that lets the person act on it, so finance see the
    claims waiting to be paid and not the reps record, and nothing links to a page they may not use.
    The sections hold no form and nothing of the request, so they are rendered once and kept until
    the records change, for everyone with the same permissions on the same boards.
    """
    today = timezone.localdate()
    held = abilities(request)
    # The same boards with the same permissions on each see the same sections.
    same_for = ";".join(
        f"{board.pk}:{','.join(sorted(there))}" for board, there in held.by_board.items()
    )
    key = hashlib.sha256(same_for.encode()).hexdigest()
    sections = kept_until_changed(f"staff-home:{key}", lambda: _sections(held, today))
    return render(
        request,
        "portal/home_staff.html",
        {"boards": list(held.by_board), "sections": sections},
    )


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
