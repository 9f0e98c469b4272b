"""Adding, changing and removing a claim's items: first the kind, then only that kind's questions;
the amount always worked out by the server from the policy in force."""

from decimal import Decimal

import pytest

from expenses import services
from expenses.models import ClaimItem
from tests import expenses_own_fixtures as shared
from tests.expenses_own_fixtures import (
    days_ago,
    draft_for,
    mileage,
    page_text,
    parking,
    submitted_for,
)
from tests.factories import ExpensePolicyFactory

# Fixtures shared by the tests of a rep's claim screens.
policy_a = shared.policy_a
rep = shared.rep
rep_client = shared.rep_client


@pytest.fixture
def claim(rep):
    return draft_for(rep)


def day(days=3) -> str:
    return days_ago(days).strftime("%d/%m/%Y")


def add(client, claim, kind, **answers):
    answers = {"date": day(), "activity": "Integration Joint Board meeting", **answers}
    return client.post(f"/my/claims/{claim.pk}/items/new/?kind={kind}", answers)


def field_names(response) -> list[str]:
    return list(response.context["form"].fields)


# Choosing the kind


def test_adding_an_item_starts_by_choosing_its_kind(rep_client, claim):
    response = rep_client.get(f"/my/claims/{claim.pk}/items/new/")
    text = page_text(response)
    assert "What are you claiming for?" in text
    for choice in (
        "Mileage: travel by car, van, motorcycle or bicycle",
        "Bus, train or ferry fares",
        "Taxi",
        "Parking",
        "Food and drink",
        "An overnight stay",
        "Replacement care: someone to care while you take part",
        "Phone, postage or printing",
        "Something else",
    ):
        assert choice in text
    assert 'type="radio"' in response.content.decode()
    assert "Involvement payment" not in text


def test_continuing_without_a_choice_says_what_to_do(rep_client, claim):
    response = rep_client.get(f"/my/claims/{claim.pk}/items/new/?chosen=1")
    assert "Choose what you are claiming for" in page_text(response)
    assert 'class="ds_error-summary"' in response.content.decode()


def test_the_chosen_kind_gets_its_own_form(rep_client, claim):
    response = rep_client.get(f"/my/claims/{claim.pk}/items/new/?chosen=1&kind=parking")
    assert response.templates[0].name == "expenses/claim_flow/item_form.html"
    assert field_names(response) == ["date", "activity", "amount_claimed", "description", "receipt"]


@pytest.mark.parametrize(
    ("kind", "fields"),
    [
        ("mileage", ["date", "activity", "description", "miles", "vehicle", "passengers"]),
        ("public_transport", ["date", "activity", "amount_claimed", "description", "receipt"]),
        ("taxi", ["date", "activity", "amount_claimed", "description", "receipt"]),
        (
            "phone_postage_printing",
            ["date", "activity", "amount_claimed", "description", "receipt"],
        ),
        ("other", ["date", "activity", "amount_claimed", "description", "receipt"]),
        ("subsistence", ["date", "activity", "meal", "amount_claimed", "receipt"]),
        ("overnight", ["date", "activity", "amount_claimed", "description", "receipt"]),
        (
            "replacement_care",
            [
                "date",
                "activity",
                "hours_preparation",
                "hours_meeting",
                "hours_travel",
                "provider_type",
                "hourly_rate",
                "receipt",
            ],
        ),
    ],
)
def test_each_kind_asks_only_its_own_questions(rep_client, claim, kind, fields):
    response = rep_client.get(f"/my/claims/{claim.pk}/items/new/?kind={kind}")
    assert field_names(response) == fields


def test_the_care_form_counts_preparation_and_never_asks_about_family_or_care_packages(
    rep_client, claim
):
    response = rep_client.get(f"/my/claims/{claim.pk}/items/new/?kind=replacement_care")
    text = page_text(response)
    assert "Preparation time counts too." in text
    assert "Hours preparing for the meeting" in text
    assert "Care agency" in text and "Registered childminder" in text
    assert "The policy pays up to £20.00 an hour." in text
    for question in ("family", "friend", "care package", "why", "unpaid", "relative"):
        assert question not in text.lower()
    # Only staff record care the partnership paid for itself.
    assert "arranged_by_partnership" not in response.content.decode()


def test_an_involvement_payment_is_offered_only_with_a_policy_that_has_one_and_an_opt_in(
    rep_client, claim, rep, board_a
):
    chooser = f"/my/claims/{claim.pk}/items/new/"
    rep.involvement_payment_opt_in = True
    rep.save()
    assert 'value="involvement"' not in rep_client.get(chooser).content.decode()

    ExpensePolicyFactory(
        board=board_a,
        effective_from=days_ago(30),
        involvement_basis="per_meeting",
        involvement_amount=Decimal("30.00"),
    )
    offered = rep_client.get(chooser)
    assert 'value="involvement"' in offered.content.decode()
    assert "Involvement payment for your time" in page_text(offered)
    response = add(rep_client, claim, "involvement", hours_meeting="2")
    assert response.status_code == 302
    assert claim.items.get().amount == Decimal("30.00")

    rep.involvement_payment_opt_in = False
    rep.save()
    assert 'value="involvement"' not in rep_client.get(chooser).content.decode()
    refused = rep_client.get(f"{chooser}?kind=involvement&chosen=1")
    assert "Choose what you are claiming for from the list" in page_text(refused)


