"""Telling reps that a meeting of their group is called off, or going ahead after all, and that
an item they put on an agenda is taken to another meeting; telling staff that a rep put an item
forward, or sent apologies.

Only meetings still to come: cancelling a past meeting corrects the record and tells nobody.
Each task takes ids alone and reads the rest when it runs, so no name or address sits in the
task table, and a meeting reinstated before the email goes sends no cancellation.
"""

from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from portal.core.links import absolute_url
from reps import access, contact
from reps.models import AgendaItem, Attendance, Meeting, Rep, Term
from reps.recruitment import contact_for


def reps_to_tell(meeting: Meeting) -> list[Rep]:
    """The reps who hold a seat in the meeting's group on its day, with their accounts."""
    terms = (
        Term.objects.with_end()
        .filter(seat__group=meeting.group_id, start__lte=meeting.date, end__gte=meeting.date)
        .select_related("rep__user")
        .order_by("rep__full_name")
    )
    return list({term.rep_id: term.rep for term in terms}.values())


def reps_to_tell_of_move(item: AgendaItem) -> list[Rep]:
    """Who hears that an item is taken to another meeting: the rep who put it forward, or,
    for an item of the reps together, the reps of the meeting it is taken to."""
    if item.rep is not None:
        return [item.rep]
    return reps_to_tell(item.meeting)


def still_to_come(meeting: Meeting) -> bool:
    return meeting.date >= timezone.localdate()


@task
def email_meeting_cancelled(meeting_id: int) -> int:
    return _tell(meeting_id, cancelled=True)


@task
def email_meeting_reinstated(meeting_id: int) -> int:
    return _tell(meeting_id, cancelled=False)


@task
def email_agenda_item_moved(item_id: int, from_meeting_id: int) -> int:
    item = (
        AgendaItem.objects.select_related("meeting__board", "meeting__group", "rep__user")
        .filter(pk=item_id)
        .first()
    )
    moved_from = Meeting.objects.select_related("group").filter(pk=from_meeting_id).first()
    # Moved back meanwhile, or gone: there is nothing to tell.
    if item is None or moved_from is None or item.meeting_id == moved_from.pk:
        return 0
    context = {
        "item": item,
        "meeting": item.meeting,
        "moved_from": moved_from,
        "contact": contact_for(item.meeting.board),
        "link": absolute_url(reverse("reps:my_meetings")),
    }
    return contact.send_to_reps(
        reps_to_tell_of_move(item),
        f"Your agenda item is moved to the meeting on {item.meeting.date:%-d %B %Y}",
        "reps/email/agenda_item_moved.txt",
        context,
    )


@task
def email_agenda_item_decided(item_id: int, status: str) -> int:
    """Tell the rep who put an item forward what was decided. Decided again before the email
    went, it tells the decision that stands, in its own email."""
    item = (
        AgendaItem.objects.select_related("meeting__board", "meeting__group", "rep__user")
        .filter(pk=item_id, status=status, rep__isnull=False)
        .first()
    )
    if item is None:
        return 0
    context = {
        "item": item,
        "meeting": item.meeting,
        "contact": contact_for(item.meeting.board),
        "link": absolute_url(reverse("reps:my_meetings")),
    }
    return contact.send_to_reps(
        [item.rep],
        f"Your agenda item is {item.get_status_display().lower()}",
        "reps/email/agenda_item_decided.txt",
        context,
    )


@task
def email_agenda_item_put_forward(item_id: int) -> int:
    """Tell the staff who manage the board's reps that a rep put an item forward. The email
    names neither the rep nor the item: the link leads to both, behind sign-in."""
    item = (
        AgendaItem.objects.select_related("meeting__board", "meeting__group")
        .filter(pk=item_id)
        .first()
    )
    # Gone meanwhile, or already decided: there is nothing to ask for.
    if item is None or item.status != AgendaItem.Status.SUBMITTED:
        return 0
    meeting = item.meeting
    subject = (
        f"An item is put forward for the {meeting.group.name} meeting on {meeting.date:%-d %B %Y}"
    )
    body = render_to_string(
        "reps/email/agenda_item_put_forward.txt",
        {
            "meeting": meeting,
            "link": absolute_url(reverse("reps:staff_agenda_item_edit", args=[item.pk])),
        },
    )
    managers = access.rep_managers_to_email(meeting.board).values_list("email", flat=True)
    return contact.send_to_each(managers, subject, body)


@task
def email_apologies_sent(attendance_id: int) -> int:
    """Tell the staff who manage the board's reps that a rep sent apologies for a meeting. The
    email names nobody: the link leads to the meeting, behind sign-in."""
    attendance = (
        Attendance.objects.select_related("meeting__board", "meeting__group")
        .filter(pk=attendance_id, status=Attendance.Status.APOLOGIES)
        .first()
    )
    # Taken back meanwhile, or the meeting called off: there is nothing to tell.
    if attendance is None or attendance.meeting.is_cancelled:
        return 0
    meeting = attendance.meeting
    body = render_to_string(
        "reps/email/apologies_sent.txt",
        {
            "meeting": meeting,
            "link": absolute_url(reverse("reps:staff_meeting_detail", args=[meeting.pk])),
        },
    )
    subject = f"Apologies for the {meeting.group.name} meeting on {meeting.date:%-d %B %Y}"
    managers = access.rep_managers_to_email(meeting.board).values_list("email", flat=True)
    return contact.send_to_each(managers, subject, body)


def _tell(meeting_id: int, *, cancelled: bool) -> int:
    meeting = Meeting.objects.select_related("board", "group").filter(pk=meeting_id).first()
    if meeting is None or meeting.is_cancelled != cancelled or not still_to_come(meeting):
        return 0
    what = "is cancelled" if cancelled else "is going ahead after all"
    subject = f"The {meeting.group.name} meeting on {meeting.date:%-d %B %Y} {what}"
    context = {
        "meeting": meeting,
        "contact": contact_for(meeting.board),
        "link": absolute_url(reverse("reps:my_meetings")),
    }
    return contact.send_to_reps(
        reps_to_tell(meeting),
        subject,
        f"reps/email/meeting_{'cancelled' if cancelled else 'reinstated'}.txt",
        context,
    )
