"""An item the reps put on an agenda is taken to another meeting of its group: its own meeting was
called off, or the item was deferred. It keeps its decision so far; whoever put it forward is told.

Over any sequence of meetings called off and reinstated, decisions, outcomes and moves (a
Hypothesis state machine), a move succeeds exactly when the rule says it may, and an item never
leaves its group, never lands on a meeting called off or past, and never leaves the meeting that
declined it or recorded what came of it.
"""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from reps import meeting_news, services
from reps.models import AgendaItem, Meeting
from tests import agenda_fixtures as shared
from tests.factories import (
    AgendaItemFactory,
    GroupFactory,
    RepFactory,
    SeatFactory,
    TermFactory,
)
from tests.state_machines import run_machines

# A group's meetings either side of a day frozen for every test here.
TODAY = shared.TODAY
frozen = shared.frozen
group = shared.group
_meeting = shared.meeting_in


@pytest.fixture
def called_off(group, staff_a):
    meeting = _meeting(group, 5)
    services.meeting_cancel(meeting=meeting, reason="Too few could come.", by=staff_a)
    return meeting


@pytest.fixture
def next_meeting(group):
    return _meeting(group, 40)


@pytest.fixture
def alice_item(called_off, rep_a1):
    return AgendaItemFactory(
        meeting=called_off,
        rep=rep_a1.rep_profile,
        title="Short breaks for carers",
        status="accepted",
        minutes_given=15,
    )


def _move_url(item):
    return reverse("reps:staff_agenda_item_move", args=[item.pk])


# The service


@pytest.mark.django_db
def test_an_item_of_a_called_off_meeting_goes_to_the_next_with_its_decision(
    alice_item, called_off, next_meeting, staff_a, rep_a1, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.agenda_item_move(item=alice_item, meeting=next_meeting, by=staff_a)

    alice_item.refresh_from_db()
    assert alice_item.meeting == next_meeting
    assert (alice_item.status, alice_item.minutes_given) == ("accepted", 15)
    # The audit history says where it was, where it went, and who moved it.
    records = list(alice_item.history.order_by("history_id"))
    assert [record.meeting_id for record in records] == [called_off.pk, next_meeting.pk]
    assert records[-1].history_user == staff_a
    [told] = mail.outbox
    assert told.to == [rep_a1.email]
    assert told.subject == "Your agenda item is moved to the meeting on 24 February 2026"
    assert (
        'The item "Short breaks for carers" that you put forward was on the agenda of the '
        "Strategic planning group meeting on Tuesday 20 January 2026, which is cancelled. It is "
        "now on the agenda of the meeting on Tuesday 24 February 2026, Venue 40."
    ) in " ".join(told.body.split())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"status": "declined"}, "It was declined, so it stays with the meeting that declined it."),
        (
            {"outcome": "The board funded more short breaks."},
            "What came of it is recorded, so it stays with the meeting that took it.",
        ),
    ],
)
def test_an_item_declined_or_dealt_with_stays(alice_item, next_meeting, staff_a, change, why):
    AgendaItem.objects.filter(pk=alice_item.pk).update(**change)

    with pytest.raises(ValidationError) as refused:
        services.agenda_item_move(item=alice_item, meeting=next_meeting, by=staff_a)

    assert refused.value.messages == [why]
    alice_item.refresh_from_db()
    assert alice_item.meeting_id != next_meeting.pk


@pytest.mark.django_db
def test_an_item_goes_only_to_a_meeting_of_its_group_still_to_come_and_going_ahead(
    alice_item, called_off, group, board_a, staff_a
):
    other_group = _meeting(GroupFactory(board=board_a), 40)
    past = _meeting(group, -3)
    also_called_off = _meeting(group, 60, cancelled_on=TODAY)
    for meeting in (other_group, past, also_called_off, called_off):
        with pytest.raises(ValidationError) as refused:
            services.agenda_item_move(item=alice_item, meeting=meeting, by=staff_a)
        assert refused.value.message_dict["meeting"] == [
            "Choose a meeting of the same group that is still to come and going ahead."
        ]
    alice_item.refresh_from_db()
    assert alice_item.meeting == called_off
    # A meeting held today is still to come for the item.
    services.agenda_item_move(item=alice_item, meeting=_meeting(group, 0), by=staff_a)


@pytest.mark.django_db
def test_staff_of_another_board_cannot_move_an_item(alice_item, next_meeting, staff_b):
    with pytest.raises(PermissionDenied):
        services.agenda_item_move(item=alice_item, meeting=next_meeting, by=staff_b)


