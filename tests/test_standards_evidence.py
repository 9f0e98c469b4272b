"""The portal's own figures beside each area for development: which figures, for which board.

Board A's 2025/26 is set up with known seats, terms, induction, meetings, agenda items, training
and claims; today is frozen inside that year so that "meetings held" is the same in every run.
"""

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reps import services
from reps.models import InductionItem, Rep, Seat
from standards import evidence
from standards.evidence import EVIDENCE, evidence_for
from tests.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    ClaimFactory,
    ClaimItemFactory,
    ExpensePolicyFactory,
    GroupFactory,
    MeetingFactory,
    PaymentBatchFactory,
    RepFactory,
    SeatFactory,
    StaffMembershipFactory,
    TermFactory,
    TrainingFactory,
)
from tests.reps_documents_fixtures import make_document

YEAR = 2025
TODAY = datetime(2026, 2, 10, 10, 0, tzinfo=UTC)
FRAMEWORK_FILE = (
    Path(__file__).resolve().parent.parent
    / "standards"
    / "frameworks"
    / "more-than-equal-2024.json"
)
# Names that must never reach an evidence line.
CANARY_NAMES = ("Alice Rep", "Canary Staff-Filled", "Canary Leaver", "Canary Trainee")


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(TODAY, tick=False)


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, 0, tzinfo=UTC)


def paid_claim(board, rep, submitted: date, paid: date, *items):
    """A claim paid on `paid`, with items given as (kind, amount, arranged by the partnership)."""
    staff = StaffMembershipFactory(board=board).user
    batch = PaymentBatchFactory(board=board, paid_on=paid, paid_by=staff, created_by=staff)
    claim = ClaimFactory(
        rep=rep, board=board, status="paid", batch=batch, submitted_at=_at(submitted)
    )
    for kind, amount, arranged in items:
        extra = {"miles": None, "vehicle": ""} if kind != "mileage" else {}
        if kind == "replacement_care":
            extra |= {"hourly_rate": D("20"), "provider_type": "agency", "hours_meeting": D("2")}
        elif kind == "involvement":
            extra |= {"hours_meeting": D("2")}
        elif kind != "mileage":
            extra |= {"amount_claimed": amount}
        ClaimItemFactory(
            claim=claim, kind=kind, amount=amount, arranged_by_partnership=arranged, **extra
        )
    return claim


def lines_of(result):
    return {code: [str(line) for line in lines] for code, lines in result.items()}


@pytest.fixture
def year_a(board_a, rep_a1):
    """Board A's 2025/26: three seats on the IJB, two meetings held and one still to come."""
    ijb = GroupFactory(board=board_a, name="Integration Joint Board", kind="board")
    alice = Rep.objects.get(user=rep_a1)

    voting = SeatFactory(group=ijb, voting=True)
    TermFactory(seat=voting, rep=alice, start=date(2024, 4, 1))
    staff_seat = SeatFactory(group=ijb)
    staff_rep = RepFactory(
        board=board_a, user=None, full_name="Canary Staff-Filled", filled_by_staff=True
    )
    TermFactory(seat=staff_seat, rep=staff_rep, start=date(2024, 4, 1))
    # A rep who started in the year and left early: the seat is vacant now.
    left_seat = SeatFactory(group=ijb)
    leaver = RepFactory(board=board_a, user=None, full_name="Canary Leaver")
    term = TermFactory(
        seat=left_seat,
        rep=leaver,
        start=date(2025, 4, 1),
        ended_on=date(2025, 9, 30),
        ended_early_reason="Caring responsibilities changed.",
    )
    for done, title in ((True, "Meet the chair"), (True, "Finance briefing"), (False, "Buddy")):
        InductionItem.objects.create(
            term=term, title=title, done=done, done_on=date(2025, 5, 1) if done else None
        )

    on_time = MeetingFactory(
        group=ijb,
        date=date(2025, 6, 10),
        papers_issued_on=date(2025, 6, 1),
        pre_meeting_held=True,
    )
    late = MeetingFactory(group=ijb, date=date(2025, 9, 10), papers_issued_on=date(2025, 9, 8))
    MeetingFactory(group=ijb, date=date(2026, 3, 20))  # not held yet
    AttendanceFactory(meeting=on_time, rep=alice, status="attended")
    AttendanceFactory(meeting=late, rep=alice, status="apologies")
    AgendaItemFactory(
        meeting=on_time,
        rep=alice,
        title="Canary agenda item",
        status="accepted",
        outcome="Short breaks review",
    )
    AgendaItemFactory(meeting=late, rep=alice, status="submitted")

    trainee = RepFactory(board=board_a, user=None, full_name="Canary Trainee")
    TrainingFactory(rep=trainee, date=date(2025, 6, 1), hours=D("3.0"), cost=D("40.00"))
    TrainingFactory(rep=trainee, date=date(2025, 11, 1), hours=D("2.5"), cost=D("1200.00"))

    ExpensePolicyFactory(board=board_a, effective_from=date(2020, 4, 1))
    paid_claim(
        board_a,
        alice,
        date(2025, 10, 1),
        date(2025, 10, 11),
        ("mileage", D("4.50"), False),
        ("replacement_care", D("40.00"), False),
        ("involvement", D("25.00"), False),
    )
    paid_claim(
        board_a, alice, date(2025, 12, 1), date(2025, 12, 21), ("replacement_care", D("60"), True)
    )
    return board_a


