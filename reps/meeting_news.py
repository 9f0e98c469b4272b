"""Telling reps that a meeting of their group is called off, or going ahead after all.

Only meetings still to come: cancelling a past meeting corrects the record and tells nobody.
Each task takes the meeting's id alone and reads the rest when it runs, so no name or address
sits in the task table, and a meeting reinstated before the email goes sends no cancellation.
"""

from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from portal.core.links import absolute_url
from reps import contact
from reps.models import Meeting, Rep, Term
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


def still_to_come(meeting: Meeting) -> bool:
    return meeting.date >= timezone.localdate()


@task
def email_meeting_cancelled(meeting_id: int) -> int:
    return _tell(meeting_id, cancelled=True)


@task
def email_meeting_reinstated(meeting_id: int) -> int:
    return _tell(meeting_id, cancelled=False)


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
    sent = 0
    for rep in reps_to_tell(meeting):
        address = contact.email_for(rep)
        if not address:
            continue
        body = render_to_string(
            f"reps/email/meeting_{'cancelled' if cancelled else 'reinstated'}.txt",
            {**context, "rep": rep, "signs_in": contact.signs_in(rep)},
        )
        # One email each, so that nobody's address is shown to the others.
        sent += EmailMessage(subject, body, to=[address]).send()
    return sent