@pytest.mark.django_db
def test_an_item_of_the_reps_together_is_told_to_the_reps_of_the_group(
    called_off, next_meeting, group, board_a, staff_a
):
    seated = RepFactory(board=board_a, user=None, full_name="Bob Paper", email="bob@example.org")
    TermFactory(
        rep=seated,
        seat=SeatFactory(group=group),
        start=date(2024, 4, 1),
        planned_end=date(2027, 3, 31),
    )
    elsewhere = RepFactory(board=board_a, user=None, email="dan@example.org")
    TermFactory(rep=elsewhere, seat=SeatFactory(group=GroupFactory(board=board_a)))
    item = AgendaItemFactory(meeting=called_off, rep=None, title="Carers' breaks")

    services.agenda_item_move(item=item, meeting=next_meeting, by=staff_a)

    assert meeting_news.email_agenda_item_moved.call(item.pk, called_off.pk) == 1
    [told] = mail.outbox
    assert told.to == ["bob@example.org"]
    assert "that the reps put forward together" in told.body
    # Moved back before the email went: there is nothing to tell.
    mail.outbox.clear()
    assert meeting_news.email_agenda_item_moved.call(item.pk, next_meeting.pk) == 0


# The page


@pytest.mark.django_db
def test_the_page_offers_the_groups_meetings_to_come_and_going_ahead(
    staff_client, alice_item, next_meeting, group, board_a
):
    _meeting(group, -3)
    _meeting(group, 60, cancelled_on=TODAY)
    _meeting(GroupFactory(board=board_a), 50)
    later = _meeting(group, 90, start_time="14:30")

    page = staff_client.get(_move_url(alice_item))

    offered = [label for _, label in page.context["form"].fields["meeting"].choices]
    assert offered == [
        "Tuesday 24 February 2026, Venue 40",
        "Wednesday 15 April 2026 at 2:30pm, Venue 90",
    ]
    assert later.pk in [value.value for value, _ in page.context["form"].fields["meeting"].choices]
    now = "Now on the agenda of Strategic planning group on 20 January 2026, which is cancelled."
    assert now in page.content.decode()


@pytest.mark.django_db
def test_moving_from_the_page_names_whom_to_tell(
    staff_client, called_off, next_meeting, board_a, django_capture_on_commit_callbacks
):
    cath = RepFactory(
        board=board_a,
        user=None,
        full_name="Cath Phone",
        email="cath@example.org",
        contact_by_email=False,
        contact_by_phone=True,
        phone="0141 000 2222",
    )
    item = AgendaItemFactory(meeting=called_off, rep=cath, title="Respite at weekends")

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(_move_url(item), {"meeting": next_meeting.pk}, follow=True)

    assert response.redirect_chain[-1][0] == reverse(
        "reps:staff_meeting_detail", args=[next_meeting.pk]
    )
    page = response.content.decode()
    assert "“Respite at weekends” is now on this meeting&#x27;s agenda." in page
    assert (
        "Cath Phone asked not to be emailed, so they are not told by email. Please tell them by "
        "phone on 0141 000 2222."
    ) in page
    assert mail.outbox == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({}, "Choose the meeting to take the item to."),
        ({"meeting": "not a meeting"}, "Choose one of the meetings listed."),
        ("another group", "Choose one of the meetings listed."),
        ("past", "Choose one of the meetings listed."),
    ],
)
def test_a_wrong_answer_is_explained_and_moves_nothing(
    staff_client, alice_item, next_meeting, called_off, group, board_a, answer, message
):
    if answer == "another group":
        answer = {"meeting": _meeting(GroupFactory(board=board_a), 40).pk}
    elif answer == "past":
        answer = {"meeting": _meeting(group, -3).pk}

    response = staff_client.post(_move_url(alice_item), answer)

    assert response.status_code == 200
    assert message in response.content.decode()
    alice_item.refresh_from_db()
    assert alice_item.meeting == called_off


@pytest.mark.django_db
def test_a_declined_item_says_why_it_stays_and_cannot_be_moved(
    staff_client, alice_item, next_meeting, called_off
):
    AgendaItem.objects.filter(pk=alice_item.pk).update(status="declined")

    page = staff_client.get(_move_url(alice_item)).content.decode()
    staff_client.post(_move_url(alice_item), {"meeting": next_meeting.pk})

    assert "This item cannot be moved. It was declined" in page
    assert "Move the item</button>" not in page
    alice_item.refresh_from_db()
    assert alice_item.meeting == called_off


@pytest.mark.django_db
def test_with_no_meeting_to_come_the_page_asks_for_the_next_one_first(staff_client, alice_item):
    page = staff_client.get(_move_url(alice_item)).content.decode()

    assert "There is no meeting of Strategic planning group still to come." in page
    assert reverse("reps:staff_meeting_create") in page