def add_board_b_data(board_b):
    """Board B's year, with figures unlike board A's, none of which may show for board A."""
    group = GroupFactory(board=board_b, name="Integration Joint Board", kind="board")
    for _ in range(7):
        SeatFactory(group=group, voting=True)
    rep = RepFactory(board=board_b, user=None, full_name="Beth Rep")
    for day in (3, 4, 5, 6):
        meeting = MeetingFactory(
            group=group, date=date(2025, 5, day), papers_issued_on=date(2025, 5, 1)
        )
        AgendaItemFactory(meeting=meeting, rep=rep, status="declined", outcome="No")
    TrainingFactory(rep=rep, date=date(2025, 7, 1), cost=D("999.99"))
    paid_claim(
        board_b, rep, date(2025, 7, 1), date(2025, 7, 31), ("replacement_care", D("777.77"), False)
    )


# The mapping


def test_the_mapping_covers_exactly_the_frameworks_areas_for_development():
    framework = json.loads(FRAMEWORK_FILE.read_text(encoding="utf-8"))
    codes = [
        f"{recommendation['number']}.{area['number']}"
        for recommendation in framework["recommendations"]
        for area in recommendation["areas"]
    ]
    assert len(codes) == 20
    assert list(EVIDENCE) == codes


def test_every_measurable_area_has_evidence_and_the_rest_have_none():
    measurable = {code for code, figures in EVIDENCE.items() if figures}
    assert measurable == {
        "1.1",
        "1.2",
        "1.3",
        "1.4",
        "2.2",
        "2.4",
        "3.1",
        "3.2",
        "3.3",
        "3.4",
        "3.5",
        "3.7",
        "4.3",
    }
    for figures in EVIDENCE.values():
        for figure in figures:
            assert figure.label and figure.label[0].isupper()
            assert not figure.label.endswith((":", "."))


# The lines for a board with known data


