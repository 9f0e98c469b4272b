"""A few days before the reps' deadline, the board's reps whose scores are still a draft are
reminded by email: once for each deadline, never after they have sent their scores in, and
again if the deadline moves."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from standards import services
from standards.models import Assessment
from standards.states import Side
from tests.factories import RepFactory, in_post
from tests.standards_fixtures import YEAR, answer_all, side, submit
from tests.state_machines import run_machines

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def open_assessment(board, lead, *, deadline_in: int | None) -> Assessment:
    deadline = None if deadline_in is None else TODAY + timedelta(days=deadline_in)
    return services.assessment_start(
        board=board, financial_year=YEAR, by=lead, reps_deadline=deadline, notify=False
    )


def send(capture, today=TODAY) -> int:
    with capture(execute=True):
        return services.reps_reminders_send(today=today)


def test_the_reps_are_reminded_once_in_the_week_before_their_deadline(
    board_a, staff_a, rep_a1, rep_a2, django_capture_on_commit_callbacks
):
    in_post(rep_a1.rep_profile, board_a)
    in_post(rep_a2.rep_profile, board_a)
    left = RepFactory(board=board_a, user__email="left@example.org")
    in_post(left, board_a, days_ago=900, days_on=-30)
    assessment = open_assessment(board_a, staff_a, deadline_in=5)
    answer_all(assessment, Side.REPS, rep_a1, now=None)
    reps = side(assessment, Side.REPS)
    reps.responses.order_by("pk").first().delete()

    assert send(django_capture_on_commit_callbacks) == 1

    assert sorted(message.to[0] for message in mail.outbox) == [rep_a1.email, rep_a2.email]
    message = mail.outbox[0]
    due = assessment.reps_deadline
    assert message.subject == (
        f"Your board's self-assessment: the reps' scores are due by {due.day} {due:%B}"
    )
    assert f"are due by {due.strftime('%A')} {due.day} {due:%B %Y}" in message.body
    assert "1 of the 20 areas still needs a score" in message.body
    assert reverse("standards:assessment_detail", args=[assessment.pk]) in message.body

    mail.outbox.clear()
    assert send(django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


def test_a_deadline_more_than_a_week_off_or_gone_is_not_reminded_of(
    board_a, staff_a, rep_a1, django_capture_on_commit_callbacks
):
    in_post(rep_a1.rep_profile, board_a)
    assessment = open_assessment(board_a, staff_a, deadline_in=8)
    assert send(django_capture_on_commit_callbacks) == 0
    assert send(django_capture_on_commit_callbacks, TODAY + timedelta(days=9)) == 0
    assert send(django_capture_on_commit_callbacks, TODAY + timedelta(days=1)) == 1
    assert [message.to for message in mail.outbox] == [[rep_a1.email]]
    assert "None of the 20 areas has a score yet." in mail.outbox[0].body
    assessment.refresh_from_db()
    assert assessment.reps_reminded_of == assessment.reps_deadline


@override_settings(REPS_REMINDER_DAYS=2)
def test_the_days_before_are_a_setting(board_a, staff_a, django_capture_on_commit_callbacks):
    open_assessment(board_a, staff_a, deadline_in=3)
    assert send(django_capture_on_commit_callbacks) == 0
    assert send(django_capture_on_commit_callbacks, TODAY + timedelta(days=1)) == 1


def test_reps_who_have_sent_their_scores_in_are_not_reminded(
    board_a, staff_a, rep_a1, django_capture_on_commit_callbacks
):
    in_post(rep_a1.rep_profile, board_a)
    assessment = open_assessment(board_a, staff_a, deadline_in=3)
    submit(assessment, Side.REPS, rep_a1, now=None)
    assert send(django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


def test_the_command_says_how_many_it_reminded(
    board_a, staff_a, rep_a1, django_capture_on_commit_callbacks, capsys
):
    in_post(rep_a1.rep_profile, board_a)
    open_assessment(board_a, staff_a, deadline_in=0)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders")
    assert (
        "Reps reminded of a deadline within 7 days: 1 self-assessment." in capsys.readouterr().out
    )
    assert [message.to for message in mail.outbox] == [[rep_a1.email]]


# Any sequence of days, deadlines, submissions and runs


def _noon(day) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


class RemindersMachine(RuleBasedStateMachine):
    """One board's assessment, its reps' scores and the scheduler's daily run, over days. The
    model: the day, the deadline, whether the reps' scores are a draft, and the deadline the
    reps were last reminded of."""

    def __init__(self, *, board, lead, rep, capture):
        super().__init__()
        self.lead, self.rep, self.capture = lead, rep, capture
        # Each run's records go when it ends: the service looks at every board's assessments.
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        # Inside the week before the deadline: a run of the scheduler straight away reminds.
        self.assessment = open_assessment(board, lead, deadline_in=5)
        self.today = TODAY
        self.deadline = self.assessment.reps_deadline
        self.draft = True
        self.reminded_of = None
        self.reminders = 0

    def teardown(self):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    @rule(days=st.integers(1, 4))
    def days_pass(self, days):
        self.today += timedelta(days=days)

    @rule(days=st.one_of(st.none(), st.integers(0, 12)))
    def the_lead_moves_the_deadline(self, days):
        deadline = None if days is None else self.today + timedelta(days=days)
        services.reps_deadline_set(
            assessment=self.assessment, deadline=deadline, by=self.lead, now=_noon(self.today)
        )
        self.deadline = deadline

    @rule()
    def the_reps_send_their_scores_in(self):
        if self.draft:
            submit(self.assessment, Side.REPS, self.rep, now=_noon(self.today))
            self.draft = False

    @rule()
    def the_lead_reopens_the_reps_scores(self):
        if not self.draft:
            services.perspective_reopen(
                perspective=side(self.assessment, Side.REPS),
                by=self.lead,
                reason="A score was entered in the wrong place",
            )
            self.draft = True

    @rule()
    def the_scheduler_runs(self):
        due = (
            self.draft
            and self.deadline is not None
            and self.today <= self.deadline <= self.today + timedelta(days=7)
            and self.reminded_of != self.deadline
        )
        before = len(mail.outbox)
        assert send(self.capture, self.today) == int(due)
        assert [message.to for message in mail.outbox[before:]] == [[self.rep.email]] * int(due)
        if due:
            self.reminded_of = self.deadline
            self.reminders += 1

    @invariant()
    def the_record_is_the_model(self):
        self.assessment.refresh_from_db()
        assert self.assessment.reps_reminded_of == self.reminded_of


def test_any_sequence_reminds_once_for_each_deadline_while_the_scores_are_a_draft(
    board_a, staff_a, rep_a1, django_capture_on_commit_callbacks
):
    in_post(rep_a1.rep_profile, board_a, days_ago=30, days_on=900)
    machines = run_machines(
        lambda: RemindersMachine(
            board=board_a, lead=staff_a, rep=rep_a1, capture=django_capture_on_commit_callbacks
        ),
        examples=25,
        steps=12,
    )
    # The rule was tried both ways: some runs reminded the reps, some runs of the scheduler did not.
    assert sum(made.reminders for made in machines) > 0
