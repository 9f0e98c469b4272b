"""Telling staff that a rep asked for training or support, and the rep what the answer is.

Each task takes ids alone and reads the rest when it runs, so no name, address or request sits in
the task table; a request answered or withdrawn before the email goes sends nothing stale.
"""

from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse

from portal.core.links import absolute_url
from reps import access, contact
from reps.models import SupportRequest
from reps.recruitment import contact_for


@task
def email_support_requested(request_id: int) -> int:
    """Tell the staff who manage the board's reps that a rep asked for something. The email
    names neither the rep nor the request: the link leads to both, behind sign-in."""
    request = (
        SupportRequest.objects.select_related("rep__board")
        .filter(pk=request_id, status=SupportRequest.Status.ASKED)
        .first()
    )
    # Answered or withdrawn meanwhile, or gone: there is nothing to ask for.
    if request is None:
        return 0
    board = request.rep.board
    body = render_to_string(
        "reps/email/support_requested.txt",
        {
            "board": board,
            "kind": request.get_kind_display().lower(),
            "link": absolute_url(reverse("reps:staff_support_request", args=[request.pk])),
        },
    )
    managers = access.rep_managers_to_email(board).values_list("email", flat=True)
    return contact.send_to_each(managers, f"A rep asks for help ({board.name})", body)


@task
def email_support_answered(request_id: int, status: str) -> int:
    """Tell the rep the answer to their request. Answered again before the email went, it tells
    the answer that stands, in its own email."""
    request = (
        SupportRequest.objects.select_related("rep__board", "rep__user")
        .filter(pk=request_id, status=status)
        .first()
    )
    if request is None:
        return 0
    return contact.send_to_reps(
        [request.rep],
        f"Your request: {request.get_status_display().lower()}",
        "reps/email/support_answered.txt",
        {
            "request": request,
            "contact": contact_for(request.rep.board),
            "link": absolute_url(reverse("reps:my_training")),
        },
    )
