"""A rep's own pages: their details, terms, meetings, training and equality monitoring.

Every view finds the rep through `own_rep_required`, so there is no id in any of these URLs to
guess: a rep can only ever reach their own record. The one exception is the rep's calendar feed,
which calendar apps read without signing in: its secret address is its only key. Changes go
through `reps.services`, which for a rep editing their own record accepts only
`services.REP_OWN_FIELDS`. Pages are never cached, as they hold personal data (and, for equality
monitoring, special category data).
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotFound
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from portal.core.forms import add_service_errors
from portal.core.links import absolute_url
from portal.core.pagination import paginate
from portal.core.periods import day_in_words
from reps import access, calendar, selectors, services
from reps.access import own_rep_required
from reps.forms_own import (
    AgendaItemForm,
    ContactDetailsForm,
    ContactPreferencesForm,
    EqualityMonitoringForm,
    InvolvementPaymentForm,
    SendApologiesForm,
    SupportNeedsForm,
    TermAfterwardsForm,
    UsualJourneyForm,
)
from reps.models import Attendance, EqualityRecord

PAST_MEETINGS_PER_PAGE = 20


@never_cache
@own_rep_required
def details(request, rep):
    return render(
        request,
        "reps/own/details.html",
        {"rep": rep, "journeys": list(selectors.usual_journeys_for_rep(rep))},
    )


def _edit_details(request, rep, form_class, template: str, done: str):
    """One section of the rep's details: show it filled in, save it through `rep_update`."""
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
@own_rep_required
@require_http_methods(["GET", "POST"])
def edit_contact(request, rep):
    return _edit_details(
        request,
        rep,
        ContactDetailsForm,
        "reps/own/edit_contact.html",
        "Your contact details are saved.",
    )


@never_cache
@own_rep_required
@require_http_methods(["GET", "POST"])
def edit_needs(request, rep):
    return _edit_details(
        request, rep, SupportNeedsForm, "reps/own/edit_needs.html", "Your support needs are saved."
    )


@never_cache
@own_rep_required
@require_http_methods(["GET", "POST"])
def edit_preferences(request, rep):
    return _edit_details(
        request,
        rep,
        ContactPreferencesForm,
        "reps/own/edit_preferences.html",
        "How we contact you is saved.",
    )


@never_cache
@own_rep_required
@require_http_methods(["GET", "POST"])
def edit_payment(request, rep):
    return _edit_details(
        request,
        rep,
        InvolvementPaymentForm,
        "reps/own/edit_payment.html",
        "Your choice about payment for your time is saved.",
    )


@never_cache
@own_rep_required
@require_http_methods(["GET", "POST"])
def journey_add(request, rep):
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
@own_rep_required
@require_http_methods(["GET", "POST"])
def journey_remove(request, rep, pk: int):
    journey = access.get_own_usual_journey(rep, pk)
    if request.method == "POST":
        services.usual_journey_remove(journey=journey, by=request.user)
        messages.success(request, f"The journey from {journey.from_area} is removed.")
        return redirect("reps:my_details")
    return render(request, "reps/own/journey_remove.html", {"journey": journey})


@never_cache
@own_rep_required
def terms(request, rep):
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
@own_rep_required
@require_http_methods(["GET", "POST"])
def term_afterwards(request, rep, pk):
    """Tell staff what the rep would like when a term of theirs ends."""
    term = access.get_own_term(rep, pk)
    today = timezone.localdate()
    still_on = term.end >= today
    # Bound on every POST: a form sent with no choice ticked sends nothing at all.
    form = TermAfterwardsForm.for_term(term, request.POST if request.method == "POST" else None)
    if request.method == "POST" and still_on and form.is_valid():
        try:
            services.term_afterwards_say(
                term=term,
                afterwards=form.cleaned_data["afterwards"],
                will_help=form.cleaned_data["will_help"],
                by=request.user,
                today=today,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                "Thank you. The staff who support reps can now see what you would like, and "
                "will talk with you before your term ends.",
            )
            return redirect("rep_home")
    return render(
        request, "reps/own/term_afterwards.html", {"term": term, "form": form, "still_on": still_on}
    )


@never_cache
@own_rep_required
def meetings(request, rep):
    today = timezone.localdate()
    page = paginate(
        request,
        selectors.past_meetings_for_rep(rep, today=today),
        per_page=PAST_MEETINGS_PER_PAGE,
    )
    feed = selectors.calendar_feed_for_rep(rep)
    return render(
        request,
        "reps/own/meetings.html",
        {
            "rep": rep,
            "upcoming": selectors.upcoming_meetings_for_rep(rep, today=today),
            "agenda_items": list(selectors.agenda_items_for_rep(rep)),
            "page_obj": page,
            "past": selectors.with_attendance_labels(page.object_list),
            "calendar_address": _feed_address(feed) if feed else None,
        },
    )


