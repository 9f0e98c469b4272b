"""Staff screens for reps: the list, a rep's record, their invitation to the portal, and the usual
journeys kept with it."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from portal.core import invitations
from portal.core.access import Permission, abilities, staff_required
from portal.core.confirm import confirmed_action
from portal.core.forms import add_service_errors
from portal.core.pagination import paginate
from reps import access, figures, rules, selectors, services
from reps.forms_staff import RepFilterForm, RepForm, UsualJourneyForm

# The years of reps whose equality answers staff see counted together.
EQUALITY_YEARS = 3


@staff_required
def rep_list(request):
    boards = access.boards_for(request.user)
    form = RepFilterForm(request.GET or None, boards=boards)
    filters = form.cleaned_data if form.is_valid() else {}
    board = filters.get("board")
    reps = selectors.rep_list(
        [board] if board else boards,
        today=timezone.localdate(),
        rep_type=filters.get("rep_type", ""),
        status=filters.get("status", ""),
        search=filters.get("q", ""),
    )
    # Equality answers, as suppressed counts, are for those who recruit: staff who manage reps
    # on the boards shown. Counted over everyone who held a seat in the last few years, whatever
    # the other filters: a board has too few seats for the reps of one day to give a count, and
    # no filter may narrow a count down to a person.
    held = abilities(request)
    recruiting = held.boards_with(Permission.MANAGE_REPS, among=[board] if board else boards)
    today = timezone.localdate()
    since = rules.add_months(today, -12 * EQUALITY_YEARS)
    return render(
        request,
        "reps/staff/rep_list.html",
        {
            "filter_form": form,
            "page_obj": paginate(request, reps),
            "filtered": bool(filters and any(filters.values())),
            "can_add": held.anywhere(Permission.MANAGE_REPS),
            "equality": recruiting
            and figures.equality_aggregates(
                selectors.reps_in_a_seat_between(recruiting, start=since, end=today),
                threshold=settings.SUPPRESSION_THRESHOLD,
            ),
            "equality_since": since,
            "threshold": settings.SUPPRESSION_THRESHOLD,
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def rep_create(request):
    boards = access.get_boards_to_manage(request.user)
    form = RepForm(request.POST or None, boards=boards)
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        try:
            rep = services.rep_create(
                board=form.cleaned_data["board"],
                full_name=changes.pop("full_name"),
                rep_type=changes.pop("rep_type"),
                by=request.user,
                **changes,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{rep.full_name} has been added.")
            return redirect("reps:staff_rep_detail", pk=rep.pk)
    return render(request, "reps/staff/rep_form.html", {"form": form, "rep": None})


@staff_required
def rep_detail(request, pk):
    rep = access.get_rep_for_staff(request.user, pk)
    can_manage = access.may_manage_reps(request.user, rep.board)
    return render(
        request,
        "reps/staff/rep_detail.html",
        {
            "rep": rep,
            "terms": selectors.terms_for_rep(rep),
            "training": selectors.training_for_rep(rep),
            # What the rep asked for is for those who answer it (`support.support_list`).
            "support_requests": selectors.support_requests_for_rep(rep) if can_manage else None,
            "conversations": selectors.needs_conversations_for_rep(rep) if can_manage else None,
            "journeys": selectors.usual_journeys_for_rep(rep),
            "today": timezone.localdate(),
            "can_manage": can_manage,
            "account": invitations.account_status(rep.user),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def rep_invite(request, pk):
    """Send a rep a link to set their password, or send a new one in place of the last."""
    rep = access.get_rep_to_manage(request.user, pk)
    account = invitations.account_status(rep.user)
    problem = None
    if request.method == "POST":
        try:
            services.rep_invite(rep=rep, by=request.user, base_url=invitations.site_url(request))
        except ValidationError as error:
            problem = " ".join(error.messages)
        else:
            messages.success(
                request,
                f"An invitation has been sent to {rep.email}. The link works for "
                f"{invitations.valid_days()} days.",
            )
            return redirect("reps:staff_rep_detail", pk=rep.pk)
    return render(
        request,
        "reps/staff/rep_invite.html",
        {"rep": rep, "account": account, "problem": problem, "days": invitations.valid_days()},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def rep_invitation_withdraw(request, pk):
    rep = access.get_rep_to_manage(request.user, pk)
    return confirmed_action(
        request,
        lambda: services.rep_invitation_withdraw(rep=rep, by=request.user),
        done=f"The invitation has been withdrawn. {rep.full_name} cannot use the link or sign in.",
        then=reverse("reps:staff_rep_detail", args=[rep.pk]),
        template="reps/staff/rep_invitation_withdraw.html",
        context={"rep": rep, "account": invitations.account_status(rep.user)},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def rep_edit(request, pk):
    rep = access.get_rep_to_manage(request.user, pk)
    form = RepForm(request.POST or None, instance=rep)
    if request.method == "POST" and form.is_valid():
        try:
            services.rep_update(rep=rep, by=request.user, **form.changes())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The rep's record has been saved.")
            return redirect("reps:staff_rep_detail", pk=rep.pk)
    return render(request, "reps/staff/rep_form.html", {"form": form, "rep": rep})


@staff_required
@require_http_methods(["GET", "POST"])
def journey_add(request, pk):
    rep = access.get_rep_to_manage(request.user, pk)
    form = UsualJourneyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.usual_journey_add(rep=rep, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The journey has been saved.")
            return redirect("reps:staff_rep_detail", pk=rep.pk)
    return render(request, "reps/staff/journey_form.html", {"form": form, "rep": rep})


@staff_required
@require_http_methods(["GET", "POST"])
def journey_remove(request, pk, journey_pk):
    journey = access.get_usual_journey_to_manage(request.user, pk, journey_pk)
    rep = journey.rep
    if request.method == "POST":
        services.usual_journey_remove(journey=journey, by=request.user)
        messages.success(request, f"The journey {journey} has been removed.")
        return redirect("reps:staff_rep_detail", pk=rep.pk)
    return render(request, "reps/staff/journey_remove.html", {"rep": rep, "journey": journey})


@staff_required
@require_http_methods(["GET", "POST"])
def rep_second_factor_turn_off(request, pk):
    """Turn off a rep's second sign-in step, when they lost their phone and ask for it."""
    rep = access.get_rep_to_manage(request.user, pk)
    return confirmed_action(
        request,
        lambda: services.rep_second_factor_turn_off(rep=rep, by=request.user),
        done=f"{rep.full_name}'s second sign-in step is off, and they have been told by email. "
        "They can sign in with their password and turn it on again.",
        then=reverse("reps:staff_rep_detail", args=[rep.pk]),
        template="reps/staff/rep_second_factor_off.html",
        context={"rep": rep},
    )
