"""Telling the board's reps that their self-assessment is open for their scores, again a few days
before their deadline, when the staff's scores are in beside theirs and when it is published;
and the staff who lead it that the reps have submitted theirs.

Many reps sign in only now and then: without an email, the reps' side of the assessment waits
on someone happening to look. Each task takes the assessment's id alone and reads the rest when
it runs, so no name or address sits in the task table, and an assessment that has moved on
meanwhile (published, its reps' window closed) sends nothing out of date.
"""

from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from portal.core.access import Permission, staff_to_email
from portal.core.links import absolute_url
from reps import contact
from reps.recruitment import contact_for
from standards.models import AreaForDevelopment, Assessment, Perspective
from standards.states import AssessmentStatus, PerspectiveStatus, Side


def _assessment(assessment_id: int) -> Assessment | None:
    return Assessment.objects.select_related("board").filter(pk=assessment_id).first()


def _reps_side(assessment: Assessment) -> Perspective:
    return assessment.perspectives.get(side=Side.REPS)


def _still_with_the_reps(assessment_id: int) -> Assessment | None:
    """The assessment, if it is a draft whose reps' scores are still a draft."""
    assessment = _assessment(assessment_id)
    if assessment is None or assessment.status != AssessmentStatus.DRAFT:
        return None
    if _reps_side(assessment).status != PerspectiveStatus.DRAFT:
        return None
    return assessment


def _email_reps(assessment: Assessment, subject: str, template: str, **context) -> int:
    """Send `template` to each of the board's reps in post who signs in; the number sent."""
    context = {
        "assessment": assessment,
        "contact": contact_for(assessment.board),
        "link": absolute_url(reverse("standards:assessment_detail", args=[assessment.pk])),
        **context,
    }
    sent = 0
    for rep in contact.reps_in_post_who_sign_in(assessment.board_id, timezone.localdate()):
        if address := contact.email_for(rep):
            body = render_to_string(template, {**context, "rep": rep})
            sent += EmailMessage(subject, body, to=[address]).send()
    return sent


@task
def email_reps_scores_asked(assessment_id: int) -> int:
    """Ask the board's reps for their scores, once the assessment is open."""
    assessment = _still_with_the_reps(assessment_id)
    if assessment is None:
        return 0
    return _email_reps(
        assessment,
        f"Your board's self-assessment for {assessment.year_label} is open",
        "standards/email/reps_scores_asked.txt",
    )


@task
def email_reps_scores_due(assessment_id: int) -> int:
    """Remind the board's reps that their scores are due soon (`services.reps_reminders_send`)."""
    assessment = _still_with_the_reps(assessment_id)
    if assessment is None or assessment.reps_deadline is None:
        return 0
    perspective = _reps_side(assessment)
    perspective.assessment = assessment
    due = assessment.reps_deadline.strftime("%-d %B")
    return _email_reps(
        assessment,
        f"Your board's self-assessment: the reps' scores are due by {due}",
        "standards/email/reps_scores_due.txt",
        unanswered=len(perspective.unanswered()),
        areas=AreaForDevelopment.objects.filter(
            recommendation__framework_id=assessment.framework_id
        ).count(),
    )


@task
def email_reps_staff_scores_in(assessment_id: int) -> int:
    """Tell the board's reps, who have sent their scores, that the staff's are in too: each
    side now sees the other's beside its own."""
    assessment = _assessment(assessment_id)
    if assessment is None or assessment.status != AssessmentStatus.DRAFT:
        return 0
    sides = dict(assessment.perspectives.values_list("side", "status"))
    if set(sides.values()) != {PerspectiveStatus.SUBMITTED}:
        return 0
    return _email_reps(
        assessment,
        f"Your board's self-assessment for {assessment.year_label}: the staff's scores are in",
        "standards/email/reps_staff_scores_in.txt",
    )


@task
def email_reps_assessment_published(assessment_id: int) -> int:
    """Tell the board's reps that the self-assessment they scored is published."""
    assessment = _assessment(assessment_id)
    if assessment is None or assessment.status != AssessmentStatus.PUBLISHED:
        return 0
    return _email_reps(
        assessment,
        f"Your board's self-assessment for {assessment.year_label} is published",
        "standards/email/reps_assessment_published.txt",
        public_link=absolute_url(reverse("public_board", args=[assessment.board.slug])),
    )


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