@never_cache
@own_rep_required
@require_http_methods(["GET", "POST"])
def apologies(request, rep, pk):
    """Send apologies for a meeting of the rep's still to come, or take them back."""
    meeting = access.get_own_meeting(rep, pk)
    today = timezone.localdate()
    form = SendApologiesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sending = form.cleaned_data["action"] == "send"
        change = services.apologies_send if sending else services.apologies_withdraw
        when = f"the {meeting.group.name} meeting on {day_in_words(meeting.date)}"
        try:
            change(meeting=meeting, rep=rep, by=request.user, today=today)
        except ValidationError as error:
            for message in error.messages:
                messages.info(request, message)
        else:
            messages.success(
                request,
                f"Your apologies for {when} are sent. The staff who support reps are told."
                if sending
                else f"Your apologies for {when} are taken back: you are expected there.",
            )
        return redirect("reps:my_meetings")
    return render(
        request,
        "reps/own/apologies.html",
        {
            "meeting": meeting,
            "sent": meeting.my_attendance == Attendance.Status.APOLOGIES,
            "still_to_come": meeting.is_ahead(today),
        },
    )


@never_cache
@own_rep_required
@require_http_methods(["GET", "POST"])
def agenda_item_add(request, rep, pk):
    """Put an item forward for a meeting of the rep's still to come."""
    meeting = access.get_own_meeting(rep, pk)
    today = timezone.localdate()
    # A meeting called off or gone by takes no item: the page says so and keeps no form.
    open_for_items = meeting.is_ahead(today)
    form = AgendaItemForm(request.POST or None)
    if request.method == "POST" and open_for_items and form.is_valid():
        try:
            services.agenda_item_submit(
                meeting=meeting, rep=rep, by=request.user, today=today, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                "Your item is sent. Staff will decide whether it goes on the agenda, "
                "and you will see their decision below.",
            )
            return redirect(reverse("reps:my_meetings") + "#agenda-items")
    return render(
        request,
        "reps/own/agenda_item_form.html",
        {
            "meeting": meeting,
            "form": form,
            "open_for_items": open_for_items,
            "already": list(selectors.agenda_items_for_rep(rep).filter(meeting=meeting)),
            "papers_out": meeting.papers_issued_on is not None
            and meeting.papers_issued_on <= today,
        },
    )


def _feed_address(feed) -> str:
    return absolute_url(reverse("reps:calendar_feed", kwargs={"token": feed.token}))


@never_cache
@own_rep_required
@require_http_methods(["GET", "POST"])
def calendar_address(request, rep):
    """Make the rep's calendar address, or reset it: a POST; a GET asks first."""
    feed = selectors.calendar_feed_for_rep(rep)
    if request.method == "POST":
        services.calendar_feed_reset(rep=rep, by=request.user)
        if feed is None:
            messages.success(request, "Your calendar address is ready. Copy it into your calendar.")
        else:
            messages.success(
                request,
                "Your calendar address is reset. The old address no longer works: "
                "add the new one to your calendar.",
            )
        return redirect(f"{reverse('reps:my_meetings')}#calendar")
    return render(request, "reps/own/calendar_reset.html", {"rep": rep, "feed": feed})


def _not_found() -> HttpResponse:
    response = HttpResponseNotFound(
        "No calendar at this address.", content_type="text/plain; charset=utf-8"
    )
    # Django logs every 404 with its path; for this view the path is the secret. A reset address
    # in a log is harmless, but a mistyped one differs from the real one by a character or two.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


@login_not_required
@require_safe
@never_cache
def calendar_feed(request, token: str):
    """The rep's meetings as iCalendar, for a calendar app to follow (no sign-in possible).

    Whoever has the address can read it, so it holds only what a diary entry needs. A token
    that is wrong or has been reset is 404, and the address is never written to the log.
    """
    try:
        feed = access.get_calendar_feed(token)
    except Http404:
        return _not_found()
    rep = feed.rep
    body = calendar.meetings_calendar(
        selectors.calendar_meetings_for_rep(rep, today=timezone.localdate()),
        board_name=rep.board.name,
        zone=ZoneInfo(settings.TIME_ZONE),
        now=timezone.now(),
        link=absolute_url(reverse("reps:my_meetings")),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="meetings.ics"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
@own_rep_required
def training(request, rep):
    return render(
        request,
        "reps/own/training.html",
        {
            "rep": rep,
            "courses": list(selectors.training_for_rep(rep)),
            "totals": selectors.training_totals_for_rep(rep),
            "requests": list(selectors.support_requests_for_rep(rep)),
            "conversations": list(selectors.needs_conversations_for_rep(rep)),
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
@own_rep_required
@require_http_methods(["GET", "POST"])
def equality(request, rep):
    """The rep's equality monitoring answers: shown to the rep alone, kept only with consent."""
    record = selectors.equality_record_for_rep(rep)
    form = EqualityMonitoringForm.for_rep(
        record, request.POST if request.method == "POST" else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.equality_record_save(
                rep=rep,
                consent=form.cleaned_data["consent"],
                answers=form.answers(),
                by=request.user,
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
@own_rep_required
@require_http_methods(["GET", "POST"])
def equality_withdraw(request, rep):
    if request.method == "POST":
        if services.equality_consent_withdraw(rep=rep, by=request.user):
            messages.success(request, "Your answers are deleted. No copy of them is kept.")
        return redirect("reps:my_equality")
    record = selectors.equality_record_for_rep(rep)
    return render(request, "reps/own/equality_withdraw.html", {"rep": rep, "record": record})
