"""A rep puts an item forward for a meeting of theirs still to come; the staff who manage the
board's reps are emailed and find it waiting on their home page.

Over any sequence of items put forward by reps with a seat in the group and without, for meetings
gone by, to come and called off, with the same title in other cases and spacing (Hypothesis), an
item is made exactly when the rule says it may be, and no meeting holds one title twice from the
same rep.
"""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reps import meeting_news, services
from reps.models import AgendaItem
from tests import agenda_fixtures as shared
from tests.conftest import sign_in
from tests.factories import (
    AgendaItemFactory,
    GroupFactory,
    MeetingFactory,
    RepFactory,
    SeatFactory,
    StaffMembershipFactory,
    TermFactory,
    UserFactory,
)

# A group's meetings either side of a day frozen for every test here.
TODAY = shared.TODAY
frozen = shared.frozen
group = shared.group
_meeting = shared.meeting_in


def seated(rep, group, *, start=date(2024, 4, 1), end=date(2027, 3, 31)):
    TermFactory(rep=rep, seat=SeatFactory(group=group), start=start, planned_end=end)
    return rep


@pytest.fixture
def alice(rep_a1, group):
    return seated(rep_a1.rep_profile, group)


def _put_forward(rep, meeting, title="Short breaks for carers", **extra):
    return services.agenda_item_submit(meeting=meeting, rep=rep, title=title, by=rep.user, **extra)


# The service