def test_lines_show_the_boards_figures_for_the_year(year_a):
    lines = lines_of(evidence_for(year_a, YEAR))

    assert lines["1.1"] == [
        "Rep seats vacant: 1 of 3",
        "Seats filled by staff instead of a rep: 1",
        "Reps taking part in equality monitoring (today): 0",
        "Expressions of interest received in the year: 0",
        "People appointed from an expression of interest in the year: 0",
    ]
    assert lines["1.2"] == [
        "Role description for reps in the portal (today): No",
        "Seats the board describes on its public page: 0 of 3",
    ]
    assert lines["1.3"] == [
        "Induction checklist items done, for terms starting in the year: 2 of 3 (66.7%)",
        "Terms ending in the year: 1",
        "Terms ended early: 1",
        "Terms ending in the year with a successor appointed: 0 of 1",
        "Exit interviews held, for terms that ended in the year: 0 of 1",
        "Handovers to the next rep recorded, for terms that ended in the year: 0 of 1",
        "Reps in a third term or later: 0",
    ]
    assert lines["1.4"] == [
        "Rep seats on the board and its groups: 3",
        "Meetings held: 2",
        "Places at meetings taken by the rep or a deputy: 1 of 2 (50.0%)",
    ]
    assert lines["2.4"] == [
        "Training sessions for reps: 2",
        "Hours of training for reps: 5.5",
        "Spent on reps' training: £1,240.00",
        "Training budget for reps: Not set",
        "Training budget spent: none yet",
        "Reps in post whose training and support needs were discussed in the year: 0 of 2",
        "Requests from reps for training or support: 0",
        "Requests answered: none yet",
        "Requests arranged: none yet",
    ]
    assert lines["3.1"] == ["Rep seats with a vote: 1 of 3"]
    assert lines["3.2"] == [
        "Agenda items raised by reps: 2"
        " (1 accepted, 0 deferred, 0 declined, 1 awaiting a decision)",
        "Agenda items with an outcome recorded: 1 of 2",
    ]
    assert lines["3.3"] == [
        "Papers issued late: 1 of 2 meetings",
        "Median notice of papers: 5.5 days",
        "The board's standard notice for papers: 7 days",
    ]
    assert lines["3.4"] == [
        "Expenses policy published: Yes",
        "Replacement care paid to reps: £40.00",
        "Replacement care arranged and paid by the partnership: £60.00",
        "Claims paid: 1",
        "Median days from claim to payment: 10 days",
    ]
    assert lines["3.5"] == ["Involvement payments for reps' time: £25.00"]
    assert lines["3.7"] == ["Meetings with a pre-meeting for reps: 1 of 2"]
    assert lines["4.3"] == [
        "Paid in reps' expenses, including replacement care: £129.50",
        "Budget for reps' expenses: Not set",
        "Expenses budget spent: none yet",
        "Spent on reps' training: £1,240.00",
    ]


def test_budgets_are_set_beside_the_years_spend(year_a, board_a, staff_a):
    services.budget_set(
        board=board_a,
        financial_year=YEAR,
        training=D("1000.00"),
        expenses=D("518.00"),
        by=staff_a,
    )
    # Another year's budget is not this year's.
    services.budget_set(
        board=board_a, financial_year=YEAR + 1, training=D(5), expenses=None, by=staff_a
    )

    lines = lines_of(evidence_for(board_a, YEAR))

    assert lines["2.4"][3:5] == [
        "Training budget for reps: £1,000.00",
        "Training budget spent: £1,240.00 of £1,000.00 (124.0%)",
    ]
    assert lines["4.3"][1:3] == [
        "Budget for reps' expenses: £518.00",
        "Expenses budget spent: £129.50 of £518.00 (25.0%)",
    ]
    later = lines_of(evidence_for(board_a, YEAR + 1))
    assert later["4.3"][1:3] == [
        "Budget for reps' expenses: Not set",
        "Expenses budget spent: none yet",
    ]