@pytest.mark.django_db
def test_a_called_off_meetings_items_link_to_the_move(staff_client, alice_item, called_off):
    page = staff_client.get(reverse("reps:staff_meeting_detail", args=[called_off.pk]))

    assert _move_url(alice_item) in page.content.decode()
    decision = staff_client.get(reverse("reps:staff_agenda_item_edit", args=[alice_item.pk]))
    assert "Move the item to another meeting</a> (this meeting is cancelled)" in (
        decision.content.decode()
    )


# Any sequence of changes


class AGroupsMeetings(RuleBasedStateMachine):
    """Meetings of a group (two past, four to come) and one of another group are called off and
    reinstated; items on them are decided, dealt with and moved. The model beside the records
    says what each step may do."""

    def __init__(self, *, board, staff):
        super().__init__()
        self.staff = staff
        self.group = GroupFactory(board=board)
        other = GroupFactory(board=board)
        self.meetings = [_meeting(self.group, days) for days in (-20, -5, 0, 10, 30, 60)]
        self.meetings.append(_meeting(other, 30))
        self.items = [
            AgendaItemFactory(meeting=self.meetings[n], rep=None, title=f"Item {n}")
            for n in (1, 2, 3, 4)
        ]
        # The model: which meetings are called off, each item's meeting, status and outcome.
        self.called_off: set[int] = set()
        self.where = {item.pk: item.meeting_id for item in self.items}
        self.status = {item.pk: "submitted" for item in self.items}
        self.dealt_with: set[int] = set()
        self.moves = 0

    def teardown(self):
        AgendaItem.objects.filter(pk__in=self.where).delete()
        Meeting.objects.filter(pk__in=[meeting.pk for meeting in self.meetings]).delete()

    def _may_move_to(self, item_pk: int, meeting: Meeting) -> bool:
        return (
            self.status[item_pk] != "declined"
            and item_pk not in self.dealt_with
            and meeting.group_id == self.group.pk
            and meeting.date >= TODAY
            and meeting.pk not in self.called_off
            and meeting.pk != self.where[item_pk]
        )

    @rule(data=st.data())
    def a_meeting_is_called_off_or_back_on(self, data):
        meeting = data.draw(st.sampled_from(self.meetings))
        if meeting.pk in self.called_off:
            services.meeting_reinstate(meeting=meeting, by=self.staff)
            self.called_off.discard(meeting.pk)
        else:
            services.meeting_cancel(meeting=meeting, reason="", by=self.staff, notify=False)
            self.called_off.add(meeting.pk)

    @rule(data=st.data(), decision=st.sampled_from(["accepted", "deferred", "declined"]))
    def an_item_is_decided(self, data, decision):
        item = data.draw(st.sampled_from(self.items))
        allowed = AgendaItem.TRANSITIONS[AgendaItem.Status(self.status[item.pk])]
        try:
            services.agenda_item_decide(item=item, status=decision, by=self.staff)
        except ValidationError:
            assert decision not in allowed
        else:
            assert decision in allowed
            self.status[item.pk] = decision

    @rule(data=st.data())
    def what_came_of_an_item_is_recorded(self, data):
        item = data.draw(st.sampled_from(self.items))
        services.agenda_item_record_outcome(item=item, outcome="Done", by=self.staff)
        self.dealt_with.add(item.pk)

    @rule(data=st.data())
    def an_item_is_moved(self, data):
        item = data.draw(st.sampled_from(self.items))
        meeting = data.draw(st.sampled_from(self.meetings))
        may = self._may_move_to(item.pk, meeting)
        try:
            services.agenda_item_move(item=item, meeting=meeting, by=self.staff)
        except ValidationError:
            assert not may
        else:
            assert may
            self.where[item.pk] = meeting.pk
            self.moves += 1

    @invariant()
    def the_records_are_as_the_model_says(self):
        found = {
            pk: (meeting, status, outcome)
            for pk, meeting, status, outcome in AgendaItem.objects.filter(
                pk__in=self.where
            ).values_list("pk", "meeting_id", "status", "outcome")
        }
        assert found == {
            pk: (self.where[pk], self.status[pk], "Done" if pk in self.dealt_with else "")
            for pk in self.where
        }
        groups = set(
            Meeting.objects.filter(pk__in=self.where.values()).values_list("group_id", flat=True)
        )
        assert groups == {self.group.pk}


@pytest.mark.django_db
def test_any_sequence_of_changes_moves_items_only_as_the_rule_allows(board_a, staff_a):
    machines = run_machines(
        lambda: AGroupsMeetings(board=board_a, staff=staff_a), examples=25, steps=12
    )
    # Some runs moved an item: the rule was tried both ways.
    assert sum(made.moves for made in machines) > 0
