"""`portal.scale.multiply`: ten times each board's records, every copy a valid record of its own
board, linked to its own round's copies and to nobody's account."""

from collections import defaultdict
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F, Q
from django.utils import timezone

from expenses.models import Claim, ClaimEvent, ClaimItem, PaymentBatch
from portal.scale import multiply
from reps.models import (
    AgendaItem,
    Attendance,
    InductionItem,
    Meeting,
    NeedsConversation,
    Rep,
    Seat,
    SupportRequest,
    Term,
    Training,
)
from tests.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    ClaimFactory,
    ClaimItemFactory,
    ExpensePolicyFactory,
    GroupFactory,
    MeetingFactory,
    SeatFactory,
    SupportRequestFactory,
    TermFactory,
    TrainingFactory,
)

COPIED = (Rep, Seat, Term, InductionItem, Meeting, Attendance, AgendaItem, Training, SupportRequest)
COPIED += (NeedsConversation,)
COPIED += (PaymentBatch, Claim, ClaimItem, ClaimEvent)


def _board_of_records(board, reps):
    """A little of everything a board keeps, linked as the services would link it."""
    ExpensePolicyFactory(board=board)
    group = GroupFactory(board=board)
    today = timezone.localdate()
    meetings = [
        MeetingFactory(group=group, board=board, date=today - timedelta(days=days))
        for days in (40, 10)
    ]
    for number, rep in enumerate(reps):
        seat = SeatFactory(group=group, board=board, title=f"Carer representative {number}")
        term = TermFactory(rep=rep, seat=seat, start=today - timedelta(days=400))
        InductionItem.objects.create(term=term, title="Meet the chair", done=True, done_on=today)
        InductionItem.objects.create(term=term, title="Read the papers")
        TrainingFactory(rep=rep)
        SupportRequestFactory(rep=rep)
        NeedsConversation.objects.create(rep=rep, held_on=today)
        for meeting in meetings:
            AttendanceFactory(meeting=meeting, rep=rep)
        AgendaItemFactory(meeting=meetings[0], rep=rep)
        paid = ClaimFactory(rep=rep, status="paid", created_by=rep.user)
        ClaimItemFactory(claim=paid, meeting=meetings[0], date=meetings[0].date)
        ClaimEvent.objects.create(claim=paid, to_status="draft", by=rep.user)
        ClaimEvent.objects.create(claim=paid, from_status="draft", to_status="submitted")
        draft = ClaimFactory(rep=rep, created_by=rep.user)
        ClaimItemFactory(claim=draft, meeting=meetings[1], date=meetings[1].date)
    SeatFactory(group=group, board=board, title="A seat nobody holds yet")


def _counts(board):
    return {
        Rep: Rep.objects.filter(board=board).count(),
        Seat: Seat.objects.filter(board=board).count(),
        Term: Term.objects.filter(seat__board=board).count(),
        InductionItem: InductionItem.objects.filter(term__seat__board=board).count(),
        Meeting: Meeting.objects.filter(board=board).count(),
        Attendance: Attendance.objects.filter(meeting__board=board).count(),
        Training: Training.objects.filter(rep__board=board).count(),
        SupportRequest: SupportRequest.objects.filter(rep__board=board).count(),
        NeedsConversation: NeedsConversation.objects.filter(rep__board=board).count(),
        Claim: Claim.objects.filter(board=board).count(),
        ClaimItem: ClaimItem.objects.filter(claim__board=board).count(),
        ClaimEvent: ClaimEvent.objects.filter(claim__board=board).count(),
        PaymentBatch: PaymentBatch.objects.filter(board=board).count(),
    }


@pytest.fixture
def records(board_a, board_b, rep_a1, rep_a2, rep_b1):
    _board_of_records(board_a, [rep_a1.rep_profile, rep_a2.rep_profile])
    _board_of_records(board_b, [rep_b1.rep_profile])
    return {
        model: model.objects.order_by("-pk").values_list("pk", flat=True).first()
        for model in COPIED
    }


