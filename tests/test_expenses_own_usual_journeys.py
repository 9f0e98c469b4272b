"""A mileage item typed by hand offers the rep's usual journeys: choosing one fills in the miles
and where, on the server, and the rep can still change them before saving."""

from decimal import Decimal

import pytest

from expenses.models import Claim
from tests import expenses_own_fixtures as shared
from tests.conftest import sign_in
from tests.expenses_own_fixtures import draft_for, page_text, parking
from tests.factories import UsualJourneyFactory

policy_a = shared.policy_a
rep = shared.rep
rep_client = shared.rep_client


@pytest.fixture
def journey(rep):
    return UsualJourneyFactory(
        rep=rep, from_area="G66", venue="Kirkintilloch Town Hall", miles=Decimal("6")
    )


@pytest.fixture
def claim(rep):
    return draft_for(rep, parking("3.50"))


def test_a_mileage_item_offers_the_reps_usual_journeys(rep_client, claim, journey):
    page = rep_client.get(f"/my/claims/{claim.pk}/items/new/?kind=mileage")
    text = page_text(page)
    assert "Fill in one of your usual journeys?" in text
    assert "From G66 to Kirkintilloch Town Hall, 6 miles each way (12 there and back)" in text
    assert "Fill in this journey" in text


def test_a_rep_without_usual_journeys_is_not_offered_any(rep_client, claim):
    page = rep_client.get(f"/my/claims/{claim.pk}/items/new/?kind=mileage")
    assert "Fill in one of your usual journeys?" not in page_text(page)


def test_choosing_a_journey_fills_in_the_miles_and_where_and_the_rep_can_still_type(
    rep_client, claim, journey
):
    url = f"/my/claims/{claim.pk}/items/new/?kind=mileage&usual-journey={journey.pk}"
    form = rep_client.get(url).context["form"]
    assert form.initial["miles"] == Decimal("12.0")
    assert form.initial["description"] == "G66 to Kirkintilloch Town Hall and back"
    assert form.initial["vehicle"] == "car"
    assert not Claim.objects.get(pk=claim.pk).items.filter(kind="mileage").exists()

    # The rep went on a detour: what they type is what is saved.
    saved = rep_client.post(
        url,
        {
            "date": claim.items.get().date.strftime("%d/%m/%Y"),
            "activity": "Carers' forum",
            "description": "G66 to Kirkintilloch Town Hall and back, via Lenzie",
            "miles": "14",
            "vehicle": "car",
        },
    )
    assert saved.status_code == 302
    item = claim.items.get(kind="mileage")
    assert item.miles == Decimal("14.0")
    assert item.description.endswith("via Lenzie")


def test_the_first_item_of_a_new_claim_offers_them_too(rep_client, rep, journey):
    url = f"/my/claims/new/?kind=mileage&usual-journey={journey.pk}"
    assert rep_client.get(url).context["form"].initial["miles"] == Decimal("12.0")


def test_another_reps_journey_or_a_made_up_one_is_an_error_and_fills_nothing(
    rep_client, claim, journey, rep_a2
):
    theirs = UsualJourneyFactory(rep=rep_a2.rep_profile, miles=Decimal("99"))
    for wrong in (theirs.pk, "999999", "", "abc"):
        page = rep_client.get(
            f"/my/claims/{claim.pk}/items/new/?kind=mileage&usual-journey={wrong}"
        )
        assert page.status_code == 200
        assert "Choose one of your usual journeys" in page_text(page)
        assert "miles" not in page.context["form"].initial


def test_staff_entering_a_mileage_item_are_offered_the_reps_journeys(client, staff_a, rep, journey):
    claim = draft_for(rep, parking("3.50"))
    claim.created_by = staff_a
    claim.save(update_fields=["created_by"])
    sign_in(client, staff_a)
    url = f"/staff/claims/{claim.pk}/items/add/?kind=mileage&usual-journey={journey.pk}"
    assert client.get(url).context["form"].initial["miles"] == Decimal("12.0")
