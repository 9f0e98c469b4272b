"""The demo data: every board gets a realistic record, and seeding twice adds nothing."""

import random
from datetime import date

import pytest

from portal.core.models import Board, User
from reps import selectors
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


@pytest.fixture
def seeded(db):
    demo_rep = account_rep("rep@example.org", "carer")
    account_rep("rep2@example.org", "lived")
    seed(random.Random(2026), TODAY)
    return demo_rep


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
        selectors.involvement_figures(board, 2025, today=TODAY).late_papers_percent
        for board in boards
    ]
    assert max(late) >= 40, "some boards often send papers late"
    assert min(late) < 25