# Saving


def test_a_mileage_item_is_saved_with_the_amount_the_server_works_out(rep_client, claim):
    response = add(
        rep_client,
        claim,
        "mileage",
        description="Lenzie to Kirkintilloch and back",
        miles="123",
        vehicle="car",
        passengers="",
    )
    assert response.status_code == 302
    assert response.url == f"/my/claims/{claim.pk}/"
    item = claim.items.get()
    assert (item.miles, item.vehicle, item.passengers) == (Decimal("123"), "car", 0)
    assert item.amount == Decimal("55.35")
    claim.refresh_from_db()
    assert claim.total == Decimal("55.35")
    shown = page_text(rep_client.get(response.url))
    assert "Mileage on" in shown and "added: £55.35" in shown
    assert "Your claim is saved as a draft until you send it." in shown


def test_passengers_add_to_a_car_journey(rep_client, claim):
    add(rep_client, claim, "mileage", miles="20", vehicle="car", passengers="2")
    # 20 × 45p + 20 × 2 × 5p
    assert claim.items.get().amount == Decimal("11.00")


def test_passengers_are_refused_on_a_bicycle(rep_client, claim):
    response = add(rep_client, claim, "mileage", miles="20", vehicle="bicycle", passengers="1")
    assert response.status_code == 200
    assert "Passengers can only be claimed for a car or van" in page_text(response)
    assert not claim.items.exists()


def test_replacement_care_pays_every_hour_at_the_rate_up_to_the_cap(rep_client, claim):
    response = add(
        rep_client,
        claim,
        "replacement_care",
        hours_preparation="1.5",
        hours_meeting="2",
        hours_travel="0.75",
        provider_type="agency",
        hourly_rate="£24.00",
    )
    assert response.status_code == 302
    item = claim.items.get()
    assert item.hours == Decimal("4.25")
    assert item.hourly_rate == Decimal("24.00")
    # 4.25 hours at the £20.00 cap.
    assert item.amount == Decimal("85.00")


def test_care_needs_some_hours(rep_client, claim):
    response = add(rep_client, claim, "replacement_care", provider_type="agency", hourly_rate="15")
    assert "Enter the hours: preparation, the meeting itself and travel time" in page_text(response)
    assert not claim.items.exists()


def test_food_is_paid_up_to_the_daily_limit(rep_client, claim):
    add(rep_client, claim, "subsistence", meal="whole_day", amount_claimed="31.20")
    item = claim.items.get()
    assert item.meal == ""
    assert item.amount_claimed == Decimal("31.20")
    assert item.amount == Decimal("25.00")


def test_an_empty_form_names_every_missing_answer(rep_client, claim):
    response = rep_client.post(
        f"/my/claims/{claim.pk}/items/new/?kind=mileage", {"date": "", "activity": ""}
    )
    text = page_text(response)
    assert response.status_code == 200
    assert "There is a problem" in text
    for message in (
        "Enter the date",
        "Enter the meeting or activity this was for",
        "Enter how many miles you travelled",
        "Choose how you travelled",
    ):
        assert message in text
    assert not claim.items.exists()


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"date": "31/02/2026"}, "is not a real date"),
        ({"date": "tomorrow"}, "Enter the date as DD/MM/YYYY"),
        ({"date": days_ago(-2).strftime("%d/%m/%Y")}, "The date cannot be in the future"),
        ({"miles": "0"}, "The number of miles must be more than 0"),
        ({"miles": "12.55"}, "Enter the miles to one decimal place at most"),
        ({"miles": "NaN"}, "Enter the miles as a number"),
        ({"miles": "-4"}, "The number of miles must be more than 0"),
    ],
)
def test_answers_that_cannot_be_right_are_explained(rep_client, claim, answers, message):
    response = add(rep_client, claim, "mileage", **{"miles": "10", "vehicle": "car", **answers})
    assert message in page_text(response)
    assert not claim.items.exists()


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "12.345", "-1", "£"])
def test_amounts_spent_must_be_pounds_and_pence(rep_client, claim, amount):
    response = add(rep_client, claim, "taxi", amount_claimed=amount)
    assert response.status_code == 200
    assert not claim.items.exists()


