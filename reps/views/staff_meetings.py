"""Staff screens for meetings: notice of papers, attendance, and items the reps put forward."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from portal.core.access import staff_required
from portal.core.forms import add_service_errors
from portal.core.pagination import paginate
from reps import access, contact, meeting_news, selectors, services
from reps.forms_staff import (
    AgendaDecisionForm,
    AgendaItemForm,
    AgendaItemMoveForm,
    ApologiesForm,
    AttendanceForm,
    MeetingCancelForm,
    MeetingFilterForm,
    MeetingForm,
)
from reps.models import Attendance


def _choices_read_now(form: forms.Form) -> None:
    """Read the filter's lists of boards and groups here, once: a model choice box otherwise
    asks the database while the page renders."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField):
            # Through iter(): list() would first ask the choices' length, a query of its own.
            field.choices = list(iter(field.choices))


def _mark_notice(meetings, settings) -> None:
    """Give each meeting its board's notice standard, whether its papers were late, and whether
    it has passed (so no papers date means none was recorded, not that papers are still to
    go)."""
    today = timezone.localdate()
    for meeting in meetings:
        meeting.notice_standard = settings[meeting.board_id].papers_notice_days
        meeting.late = meeting.papers_late(meeting.notice_standard)
        meeting.past = meeting.date < today