def test_succession_counts_successors_appointed_and_reps_beyond_two_terms(board_b):
    """2025/26: a third term running; a term ended with its successor in post, one ended with
    nobody to follow, and one in a seat that closed after it, which needs no successor."""
    group = GroupFactory(board=board_b)
    long_serving = RepFactory(board=board_b, user=None)
    kept = SeatFactory(group=group)
    for start, end in ((2019, 2022), (2022, 2025), (2025, 2028)):
        TermFactory(
            seat=kept,
            rep=long_serving,
            start=date(start, 4, 1),
            planned_end=date(end, 3, 31),
        )
    handed_on = SeatFactory(group=group)
    successor = TermFactory(seat=handed_on, start=date(2025, 7, 1), planned_end=date(2028, 6, 30))
    TermFactory(
        seat=handed_on,
        start=date(2022, 7, 1),
        planned_end=date(2025, 6, 30),
        exit_interview_held=True,
        handed_over_to=successor.rep,
    )
    TermFactory(
        seat=SeatFactory(group=group),
        start=date(2022, 10, 1),
        planned_end=date(2025, 9, 30),
        exit_interview_held=True,
    )
    closing = SeatFactory(group=group, created_on=date(2020, 1, 1), closed_on=date(2025, 12, 1))
    TermFactory(seat=closing, start=date(2022, 12, 1), planned_end=date(2025, 11, 30))

    lines = lines_of(evidence_for(board_b, YEAR))

    assert lines["1.3"][1:] == [
        "Terms ending in the year: 3",
        "Terms ended early: 0",
        "Terms ending in the year with a successor appointed: 1 of 2",
        "Exit interviews held, for terms that ended in the year: 2 of 3",
        "Handovers to the next rep recorded, for terms that ended in the year: 1 of 3",
        "Reps in a third term or later: 1",
    ]
    # The year before: the second term ended, and the same rep followed in the seat.
    earlier = lines_of(evidence_for(board_b, YEAR - 1))
    assert earlier["1.3"][3:] == [
        "Terms ending in the year with a successor appointed: 1 of 1",
        "Exit interviews held, for terms that ended in the year: 0 of 1",
        "Handovers to the next rep recorded, for terms that ended in the year: 0 of 1",
        "Reps in a third term or later: 0",
    ]


def test_a_board_with_nothing_recorded_reads_none_yet(board_b):
    lines = lines_of(evidence_for(board_b, YEAR))

    assert "Rep seats vacant: none yet" in lines["1.1"]
    assert (
        "Induction checklist items done, for terms starting in the year: none yet" in (lines["1.3"])
    )
    assert "Agenda items raised by reps: none yet" in lines["3.2"]
    assert "Papers issued late: none yet" in lines["3.3"]
    assert "Median notice of papers: none yet" in lines["3.3"]
    assert "Median days from claim to payment: none yet" in lines["3.4"]
    assert "Expenses policy published: No" in lines["3.4"]
    # Money is a sum: nothing paid is £0.00, not "none yet".
    assert lines["3.5"] == ["Involvement payments for reps' time: £0.00"]


def test_equality_monitoring_shows_only_a_suppressed_count(year_a):
    from tests.factories import EqualityRecordFactory

    for rep in Rep.objects.filter(board=year_a)[:2]:
        EqualityRecordFactory(rep=rep)

    lines = lines_of(evidence_for(year_a, YEAR))

    assert "Reps taking part in equality monitoring (today): fewer than 5" in lines["1.1"]


def test_another_boards_data_never_appears(year_a, board_b):
    before = lines_of(evidence_for(year_a, YEAR))
    add_board_b_data(board_b)

    assert lines_of(evidence_for(year_a, YEAR)) == before
    text = " ".join(line for lines in before.values() for line in lines)
    for figure in ("£999.99", "£777.77", "of 7", "1 declined"):
        assert figure not in text
    # Board B's own lines show board B's figures.
    lines_b = lines_of(evidence_for(board_b, YEAR))
    assert "Rep seats with a vote: 7 of 7" in lines_b["3.1"]
    assert "Replacement care paid to reps: £777.77" in lines_b["3.4"]


def test_no_name_appears_in_any_line(year_a, board_b):
    add_board_b_data(board_b)
    names = {rep.full_name for rep in Rep.objects.all()} | set(CANARY_NAMES)
    titles = ("Canary agenda item", "Short breaks review", "Understanding IJB finance")

    for board in (year_a, board_b):
        for lines in evidence_for(board, YEAR).values():
            for line in lines:
                for text in names | set(titles):
                    assert text not in line.label
                    assert text not in line.value


