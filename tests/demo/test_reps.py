"""The demo data: every board gets a realistic record, and seeding twice adds nothing."""

import random

import pytest

from portal.core.models import Board
from reps import figures, selectors
from reps.demo import seed
from reps.models import (
    AgendaItem,
    Attendance,
    CalendarFeed,
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
from tests.demo.conftest import TODAY

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


@pytest.fixture
def demo_rep():
    return Rep.objects.get(user__email="rep@example.org")


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_seeding_twice_adds_nothing():
    before = counts()
    seed(random.Random(99), TODAY)
    assert counts() == before


def test_the_demo_reps_have_a_seat_of_their_kind(demo_rep):
    second = Rep.objects.get(user__email="rep2@example.org")
    (term,) = Term.objects.filter(rep=second)
    assert term.seat.kind == "lived"
    assert term.is_current(TODAY)
    assert term.start < Term.objects.get(rep=demo_rep).start
    # The reps who sign in to the demo answer the equality questions (or not) for themselves.
    assert not EqualityRecord.objects.filter(rep__in=[demo_rep, second]).exists()


def test_every_board_has_seats_reps_and_meetings():
    for board in Board.objects.all():
        seats = Seat.objects.filter(board=board).count()
        assert 4 <= seats <= 8, board
        assert Term.objects.filter(seat__board=board).exists(), board
        assert Meeting.objects.filter(board=board, date__lte=TODAY).count() >= 30, board


def test_the_demo_rep_has_a_current_term_induction_and_meetings(demo_rep):
    terms = list(selectors.terms_for_rep(demo_rep))
    assert len(terms) == 1
    term = terms[0]
    assert term.is_current(TODAY)
    assert 0 < term.induction_done < term.induction_total
    assert selectors.meetings_for_rep(demo_rep).filter(date__lte=TODAY).exists()
    assert Attendance.objects.filter(rep=demo_rep).exists()
    assert AgendaItem.objects.filter(rep=demo_rep).exists()
    assert Training.objects.filter(rep=demo_rep).count() >= 2


def test_the_record_has_what_every_figure_needs():
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


def test_the_demo_checklists_follow_the_rule_that_a_boards_item_replaces_the_national_one():
    for term in Term.objects.select_related("seat")[:100]:
        titles = list(term.induction_items.values_list("title", flat=True))
        assert len(titles) == len(set(titles)), term
        assert titles, term


def test_the_demo_reps_have_a_calendar_address_and_meetings_with_a_time():
    feeds = CalendarFeed.objects.values_list("rep__user__email", flat=True)
    assert sorted(feeds) == ["rep2@example.org", "rep@example.org"]
    assert not Meeting.objects.filter(start_time__isnull=True).exists()
