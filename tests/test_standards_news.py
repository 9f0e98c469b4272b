"""The board's reps are asked for their scores by email when the self-assessment opens, and the
staff who lead it hear when the reps have submitted. Only reps in post who sign in are asked;
a task run after the assessment has moved on sends nothing."""

import pytest
from django.core import mail
from django.urls import reverse

from standards import news, services
from standards.states import Side
from tests.factories import RepFactory, StaffMembershipFactory, in_post
from tests.standards_fixtures import DEADLINE, WHEN, YEAR, answer_all, submit

pytestmark = pytest.mark.django_db


def start(board, staff, capture):
    with capture(execute=True):
        return services.assessment_start(
            board=board, financial_year=YEAR, by=staff, reps_deadline=DEADLINE, now=WHEN
        )


def test_the_reps_in_post_who_sign_in_are_asked_for_their_scores(
    board_a, board_b, staff_a, rep_a1, rep_a2, django_capture_on_commit_callbacks
):
    in_post(rep_a1.rep_profile, board_a)
    in_post(rep_a2.rep_profile, board_a)
    no_email = in_post(RepFactory(board=board_a, full_name="Nell Rep"), board_a)
    no_email.contact_by_email = False
    no_email.save()
    in_post(RepFactory(board=board_a, user=None, email="paper@example.org"), board_a)
    in_post(
        RepFactory(board=board_a, user__email="left@example.org"),
        board_a,
        days_ago=900,
        days_on=-30,
    )
    in_post(RepFactory(board=board_b, user__email="fife@example.org"), board_b)

    assessment = start(board_a, staff_a, django_capture_on_commit_callbacks)

    assert sorted(message.to[0] for message in mail.outbox) == [rep_a1.email, rep_a2.email]
    message = mail.outbox[0]
    assert message.subject == f"Your board's self-assessment for {assessment.year_label} is open"
    assert "They are due by Saturday 1 March 2025." in message.body
    assert reverse("standards:assessment_detail", args=[assessment.pk]) in message.body
    assert "one of you sends them in for all" in message.body


def test_an_assessment_published_or_closed_to_the_reps_before_the_email_sends_nothing(
    board_a, staff_a, rep_a1
):
    in_post(rep_a1.rep_profile, board_a)
    assessment = services.assessment_start(
        board=board_a, financial_year=YEAR, by=staff_a, reps_deadline=DEADLINE, now=WHEN
    )
    submit(assessment, Side.REPS, rep_a1)
    assert news.email_reps_scores_asked.call(assessment.pk) == 0
    assert news.email_reps_scores_asked.call(assessment.pk + 1000) == 0
    assert mail.outbox == []


def test_the_leads_hear_when_the_reps_submit_and_not_when_staff_do(
    board_a, board_b, staff_a, rep_a1, django_capture_on_commit_callbacks
):
    StaffMembershipFactory(board=board_a, can_lead_assessment=False, user__email="no@example.org")
    StaffMembershipFactory(board=board_b, user__email="fife.lead@example.org")
    assessment = services.assessment_start(
        board=board_a, financial_year=YEAR, by=staff_a, reps_deadline=DEADLINE, now=WHEN
    )
    with django_capture_on_commit_callbacks(execute=True):
        submit(assessment, Side.STAFF, staff_a)
    assert mail.outbox == []

    reps = answer_all(assessment, Side.REPS, rep_a1)
    with django_capture_on_commit_callbacks(execute=True):
        services.perspective_submit(perspective=reps, by=rep_a1, now=WHEN)
    [message] = mail.outbox
    assert message.to == [staff_a.email]
    assert message.subject == f"The reps have submitted their scores for {assessment.year_label}"
    assert "Alice" not in message.body


def test_the_reps_hear_when_the_staffs_scores_come_in_after_theirs(
    board_a, staff_a, rep_a1, rep_a2, django_capture_on_commit_callbacks
):
    in_post(rep_a1.rep_profile, board_a)
    in_post(rep_a2.rep_profile, board_a)
    assessment = services.assessment_start(
        board=board_a, financial_year=YEAR, by=staff_a, reps_deadline=DEADLINE, now=WHEN
    )
    submit(assessment, Side.REPS, rep_a1)
    with django_capture_on_commit_callbacks(execute=True):
        submit(assessment, Side.STAFF, staff_a)

    assert sorted(message.to[0] for message in mail.outbox) == [rep_a1.email, rep_a2.email]
    message = mail.outbox[0]
    assert message.subject == (
        f"Your board's self-assessment for {assessment.year_label}: the staff's scores are in"
    )
    assert "you can now see both side by side" in message.body
    assert reverse("standards:assessment_detail", args=[assessment.pk]) in message.body


def test_the_reps_still_scoring_do_not_hear_of_the_staffs_scores(
    board_a, staff_a, rep_a1, django_capture_on_commit_callbacks
):
    in_post(rep_a1.rep_profile, board_a)
    assessment = services.assessment_start(
        board=board_a, financial_year=YEAR, by=staff_a, reps_deadline=DEADLINE, now=WHEN
    )
    with django_capture_on_commit_callbacks(execute=True):
        submit(assessment, Side.STAFF, staff_a)
    assert mail.outbox == []
    assert news.email_reps_staff_scores_in.call(assessment.pk) == 0


def test_the_reps_hear_when_the_assessment_is_published(
    board_a, staff_a, rep_a1, django_capture_on_commit_callbacks
):
    in_post(rep_a1.rep_profile, board_a)
    assessment = services.assessment_start(
        board=board_a, financial_year=YEAR, by=staff_a, reps_deadline=DEADLINE, now=WHEN
    )
    submit(assessment, Side.REPS, rep_a1)
    submit(assessment, Side.STAFF, staff_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_publish(assessment=assessment, by=staff_a, now=WHEN)

    [message] = mail.outbox
    assert message.to == [rep_a1.email]
    assert message.subject == (
        f"Your board's self-assessment for {assessment.year_label} is published"
    )
    assert reverse("public_board", args=[board_a.slug]) in message.body

    # Reopened before the task ran: nothing is said of a publication undone.
    services.assessment_reopen(assessment=assessment, by=staff_a, reason="A typing mistake")
    assert news.email_reps_assessment_published.call(assessment.pk) == 0