# Queries


def _queries(board) -> int:
    with CaptureQueriesContext(connection) as captured:
        evidence_for(board, YEAR)
    return len(captured.captured_queries)


def _one_meeting_and_claim(board, group, rep, n: int) -> None:
    meeting = MeetingFactory(
        group=group, date=date(2025, 5, 1) + timedelta(days=n), pre_meeting_held=True
    )
    AttendanceFactory(meeting=meeting, rep=rep)
    AgendaItemFactory(meeting=meeting, rep=rep, outcome="Agreed")
    TrainingFactory(rep=rep, date=date(2025, 5, 1) + timedelta(days=n))
    paid_claim(board, rep, date(2025, 5, 1), date(2025, 5, 20), ("mileage", D("4.50"), False))


def test_the_query_count_is_the_same_for_1_and_10_meetings_and_claims(board_b):
    group = GroupFactory(board=board_b, name="Integration Joint Board", kind="board")
    rep = RepFactory(board=board_b, user=None)
    TermFactory(seat=SeatFactory(group=group), rep=rep)
    _one_meeting_and_claim(board_b, group, rep, 0)
    one = _queries(board_b)

    for n in range(1, 10):
        _one_meeting_and_claim(board_b, group, rep, n)

    assert "Meetings held: 10" in lines_of(evidence_for(board_b, YEAR))["1.4"]
    assert _queries(board_b) == one
    # Each figures selector read once: a handful of queries, not one per area for development.
    assert one <= 20


def test_each_figures_selector_is_read_once(year_a, monkeypatch):
    calls: list[str] = []
    for name in ("involvement_figures", "spend_figures", "equality_aggregates"):
        original = getattr(evidence, name)

        def counted(*args, _original=original, _name=name, **kwargs):
            calls.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(evidence, name, counted)

    evidence_for(year_a, YEAR)

    assert sorted(calls) == ["equality_aggregates", "involvement_figures", "spend_figures"]


@pytest.mark.parametrize(
    ("documents", "said"),
    [
        ([("national", False)], "The national one only"),
        ([("national", False), ("board", False)], "The board's own"),
        ([("board", True)], "The board's own, shown on its public page"),
        ([("other-board", True)], "No"),
    ],
)
def test_the_role_description_line_says_whose_reps_can_read(year_a, board_b, documents, said):
    for whose, public in documents:
        board = {"national": None, "board": year_a, "other-board": board_b}[whose]
        make_document(board, kind="role", public=public)
    make_document(year_a, kind="conduct")
    seat = Seat.objects.filter(board=year_a).first()
    seat.about = "Meets monthly in Kirkintilloch, about six hours a month."
    seat.save()
    lines = lines_of(evidence_for(year_a, YEAR))["1.2"]
    assert lines == [
        f"Role description for reps in the portal (today): {said}",
        "Seats the board describes on its public page: 1 of 3",
    ]


def test_reps_holding_more_than_one_seat_on_the_years_last_day_are_counted(board_b):
    """2025/26, on 31 March 2026: one rep in two seats, one in one; a third rep's second seat
    ended before then, and a term starting after it counts for nobody."""
    group = GroupFactory(board=board_b)
    busy, single, earlier = (RepFactory(board=board_b, user=None) for _ in range(3))
    for rep in (busy, busy, single, earlier):
        TermFactory(seat=SeatFactory(group=group), rep=rep, start=date(2024, 4, 1))
    TermFactory(
        seat=SeatFactory(group=group),
        rep=earlier,
        start=date(2024, 4, 1),
        planned_end=date(2026, 1, 31),
    )
    TermFactory(seat=SeatFactory(group=group), rep=single, start=date(2026, 4, 1))

    lines = lines_of(evidence_for(board_b, YEAR))

    assert "Reps holding more than one seat: 1 of 3" in lines["2.2"]
