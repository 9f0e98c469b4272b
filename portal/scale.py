"""More of the same: each board's records copied until it holds `times` as many, so that pages,
imports and reports can be measured against ten times the demo (`manage.py scale_data`).

The copies are built in bulk rather than through the services: ten times the demo must take
seconds, not the hours a service call per row would. So they are made valid here, by hand:

- every copy points at copies made in the same round (copy 7 of a claim belongs to copy 7 of its
  rep, and its items to copy 7 of their meetings), so nothing links across boards or rounds;
- seats are copied with a numbered title ("(copy 7)"), so copied terms sit in seats of their own
  and never overlap a term already there; claim references end in the round's number ("/7"),
  which the portal's own references never do;
- no copy is linked to anyone's account, and nothing personal is copied: copied reps get made-up
  names and no contact details, copied claim items no receipt, and who entered, approved or
  paid something is left empty, as it is for records brought in from a board's old files.

Things personal to one rep (equality answers, calendar addresses, usual journeys) are
not copied. The audit history is not written for copies: they were never changed by anyone.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.db import models, transaction
from django.db.models import Max

from expenses.models import Claim, ClaimEvent, ClaimItem, PaymentBatch
from portal.core.models import Board
from reps.demo import FIRST_NAMES, LAST_NAMES
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

BATCH_SIZE = 2000


def multiply(times: int, *, boards: Iterable[Board] | None = None) -> dict[str, int]:
    """Give each board (all of them by default) `times` as many reps, seats, terms with their
    induction items, meetings with their attendance and agenda items, training, payment batches
    and claims with their items and events. Returns the rows added, by model label."""
    if times < 1:
        raise ValueError("Ask for 1 or more times the data.")
    board_ids = (
        list(Board.objects.values_list("pk", flat=True))
        if boards is None
        else [board.pk for board in boards]
    )
    copier = _Copier(board_ids, rounds=range(2, times + 1))
    with transaction.atomic():
        copier.run()
    return copier.added


class _Copier:
    def __init__(self, board_ids: list[int], rounds: range):
        self.board_ids = board_ids
        self.rounds = rounds
        self.added: dict[str, int] = {}
        # model -> {(original pk, round): the copy's pk}
        self.copies: dict[type[models.Model], dict[tuple[int, int], int]] = {}
        self.link_claim = self.linked(rep=Rep, batch=PaymentBatch, created_by=None)
        self.link_batch = self.linked(created_by=None, paid_by=None)
        # Each board's batches are numbered one after another: copies carry on from the last.
        self.last_batch: dict[int, int] = {}

    def run(self) -> None:
        on_boards = {"board_id__in": self.board_ids}
        self.copy(Rep, Rep.objects.filter(**on_boards), self.anonymise_rep)
        self.copy(Seat, Seat.objects.filter(**on_boards), self.number_seat)
        self.copy(
            Term,
            Term.objects.filter(rep__board_id__in=self.board_ids),
            self.linked(rep=Rep, seat=Seat, handed_over_to=Rep),
        )
        self.copy(
            InductionItem,
            InductionItem.objects.filter(term__rep__board_id__in=self.board_ids),
            self.linked(term=Term, done_by=None),
        )
        self.copy(Meeting, Meeting.objects.filter(**on_boards), self.linked())
        self.copy(
            Attendance,
            Attendance.objects.filter(meeting__board_id__in=self.board_ids),
            self.linked(meeting=Meeting, rep=Rep),
        )
        self.copy(
            AgendaItem,
            AgendaItem.objects.filter(meeting__board_id__in=self.board_ids),
            self.linked(meeting=Meeting, rep=Rep),
        )
        self.copy(
            Training,
            Training.objects.filter(rep__board_id__in=self.board_ids),
            self.linked(rep=Rep),
        )
        self.copy(
            NeedsConversation,
            NeedsConversation.objects.filter(rep__board_id__in=self.board_ids),
            self.linked(rep=Rep),
        )
        self.copy(
            SupportRequest,
            SupportRequest.objects.filter(rep__board_id__in=self.board_ids),
            self.linked(rep=Rep),
        )
        batches = PaymentBatch.objects.filter(**on_boards)
        self.last_batch = dict(
            batches.values("board_id").annotate(last=Max("number")).values_list("board_id", "last")
        )
        self.copy(PaymentBatch, batches, self.number_batch)
        self.copy(Claim, Claim.objects.filter(**on_boards), self.number_claim)
        self.copy(
            ClaimItem,
            ClaimItem.objects.filter(claim__board_id__in=self.board_ids),
            self.linked(claim=Claim, meeting=Meeting, receipt=None),
        )
        self.copy(
            ClaimEvent,
            ClaimEvent.objects.filter(claim__board_id__in=self.board_ids),
            self.linked(claim=Claim, by=None),
        )

    def copy(
        self,
        model: type[models.Model],
        originals: models.QuerySet,
        change: Callable[[models.Model, models.Model, int], None],
    ) -> None:
        fields = [field for field in model._meta.concrete_fields if not field.primary_key]
        made: list[tuple[int, int, models.Model]] = []
        for original in originals.order_by("pk").iterator(chunk_size=BATCH_SIZE):
            values = {field.attname: original.__dict__[field.attname] for field in fields}
            for round_ in self.rounds:
                row = model(**values)
                change(row, original, round_)
                made.append((original.pk, round_, row))
        model._default_manager.bulk_create([row for _, _, row in made], batch_size=BATCH_SIZE)
        self.copies[model] = {(pk, round_): row.pk for pk, round_, row in made}
        self.added[model._meta.label] = len(made)

    def linked(self, **links: type[models.Model] | None) -> Callable[..., None]:
        """Point each named link at the same round's copy of what it pointed at, or at nothing
        (None): a person's account, a receipt."""

        def change(row: models.Model, original: models.Model, round_: int) -> None:
            for name, target in links.items():
                field = row._meta.get_field(name)
                if target is None:
                    setattr(row, field.attname, None)
                    continue
                pk = getattr(original, field.attname)
                # A link to a record of a board not being copied is dropped rather than shared.
                setattr(row, field.attname, pk and self.copies[target].get((pk, round_)))

        return change

    def anonymise_rep(self, row: Any, original: Rep, round_: int) -> None:
        row.full_name = (
            f"{FIRST_NAMES[original.pk % len(FIRST_NAMES)]} "
            f"{LAST_NAMES[(original.pk // len(FIRST_NAMES) + round_) % len(LAST_NAMES)]} {round_}"
        )
        row.user_id = None
        row.email = row.phone = row.address = row.needs_other = ""

    def number_seat(self, row: Any, original: Seat, round_: int) -> None:
        row.title = _numbered(original.title, f" (copy {round_})", Seat)

    def number_batch(self, row: Any, original: PaymentBatch, round_: int) -> None:
        self.link_batch(row, original, round_)
        self.last_batch[row.board_id] += 1
        row.number = self.last_batch[row.board_id]

    def number_claim(self, row: Any, original: Claim, round_: int) -> None:
        self.link_claim(row, original, round_)
        row.reference = _numbered(original.reference, f"/{round_}", Claim, "reference")
        row.submission_token = None


def _numbered(text: str, suffix: str, model: type[models.Model], field: str = "title") -> str:
    """`text` with a suffix no original carries, so a copy cannot take an original's name."""
    max_length = model._meta.get_field(field).max_length
    if max_length is not None and len(text) + len(suffix) > max_length:
        # Shortening could make two originals' copies the same: refuse rather than guess.
        raise ValueError(f"{text!r} has no room for a copy number.")
    return text + suffix
