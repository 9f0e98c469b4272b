"""The services the demo writes three years of history through: each step is stamped with the
time it is given, and history written without emails queues none."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from reps.models import InductionItem
from tests.factories import TermFactory

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


def test_claim_services_stamp_the_time_they_are_given(board_a, rep_a1, staff_a):
    """The demo writes three years of claims through the services, each step at its own time."""
    from datetime import UTC, datetime, timedelta

    from expenses import services
    from tests.factories import ExpensePolicyFactory, StaffMembershipFactory

    ExpensePolicyFactory(board=board_a)
    finance = StaffMembershipFactory(
        board=board_a, can_manage_reps=False, can_approve_claims=False
    ).user
    created = datetime(2024, 5, 6, 19, 5, tzinfo=UTC)
    submitted, approved = created + timedelta(hours=1), created + timedelta(days=3)
    paid = created + timedelta(days=20)
    item = {"date": date(2024, 5, 6), "activity": "IJB meeting", "kind": "taxi"}

    with services.without_emails():
        claim = services.claim_create_draft(
            rep=rep_a1.rep_profile,
            created_by=rep_a1,
            items=[item | {"amount_claimed": D("12.00")}],
            now=created,
        )
        services.claim_submit(claim=claim, by=rep_a1, now=submitted)
        services.claim_approve(claim=claim, by=staff_a, confirmed_total=D("12.00"), now=approved)
        batch = services.batch_create(board=board_a, by=finance, now=paid)
        services.batch_mark_paid(batch=batch, by=finance, paid_on=paid.date(), now=paid)

    claim.refresh_from_db()
    assert claim.created_at == created
    assert claim.reference.split("-")[-2] == "2024"
    assert (claim.submitted_at, claim.decided_at, claim.paid_at) == (submitted, approved, paid)
    assert batch.created_at == paid
    events = list(claim.events.order_by("at").values_list("to_status", "at"))
    assert events == [
        ("draft", created),
        ("submitted", submitted),
        ("approved", approved),
        ("paid", paid),
    ]
    assert claim.history.earliest().history_date == created
    assert claim.history.latest().history_date == paid


def test_history_written_without_emails_queues_none(
    board_a, rep_a1, django_capture_on_commit_callbacks
):
    from expenses import services
    from tests.factories import ExpensePolicyFactory

    ExpensePolicyFactory(board=board_a)
    item = {"date": date(2024, 5, 6), "activity": "IJB meeting", "kind": "taxi"}
    claim = services.claim_create_draft(
        rep=rep_a1.rep_profile, created_by=rep_a1, items=[item | {"amount_claimed": D("12.00")}]
    )
    with django_capture_on_commit_callbacks() as callbacks, services.without_emails():
        services.claim_submit(claim=claim, by=rep_a1)
    assert callbacks == []