@staff_required
def meeting_list(request):
    boards = access.boards_for(request.user)
    board_list = list(boards)
    settings = selectors.settings_by_board(board_list)
    form = MeetingFilterForm(
        request.GET or None, boards=boards, groups=selectors.groups_for_boards(board_list)
    )
    filters = form.cleaned_data if form.is_valid() else {}
    _choices_read_now(form)
    meetings = selectors.meeting_list(
        [filters["board"]] if filters.get("board") else board_list,
        group=filters.get("group"),
        start=filters.get("start"),
        end=filters.get("end"),
        late_papers=bool(filters.get("late_papers")),
        cancelled={"yes": False, "no": True}.get(filters.get("going_ahead", "")),
        settings=settings,
    )
    page = paginate(request, meetings)
    _mark_notice(page.object_list, settings)
    managed = set(access.boards_managed_by(request.user).values_list("pk", flat=True))
    return render(
        request,
        "reps/staff/meeting_list.html",
        {
            "filter_form": form,
            "page_obj": page,
            "can_add": bool(managed),
            "standards": [
                (board, settings[board.pk].papers_notice_days, board.pk in managed)
                for board in board_list
            ],
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def meeting_create(request):
    groups = selectors.groups_for_boards(access.get_boards_to_manage(request.user))
    form = MeetingForm(request.POST or None, groups=groups)
    if request.method == "POST" and form.is_valid():
        group = form.cleaned_data["group"]
        try:
            meeting = services.meeting_create(
                board=group.board, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The meeting has been added.")
            return redirect("reps:staff_meeting_detail", pk=meeting.pk)
    return render(request, "reps/staff/meeting_form.html", {"form": form, "meeting": None})


@staff_required
def meeting_detail(request, pk):
    meeting = access.get_meeting_for_staff(request.user, pk)
    _mark_notice([meeting], selectors.settings_by_board([meeting.board]))
    sheet = selectors.attendance_sheet(meeting)
    return render(
        request,
        "reps/staff/meeting_detail.html",
        {
            "meeting": meeting,
            "sheet": sheet,
            # What each rep told us they need to take part, for whoever arranges the meeting.
            "support": [(line.rep, needs) for line in sheet if (needs := line.rep.support_needs)],
            "agenda_items": selectors.agenda_items_for_meeting(meeting),
            # A meeting with attendance recorded took place, and cannot be cancelled.
            # Apologies are no sign that the meeting took place: it may still be cancelled.
            "attendance_recorded": any(
                line.status and line.status != Attendance.Status.APOLOGIES for line in sheet
            ),
            "can_manage": access.may_manage_reps(request.user, meeting.board),
            "held": meeting.date <= timezone.localdate(),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk):
    meeting = access.get_meeting_to_manage(request.user, pk)
    groups = selectors.groups_for_boards([meeting.board])
    form = MeetingForm(
        request.POST or None, groups=groups, initial=MeetingForm.initial_for(meeting)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(meeting=meeting, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The meeting has been saved.")
            return redirect("reps:staff_meeting_detail", pk=meeting.pk)
    return render(request, "reps/staff/meeting_form.html", {"form": form, "meeting": meeting})


@staff_required
@require_http_methods(["GET", "POST"])
def meeting_cancel(request, pk):
    """Mark a meeting as cancelled, with the reason reps will see; it stays on record."""
    meeting = access.get_meeting_to_manage(request.user, pk)
    form = MeetingCancelForm(request.POST or None)
    problem = None
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_cancel(
                meeting=meeting, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            problem = " ".join(error.messages)
        else:
            _say_who_is_told(request, meeting, "The meeting is marked as cancelled.")
            return redirect("reps:staff_meeting_detail", pk=meeting.pk)
    return render(
        request,
        "reps/staff/meeting_cancel.html",
        {"form": form, "meeting": meeting, "problem": problem},
    )


@staff_required
@require_POST
def meeting_reinstate(request, pk):
    meeting = access.get_meeting_to_manage(request.user, pk)
    was_cancelled = meeting.is_cancelled
    services.meeting_reinstate(meeting=meeting, by=request.user)
    done = "The meeting is going ahead: it is no longer marked as cancelled."
    if was_cancelled:
        _say_who_is_told(request, meeting, done)
    else:
        messages.success(request, done)
    return redirect("reps:staff_meeting_detail", pk=meeting.pk)


def _say_who_is_told(request, meeting, done: str) -> None:
    """After a meeting is called off or back on: who hears of it by email, and whom the user
    must tell themselves. A meeting already past tells nobody."""
    if not meeting_news.still_to_come(meeting):
        messages.success(request, done)
        return
    messages.success(
        request,
        f"{done} The reps who take email are told, and calendars that follow the portal show "
        "the change when they next update.",
    )
    for rep in meeting_news.reps_to_tell(meeting):
        if tell := contact.tell_them_yourself(rep):
            messages.warning(request, tell)


@staff_required
@require_http_methods(["GET", "POST"])
def attendance(request, pk):
    """The register once the meeting has taken place; before it, who sent apologies."""
    meeting = access.get_meeting_to_manage(request.user, pk)
    today = timezone.localdate()
    if meeting.date > today and not meeting.is_cancelled:
        return _apologies(request, meeting, today)
    held = meeting.date <= today and not meeting.is_cancelled
    form = AttendanceForm(request.POST or None, lines=selectors.attendance_sheet(meeting))
    if request.method == "POST" and held and form.lines and form.is_valid():
        # All the answers or none: a half-saved register would look complete but not be.
        with transaction.atomic():
            for rep, status in form.changes():
                services.attendance_record(meeting=meeting, rep=rep, status=status, by=request.user)
        messages.success(request, "Attendance has been saved.")
        return redirect("reps:staff_meeting_detail", pk=meeting.pk)
    return render(
        request, "reps/staff/attendance_form.html", {"form": form, "meeting": meeting, "held": held}
    )


def _apologies(request, meeting, today):
    form = ApologiesForm(request.POST or None, lines=selectors.attendance_sheet(meeting))
    if request.method == "POST" and form.is_valid():
        try:
            # All the answers or none, as the register.
            with transaction.atomic():
                for rep, sent in form.changes():
                    change = services.apologies_send if sent else services.apologies_withdraw
                    change(meeting=meeting, rep=rep, by=request.user, today=today)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The apologies have been saved.")
            return redirect("reps:staff_meeting_detail", pk=meeting.pk)
    return render(request, "reps/staff/apologies_form.html", {"form": form, "meeting": meeting})


@staff_required
@require_http_methods(["GET", "POST"])
def agenda_item_add(request, pk):
    meeting = access.get_meeting_to_manage(request.user, pk)
    form = AgendaItemForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_submit(meeting=meeting, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The agenda item has been added.")
            return redirect("reps:staff_meeting_detail", pk=meeting.pk)
    return render(request, "reps/staff/agenda_item_form.html", {"form": form, "meeting": meeting})


@staff_required
@require_http_methods(["GET", "POST"])
def agenda_item_edit(request, pk):
    item = access.get_agenda_item_to_manage(request.user, pk)
    form = AgendaDecisionForm(request.POST or None, item=item)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # The decision and the outcome are one answer: both are saved, or neither.
            with transaction.atomic():
                if data["status"] != item.status:
                    services.agenda_item_decide(
                        item=item,
                        status=data["status"],
                        by=request.user,
                        minutes_given=data["minutes_given"],
                    )
                if data["outcome"] != item.outcome or data["minutes_given"] != item.minutes_given:
                    services.agenda_item_record_outcome(
                        item=item,
                        outcome=data["outcome"],
                        by=request.user,
                        minutes_given=data["minutes_given"],
                    )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            saved = "The agenda item has been saved."
            if data["status"] != item.status and item.rep is not None:
                # The rep is emailed the decision; one who takes no email hears it from staff.
                told = contact.tell_them_yourself(item.rep)
                saved += " " + (told or f"{item.rep.full_name} is emailed the decision.")
            messages.success(request, saved)
            return redirect("reps:staff_meeting_detail", pk=item.meeting_id)
    return render(request, "reps/staff/agenda_item_decide.html", {"form": form, "item": item})


@staff_required
@require_http_methods(["GET", "POST"])
def agenda_item_move(request, pk):
    """Take an item to another meeting of its group: its own was called off, or it was deferred."""
    item = access.get_agenda_item_to_manage(request.user, pk)
    meetings = selectors.meetings_to_move_to(item, today=timezone.localdate())
    # Bound on every POST: a page sent with no meeting chosen is answered, not shown afresh.
    form = AgendaItemMoveForm(request.POST if request.method == "POST" else None, meetings=meetings)
    why_it_stays = item.why_it_stays()
    if request.method == "POST" and not why_it_stays and form.is_valid():
        try:
            item = services.agenda_item_move(
                item=item, meeting=form.cleaned_data["meeting"], by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"“{item.title}” is now on this meeting's agenda. {_who_hears_of_the_move(item)}",
            )
            for rep in meeting_news.reps_to_tell_of_move(item):
                if tell := contact.tell_them_yourself(rep):
                    messages.warning(request, tell)
            return redirect("reps:staff_meeting_detail", pk=item.meeting_id)
    return render(
        request,
        "reps/staff/agenda_item_move.html",
        {
            "form": form,
            "item": item,
            "why_it_stays": why_it_stays,
            "has_meetings": meetings.exists(),
        },
    )


def _who_hears_of_the_move(item) -> str:
    """Whom the email goes to; whom the user must tell themselves comes as warnings."""
    if item.rep is None:
        return "The reps of the group who take email are told."
    return f"{item.rep.full_name} is told by email." if contact.email_for(item.rep) else ""
