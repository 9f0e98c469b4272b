"""The rep's meetings in their own calendar: a private feed at a secret address they can reset.

Calendar apps cannot sign in, so the address is the only key: it must be long and random, answer
404 once reset, never be written to the log, and hold nothing beyond the rep's own diary entries.
"""

import datetime
import logging
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reps import calendar, services
from reps.models import CalendarFeed, Group, Meeting
from tests import reps_own_fixtures as shared
from tests.conftest import sign_in
from tests.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    GroupFactory,
    MeetingFactory,
    SeatFactory,
    TermFactory,
)

# Alice's own records, on a day frozen for every test here.
TODAY = shared.TODAY
NOW = shared.NOW
frozen_today = shared.frozen_today
alice = shared.alice

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def ijb(board_a, alice):
    """The board's IJB, where Alice holds a seat."""
    group = GroupFactory(board=board_a, name="Integration Joint Board")
    TermFactory(
        rep=alice,
        seat=SeatFactory(group=group),
        start=datetime.date(2024, 4, 1),
        planned_end=datetime.date(2027, 3, 31),
    )
    return group


def feed_of(rep):
    return services.calendar_feed_reset(rep=rep, by=rep.user)


def feed_url(feed):
    return reverse("reps:calendar_feed", kwargs={"token": feed.token})


def events(response):
    calendar_ = icalendar.Calendar.from_ical(response.content)
    return list(calendar_.walk("VEVENT"))


# Building the feed: no database, no clock


def meeting(
    pk=7, day=datetime.date(2025, 7, 1), start=None, end=None, venue="Kirkintilloch Town Hall"
):
    return Meeting(
        pk=pk,
        group=Group(name="Integration Joint Board"),
        date=day,
        start_time=start,
        end_time=end,
        venue=venue,
    )


def build(*meetings):
    body = calendar.meetings_calendar(
        meetings,
        board_name="East Dunbartonshire IJB",
        zone=LONDON,
        now=NOW,
        link="https://reps.example.scot/my/meetings/",
    )
    return list(icalendar.Calendar.from_ical(body).walk("VEVENT"))


def utc(*parts):
    return datetime.datetime(*parts, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("day", "start", "expected"),
    [
        # British Summer Time: 10:30 in Kirkintilloch is 09:30 UTC.
        (datetime.date(2025, 7, 1), datetime.time(10, 30), utc(2025, 7, 1, 9, 30)),
        # Winter: Greenwich Mean Time is UTC.
        (datetime.date(2025, 12, 1), datetime.time(10, 30), utc(2025, 12, 1, 10, 30)),
        # The evening before the clocks go back, and the evening after.
        (datetime.date(2025, 10, 25), datetime.time(18, 30), utc(2025, 10, 25, 17, 30)),
        (datetime.date(2025, 10, 26), datetime.time(18, 30), utc(2025, 10, 26, 18, 30)),
    ],
)
def test_a_meeting_with_a_start_time_starts_then_in_local_time(day, start, expected):
    (event,) = build(meeting(day=day, start=start))
    assert event.decoded("dtstart") == expected


def test_a_meeting_with_a_finish_time_lasts_until_then_and_without_one_has_no_end():
    (event,) = build(meeting(start=datetime.time(10, 30), end=datetime.time(12, 30)))
    assert event.decoded("dtstart") == utc(2025, 7, 1, 9, 30)
    assert event.decoded("dtend") == utc(2025, 7, 1, 11, 30)
    (event,) = build(meeting(start=datetime.time(10, 30)))
    assert "dtend" not in event


def test_a_meeting_without_a_start_time_is_all_day():
    (event,) = build(meeting(day=datetime.date(2025, 12, 1)))
    assert event.decoded("dtstart") == datetime.date(2025, 12, 1)
    assert event.decoded("dtend") == datetime.date(2025, 12, 2)