@pytest.mark.django_db
def test_the_boards_rep_managers_are_emailed_naming_neither_rep_nor_item(
    alice, group, board_a, board_b, staff_a, django_capture_on_commit_callbacks
):
    meeting = _meeting(group, 10)
    other_manager = StaffMembershipFactory(board=board_a, user__email="manager@example.org").user
    StaffMembershipFactory(board=board_a, user__is_active=False, user__email="left@example.org")
    StaffMembershipFactory(board=board_a, can_manage_reps=False, user__email="finance@example.org")
    StaffMembershipFactory(board=board_b, user__email="fife@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        item = _put_forward(alice, meeting, details="Carers in the glens wait months.")

    assert item.status == AgendaItem.Status.SUBMITTED and item.details.startswith("Carers")
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [staff_a.email, other_manager.email]
    )
    message = mail.outbox[0]
    assert message.subject == (
        "An item is put forward for the Strategic planning group meeting on 25 January 2026"
    )
    assert reverse("reps:staff_agenda_item_edit", args=[item.pk]) in message.body
    for private in ("Alice", "Short breaks", "glens"):
        assert private not in message.body and private not in message.subject


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("decision", "minutes", "said"),
    [
        ("accepted", 20, "It has 20 minutes on the agenda."),
        ("deferred", None, "It will come back for a decision"),
        ("declined", None, "If you would like to know why"),
    ],
)
def test_the_rep_is_emailed_the_decision_on_their_item(
    alice, group, staff_a, django_capture_on_commit_callbacks, decision, minutes, said
):
    item = _put_forward(alice, _meeting(group, 10, start_time="10:30", end_time="12:30"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.agenda_item_decide(item=item, status=decision, minutes_given=minutes, by=staff_a)
    [message] = mail.outbox
    assert message.to == [alice.user.email]
    assert message.subject == f"Your agenda item is {decision}"
    assert (
        'The item "Short breaks for carers" that you put forward for the Strategic planning '
        f"group meeting on Sunday 25 January 2026 from 10:30am to 12:30pm is {decision}."
    ) in message.body
    assert said in message.body and reverse("reps:my_meetings") in message.body


@pytest.mark.django_db
def test_a_decision_changed_before_the_email_goes_tells_only_the_one_that_stands(
    alice, group, staff_a
):
    item = _put_forward(alice, _meeting(group, 10))
    services.agenda_item_decide(item=item, status="deferred", by=staff_a)
    services.agenda_item_decide(item=item, status="accepted", by=staff_a)
    assert meeting_news.email_agenda_item_decided.call(item.pk, "deferred") == 0
    assert meeting_news.email_agenda_item_decided.call(item.pk, "accepted") == 1
    # The reps together have nobody to tell.
    together = services.agenda_item_submit(
        meeting=item.meeting, rep=None, title="Parking", by=staff_a
    )
    services.agenda_item_decide(item=together, status="accepted", by=staff_a)
    assert meeting_news.email_agenda_item_decided.call(together.pk, "accepted") == 0


@pytest.mark.django_db
def test_an_item_staff_enter_emails_nobody(
    alice, group, staff_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.agenda_item_submit(meeting=_meeting(group, 10), rep=alice, title="A", by=staff_a)
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_rep_puts_nothing_forward_for_a_meeting_gone_by_but_staff_may_record_one(
    alice, group, staff_a
):
    gone_by = _meeting(group, -1)
    with pytest.raises(ValidationError, match="This meeting has taken place"):
        _put_forward(alice, gone_by)
    services.agenda_item_submit(meeting=gone_by, rep=alice, title="Told on the day", by=staff_a)
    assert list(AgendaItem.objects.values_list("title", flat=True)) == ["Told on the day"]


@pytest.mark.django_db
def test_a_called_off_meeting_takes_no_item(alice, group, staff_a):
    meeting = _meeting(group, 10)
    services.meeting_cancel(meeting=meeting, reason="", by=staff_a, notify=False)
    with pytest.raises(ValidationError, match="This meeting was cancelled"):
        _put_forward(alice, meeting)
    assert not AgendaItem.objects.exists()


@pytest.mark.django_db
def test_a_rep_whose_term_ends_before_the_meeting_puts_nothing_forward_for_it(rep_a1, group):
    rep = seated(rep_a1.rep_profile, group, end=TODAY + timedelta(days=5))
    with pytest.raises(ValidationError, match="held no seat in Strategic planning group"):
        _put_forward(rep, _meeting(group, 10))
    _put_forward(rep, _meeting(group, 5))


@pytest.mark.django_db
def test_the_same_title_twice_makes_one_item_whatever_its_case_and_spacing(alice, group, board_a):
    meeting = _meeting(group, 10)
    _put_forward(alice, meeting, title="Short breaks")
    with pytest.raises(ValidationError, match="You have already put “SHORT breaks” forward"):
        _put_forward(alice, meeting, title="  SHORT breaks ")
    # Another rep, or another meeting, may raise the same.
    bob = seated(RepFactory(board=board_a, user=UserFactory(role="rep")), group)
    _put_forward(bob, meeting, title="Short breaks")
    _put_forward(alice, _meeting(group, 40), title="Short breaks")
    assert AgendaItem.objects.count() == 3
    # Staff entering an item twice are told whose it is.
    staff = StaffMembershipFactory(board=board_a).user
    services.agenda_item_submit(meeting=meeting, rep=None, title="Parking", by=staff)
    with pytest.raises(ValidationError, match="already on this meeting's list from the reps"):
        services.agenda_item_submit(meeting=meeting, rep=None, title="parking", by=staff)


@pytest.mark.django_db
def test_any_sequence_of_items_put_forward_makes_exactly_those_the_rule_allows(
    alice, group, board_a, staff_a
):
    # Bob sits on another group of the board: none of this group's meetings are his.
    bob = seated(
        RepFactory(board=board_a, user=UserFactory(role="rep")), GroupFactory(board=board_a)
    )
    reps = [alice, bob]
    meetings = [_meeting(group, days) for days in (-3, 0, 12, 40)]
    called_off = _meeting(group, 20)
    services.meeting_cancel(meeting=called_off, reason="", by=staff_a, notify=False)
    meetings.append(called_off)
    titles = ["Short breaks", " short breaks", "SHORT BREAKS ", "Parking at the venue"]

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(
        st.lists(
            st.tuples(
                st.sampled_from(range(len(reps))),
                st.sampled_from(range(len(meetings))),
                st.sampled_from(titles),
            ),
            max_size=8,
        )
    )
    def run(steps):
        made: set[tuple[int, int, str]] = set()
        with transaction.atomic():
            for rep_index, meeting_index, title in steps:
                rep, meeting = reps[rep_index], meetings[meeting_index]
                key = (rep.pk, meeting.pk, title.strip().casefold())
                may = (
                    rep is alice
                    and meeting.date >= TODAY
                    and meeting is not called_off
                    and key not in made
                )
                try:
                    _put_forward(rep, meeting, title=title)
                except ValidationError:
                    assert not may, (rep, meeting.date, title)
                else:
                    assert may, (rep, meeting.date, title)
                    made.add(key)
            held = AgendaItem.objects.values_list("rep_id", "meeting_id", "title")
            assert sorted((r, m, t.casefold()) for r, m, t in held) == sorted(made)
            transaction.set_rollback(True)

    run()


# The rep's pages


@pytest.fixture
def rep_client(client, rep_a1):
    return sign_in(client, rep_a1)


def _form_url(meeting):
    return reverse("reps:my_agenda_item_add", args=[meeting.pk])


@pytest.mark.django_db
def test_the_rep_puts_an_item_forward_from_their_meetings_page(rep_client, alice, group):
    meeting = _meeting(group, 10)
    page = rep_client.get(reverse("reps:my_meetings")).content.decode()
    assert f'href="{_form_url(meeting)}"' in page
    assert (
        'Put an item forward<span class="visually-hidden"> for Strategic planning group, ' in page
    )

    page = rep_client.get(_form_url(meeting)).content.decode()
    assert "What would you like the meeting to discuss?" in page
    assert "Strategic planning group, Sunday 25 January 2026" in page

    response = rep_client.post(
        _form_url(meeting), {"title": "", "details": "Carers wait months for a break."}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter what you would like the meeting to discuss." in page
    assert "Carers wait months for a break." in page

    response = rep_client.post(_form_url(meeting), {"title": "x" * 201, "details": ""})
    assert "Keep this to 200 characters or fewer" in response.content.decode()
    response = rep_client.post(_form_url(meeting), {"title": "Short breaks", "details": "y" * 2001})
    assert "Keep this to 2,000 characters or fewer." in response.content.decode()
    assert not AgendaItem.objects.exists()

    data = {"title": "Short breaks for carers", "details": "Carers wait months for a break."}
    response = rep_client.post(_form_url(meeting), data, follow=True)
    assert response.redirect_chain == [(reverse("reps:my_meetings") + "#agenda-items", 302)]
    page = response.content.decode()
    assert "Your item is sent." in page
    assert "Short breaks for carers" in page and "Carers wait months for a break." in page
    assert "Waiting for a decision" in page
    item = AgendaItem.objects.get()
    assert (item.rep, item.meeting, item.status) == (alice, meeting, "submitted")

    page = rep_client.get(_form_url(meeting)).content.decode()
    assert "You have put forward for this meeting already:" in page
    assert "<li>Short breaks for carers (waiting for a decision)</li>" in page

    # Sent again, from the browser's back button: one item, and the page says why.
    page = rep_client.post(_form_url(meeting), data).content.decode()
    assert "You have already put “Short breaks for carers” forward for this meeting." in page
    assert AgendaItem.objects.count() == 1


@pytest.mark.django_db
def test_when_the_papers_are_out_the_rep_is_told_the_item_may_wait(rep_client, alice, group):
    meeting = _meeting(group, 3, papers_issued_on=TODAY - timedelta(days=2))
    page = rep_client.get(_form_url(meeting)).content.decode()
    assert "The papers for this meeting went out on 13 January 2026." in page
    assert 'name="title"' in page


@pytest.mark.django_db
@pytest.mark.parametrize("gone", ["past", "called off"])
def test_a_meeting_gone_by_or_called_off_has_no_form_and_takes_nothing(
    rep_client, alice, group, staff_a, gone
):
    meeting = _meeting(group, -5 if gone == "past" else 10)
    if gone == "called off":
        services.meeting_cancel(meeting=meeting, reason="", by=staff_a, notify=False)
    page = rep_client.get(_form_url(meeting)).content.decode()
    said = "This meeting has taken place" if gone == "past" else "This meeting was cancelled"
    assert said in page and 'name="title"' not in page
    rep_client.post(_form_url(meeting), {"title": "Short breaks"})
    assert not AgendaItem.objects.exists()
    meetings_page = rep_client.get(reverse("reps:my_meetings")).content.decode()
    assert f'href="{_form_url(meeting)}"' not in meetings_page


@pytest.mark.django_db
def test_a_meeting_of_a_group_the_rep_has_no_seat_in_is_not_found(rep_client, alice, board_a):
    elsewhere = _meeting(GroupFactory(board=board_a), 10)
    assert rep_client.get(_form_url(elsewhere)).status_code == 404
    assert rep_client.post(_form_url(elsewhere), {"title": "Parking"}).status_code == 404
    assert not AgendaItem.objects.exists()


# What staff see


@pytest.mark.django_db
def test_staff_home_lists_the_items_waiting_for_a_decision(
    staff_client, alice, group, board_b, staff_a
):
    soon, later = _meeting(group, 10), _meeting(group, 40)
    _put_forward(alice, later, title="Parking at the venue")
    _put_forward(alice, soon, title="Short breaks for carers")
    decided = _put_forward(alice, soon, title="Already decided")
    services.agenda_item_decide(item=decided, status="accepted", by=staff_a)
    called_off = _meeting(group, 20)
    AgendaItemFactory(meeting=called_off, rep=alice, title="On a meeting called off")
    services.meeting_cancel(meeting=called_off, reason="", by=staff_a, notify=False)
    AgendaItemFactory(meeting=MeetingFactory(group__board=board_b), title="Another board's")

    page = staff_client.get(reverse("staff_home")).content.decode()
    assert "Items the reps put forward, waiting for a decision" in page
    assert '<span class="portal-muted">(2)</span>' in page
    assert page.index("Short breaks for carers") < page.index("Parking at the venue")
    assert "<td>Alice Rep</td>" in page
    for not_waiting in ("Already decided", "On a meeting called off", "Another board"):
        assert not_waiting not in page


@pytest.mark.django_db
def test_staff_read_what_the_rep_wrote_where_they_decide(staff_client, alice, group):
    item = _put_forward(alice, _meeting(group, 10), details="Carers wait months for a break.")
    meeting_page = staff_client.get(reverse("reps:staff_meeting_detail", args=[item.meeting_id]))
    assert "Carers wait months for a break." in meeting_page.content.decode()
    decide_page = staff_client.get(reverse("reps:staff_agenda_item_edit", args=[item.pk]))
    page = decide_page.content.decode()
    assert "More about it" in page and "Carers wait months for a break." in page


@pytest.mark.django_db
def test_staff_deciding_are_told_whether_the_rep_hears_of_it_by_email(staff_client, alice, group):
    item = _put_forward(alice, _meeting(group, 10))
    url = reverse("reps:staff_agenda_item_edit", args=[item.pk])
    decision = {"status": "accepted", "minutes_given": "15", "outcome": ""}
    page = staff_client.post(url, decision, follow=True).content.decode()
    assert "The agenda item has been saved. Alice Rep is emailed the decision." in page

    alice.contact_by_email = False
    alice.phone = "0141 496 0000"
    alice.contact_by_phone = True
    alice.save()
    page = staff_client.post(url, {**decision, "status": "deferred"}, follow=True)
    assert (
        "Alice Rep asked not to be emailed, so they are not told by email. "
        "Please tell them by phone on 0141 496 0000."
    ) in page.content.decode()
