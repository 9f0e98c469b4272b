"""Telling the board's reps that their self-assessment is open for their scores, and the staff who
lead it that the reps have submitted theirs.

Many reps sign in only now and then: without an email, the reps' side of the assessment waits
on someone happening to look. Each task takes the assessment's id alone and reads the rest when
it runs, so no name or address sits in the task table, and an assessment that has moved on
meanwhile (published, its reps' window closed) sends nothing out of date.
"""

from datetime import date

from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from portal.core.access import Permission, staff_to_email
from portal.core.links import absolute_url
from reps import contact
from reps.models import Rep, Term
from reps.recruitment import contact_for
from standards.models import Assessment, Perspective
from standards.states import AssessmentStatus, PerspectiveStatus, Side


def reps_in_post(assessment: Assessment, day: date) -> list[Rep]:
    """The reps holding a seat on the board on `day` who sign in: whose scores are asked for."""
    terms = (
        Term.objects.with_end()
        .filter(seat__board=assessment.board_id, start__lte=day, end__gte=day)
        .select_related("rep__user")
        .order_by("rep__full_name")
    )
    reps = {term.rep_id: term.rep for term in terms}.values()
    return [rep for rep in reps if contact.signs_in(rep)]


def _assessment(assessment_id: int) -> Assessment | None:
    return Assessment.objects.select_related("board").filter(pk=assessment_id).first()


def _reps_side(assessment: Assessment) -> Perspective:
    return assessment.perspectives.get(side=Side.REPS)


@task
def email_reps_scores_asked(assessment_id: int) -> int:
    """Ask the board's reps for their scores, once the assessment is open."""
    assessment = _assessment(assessment_id)
    if assessment is None or assessment.status != AssessmentStatus.DRAFT:
        return 0
    if _reps_side(assessment).status != PerspectiveStatus.DRAFT:
        return 0
    subject = f"Your board's self-assessment for {assessment.year_label} is open"
    context = {
        "assessment": assessment,
        "contact": contact_for(assessment.board),
        "link": absolute_url(reverse("standards:assessment_detail", args=[assessment.pk])),
    }
    sent = 0
    for rep in reps_in_post(assessment, timezone.localdate()):
        if address := contact.email_for(rep):
            body = render_to_string(
                "standards/email/reps_scores_asked.txt", {**context, "rep": rep}
            )
            sent += EmailMessage(subject, body, to=[address]).send()
    return sent


@task
def email_reps_scores_submitted(assessment_id: int) -> int:
    """Tell the staff who lead the board's self-assessment that the reps have submitted."""
    assessment = _assessment(assessment_id)
    if assessment is None or _reps_side(assessment).status != PerspectiveStatus.SUBMITTED:
        return 0
    body = render_to_string(
        "standards/email/reps_scores_submitted.txt",
        {
            "assessment": assessment,
            "link": absolute_url(reverse("standards:assessment_detail", args=[assessment.pk])),
        },
    )
    leads = staff_to_email(assessment.board, Permission.LEAD_ASSESSMENT)
    subject = f"The reps have submitted their scores for {assessment.year_label}"
    return contact.send_to_each(leads.values_list("email", flat=True), subject, body)
