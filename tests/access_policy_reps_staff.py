"""Access rules for the staff screens of reps, seats, terms, meetings and training.

Merged into the one table in tests/access_policy.py. Every page here is for staff: reps, national
viewers and administrators get 403. An object on board A answers 404 to staff of board B, so its
existence does not leak. Staff of the object's own board who lack "manage reps" may look but not
change: the change pages answer them 403 (tests/test_reps_staff_access.py checks each one).
"""

from datetime import timedelta

from django.utils import timezone

from portal.core.periods import financial_year_of
from tests.access_policy import STAFF, Rule, only
from tests.factories import (
    AgendaItemFactory,
    GroupFactory,
    MeetingFactory,
    SeatFactory,
    SupportRequestFactory,
    TermFactory,
    TrainingFactory,
    UsualJourneyFactory,
)

OTHER_BOARD = "staff of another board get 404, not 403"


def _board_a_only() -> dict[str, int]:
    return only(["staff_a"], others=403, staff_b=404)


def _rep(ctx):
    return {"pk": ctx.personas.rep_a1.rep_profile.pk}


def _rep_to_invite(ctx):
    """A new rep of board A with an email address and no account yet."""
    from tests.factories import RepFactory

    rep = RepFactory(board=ctx.board_a, user=None, full_name="New Rep")
    rep.email = f"new.rep.{rep.pk}@example.org"
    rep.save()
    return {"pk": rep.pk}


def _journey(ctx):
    rep = ctx.personas.rep_a1.rep_profile
    return {"pk": rep.pk, "journey_pk": UsualJourneyFactory(rep=rep).pk}


def _training(ctx):
    rep = ctx.personas.rep_a1.rep_profile
    return {"pk": rep.pk, "training_pk": TrainingFactory(rep=rep).pk}


def _support_request(ctx):
    # Asked years from now: not in any of this year's figures.
    asked_on = timezone.localdate() + timedelta(days=3650)
    support = SupportRequestFactory(rep=ctx.personas.rep_a1.rep_profile, asked_on=asked_on)
    return {"pk": support.pk}


def _budget_year(ctx):
    return {"slug": ctx.board_a.slug, "year": financial_year_of(timezone.localdate())}


def _seat(ctx):
    return {"pk": SeatFactory(group__board=ctx.board_a).pk}


def _seat_to_appoint(ctx):
    return {"seat_pk": SeatFactory(group__board=ctx.board_a).pk}


def _group(ctx):
    return {"pk": GroupFactory(board=ctx.board_a).pk}


def _term(ctx):
    return {"pk": TermFactory(seat__group__board=ctx.board_a).pk}


def _meeting(ctx):
    return {"pk": MeetingFactory(group__board=ctx.board_a).pk}


def _agenda_item(ctx):
    return {"pk": AgendaItemFactory(meeting__group__board=ctx.board_a).pk}


# Lists and "add" pages: each staff member sees their own boards' records.
_EVERY_STAFF_MEMBER = {
    "reps:staff_rep_list": "reps of the staff member's boards",
    "reps:staff_rep_create": "adds a rep to a board where they manage reps",
    "reps:staff_seat_list": "seats of the staff member's boards",
    "reps:staff_seat_create": "adds a seat where they manage reps",
    "reps:staff_group_create": "adds a group where they manage reps",
    "reps:staff_term_list": "terms of the staff member's boards",
    "reps:staff_meeting_list": "meetings of the staff member's boards",
    "reps:staff_meeting_create": "adds a meeting where they manage reps",
    "reps:staff_training_list": "training on the staff member's boards",
    "reps:staff_support_requests": "requests on the boards where they manage reps",
}

# One object on board A each.
_BOARD_A_OBJECT = {
    "reps:staff_rep_detail": _rep,
    "reps:staff_rep_edit": _rep,
    "reps:staff_rep_invite": _rep_to_invite,
    "reps:staff_rep_invitation_withdraw": _rep_to_invite,
    "reps:staff_rep_second_factor_off": _rep,
    "reps:staff_journey_add": _rep,
    "reps:staff_journey_remove": _journey,
    "reps:staff_training_add": _rep,
    "reps:staff_training_change": _training,
    "reps:staff_training_remove": _training,
    "reps:staff_support_request": _support_request,
    "reps:staff_support_add": _rep,
    "reps:staff_conversation_add": _rep,
    "reps:staff_budget_edit": _budget_year,
    "reps:staff_seat_edit": _seat,
    "reps:staff_seat_close": _seat,
    "reps:staff_group_edit": _group,
    "reps:staff_term_appoint": _seat_to_appoint,
    "reps:staff_term_detail": _term,
    "reps:staff_term_change": _term,
    "reps:staff_term_end": _term,
    "reps:staff_term_afterwards": _term,
    "reps:staff_induction_item_add": _term,
    "reps:staff_meeting_detail": _meeting,
    "reps:staff_meeting_edit": _meeting,
    "reps:staff_meeting_cancel": _meeting,
    "reps:staff_attendance": _meeting,
    "reps:staff_agenda_item_add": _meeting,
    "reps:staff_agenda_item_edit": _agenda_item,
    "reps:staff_agenda_item_move": _agenda_item,
}

# Buttons on a page of board A's, answered with a redirect back to it.
_BOARD_A_ACTION = {
    "reps:staff_seat_reopen": (_seat, "opens a closed seat again"),
    "reps:staff_meeting_reinstate": (_meeting, "undoes cancelling a meeting"),
}

POLICY: dict = {
    **{name: Rule(only(STAFF), note=note) for name, note in _EVERY_STAFF_MEMBER.items()},
    **{
        name: Rule(_board_a_only(), kwargs=kwargs, note=OTHER_BOARD)
        for name, kwargs in _BOARD_A_OBJECT.items()
    },
    **{
        name: Rule(
            only(["staff_a"], status=302, staff_b=404),
            kwargs=kwargs,
            method="post",
            note=f"{note}; a button, so POST only; {OTHER_BOARD}",
        )
        for name, (kwargs, note) in _BOARD_A_ACTION.items()
    },
}
