"""Staff screens for terms: appointing a rep to a seat, the induction checklist, ending a term."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from portal.core import invitations
from portal.core.access import staff_required
from portal.core.forms import add_service_errors
from reps import access, rules, selectors, services
from reps.forms_staff import (
    AppointForm,
    InductionForm,
    InductionItemForm,
    StaffTermAfterwardsForm,
    TermDatesForm,
    TermEndForm,
    TermFilterForm,
)


@staff_required
def term_list(request):
    boards = access.boards_for(request.user)
    form = TermFilterForm(request.GET or None, boards=boards)
    filters = form.cleaned_data if form.is_valid() else {}
    terms = selectors.term_list(
        [filters["board"]] if filters.get("board") else boards,
        today=timezone.localdate(),
        induction_unfinished=filters.get("induction") == "unfinished",
    )
    return render(
        request,
        "reps/staff/term_list.html",
        {
            "filter_form": form,
            "terms": terms,
            "managed": list(access.boards_managed_by(request.user).order_by("name")),
        },
    )


def _suggested_dates(status, today):
    """Start the day after the seat is free (today for a vacancy); run for three years."""
    start = today
    if status is not None and status.current_term is not None:
        start = status.current_term.end + timedelta(days=1)
    if status is not None and status.next_term is not None:
        start = max(start, status.next_term.end + timedelta(days=1))
    return start, rules.add_months(start, 36) - timedelta(days=1)


def invite_appointed(request, rep) -> None:
    """Invite a rep just appointed; the appointment stands whether or not it can be sent."""
    if rep.user_id is not None:
        messages.info(request, f"No invitation was sent: {rep.full_name} has a portal account.")
        return
    try:
        services.rep_invite(rep=rep, by=request.user, base_url=invitations.site_url(request))
    except ValidationError as error:
        messages.warning(request, f"No invitation was sent. {' '.join(error.messages)}")
    else:
        messages.success(request, f"An invitation to set a password has been sent to {rep.email}.")


@staff_required
@require_http_methods(["GET", "POST"])
def term_appoint(request, seat_pk):
    seat = access.get_seat_to_manage(request.user, seat_pk)
    today = timezone.localdate()
    status = next(
        (s for s in selectors.seat_statuses([seat.board], today=today) if s.seat.pk == seat.pk),
        None,
    )
    start, planned_end = _suggested_dates(status, today)
    form = AppointForm(
        request.POST or None,
        reps=selectors.reps_who_could_hold(seat),
        initial={"start": start, "planned_end": planned_end},
    )
    if request.method == "POST" and form.is_valid():
        appointment = dict(form.cleaned_data)
        send_invitation = appointment.pop("send_invitation", False)
        try:
            term = services.term_appoint(seat=seat, by=request.user, **appointment)
        except ValidationError as error:
            add_service_errors(form, error, rename={"seat": "rep"})
        else:
            messages.success(
                request,
                f"{term.rep.full_name} has been appointed to {seat.title}. "
                "Their induction checklist is below.",
            )
            if send_invitation:
                invite_appointed(request, term.rep)
            return redirect("reps:staff_term_detail", pk=term.pk)
    return render(
        request,
        "reps/staff/term_appoint.html",
        {"form": form, "seat": seat, "status": status},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def term_detail(request, pk):
    # Anyone who may see the term may read its checklist; ticking it is a change.
    fetch = access.get_term_to_manage if request.method == "POST" else access.get_term_for_staff
    term = fetch(request.user, pk)
    can_manage = access.may_manage_reps(request.user, term.seat.board)
    items = selectors.induction_checklist(term)
    form = InductionForm(
        request.POST or None, items=items, initial={"done_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        done, undone = form.changes()
        try:
            with transaction.atomic():
                if done:
                    on = form.cleaned_data["done_on"]
                    services.induction_items_mark_done(
                        term=term,
                        done=dict.fromkeys((item.pk for item in done), on),
                        by=request.user,
                    )
                for item in undone:
                    services.induction_item_mark_not_done(item=item, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _induction_message(len(done), len(undone)))
            return redirect("reps:staff_term_detail", pk=term.pk)
    done_count = sum(1 for item in form.items if item.done)
    return render(
        request,
        "reps/staff/term_detail.html",
        {
            "term": term,
            "form": form,
            "items": form.items,
            "done_count": done_count,
            "can_manage": can_manage,
            "today": timezone.localdate(),
        },
    )


def _induction_message(done: int, undone: int) -> str:
    if not done and not undone:
        return "Nothing has changed on the checklist."
    parts = []
    if done:
        parts.append(f"{done} item{'s' if done != 1 else ''} marked done")
    if undone:
        parts.append(f"{undone} item{'s' if undone != 1 else ''} marked not done")
    return " and ".join(parts).capitalize() + "."


@staff_required
@require_http_methods(["GET", "POST"])
def induction_item_add(request, pk):
    term = access.get_term_to_manage(request.user, pk)
    form = InductionItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.induction_item_add(term=term, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The item has been added to the checklist.")
            return redirect("reps:staff_term_detail", pk=term.pk)
    return render(request, "reps/staff/induction_item_form.html", {"form": form, "term": term})


@staff_required
@require_http_methods(["GET", "POST"])
def term_change(request, pk):
    """Put right a term's dates or how the rep was recruited, as entered by mistake."""
    term = access.get_term_to_manage(request.user, pk)
    initial = {name: getattr(term, name) for name in TermDatesForm.base_fields}
    form = TermDatesForm(request.POST or None, initial=initial, term=term)
    if request.method == "POST" and form.is_valid():
        try:
            services.term_update(term=term, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The term has been saved.")
            return redirect("reps:staff_term_detail", pk=term.pk)
    return render(request, "reps/staff/term_change.html", {"form": form, "term": term})


@staff_required
@require_http_methods(["GET", "POST"])
def term_end(request, pk):
    term = access.get_term_to_manage(request.user, pk)
    successors = selectors.reps_on_board(term.seat.board).exclude(pk=term.rep_id)
    initial = {
        "ended_on": term.ended_on or min(timezone.localdate(), term.planned_end),
        "reason": term.ended_early_reason,
        "exit_interview_held": term.exit_interview_held,
        "handover_notes": term.handover_notes,
        "handed_over_to": term.handed_over_to_id,
    }
    form = TermEndForm(request.POST or None, term=term, successors=successors, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.term_end(
                term=term,
                on=data["ended_on"],
                by=request.user,
                reason=data["reason"],
                exit_interview_held=data["exit_interview_held"],
                handover_notes=data["handover_notes"],
                handed_over_to=data["handed_over_to"],
            )
        except ValidationError as error:
            add_service_errors(form, error, rename={"ended_early_reason": "reason"})
        else:
            messages.success(request, f"The term has been ended on {data['ended_on']:%d/%m/%Y}.")
            return redirect("reps:staff_term_detail", pk=term.pk)
    return render(request, "reps/staff/term_end.html", {"form": form, "term": term})


@staff_required
@require_http_methods(["GET", "POST"])
def term_afterwards(request, pk):
    """Record what the rep would like when the term ends, from what they told staff."""
    term = access.get_term_to_manage(request.user, pk)
    still_on = (term.ended_on or term.planned_end) >= timezone.localdate()
    # Bound on every POST: a form sent with no choice ticked sends nothing at all.
    form = StaffTermAfterwardsForm.for_term(
        term, request.POST if request.method == "POST" else None
    )
    if request.method == "POST" and still_on and form.is_valid():
        try:
            services.term_afterwards_say(
                term=term,
                afterwards=form.cleaned_data["afterwards"],
                will_help=form.cleaned_data["will_help"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "What the rep would like when the term ends is saved.")
            return redirect("reps:staff_term_detail", pk=term.pk)
    return render(
        request,
        "reps/staff/term_afterwards.html",
        {"form": form, "term": term, "still_on": still_on},
    )
