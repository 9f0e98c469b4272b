"""Staff screens for seats and the groups they sit in: who holds each seat, and the vacancies."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from portal.core.access import staff_required
from portal.core.forms import add_service_errors
from reps import access, selectors, services
from reps.forms_staff import GroupForm, SeatCloseForm, SeatFilterForm, SeatForm


@staff_required
def seat_list(request):
    boards = access.boards_for(request.user)
    form = SeatFilterForm(request.GET or None, boards=boards)
    filters = form.cleaned_data if form.is_valid() else {}
    shown = [filters["board"]] if filters.get("board") else boards
    statuses = selectors.seat_statuses(
        shown, today=timezone.localdate(), include_closed=bool(filters.get("closed"))
    )
    if filters.get("vacant"):
        statuses = [status for status in statuses if status.is_vacant]
    managed = set(access.boards_managed_by(request.user).values_list("pk", flat=True))
    return render(
        request,
        "reps/staff/seat_list.html",
        {
            "filter_form": form,
            "statuses": statuses,
            "vacancy_count": sum(1 for status in statuses if status.is_vacant),
            "closed_count": sum(1 for status in statuses if status.closed),
            "groups": selectors.groups_for_boards(shown),
            "managed_board_ids": managed,
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def seat_create(request):
    groups = selectors.groups_for_boards(access.get_boards_to_manage(request.user))
    form = SeatForm(
        request.POST or None, groups=groups, initial={"created_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        group = form.cleaned_data["group"]
        try:
            seat = services.seat_create(board=group.board, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The seat {seat.title} has been added. It is vacant.")
            return redirect("reps:staff_seat_list")
    return render(request, "reps/staff/seat_form.html", {"form": form, "seat": None})


@staff_required
@require_http_methods(["GET", "POST"])
def seat_edit(request, pk):
    seat = access.get_seat_to_manage(request.user, pk)
    groups = selectors.groups_for_boards([seat.board])
    initial = {
        "group": seat.group_id,
        "title": seat.title,
        "kind": seat.kind,
        "voting": seat.voting,
        "created_on": seat.created_on,
    }
    form = SeatForm(request.POST or None, groups=groups, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.seat_update(seat=seat, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The seat has been saved.")
            return redirect("reps:staff_seat_list")
    return render(
        request,
        "reps/staff/seat_form.html",
        {"form": form, "seat": seat, "today": timezone.localdate()},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def seat_close(request, pk):
    """Close a seat the board has abolished: from the day given it is no longer a vacancy."""
    seat = access.get_seat_to_manage(request.user, pk)
    form = SeatCloseForm(request.POST or None, initial={"closed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.seat_close(seat=seat, on=form.cleaned_data["closed_on"], by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The seat {seat.title} has been closed.")
            return redirect("reps:staff_seat_edit", pk=seat.pk)
    return render(request, "reps/staff/seat_close.html", {"form": form, "seat": seat})


@staff_required
@require_POST
def seat_reopen(request, pk):
    seat = access.get_seat_to_manage(request.user, pk)
    services.seat_reopen(seat=seat, by=request.user)
    messages.success(request, f"The seat {seat.title} is open again.")
    return redirect("reps:staff_seat_edit", pk=seat.pk)


@staff_required
@require_http_methods(["GET", "POST"])
def group_create(request):
    boards = access.get_boards_to_manage(request.user)
    form = GroupForm(request.POST or None, boards=boards)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.group_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The group {group.name} has been added.")
            return redirect("reps:staff_seat_list")
    return render(request, "reps/staff/group_form.html", {"form": form, "group": None})


@staff_required
@require_http_methods(["GET", "POST"])
def group_edit(request, pk):
    group = access.get_group_to_manage(request.user, pk)
    initial = {"name": group.name, "kind": group.kind, "order": group.order}
    form = GroupForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.group_update(group=group, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The group has been saved.")
            return redirect("reps:staff_seat_list")
    return render(request, "reps/staff/group_form.html", {"form": form, "group": group})