def test_each_event_names_the_meeting_and_its_place_with_a_stable_uid():
    first, second = build(meeting(pk=7), meeting(pk=8, venue=""))
    assert str(first["summary"]) == "Integration Joint Board meeting"
    assert str(first["location"]) == "Kirkintilloch Town Hall"
    assert "location" not in second
    assert str(first["uid"]) == "meeting-7@hscp-reps-portal"
    assert [str(e["uid"]) for e in build(meeting(pk=7))] == ["meeting-7@hscp-reps-portal"]
    assert "https://reps.example.scot/my/meetings/" in str(first["description"])


def test_the_calendar_is_named_for_the_board():
    body = calendar.meetings_calendar(
        [], board_name="Fife IJB", zone=LONDON, now=NOW, link="https://x.example/"
    )
    parsed = icalendar.Calendar.from_ical(body)
    assert str(parsed["x-wr-calname"]) == "Meetings: Fife IJB"
    assert str(parsed["version"]) == "2.0"


# The feed, over the web


def test_the_feed_holds_the_reps_meetings_for_a_calendar_app_without_signing_in(client, alice, ijb):
    MeetingFactory(
        group=ijb,
        date=datetime.date(2025, 12, 3),
        start_time=datetime.time(14, 0),
        venue="Kirkintilloch Town Hall",
    )
    MeetingFactory(group=ijb, date=datetime.date(2026, 1, 14), venue="")
    response = client.get(feed_url(feed_of(alice)))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    december, january = events(response)
    assert december.decoded("dtstart") == utc(2025, 12, 3, 14, 0)
    assert str(december["location"]) == "Kirkintilloch Town Hall"
    assert str(december["summary"]) == "Integration Joint Board meeting"
    assert january.decoded("dtstart") == datetime.date(2026, 1, 14)


def test_a_cancelled_meeting_stays_in_the_calendar_marked_as_cancelled(client, alice, ijb, staff_a):
    meeting = MeetingFactory(group=ijb, date=datetime.date(2025, 12, 3))
    services.meeting_cancel(meeting=meeting, reason="Too few members could come.", by=staff_a)

    [event] = events(client.get(feed_url(feed_of(alice))))

    assert str(event["status"]) == "CANCELLED"
    assert str(event["summary"]) == "Cancelled: Integration Joint Board meeting"
    assert str(event["description"]).startswith("Cancelled: Too few members could come.")
    # The same event as before, so the calendar app changes it rather than adding another.
    assert str(event["uid"]) == calendar.meeting_uid(meeting)


def test_the_feed_has_only_the_reps_own_meetings_and_no_other_reps_name(
    client, alice, ijb, board_a, rep_a2, rep_b1
):
    amir = rep_a2.rep_profile
    ours = MeetingFactory(group=ijb, date=datetime.date(2025, 12, 3))
    AttendanceFactory(meeting=ours, rep=amir)
    AgendaItemFactory(meeting=ours, rep=amir, title="Amir's item about respite")
    # A group Alice has no seat in, and another board's meeting.
    MeetingFactory(group=GroupFactory(board=board_a, name="Audit committee"))
    MeetingFactory(group=GroupFactory(board=rep_b1.rep_profile.board, name="Fife IJB group"))

    response = client.get(feed_url(feed_of(alice)))
    body = response.content.decode()
    assert [str(e["uid"]) for e in events(response)] == [f"meeting-{ours.pk}@hscp-reps-portal"]
    for secret in ("Amir", "respite", "Audit committee", "Fife IJB group", "Alice"):
        assert secret not in body


def test_a_made_up_address_is_404(client, alice):
    feed_of(alice)
    response = client.get(reverse("reps:calendar_feed", kwargs={"token": "made-up-secret"}))
    assert response.status_code == 404


def test_the_address_is_long_random_and_not_the_reps_id(alice, rep_a2):
    first, second = feed_of(alice), feed_of(rep_a2.rep_profile)
    assert len(first.token) >= 43
    assert first.token != second.token
    assert str(alice.pk) != first.token


