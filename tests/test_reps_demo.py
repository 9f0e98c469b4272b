"""The demo data: every board gets a realistic record, and seeding twice adds nothing."""

import random
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from portal.core.models import Board, User
from portal.demo import seed_board_staff
from reps import figures, selectors
from reps.demo import seed
from reps.models import (
    AgendaItem,
    Attendance,
    EqualityRecord,
    Group,
    InductionItem,
    Meeting,
    Rep,
    Seat,
    Term,
    Training,
    UsualJourney,
)
from tests.conftest import rolled_back_afterwards
from tests.factories import TermFactory

TODAY = date(2026, 11, 25)
MODELS = [
    Group,
    Seat,
    Rep,
    Term,
    InductionItem,
    Training,
    UsualJourney,
    EqualityRecord,
    Meeting,
    Attendance,
    AgendaItem,
    Term.history.model,
]


def account_rep(email, rep_type):
    """A rep with a portal account, as the demo command creates before seeding."""
    user = User.objects.create_user(email, "pw", full_name=email, role="rep")
    board = Board.objects.get(slug="east-dunbartonshire-ijb")
    return Rep.objects.create(board=board, user=user, full_name=email, rep_type=rep_type)


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker):
    """The demo seeded once for the whole module, in a transaction rolled back at its end.

    Each test's own transaction (`db`) is a savepoint inside this one, so whatever a test changes
    is undone before the next, and nothing is left for other modules.
    """

    def seed_the_demo():
        demo_rep = account_rep("rep@example.org", "carer")
        account_rep("rep2@example.org", "lived")
        seed_board_staff()
        seed(random.Random(2026), TODAY)
        return demo_rep

    with rolled_back_afterwards(django_db_blocker, seed_the_demo) as demo_rep:
        yield demo_rep


@pytest.fixture
def seeded(seeded_once, db):
    return seeded_once


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_seeding_twice_adds_nothing(seeded):
    before = counts()
    seed(random.Random(99), TODAY)
    assert counts() == before


def test_every_rep_with_an_account_has_a_seat_of_their_kind(seeded):
    second = Rep.objects.get(user__email="rep2@example.org")
    (term,) = Term.objects.filter(rep=second)
    assert term.seat.kind == "lived"
    assert term.is_current(TODAY)
    assert term.start < Term.objects.get(rep=seeded).start
    assert not EqualityRecord.objects.filter(rep__user__isnull=False).exists()


def test_every_board_has_seats_reps_and_meetings(seeded):
    for board in Board.objects.all():
        seats = Seat.objects.filter(board=board).count()
        assert 4 <= seats <= 8, board
        assert Term.objects.filter(seat__board=board).exists(), board
        assert Meeting.objects.filter(board=board, date__lte=TODAY).count() >= 30, board


def test_the_demo_rep_has_a_current_term_induction_and_meetings(seeded):
    terms = list(selectors.terms_for_rep(seeded))
    assert len(terms) == 1
    term = terms[0]
    assert term.is_current(TODAY)
    assert 0 < term.induction_done < term.induction_total
    assert selectors.meetings_for_rep(seeded).filter(date__lte=TODAY).exists()
    assert Attendance.objects.filter(rep=seeded).exists()
    assert AgendaItem.objects.filter(rep=seeded).exists()
    assert Training.objects.filter(rep=seeded).count() >= 2


def test_the_record_has_what_every_figure_needs(seeded):
    boards = Board.objects.all()
    statuses = selectors.seat_statuses(boards, today=TODAY)
    assert any(s.is_vacant and s.days_open > 730 for s in statuses), "a long-open vacancy"
    assert sum(s.is_vacant for s in statuses) >= 5
    assert any(s.current_term and s.current_term.rep.filled_by_staff for s in statuses)
    long_service = selectors.reps_beyond_usual_service(boards, today=TODAY)
    assert any(found.term_number == 3 for found in long_service), "a rep in a third term"
    assert selectors.terms_needing_successor(boards, today=TODAY)
    assert Term.objects.exclude(ended_early_reason="").exists()
    assert AgendaItem.objects.exclude(outcome="").exists()
    late = [
        figures.involvement_figures(board, 2025, today=TODAY).late_papers_percent
        for board in boards
    ]
    assert max(late) >= 40, "some boards often send papers late"
    assert min(late) < 25


# The demo writes history through the services: each takes the time it happened as `now=`.

THEN = datetime(2024, 5, 6, 10, 30, tzinfo=UTC)


def test_reps_services_stamp_the_time_they_are_given(board_a, staff_a):
    from reps import services

    group = services.group_create(board=board_a, name="IJB", by=staff_a)
    seat = services.seat_create(
        board=board_a, group=group, kind="carer", title="Carer", by=staff_a, now=THEN
    )
    rep = services.rep_create(
        board=board_a, full_name="Ann Rep", rep_type="carer", by=staff_a, now=THEN
    )
    term = services.term_appoint(
        rep=rep,
        seat=seat,
        start=date(2024, 6, 1),
        planned_end=date(2027, 5, 31),
        how_recruited="open",
        by=staff_a,
        now=THEN,
    )
    meeting = services.meeting_create(
        board=board_a, group=group, date=date(2024, 6, 20), by=staff_a, now=THEN
    )
    record = services.equality_record_save(
        rep=rep, consent=True, answers={"sex": "female"}, by=staff_a, now=THEN
    )

    for made in (seat, rep, term, meeting):
        assert made.history.get().history_date == THEN
    assert record.consent_given_at == THEN

    later = THEN + timedelta(days=400)
    services.term_end(term=term, on=date(2025, 5, 1), reason="Moved away.", by=staff_a, now=later)
    assert term.history.latest().history_date == later


def test_an_induction_item_may_be_ticked_up_to_the_day_given_as_today(board_a, staff_a):
    from reps import services

    term = TermFactory(seat__board=board_a, start=date(2024, 4, 1))
    item = InductionItem.objects.create(term=term, title="Role description given")
    with pytest.raises(ValidationError):
        services.induction_item_mark_done(
            item=item, by=staff_a, on=date(2024, 5, 2), today=date(2024, 5, 1)
        )
    services.induction_item_mark_done(
        item=item, by=staff_a, on=date(2024, 5, 1), today=date(2024, 5, 1)
    )
    item.refresh_from_db()
    assert item.done_on == date(2024, 5, 1)


def test_the_demo_checklists_follow_the_rule_that_a_boards_item_replaces_the_national_one(seeded):
    for term in Term.objects.select_related("seat")[:100]:
        titles = list(term.induction_items.values_list("title", flat=True))
        assert len(titles) == len(set(titles)), term
        assert titles, term
