"""What busy pages keep is kept only until the records change, however they change.

Database triggers note every change to a table of the portal's own apps; a page keeps what it
worked out under the version those notes give. These tests make changes every way the portal
does (a save, bulk statements, an update of many rows, a delete, plain SQL) and check that the
version moves, that nothing is kept while another transaction that changed records is still
open, and that a kept page always reads as the same page worked out afresh, over any sequence of
changes to seats, terms and claims (a Hypothesis state machine).
"""

import itertools
import re
import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.apps import apps
from django.db import connection, connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from expenses import services
from portal.core import change_notices, record_changes
from portal.core.models import Board
from portal.core.record_changes import (
    kept_each_until_changed,
    kept_until_changed,
    records_version,
    watched_tables,
)
from reps.models import Group, Seat, Term
from tests.conftest import sign_in
from tests.factories import (
    ExpensePolicyFactory,
    GroupFactory,
    RepFactory,
    SeatFactory,
    TermFactory,
)
from tests.state_machines import run_machines

TODAY = date(2026, 11, 25)


def triggers_on() -> set[str]:
    """The tables that carry the trigger, as the database itself lists them."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname = %s",
                [record_changes.TRIGGER],
            )
        else:
            cursor.execute(
                "SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE %s",
                [f"{record_changes.TRIGGER}_%"],
            )
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db
def test_every_table_of_the_portals_apps_is_watched_and_nothing_else():
    own = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in record_changes.WATCHED_APPS
    }
    history = {table for table in own if "historical" in table}

    assert triggers_on() == set(watched_tables())
    assert {"expenses_claim", "expenses_claimitem", "reps_term", "portal_board"} <= triggers_on()
    assert "portal_user" in triggers_on()
    assert not history & triggers_on()
    assert own - history - {"portal_recordschange"} == triggers_on()
    assert "portal_session" not in triggers_on()


def _rename(board: Board) -> None:
    Board.objects.filter(pk=board.pk).update(name="Renamed")


def _raw_sql(board: Board) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE portal_board SET website = %s WHERE id = %s", ["x", board.pk])


WRITES = {
    "a save": lambda board: GroupFactory(board=board),
    "bulk statements": lambda board: Group.objects.bulk_create(
        [Group(board=board, name=f"Group {n}") for n in range(3)]
    ),
    "an update of many rows": _rename,
    "a delete": lambda board: Seat.objects.filter(group__board=board).delete(),
    "plain SQL": _raw_sql,
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_every_kind_of_write_moves_the_version(write):
    board = Board.objects.first()
    SeatFactory(group__board=board)
    before = records_version()
    write(board)
    after = records_version()
    assert before is not None and after is not None
    assert after != before


@pytest.mark.django_db(transaction=True)
def test_reading_changes_nothing():
    board = Board.objects.first()
    SeatFactory(group__board=board)
    change_notices.listener.catch_up()
    before = records_version()
    list(Seat.objects.select_related("group"))
    Client().get(reverse("accessibility"))
    assert records_version() == before


@pytest.mark.django_db(transaction=True)
def test_nothing_is_kept_while_another_transaction_that_changed_records_is_open(settings):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's writers take turns: a second writer cannot be open meanwhile")
    # Asking the database, as a process does when it does not hear of changes.
    settings.CHANGE_NOTICES = False
    board = Board.objects.first()
    wrote, finish = threading.Event(), threading.Event()

    def another_person():
        try:
            with transaction.atomic():
                GroupFactory(board=board, name="Written meanwhile")
                wrote.set()
                finish.wait(timeout=30)
        finally:
            connections.close_all()

    other = threading.Thread(target=another_person)
    other.start()
    try:
        assert wrote.wait(timeout=30)
        # A change of this person's, committed after the other's began, is not enough.
        GroupFactory(board=board)
        assert records_version() is None
        calls = []
        assert kept_until_changed("figures", lambda: calls.append(1) or len(calls)) == 1
        assert kept_until_changed("figures", lambda: calls.append(1) or len(calls)) == 2
    finally:
        finish.set()
        other.join()
    assert records_version() is not None


@pytest.mark.django_db(transaction=True)
def test_a_kept_value_is_worked_out_again_after_a_change_and_only_then():
    board = Board.objects.first()
    worked_out = []

    def count_groups():
        worked_out.append(1)
        return Group.objects.filter(board=board).count()

    change_notices.listener.catch_up()
    assert kept_until_changed("groups", count_groups) == 0
    assert kept_until_changed("groups", count_groups) == 0
    assert len(worked_out) == 1
    GroupFactory(board=board)
    change_notices.listener.catch_up()
    assert kept_until_changed("groups", count_groups) == 1
    assert len(worked_out) == 2


@pytest.mark.django_db(transaction=True)
def test_kept_values_by_id_work_out_only_those_not_kept():
    asked = []

    def squares(ids):
        asked.append(list(ids))
        return {id_: id_ * id_ for id_ in ids}

    change_notices.listener.catch_up()
    assert kept_each_until_changed("squares", [2, 3], squares) == {2: 4, 3: 9}
    assert kept_each_until_changed("squares", [3, 4], squares) == {3: 9, 4: 16}
    assert asked == [[2, 3], [4]]
    assert kept_each_until_changed("squares", [], squares) == {}


@pytest.mark.django_db(transaction=True)
def test_the_day_is_part_of_what_is_kept():
    change_notices.listener.catch_up()
    with time_machine.travel(TODAY, tick=False):
        assert kept_until_changed("day", lambda: "first") == "first"
        assert kept_until_changed("day", lambda: "again") == "first"
    with time_machine.travel(TODAY + timedelta(days=1), tick=False):
        assert kept_until_changed("day", lambda: "next day") == "next day"


# Pages kept and pages worked out afresh read the same, whatever happens in between

TOKENS = re.compile(r'(name="csrfmiddlewaretoken" value=|nonce=)"[^"]*"')
RUNS = itertools.count()
PAGES = [("staff", "staff_home"), ("staff", "expenses:staff_claims"), ("rep", "rep_home")]


def page(client: Client, name: str) -> str:
    """The page as the person sees it, without what differs on every request (form tokens)."""
    return TOKENS.sub(r"\1", client.get(reverse(name)).content.decode())


class ABoardsRecords(RuleBasedStateMachine):
    """Seats fall vacant and are filled, claims are sent (some for the same day and kind, which
    flags them as possible duplicates of each other), approved and returned; a rep's home, the
    staff home and the approval queue are looked at after every step."""

    def __init__(self, *, board, staff, rep_user, monkeypatch):
        super().__init__()
        self.board, self.staff, self.rep_user = board, staff, rep_user
        self.monkeypatch = monkeypatch
        self.group = GroupFactory(board=board, name=f"Integration Joint Board {next(RUNS)}")
        self.clients = {
            "staff": sign_in(Client(), staff),
            "rep": sign_in(Client(), rep_user),
        }
        self.kept_pages = 0
        self.seats_made = 0

    def teardown(self):
        # Each run starts from the same records, so that what one run draws does not depend on
        # what the run before it left.
        self.rep_user.rep_profile.claims.all().delete()
        Term.objects.filter(seat__group=self.group).delete()
        Seat.objects.filter(group=self.group).delete()
        self.group.delete()

    def _claims(self, status):
        return list(self.rep_user.rep_profile.claims.filter(status=status).order_by("pk"))

    @rule(title=st.sampled_from(["Carer seat", "Lived experience seat", "Third seat"]))
    def a_seat_is_made(self, title):
        self.seats_made += 1
        SeatFactory(
            group=self.group,
            title=f"{title} {self.seats_made}",
            created_on=TODAY - timedelta(days=30),
        )

    @rule(data=st.data())
    def a_vacant_seat_is_filled(self, data):
        held = Term.objects.current(TODAY).values("seat")
        vacant = list(Seat.objects.filter(group=self.group).exclude(pk__in=held).order_by("pk"))
        if vacant:
            TermFactory(
                seat=data.draw(st.sampled_from(vacant)),
                rep=RepFactory(board=self.board, user=None),
                start=TODAY - timedelta(days=10),
                planned_end=TODAY + timedelta(days=data.draw(st.sampled_from([20, 400]))),
            )

    @rule(data=st.data())
    def a_term_is_removed(self, data):
        terms = list(Term.objects.filter(seat__group=self.group).order_by("pk"))
        if terms:
            data.draw(st.sampled_from(terms)).delete()

    @rule(days_ago=st.sampled_from([2, 3]), amount=st.sampled_from(["4.50", "30.00"]))
    def a_claim_is_sent(self, days_ago, amount):
        item = {
            "date": TODAY - timedelta(days=days_ago),
            "activity": "Integration Joint Board",
            "kind": "parking",
            "amount_claimed": Decimal(amount),
        }
        claim = services.claim_create_draft(
            rep=self.rep_user.rep_profile, created_by=self.rep_user, items=[item]
        )
        services.claim_submit(claim=claim, by=self.rep_user)

    @rule(data=st.data())
    def a_claim_is_approved(self, data):
        if claims := self._claims("submitted"):
            claim = data.draw(st.sampled_from(claims))
            services.claim_approve(claim=claim, by=self.staff, confirmed_total=claim.total)

    @rule(data=st.data())
    def a_claim_is_returned(self, data):
        if claims := self._claims("submitted"):
            claim = data.draw(st.sampled_from(claims))
            services.claim_return(claim=claim, by=self.staff, reason="Please add the receipt.")

    @invariant()
    def each_page_reads_as_if_worked_out_afresh(self):
        # What this process has yet to hear of the steps before (a notice arrives a moment after
        # its commit) would otherwise land between the two requests compared.
        change_notices.listener.catch_up()
        for who, name in PAGES:
            client = self.clients[who]
            page(client, name)  # kept, if it was not already
            if records_version() is not None:
                self.kept_pages += 1
            with CaptureQueriesContext(connection) as kept_queries:
                kept = page(client, name)
            with self.monkeypatch.context() as afresh:
                afresh.setattr(record_changes, "records_version", lambda using="default": None)
                with CaptureQueriesContext(connection) as fresh_queries:
                    fresh = page(client, name)
            assert kept == fresh, name
            assert len(kept_queries) <= len(fresh_queries), name


@pytest.mark.django_db(transaction=True)
def test_kept_pages_always_read_as_pages_worked_out_afresh(monkeypatch, board_a, staff_a, rep_a1):
    ExpensePolicyFactory(board=board_a, effective_from=date(2020, 4, 1))
    with time_machine.travel(TODAY, tick=False):
        machines = run_machines(
            lambda: ABoardsRecords(
                board=board_a, staff=staff_a, rep_user=rep_a1, monkeypatch=monkeypatch
            ),
            examples=8,
            steps=8,
        )
    # The pages were kept, not worked out afresh every time: the comparison compared something.
    assert sum(made.kept_pages for made in machines) > 0