def test_each_board_holds_ten_times_its_records(records, board_a, board_b):
    before = {board: _counts(board) for board in (board_a, board_b)}

    added = multiply(10)

    for board, counts in before.items():
        assert _counts(board) == {model: 10 * count for model, count in counts.items()}, board
    assert added["reps.Rep"] == 9 * (before[board_a][Rep] + before[board_b][Rep])
    assert added["expenses.ClaimItem"] == 9 * 6


def test_copies_are_valid_records(records):
    multiply(10)

    for model, last_original in records.items():
        copies = model.objects.filter(pk__gt=last_original).order_by("pk")
        assert copies.exists(), model
        for copy in (copies.first(), copies.last()):
            # A step's author is left empty, as it is once their account is deleted (SET_NULL):
            # no form ever asks for it, so its "required" is only a form's rule.
            copy.full_clean(exclude=["by"] if model is ClaimEvent else None)


def test_copies_link_within_their_board_and_round(records):
    multiply(10)

    # The copies of a board's batches carry on from its last number, with no gap or repeat.
    numbers = defaultdict(list)
    for board_id, number in PaymentBatch.objects.order_by("number").values_list(
        "board_id", "number"
    ):
        numbers[board_id].append(number)
    assert numbers
    assert all(found == list(range(found[0], found[0] + len(found))) for found in numbers.values())

    assert not Term.objects.exclude(rep__board=F("seat__board")).exists()
    assert not Attendance.objects.exclude(rep__board=F("meeting__board")).exists()
    assert not AgendaItem.objects.exclude(rep__board=F("meeting__board")).exists()
    assert not Claim.objects.exclude(rep__board=F("board")).exists()
    assert not Claim.objects.filter(batch__isnull=False).exclude(batch__board=F("board")).exists()
    assert not ClaimItem.objects.exclude(meeting__board=F("claim__board")).exists()
    # Each copied rep's claim items are for meetings that copy of the rep attended.
    for item in ClaimItem.objects.filter(pk__gt=records[ClaimItem]).select_related("claim"):
        assert Attendance.objects.filter(meeting=item.meeting_id, rep=item.claim.rep_id).exists()
    # A batch holds one round's copies of the claims it held, so its count and total still hold.
    for batch in PaymentBatch.objects.filter(pk__gt=records[PaymentBatch]):
        assert batch.claims.count() == 1


def test_copies_carry_no_account_and_nothing_personal(records):
    multiply(3)

    copies = Rep.objects.filter(pk__gt=records[Rep])
    assert copies.count() == 2 * 3
    assert not copies.filter(Q(user__isnull=False) | ~Q(email="") | ~Q(address="")).exists()
    assert not copies.filter(full_name__in=["Alice Rep", "Amir Rep", "Beth Rep"]).exists()
    assert all(rep.full_name.endswith((" 2", " 3")) for rep in copies)
    new = {"pk__gt": records[Claim]}
    assert not Claim.objects.filter(**new, created_by__isnull=False).exists()
    assert not ClaimEvent.objects.filter(claim__pk__gt=records[Claim], by__isnull=False).exists()
    assert (
        not ClaimItem.objects.filter(pk__gt=records[ClaimItem])
        .exclude(receipt="")
        .exclude(receipt__isnull=True)
        .exists()
    )


def test_only_the_boards_asked_for_grow(records, board_a, board_b):
    before_b = _counts(board_b)

    multiply(2, boards=[board_a])

    assert _counts(board_b) == before_b
    assert Rep.objects.filter(board=board_a).count() == 2 * 2


def test_once_the_data_adds_nothing(records, board_a):
    before = _counts(board_a)
    assert multiply(1) == dict.fromkeys([model._meta.label for model in COPIED], 0)
    assert _counts(board_a) == before


def test_the_command_prints_what_it_added(records):
    out = StringIO()
    call_command("scale_data", "--times", "2", stdout=out)
    assert "reps.Rep" in out.getvalue()
    assert Rep.objects.filter(full_name__endswith=" 2").exists()