def test_resetting_the_address_ends_the_old_one_at_once(client, alice, ijb):
    old = feed_of(alice)
    old_url = feed_url(old)
    assert client.get(old_url).status_code == 200
    new = feed_of(alice)
    assert client.get(old_url).status_code == 404
    assert client.get(feed_url(new)).status_code == 200
    assert CalendarFeed.objects.filter(rep=alice).count() == 1


def test_a_reps_account_switched_off_has_no_feed(client, alice, ijb):
    feed = feed_of(alice)
    alice.user.is_active = False
    alice.user.save()
    assert client.get(feed_url(feed)).status_code == 404


def test_the_feed_is_read_only(client, alice):
    assert client.post(feed_url(feed_of(alice))).status_code == 405


def test_the_secret_is_never_logged(client, alice, ijb, caplog):
    feed = feed_of(alice)
    mistyped = feed.token[:-1] + ("A" if feed.token[-1] != "A" else "B")
    with caplog.at_level(logging.DEBUG):
        assert client.get(feed_url(feed)).status_code == 200
        assert client.get(reverse("reps:calendar_feed", args=[mistyped])).status_code == 404
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert feed.token not in logged
    assert mistyped not in logged


@override_settings(REQUIRE_MFA=True)
def test_staff_who_have_not_given_their_second_factor_still_get_a_plain_404(client, staff_a):
    # A calendar app never has a second factor: the feed must not send anyone to enter a code.
    client.force_login(staff_a)
    response = client.get(reverse("reps:calendar_feed", args=["made-up-secret"]))
    assert response.status_code == 404


def test_the_feed_needs_the_same_queries_however_many_meetings(client, alice, ijb, board_a):
    feed = feed_of(alice)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(feed_url(feed)).status_code == 200
        return len(queries)

    MeetingFactory(group=ijb, date=datetime.date(2025, 12, 3))
    once = count()
    for week in range(1, 20):
        group = GroupFactory(board=board_a)
        TermFactory(rep=alice, seat=SeatFactory(group=group), start=datetime.date(2024, 4, 1))
        MeetingFactory(group=group, date=TODAY + datetime.timedelta(weeks=week))
    assert count() == once
    assert once <= 3, once


def test_the_feed_reaches_back_three_months_and_forward_to_every_planned_meeting(
    client, alice, ijb
):
    MeetingFactory(group=ijb, date=TODAY - datetime.timedelta(days=200))
    recent = MeetingFactory(group=ijb, date=TODAY - datetime.timedelta(days=30))
    later = MeetingFactory(group=ijb, date=TODAY + datetime.timedelta(days=300))
    uids = [str(e["uid"]) for e in events(client.get(feed_url(feed_of(alice))))]
    assert uids == [f"meeting-{m.pk}@hscp-reps-portal" for m in (recent, later)]


# Getting and resetting the address from the rep's meetings page


def test_the_meetings_page_offers_a_calendar_address_until_the_rep_asks(client, alice):
    sign_in(client, alice.user)
    page = client.get(reverse("reps:my_meetings")).content.decode()
    assert "Get your calendar address" in page
    assert "/calendar/" not in page
    assert not CalendarFeed.objects.exists()

    response = client.post(reverse("reps:my_calendar_address"))
    assert response.status_code == 302
    assert response.url == reverse("reps:my_meetings") + "#calendar"
    feed = CalendarFeed.objects.get(rep=alice)
    page = client.get(response.url).content.decode()
    assert f"http://localhost:8000{feed_url(feed)}" in page
    assert "Add Subscribed Calendar" in page
    assert "From URL" in page
    assert "Reset the address" in page