@pytest.mark.parametrize(
    ("kind", "answers", "message"),
    [
        ("taxi", {"amount_claimed": "0"}, "Enter how much you spent: it must be more than £0"),
        ("taxi", {"amount_claimed": "-1"}, "Enter how much you spent: it must be more than £0"),
        ("taxi", {"amount_claimed": "99999999"}, "Enter how much you spent of £99,999.99 or less"),
        ("mileage", {"miles": "999999999", "vehicle": "car"}, "Enter the miles, up to 99,999.9"),
    ],
)
def test_each_problem_with_a_number_is_said_once(rep_client, claim, kind, answers, message):
    response = add(rep_client, claim, kind, **answers)
    text = page_text(response)
    # Once beside the box, once in the summary at the top of the page.
    assert text.count(message) == 2
    assert not claim.items.exists()


def test_a_date_before_the_policy_is_explained_beside_the_date(rep_client, claim):
    response = add(rep_client, claim, "taxi", amount_claimed="9", date=day(365 * 12))
    text = page_text(response)
    assert "has no expenses policy for" in text
    assert response.context["form"].errors["date"]


def test_a_new_item_starts_with_the_date_and_activity_of_the_claims_first_item(rep_client, rep):
    claim = draft_for(rep, mileage("10", day=days_ago(5), activity="Carers' forum"))
    response = rep_client.get(f"/my/claims/{claim.pk}/items/new/?kind=parking")
    assert response.context["form"].initial == {"date": days_ago(5), "activity": "Carers' forum"}


# Changing and removing


def test_an_item_is_changed_and_its_amount_worked_out_again(rep_client, rep):
    claim = draft_for(rep, parking("3.50"))
    item = claim.items.get()
    page = rep_client.get(f"/my/claims/{claim.pk}/items/{item.pk}/")
    assert page.context["form"].initial["amount_claimed"] == Decimal("3.50")
    response = rep_client.post(
        f"/my/claims/{claim.pk}/items/{item.pk}/",
        {"date": day(), "activity": "IJB", "amount_claimed": "5.80", "description": "Car park"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    claim.refresh_from_db()
    assert (item.amount_claimed, item.amount, item.description) == (
        Decimal("5.80"),
        Decimal("5.80"),
        "Car park",
    )
    assert claim.total == Decimal("5.80")


def test_an_item_can_change_its_kind(rep_client, rep):
    claim = draft_for(rep, parking("3.50"))
    item = claim.items.get()
    chooser = rep_client.get(f"/my/claims/{claim.pk}/items/{item.pk}/?choose=1")
    assert "What are you claiming for?" in page_text(chooser)
    assert chooser.context["form"].initial == {"kind": "parking"}
    url = f"/my/claims/{claim.pk}/items/{item.pk}/?chosen=1&kind=mileage"
    form = rep_client.get(url)
    assert "miles" in form.context["form"].fields
    rep_client.post(url, {"date": day(), "activity": "IJB", "miles": "10", "vehicle": "car"})
    item.refresh_from_db()
    assert (item.kind, item.amount_claimed, item.amount) == ("mileage", None, Decimal("4.50"))


def test_removing_an_item_asks_first(rep_client, rep):
    claim = draft_for(rep, mileage("10"), parking("2.00"))
    item = claim.items.get(kind="parking")
    confirm = rep_client.get(f"/my/claims/{claim.pk}/items/{item.pk}/remove/")
    assert "Are you sure you want to remove this item?" in page_text(confirm)
    assert claim.items.count() == 2
    rep_client.post(f"/my/claims/{claim.pk}/items/{item.pk}/remove/")
    assert list(claim.items.values_list("kind", flat=True)) == ["mileage"]
    claim.refresh_from_db()
    assert claim.total == Decimal("4.50")


def test_a_claim_that_has_been_sent_cannot_be_changed(rep_client, rep):
    claim = submitted_for(rep, mileage("10"))
    item = claim.items.get()
    for path in ("items/new/?kind=taxi", f"items/{item.pk}/", f"items/{item.pk}/remove/"):
        response = rep_client.post(
            f"/my/claims/{claim.pk}/{path}",
            {"date": day(), "activity": "IJB", "amount_claimed": "50", "miles": "99"},
            follow=True,
        )
        assert "can no longer be changed" in page_text(response)
    item.refresh_from_db()
    assert item.miles == Decimal("10.0")
    assert claim.items.count() == 1


def test_an_item_of_another_claim_answers_404(rep_client, rep):
    mine = draft_for(rep, mileage("10"))
    other = draft_for(rep, mileage("20"))
    theirs = other.items.get()
    for path in (
        f"items/{theirs.pk}/",
        f"items/{theirs.pk}/remove/",
        f"items/{theirs.pk}/receipt/",
    ):
        assert rep_client.get(f"/my/claims/{mine.pk}/{path}").status_code == 404


def test_a_claim_returned_to_the_rep_can_have_items_added(rep_client, rep, staff_a):
    claim = submitted_for(rep, mileage("10"))
    services.claim_return(claim=claim, by=staff_a, reason="Add the parking too.")
    response = add(rep_client, claim, "parking", amount_claimed="4.00")
    assert response.status_code == 302
    assert ClaimItem.objects.filter(claim=claim).count() == 2
