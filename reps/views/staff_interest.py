"""Staff screens for recruitment: expressions of interest from the public page, appointing
someone from one, the pool, and the board's named contact on its public page.

Expressions of interest hold members of the public's contact details, so every page here is for
staff who manage reps on the board (`reps.access`): others of the board get 403, other boards 404.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from portal.core.access import staff_required
from portal.core.confirm import confirmed_action
from portal.core.forms import add_service_errors
from portal.core.pagination import paginate
from reps import access, figures, recruitment, rules, services
from reps.forms_recruitment import (
    InterestAppointForm,
    InterestFilterForm,
    InterestUpdateForm,
    PoolFilterForm,
    PoolJoinForm,
)
from reps.models import Term
from reps.views.staff_terms import invite_appointed


@staff_required
def interest_list(request):
    boards = access.get_boards_to_manage(request.user)
    form = InterestFilterForm(request.GET or None, boards=boards)
    filters = form.cleaned_data if form.is_valid() else {}
    interests = recruitment.interest_list(
        access.interests_for(request.user),
        board=filters.get("board"),
        status=filters.get("status", ""),
    )
    # Of everyone who came forward to the boards shown, whatever has happened to them since.
    came_forward = access.interests_for(request.user)
    if filters.get("board"):
        came_forward = came_forward.filter(board=filters["board"])
    return render(
        request,
        "reps/staff/interest_list.html",
        {
            "filter_form": form,
            "page_obj": paginate(request, interests),
            "filtered": bool(filters and any(filters.values())),
            "boards": boards,
            "equality": figures.interest_equality_aggregates(
                came_forward, threshold=settings.SUPPRESSION_THRESHOLD
            ),
            "threshold": settings.SUPPRESSION_THRESHOLD,
        },
    )


@staff_required
def pool_list(request):
    boards = access.get_boards_to_manage(request.user)
    form = PoolFilterForm(request.GET or None, boards=boards)
    filters = form.cleaned_data if form.is_valid() else {}
    people = recruitment.pool_list(
        access.interests_for(request.user),
        board=filters.get("board"),
        due_on=timezone.localdate() if filters.get("due") else None,
    )
    return render(
        request,
        "reps/staff/interest_pool_list.html",
        {
            "filter_form": form,
            "page_obj": paginate(request, people),
            "filtered": any(filters.values()),
            "check_months": settings.POOL_CHECK_MONTHS,
        },
    )


def _posted(request):
    # An empty post (a button with nothing ticked) is still an answer to check.
    return request.POST if request.method == "POST" else None


def _may_appoint(interest) -> bool:
    return rules.interest_move_refusal(interest.status, rules.InterestStatus.APPOINTED) is None


@staff_required
@require_http_methods(["GET", "POST"])
def interest_detail(request, pk):
    interest = access.get_interest_to_manage(request.user, pk)
    form = InterestUpdateForm(_posted(request), interest=interest)
    if request.method == "POST" and form.is_valid():
        try:
            interest = services.interest_update(
                interest=interest, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            status = rules.InterestStatus(interest.status).label.lower()
            messages.success(request, f"Saved. {interest.full_name} is marked “{status}”.")
            return redirect("reps:staff_interest_detail", pk=interest.pk)
    return render(
        request,
        "reps/staff/interest_detail.html",
        {
            "interest": interest,
            "form": form,
            "may_appoint": _may_appoint(interest),
            "history": recruitment.interest_history(interest),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def interest_appoint(request, pk):
    interest = access.get_interest_to_manage(request.user, pk)
    today = timezone.localdate()
    seats = recruitment.seats_to_appoint_to(interest, today=today)
    initial = {
        "seat": seats[0].pk if len(seats) == 1 else None,
        "full_name": interest.full_name,
        "email": interest.email,
        "phone": interest.phone,
        "start": today,
        "planned_end": rules.add_months(today, 36) - timedelta(days=1),
        "how_recruited": Term.HowRecruited.OPEN,
        "send_invitation": bool(interest.email),
    }
    form = InterestAppointForm(_posted(request), seats=seats, initial=initial)
    if request.method == "POST" and form.is_valid():
        appointment = dict(form.cleaned_data)
        send_invitation = appointment.pop("send_invitation")
        try:
            term = services.interest_appoint(interest=interest, by=request.user, **appointment)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{term.rep.full_name} has been appointed to {term.seat.title}. Their rep record "
                "and induction checklist are ready.",
            )
            if send_invitation:
                invite_appointed(request, term.rep)
            return redirect("reps:staff_term_detail", pk=term.pk)
    return render(
        request,
        "reps/staff/interest_appoint.html",
        {
            "interest": interest,
            "form": form,
            "seats": seats,
            "may_appoint": _may_appoint(interest),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def interest_pool(request, pk):
    """Add someone to the board's pool, with their consent, or take them out of it."""
    interest = access.get_interest_to_manage(request.user, pk)
    form = PoolJoinForm(_posted(request), interest=interest)
    if request.method == "POST" and form.is_valid():
        leaving = interest.in_pool
        try:
            if leaving:
                services.interest_leave_pool(interest=interest, by=request.user)
            else:
                consent = form.cleaned_data.get("consent", False)
                services.interest_join_pool(interest=interest, consent=consent, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            done = "is no longer in the pool" if leaving else "has joined the pool"
            messages.success(request, f"{interest.full_name} {done}.")
            return redirect("reps:staff_interest_detail", pk=interest.pk)
    return render(request, "reps/staff/interest_pool.html", {"interest": interest, "form": form})


@staff_required
@require_POST
def interest_stay_in_pool(request, pk):
    """Asked again, they want to stay in the pool."""
    interest = access.get_interest_to_manage(request.user, pk)
    try:
        interest = services.interest_stay_in_pool(interest=interest, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        months = settings.POOL_CHECK_MONTHS
        messages.success(
            request,
            f"Noted: {interest.full_name} wants to stay in the pool. They will be due to be asked "
            f"again in {months} month{'s' if months != 1 else ''}.",
        )
    return redirect("reps:staff_interest_detail", pk=interest.pk)


@staff_required
@require_http_methods(["GET", "POST"])
def interest_forget(request, pk):
    """Remove someone's name and contact details at their request, once staff confirm."""
    interest = access.get_interest_to_manage(request.user, pk)
    return confirmed_action(
        request,
        lambda: services.interest_forget(interest=interest, by=request.user),
        done="Their name and contact details have been removed.",
        then=reverse("reps:staff_interest_detail", args=[interest.pk]),
        template="reps/staff/interest_forget.html",
        context={"interest": interest},
    )