def test_the_rep_confirms_before_the_address_is_reset(client, alice, ijb):
    old = feed_of(alice)
    old_token = old.token
    sign_in(client, alice.user)
    confirm = client.get(reverse("reps:my_calendar_address"))
    assert "Reset your calendar address?" in confirm.content.decode()
    assert CalendarFeed.objects.get(rep=alice).token == old_token

    response = client.post(reverse("reps:my_calendar_address"), follow=True)
    page = response.content.decode()
    assert "The old address no longer works" in page
    new = CalendarFeed.objects.get(rep=alice)
    assert new.token != old_token
    assert new.token in page and old_token not in page
    client.logout()
    assert client.get(reverse("reps:calendar_feed", args=[old_token])).status_code == 404


def test_only_the_rep_or_their_boards_staff_may_reset_the_address(alice, rep_a2, staff_a, staff_b):
    for outsider in (rep_a2, staff_b):
        with pytest.raises(PermissionDenied):
            services.calendar_feed_reset(rep=alice, by=outsider)
    assert services.calendar_feed_reset(rep=alice, by=staff_a).rep == alice


# Staff give the meeting's start time; it reaches the rep's calendar and pages


def meeting_form(group, **overrides):
    data = {"group": group.pk, "date": "03/12/2025", "venue": "Kirkintilloch Town Hall"}
    data.update(overrides)
    return data


def test_staff_give_a_start_time_that_reaches_the_reps_calendar(client, alice, ijb, staff_a):
    sign_in(client, staff_a)
    client.post(reverse("reps:staff_meeting_create"), meeting_form(ijb, start_time="14:30"))
    assert Meeting.objects.get().start_time == datetime.time(14, 30)
    client.logout()
    (event,) = events(client.get(feed_url(feed_of(alice))))
    assert event.decoded("dtstart") == utc(2025, 12, 3, 14, 30)


@pytest.mark.parametrize("typed", ["25:00", "half ten", "14:75"])
def test_a_start_time_that_is_not_a_time_is_refused_and_nothing_is_lost(
    client, ijb, staff_a, typed
):
    sign_in(client, staff_a)
    response = client.post(
        reverse("reps:staff_meeting_create"), meeting_form(ijb, start_time=typed)
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter the start time on the 24-hour clock, for example 10:30 or 14:00." in page
    assert 'value="Kirkintilloch Town Hall"' in page
    assert f'value="{typed}"' in page
    assert not Meeting.objects.exists()


def test_staff_give_a_finish_time_that_the_rep_reads_and_the_calendar_keeps(
    client, alice, ijb, staff_a
):
    sign_in(client, staff_a)
    form = meeting_form(ijb, start_time="10:30", end_time="12.30")
    response = client.post(reverse("reps:staff_meeting_create"), form, follow=True)
    assert "10:30am to 12:30pm" in response.content.decode()
    assert Meeting.objects.get().end_time == datetime.time(12, 30)
    client.logout()
    (event,) = events(client.get(feed_url(feed_of(alice))))
    assert event.decoded("dtend") == utc(2025, 12, 3, 12, 30)


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("", "12:30", "Enter the start time as well as the finish time."),
        ("14:00", "12:30", "The finish time must be after the start time."),
        ("14:00", "14:00", "The finish time must be after the start time."),
        ("14:00", "half two", "Enter the finish time on the 24-hour clock"),
    ],
)
def test_a_finish_time_without_a_start_or_before_it_is_refused_and_nothing_is_lost(
    client, ijb, staff_a, start, end, message
):
    sign_in(client, staff_a)
    form = meeting_form(ijb, start_time=start, end_time=end)
    response = client.post(reverse("reps:staff_meeting_create"), form)
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    assert f'value="{end}"' in page and 'value="Kirkintilloch Town Hall"' in page
    assert not Meeting.objects.exists()


def test_the_database_refuses_a_finish_time_before_the_start_whatever_wrote_it(ijb, staff_a):
    meeting = services.meeting_create(
        board=ijb.board, group=ijb, date=datetime.date(2025, 12, 3), by=staff_a
    )
    with pytest.raises(ValidationError, match="must have a start time, and finish after it"):
        services.meeting_update(meeting=meeting, end_time=datetime.time(12, 30), by=staff_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(end_time=datetime.time(12, 30))
