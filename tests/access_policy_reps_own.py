"""Access rules for a rep's own pages and for the staff import and export pages.

Merged into the one table in tests/access_policy.py. A rep's own pages have no id in their URL
except a usual journey's, which answers 404 to any other rep. Import and export are for staff who
manage reps; everyone else gets 403.
"""

from datetime import timedelta

from django.utils import timezone

from tests.access_policy import REPS, STAFF, Rule, only, outcome
from tests.factories import (
    AttendanceFactory,
    MeetingFactory,
    SupportRequestFactory,
    TermFactory,
    UsualJourneyFactory,
)


def _journey_of_rep_a1(ctx):
    return {"pk": UsualJourneyFactory(rep=ctx.personas.rep_a1.rep_profile).pk}


def _meeting_of_rep_a1(ctx):
    """A meeting still to come that rep A1 has sent apologies for, and rep A2 has nothing to do
    with. (Apologies rather than a seat: a term would put rep A1 in the year's figures, which
    other tests read with and without their answers.)"""
    meeting = MeetingFactory(group__board=ctx.board_a, date=timezone.localdate() + timedelta(30))
    AttendanceFactory(meeting=meeting, rep=ctx.personas.rep_a1.rep_profile, status="apologies")
    return {"pk": meeting.pk}


def _term_of_rep_a1(ctx):
    """A term of rep A1's years from now: not in any of this year's figures."""
    start = timezone.localdate() + timedelta(days=3650)
    term = TermFactory(
        rep=ctx.personas.rep_a1.rep_profile, seat__group__board=ctx.board_a, start=start
    )
    return {"pk": term.pk}


def _support_request_of_rep_a1(ctx):
    """A request of rep A1's, asked years from now: not in any of this year's figures."""
    asked_on = timezone.localdate() + timedelta(days=3650)
    support = SupportRequestFactory(rep=ctx.personas.rep_a1.rep_profile, asked_on=asked_on)
    return {"pk": support.pk}


OWN = only(REPS)

POLICY: dict = {
    "reps:my_details": Rule(OWN),
    "reps:my_contact_edit": Rule(OWN),
    "reps:my_needs_edit": Rule(OWN),
    "reps:my_preferences_edit": Rule(OWN),
    "reps:my_payment_edit": Rule(OWN),
    "reps:my_journey_add": Rule(OWN),
    "reps:my_journey_remove": Rule(
        only(["rep_a1"], rep_a2=404, rep_b1=404),
        kwargs=_journey_of_rep_a1,
        note="another rep's journey answers 404",
    ),
    "reps:my_terms": Rule(OWN),
    "reps:my_term_afterwards": Rule(
        only(["rep_a1"], rep_a2=404, rep_b1=404),
        kwargs=_term_of_rep_a1,
        note="another rep's term answers 404",
    ),
    "reps:my_meetings": Rule(OWN),
    "reps:my_agenda_item_add": Rule(
        only(["rep_a1"], rep_a2=404, rep_b1=404),
        kwargs=_meeting_of_rep_a1,
        note="a meeting of a group where the rep has no seat answers 404",
    ),
    "reps:my_apologies": Rule(
        only(["rep_a1"], rep_a2=404, rep_b1=404),
        kwargs=_meeting_of_rep_a1,
        note="asks first; a meeting of a group where the rep has no seat answers 404",
    ),
    "reps:my_calendar_address": Rule(OWN, note="a GET asks first; the POST makes a new address"),
    "reps:calendar_feed": Rule(
        outcome(404, anonymous=404),
        kwargs=lambda ctx: {"token": "made-up-secret"},
        note="calendar apps cannot sign in: public, but a made-up address is 404 for everyone",
    ),
    "reps:my_training": Rule(OWN),
    "reps:my_support_ask": Rule(OWN),
    "reps:my_support_withdraw": Rule(
        only(["rep_a1"], rep_a2=404, rep_b1=404),
        kwargs=_support_request_of_rep_a1,
        note="another rep's request answers 404",
    ),
    "reps:my_equality": Rule(OWN, note="the rep's own answers; nobody else has a page for them"),
    "reps:my_equality_withdraw": Rule(OWN),
    "reps:import_start": Rule(only(STAFF)),
    "reps:import_preview": Rule(
        only(STAFF, status=302), note="with no file chosen yet, back to the first step"
    ),
    "reps:export": Rule(only(STAFF)),
}
