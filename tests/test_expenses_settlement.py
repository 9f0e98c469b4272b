"""One claim's amount against the rep's other claims: worked out against approved and paid claims
only, settled on approval, and the same whatever order claims are sent, returned, rejected,
withdrawn and approved. The figures are worked out by hand from HMRC's rates (45p a mile for the
first 10,000 car or van miles in a tax year, 25p after)."""

import importlib
from datetime import UTC, date, datetime
from decimal import Decimal as D
from io import StringIO

import pytest
import time_machine
from django.apps import apps
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from expenses import services
from expenses.models import Claim, ClaimItem, PaymentBatch
from expenses.settlement import mileage_discrepancies
from tests.conftest import sign_in
from tests.factories import ExpensePolicyFactory, StaffMembershipFactory


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime(2026, 11, 25, 10, 0, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def policy(board_a):
    return ExpensePolicyFactory(
        board=board_a, effective_from=date(2020, 4, 1), daily_subsistence_cap=D("25.00")
    )


@pytest.fixture
def rep(rep_a1, policy):
    return rep_a1.rep_profile


@pytest.fixture
def finance(board_a):
    return StaffMembershipFactory(board=board_a, can_approve_claims=False).user


def trip(miles, day=date(2026, 11, 2)):
    return {"date": day, "kind": "mileage", "miles": D(miles), "vehicle": "car"}


def meal(meal, spent, day=date(2026, 11, 2)):
    return {"date": day, "kind": "subsistence", "meal": meal, "amount_claimed": D(spent)}


def sent(rep, by, *items):
    claim = services.claim_create_draft(rep=rep, created_by=by, items=items)
    return services.claim_submit(claim=claim, by=by)


def fresh(claim):
    return Claim.objects.get(pk=claim.pk)


def approve(claim, by):
    claim = fresh(claim)
    return services.claim_approve(claim=claim, by=by, confirmed_total=claim.total)


def year_paid(rep):
    return sum(
        Claim.objects.filter(rep=rep, status__in=["approved", "paid"]).values_list(
            "total", flat=True
        ),
        D("0.00"),
    )


# The cases that went wrong, worked out by hand


def test_a_rejected_claim_leaves_the_higher_rate_to_the_next(rep, rep_a1, staff_a):
    a = sent(rep, rep_a1, trip("9990", date(2026, 5, 1)))
    b = sent(rep, rep_a1, trip("20"))
    services.claim_reject(claim=a, by=staff_a, reason="Not a board meeting")
    approve(b, staff_a)
    assert fresh(b).total == D("9.00")


def test_a_withdrawn_claim_leaves_the_higher_rate_to_the_next(rep, rep_a1, staff_a):
    a = sent(rep, rep_a1, trip("9990", date(2026, 5, 1)))
    b = sent(rep, rep_a1, trip("20"))
    services.claim_withdraw(claim=a, by=rep_a1)
    approve(b, staff_a)
    assert fresh(b).total == D("9.00")


def test_a_claim_raised_after_another_was_approved_never_pays_above_the_rates(rep, rep_a1, staff_a):
    a = sent(rep, rep_a1, trip("9000", date(2026, 5, 1)))
    b = sent(rep, rep_a1, trip("2000", date(2026, 6, 1)))
    approve(b, staff_a)
    assert fresh(b).total == D("900.00")  # nothing else approved yet: 2,000 at 45p
    services.claim_return(claim=a, by=staff_a, reason="Please check the miles")
    services.claim_item_update(
        claim=fresh(a), item=a.items.get(), by=rep_a1, **trip("9500", date(2026, 5, 1))
    )
    services.claim_submit(claim=fresh(a), by=rep_a1)
    approve(a, staff_a)

    # 10,000 miles at 45p and 1,500 at 25p.
    assert fresh(a).total == D("3975.00")
    assert year_paid(rep) == D("4875.00")


@pytest.mark.parametrize("first", ["a", "b"])
def test_a_claim_cut_down_and_sent_again_frees_the_higher_rate(rep, rep_a1, staff_a, first):
    claims = {
        "a": sent(rep, rep_a1, trip("9000", date(2026, 5, 1))),
        "b": sent(rep, rep_a1, trip("2000", date(2026, 6, 1))),
    }
    a = claims["a"]
    services.claim_return(claim=a, by=staff_a, reason="Was it really that far?")
    services.claim_item_update(
        claim=fresh(a), item=a.items.get(), by=rep_a1, **trip("5000", date(2026, 5, 1))
    )
    services.claim_submit(claim=fresh(a), by=rep_a1)
    for name in (first, "b" if first == "a" else "a"):
        approve(claims[name], staff_a)

    assert year_paid(rep) == D("3150.00")  # 7,000 miles, all at 45p


def test_a_rejected_lunch_leaves_the_days_food_limit_to_the_dinner(rep, rep_a1, staff_a):
    lunch = sent(rep, rep_a1, meal("lunch", "9.00"))
    dinner = sent(rep, rep_a1, meal("dinner", "30.00"))
    services.claim_reject(claim=lunch, by=staff_a, reason="Lunch was provided")
    approve(dinner, staff_a)
    assert fresh(dinner).total == D("25.00")


def test_an_approved_lunch_counts_against_the_days_food_limit(rep, rep_a1, staff_a):
    approve(sent(rep, rep_a1, meal("lunch", "9.00")), staff_a)
    dinner = sent(rep, rep_a1, meal("dinner", "30.00"))
    assert dinner.total == D("16.00")


# Approval settles the amount, at the figure the approver saw


def test_approving_a_figure_that_has_changed_approves_nothing_and_shows_the_new_one(
    rep, rep_a1, staff_a
):
    a = sent(rep, rep_a1, trip("9950", date(2026, 5, 1)))
    b = sent(rep, rep_a1, trip("100"))
    seen = fresh(b).total
    assert seen == D("45.00")
    approve(a, staff_a)

    with pytest.raises(services.AmountChanged) as refused:
        services.claim_approve(claim=fresh(b), by=staff_a, confirmed_total=seen)

    assert refused.value.total == D("35.00")
    assert "now comes to £35.00, not the £45.00 you saw" in str(refused.value)
    assert fresh(b).status == "submitted"
    assert fresh(b).total == D("35.00")


def test_an_approved_amount_never_changes_afterwards(rep, rep_a1, staff_a, board_a):
    a = sent(rep, rep_a1, trip("100"))
    approve(a, staff_a)
    services.policy_add_version(
        board=board_a, by=staff_a, effective_from=date(2026, 10, 2), car_rate_first=D("0.50")
    )
    assert fresh(a).total == D("45.00")
    assert a.items.get().amount == D("45.00")


def test_a_new_policy_version_reworks_open_claims(rep, rep_a1, staff_a, board_a):
    draft = services.claim_create_draft(rep=rep, created_by=rep_a1, items=[trip("100")])
    services.policy_add_version(
        board=board_a, by=staff_a, effective_from=date(2026, 10, 1), car_rate_first=D("0.50")
    )
    assert fresh(draft).total == D("50.00")


def test_each_item_keeps_the_miles_at_each_rate_and_its_policy(rep, rep_a1, staff_a, policy):
    approve(sent(rep, rep_a1, trip("9950.5", date(2026, 5, 1))), staff_a)
    claim = sent(rep, rep_a1, trip("100.3"))
    item = claim.items.get()
    assert (item.miles_at_first_rate, item.miles_at_second_rate) == (D("49.5"), D("50.8"))
    # round(49.5 × 45p) + round(50.8 × 25p) = £22.28 + £12.70
    assert item.amount == D("34.98")
    assert item.policy == policy


def test_the_approval_page_shows_the_new_total_when_it_changed(client, rep, rep_a1, staff_a):
    a = sent(rep, rep_a1, trip("9950", date(2026, 5, 1)))
    b = sent(rep, rep_a1, trip("100"))
    url = reverse("expenses:staff_claim_approve", args=[b.pk])
    sign_in(client, staff_a)
    assert 'value="45.00"' in client.get(url).content.decode()
    approve(a, staff_a)

    page = client.post(url, {"confirmed_total": "45.00"}).content.decode()

    assert "There is a problem" in page
    assert "now comes to £35.00, not the £45.00 you saw" in page
    assert 'value="35.00"' in page
    assert fresh(b).status == "submitted"
    client.post(url, {"confirmed_total": "35.00"})
    assert fresh(b).status == "approved"


def test_the_approval_page_refuses_a_post_without_the_total(client, rep, rep_a1, staff_a):
    claim = sent(rep, rep_a1, trip("10"))
    sign_in(client, staff_a)
    page = client.post(reverse("expenses:staff_claim_approve", args=[claim.pk])).content.decode()
    assert "The page did not say which total you were approving." in page
    assert fresh(claim).status == "submitted"


def test_the_rep_is_told_the_settled_amount_and_why(
    rep, rep_a1, staff_a, django_capture_on_commit_callbacks
):
    a = sent(rep, rep_a1, trip("9950", date(2026, 5, 1)))
    b = sent(rep, rep_a1, trip("100"))
    approve(a, staff_a)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        approve(b, staff_a)

    body = mail.outbox[-1].body
    assert "Amount: £35.00" in body
    assert "When you sent the claim it came to £45.00." in body
    assert "50 of the miles on 2 November 2026 are paid at 25p a mile" in body


def test_open_claims_say_their_total_is_provisional(client, rep, rep_a1, staff_a):
    claim = sent(rep, rep_a1, trip("10"))
    sign_in(client, rep_a1)
    page = client.get(reverse("expenses:my_claim", args=[claim.pk])).content.decode()
    assert "£4.50 (provisional)" in page
    assert "This total is provisional." in page
    approve(claim, staff_a)
    page = client.get(reverse("expenses:my_claim", args=[claim.pk])).content.decode()
    assert "£4.50 (provisional)" not in page


# The services refuse what the forms refuse


@pytest.mark.parametrize(
    ("inputs", "field"),
    [
        ({**trip("10"), "miles": 12.5}, "miles"),
        ({**meal("lunch", "5"), "amount_claimed": 1.5}, "amount_claimed"),
        (
            {
                "date": date(2026, 11, 2),
                "kind": "replacement_care",
                "hours_meeting": D("2"),
                "hourly_rate": 18.5,
                "provider_type": "agency",
            },
            "hourly_rate",
        ),
        (
            {
                "date": date(2026, 11, 2),
                "kind": "replacement_care",
                "hours_meeting": 1.5,
                "hourly_rate": D("18.50"),
                "provider_type": "agency",
            },
            "hours_meeting",
        ),
    ],
)
def test_a_float_is_refused_even_when_exact_in_binary(rep, rep_a1, inputs, field):
    claim = services.claim_create_draft(rep=rep, created_by=rep_a1, items=[trip("10")])
    with pytest.raises(ValidationError) as refused:
        services.claim_item_add(claim=claim, by=rep_a1, **inputs)
    assert "not as a floating-point number" in refused.value.message_dict[field][0]
    with pytest.raises(ValidationError):
        services.claim_item_update(claim=claim, item=claim.items.get(), by=rep_a1, **inputs)
    with pytest.raises(ValidationError):
        services.claim_create_draft(rep=rep, created_by=rep_a1, items=[inputs])

    assert list(ClaimItem.objects.values_list("miles", "amount")) == [(D("10.0"), D("4.50"))]
    assert Claim.objects.count() == 1


def test_an_item_too_large_to_hold_names_its_field(rep, rep_a1):
    claim = services.claim_create_draft(rep=rep, created_by=rep_a1)
    care = {
        "date": date(2026, 11, 2),
        "kind": "replacement_care",
        "hours_meeting": D("99.99"),
        "hours_preparation": D("99.99"),
        "hourly_rate": D("999999.99"),
        "provider_type": "agency",
        "arranged_by_partnership": False,
    }
    rep.board.expense_policies.update(care_hourly_cap=None)
    with pytest.raises(ValidationError) as refused:
        services.claim_item_add(claim=claim, by=rep_a1, **care)
    assert (
        "more than the £99,999,999.99 one item can hold"
        in refused.value.message_dict["hourly_rate"][0]
    )
    assert not ClaimItem.objects.exists()


def test_a_claim_too_large_to_hold_is_refused_and_keeps_what_it_had(rep, rep_a1):
    big = {"date": date(2026, 11, 2), "kind": "other", "amount_claimed": D("60000000.00")}
    claim = services.claim_create_draft(rep=rep, created_by=rep_a1, items=[big])
    with pytest.raises(ValidationError) as refused:
        services.claim_item_add(claim=claim, by=rep_a1, **big)
    assert (
        "more than the £99,999,999.99 one claim can hold" in refused.value.message_dict["total"][0]
    )
    assert fresh(claim).total == D("60000000.00")
    assert claim.items.count() == 1


def test_a_batch_too_large_to_hold_is_refused(rep, rep_a1, staff_a, finance, board_a):
    big = {"date": date(2026, 11, 2), "kind": "other", "amount_claimed": D("60000000.00")}
    for _ in range(2):
        approve(sent(rep, rep_a1, big), staff_a)
    with pytest.raises(ValidationError) as refused:
        services.batch_create(board=board_a, by=finance)
    assert (
        "more than the £99,999,999.99 one payment batch can hold"
        in (refused.value.message_dict["total"][0])
    )
    assert not PaymentBatch.objects.exists()
    assert not Claim.objects.filter(batch__isnull=False).exists()


# Years paid before the rule


def _pay_it_as_before(claim, amount, first, second):
    """What the old working stored: an amount counted from claims in the order they were sent."""
    ClaimItem.objects.filter(claim=claim).update(
        amount=amount, miles_at_first_rate=first, miles_at_second_rate=second
    )
    Claim.objects.filter(pk=claim.pk).update(total=amount)


def test_years_paid_wrongly_before_are_listed_for_finance(rep, rep_a1, staff_a):
    b = sent(rep, rep_a1, trip("2000", date(2026, 6, 1)))
    a = sent(rep, rep_a1, trip("9500", date(2026, 5, 1)))
    approve(b, staff_a)
    approve(a, staff_a)
    assert mileage_discrepancies() == []
    # As paid before: A was sent first, so it took 9,500 miles at 45p, and B was split after it.
    _pay_it_as_before(a, D("4275.00"), D("9500"), D("0"))
    _pay_it_as_before(b, D("700.00"), D("500"), D("1500"))

    found = mileage_discrepancies()

    assert [(f.rep, f.tax_year, f.paid, f.due, f.difference) for f in found] == [
        (rep, 2026, D("4975.00"), D("4875.00"), D("100.00"))
    ]
    out = StringIO()
    call_command("mileage_discrepancies", stdout=out)
    assert "2026/27\t11500\t£4,975.00\t£4,875.00\t£100.00 overpaid" in out.getvalue()


def test_the_migration_reads_the_split_from_what_was_paid_and_reworks_open_claims(
    rep, rep_a1, staff_a
):
    b = sent(rep, rep_a1, trip("2000", date(2026, 6, 1)))
    approve(b, staff_a)
    a = sent(rep, rep_a1, trip("9000", date(2026, 5, 1)))
    # As the rows stood before: B paid at £700 (1,000 at 45p, 1,000 at 25p), no split kept,
    # and A's amount out of date.
    ClaimItem.objects.filter(claim=b).update(
        amount=D("700.00"), miles_at_first_rate=None, miles_at_second_rate=None, policy=None
    )
    ClaimItem.objects.filter(claim=a).update(amount=D("1.00"), miles_at_first_rate=None)
    ClaimItem.objects.filter(claim=a).update(miles_at_second_rate=None)

    migration = importlib.import_module(
        "expenses.migrations.0004_record_splits_and_rework_open_claims"
    )
    migration.forwards(apps, None)

    paid = b.items.get()
    assert (paid.amount, paid.miles_at_first_rate, paid.miles_at_second_rate) == (
        D("700.00"),
        D("1000.0"),
        D("1000.0"),
    )
    assert paid.policy is not None
    # 9,000 more miles after 1,000 at 45p: 9,000 at 45p.
    assert fresh(a).total == D("4050.00")
    assert a.items.get().miles_at_first_rate == D("9000")
