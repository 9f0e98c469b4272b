"""A rep's meetings as an iCalendar feed, for the calendar app on their phone.

Pure: the feed is built from the meetings it is given, with "now" and the time zone passed in, so
tests need no database and no clock. The feed says only what the rep's own calendar needs, the
meeting, when and where: no other rep's name, no attendance, no agenda.
"""

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, tzinfo

from icalendar import Calendar, Event, vDuration

from reps.models import Meeting

PRODUCT_ID = "-//HSCP representatives portal//Meetings calendar//EN"
# Calendar apps that honour these look for changes twice a day; most choose for themselves.
REFRESH_EVERY = timedelta(hours=12)


def meeting_uid(meeting: Meeting) -> str:
    """The same for a meeting however often it is fetched, so a changed date moves the event
    in the rep's calendar rather than adding a second one."""
    return f"meeting-{meeting.pk}@hscp-reps-portal"


def meeting_summary(meeting: Meeting) -> str:
    # In the title as well as the status: some calendar apps show no status at all.
    cancelled = "Cancelled: " if meeting.is_cancelled else ""
    return f"{cancelled}{meeting.group.name} meeting"


def meeting_event(meeting: Meeting, *, zone: tzinfo, now: datetime, link: str) -> Event:
    """One meeting as an event: from its start time to its finish time where staff have given
    them (a calendar app shows a start alone as a moment, or as an hour), else all day.

    Times go out in UTC, which every calendar app reads the same way, rather than with a
    time-zone definition that some apps ignore or misread.
    """
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", now.astimezone(UTC))
    event.add("summary", meeting_summary(meeting))
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    if meeting.start_time is None:
        event.add("dtstart", meeting.date)
        event.add("dtend", meeting.date + timedelta(days=1))
    else:
        start = datetime.combine(meeting.date, meeting.start_time, tzinfo=zone)
        event.add("dtstart", start.astimezone(UTC))
        if meeting.end_time is not None:
            end = datetime.combine(meeting.date, meeting.end_time, tzinfo=zone)
            event.add("dtend", end.astimezone(UTC))
    if meeting.venue:
        event.add("location", meeting.venue)
    reason = f"Cancelled: {meeting.cancelled_reason}\n\n" if meeting.cancelled_reason else ""
    event.add("description", f"{reason}Your meetings in the portal: {link}")
    event.add("url", link)
    return event


def meetings_calendar(
    meetings: Iterable[Meeting], *, board_name: str, zone: tzinfo, now: datetime, link: str
) -> bytes:
    """The feed: one event per meeting, named for the board so the rep knows it in their app.

    `link` is the rep's meetings page in the portal (behind sign-in).
    """
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = f"Meetings: {board_name}"
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", REFRESH_EVERY, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH_EVERY))
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, zone=zone, now=now, link=link))
    return calendar.to_ical()
