"""A rep's own pages: their details, terms, meetings, training and equality monitoring.

Every view finds the rep through `scoping.get_own_rep`, so there is no id in any of these URLs to
guess: a rep can only ever reach their own record. Changes go through `reps.services`, which for
a rep editing their own record accepts only `services.REP_OWN_FIELDS`. Pages are never cached, as
they hold personal data (and, for equality monitoring, special category data).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from portal.core.access import rep_required
from reps import access as scoping
from reps import selectors, services
from reps.forms_own import (
    ContactDetailsForm,
    ContactPreferencesForm,
    EqualityMonitoringForm,
    InvolvementPaymentForm,
    SupportNeedsForm,
    UsualJourneyForm,
    add_service_errors,
)
from reps.models import EqualityRecord

PAST_MEETINGS_PER_PAGE = 20


@never_cache
@rep_required
def details(request):
    rep = scoping.get_own_rep(request.user)
    return render(
        request,
        "reps/own/details.html",
        {"rep": rep, "journeys": list(selectors.usual_journeys_for_rep(rep))},
    )


def _edit_details(request, form_class, template: str, done: str):
    """One section of the rep's details: show it filled in, save it through `rep_update`."""
    rep = scoping.get_own_rep(request.user)
    form = form_class.for_rep(rep, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rep_update(rep=rep, by=request.user, **form.changes())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("reps:my_details")
    return render(request, template, {"rep": rep, "form": form})


@never_cache
@rep_required
@require_http_methods(["GET", "POST"])
def edit_contact(request):
    return _edit_details(
        request, ContactDetailsForm, "reps/own/edit_contact.html", "Your contact details are saved."
    )


@never_cache
@rep_required
@require_http_methods(["GET", "POST"])
def edit_needs(request):
    return _edit_details(
        request, SupportNeedsForm, "reps/own/edit_needs.html", "Your support needs are saved."
    )


@never_cache
@rep_required
@require_http_methods(["GET", "POST"])
def edit_preferences(request):
    return _edit_details(
        request,
        ContactPreferencesForm,
        "reps/own/edit_preferences.html",
        "How we contact you is saved.",
    )


@never_cache
@rep_required
@require_http_methods(["GET", "POST"])
def edit_payment(request):
    return _edit_details(
        request,
        InvolvementPaymentForm,
        "reps/own/edit_payment.html",
        "Your choice about payment for your time is saved.",
    )


@never_cache
@rep_required
@require_http_methods(["GET", "POST"])
def journey_add(request):
    rep = scoping.get_own_rep(request.user)
    form = UsualJourneyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.usual_journey_add(rep=rep, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your journey is saved. Expense claims will offer it.")
            return redirect("reps:my_details")
    return render(request, "reps/own/journey_add.html", {"rep": rep, "form": form})


@never_cache
@rep_required
@require_http_methods(["GET", "POST"])
def journey_remove(request, pk: int):
    journey = scoping.get_own_usual_journey(request.user, pk)
    if request.method == "POST":
        services.usual_journey_remove(journey=journey, by=request.user)
        messages.success(request, f"The journey from {journey.from_area} is removed.")
        return redirect("reps:my_details")
    return render(request, "reps/own/journey_remove.html", {"journey": journey})


@never_cache
@rep_required
def terms(request):
    rep = scoping.get_own_rep(request.user)
    return render(
        request,
        "reps/own/terms.html",
        {
            "rep": rep,
            "terms": list(selectors.terms_with_checklists(rep)),
            "today": timezone.localdate(),
        },
    )


@never_cache
@rep_required
def meetings(request):
    rep = scoping.get_own_rep(request.user)
    today = timezone.localdate()
    past = Paginator(selectors.past_meetings_for_rep(rep, today=today), PAST_MEETINGS_PER_PAGE)
    page = past.get_page(request.GET.get("page"))
    return render(
        request,
        "reps/own/meetings.html",
        {
            "rep": rep,
            "upcoming": selectors.upcoming_meetings_for_rep(rep, today=today),
            "agenda_items": list(selectors.agenda_items_for_rep(rep)),
            "page": page,
            "past": selectors.with_attendance_labels(page.object_list),
        },
    )


@never_cache
@rep_required
def training(request):
    rep = scoping.get_own_rep(request.user)
    return render(
        request,
        "reps/own/training.html",
        {
            "rep": rep,
            "courses": list(selectors.training_for_rep(rep)),
            "totals": selectors.training_totals_for_rep(rep),
        },
    )


def _answers(record: EqualityRecord | None) -> list[tuple[str, str]]:
    """(question, the rep's answer in words) for the rep's own summary of what they said."""
    if record is None:
        return []
    return [
        (question, getattr(record, f"get_{name}_display")() or "Not answered")
        for name, question in EqualityRecord.QUESTIONS
    ]


@never_cache
@rep_required
@require_http_methods(["GET", "POST"])
def equality(request):
    """The rep's equality monitoring answers: shown to the rep alone, kept only with consent."""
    rep = scoping.get_own_rep(request.user)
    record = selectors.equality_record_for_rep(rep)
    form = EqualityMonitoringForm.for_rep(
        record, request.POST if request.method == "POST" else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.equality_record_save(
                rep=rep, consent=form.cleaned_data["consent"], answers=form.answers()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Thank you. Your answers are saved.")
            return redirect("reps:my_equality")
    return render(
        request,
        "reps/own/equality.html",
        {"rep": rep, "record": record, "answers": _answers(record), "form": form},
    )


@never_cache
@rep_required
@require_http_methods(["GET", "POST"])
def equality_withdraw(request):
    rep = scoping.get_own_rep(request.user)
    if request.method == "POST":
        if services.equality_consent_withdraw(rep=rep):
            messages.success(request, "Your answers are deleted. No copy of them is kept.")
        return redirect("reps:my_equality")
    record = selectors.equality_record_for_rep(rep)
    return render(request, "reps/own/equality_withdraw.html", {"rep": rep, "record": record})
