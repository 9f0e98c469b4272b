"""A rep with two usual journeys claims for a meeting at a venue neither goes to: the portal asks
which journey (or none), the rep chooses none, types the journey and sends the claim. The
question page is checked with axe at desktop width and at 320 px, with and without an error."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from expenses.models import Claim
from tests.browser import browser_sign_in, check_page
from tests.expenses_own_fixtures import days_ago, draft_for, parking
from tests.factories import (
    PASSWORD,
    AttendanceFactory,
    ExpensePolicyFactory,
    MeetingFactory,
    UsualJourneyFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def choose(page, label: str) -> None:
    # The design system draws its own radio over the real one: a person clicks the label.
    page.locator("label.ds_radio__label", has_text=label).click()


def test_a_rep_is_asked_which_journey_and_enters_their_own(page, live_server, board_a, rep_a1):
    ExpensePolicyFactory(board=board_a)
    rep = rep_a1.rep_profile
    meeting = MeetingFactory(
        group__board=board_a,
        group__name="Strategic planning group",
        date=days_ago(5),
        venue="Kirkintilloch Town Hall",
    )
    AttendanceFactory(meeting=meeting, rep=rep)
    UsualJourneyFactory(
        rep=rep, from_area="G66", venue="Kirkintilloch council chambers", miles=Decimal("29")
    )
    UsualJourneyFactory(rep=rep, from_area="G66", venue="Bearsden", miles=Decimal("4"))

    browser_sign_in(page, rep.user.email, PASSWORD)
    page.goto(f"{live_server.url}/my/claims/from-meetings/")
    page.get_by_role("button", name="Start a claim for this meeting").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Which journey did you make?")
    expect(page.get_by_text("The meeting was at Kirkintilloch Town Hall.")).to_be_visible()
    expect(
        page.get_by_text("From G66 to Kirkintilloch council chambers, 29 miles each way")
    ).to_be_visible()
    assert not Claim.objects.exists()
    check_page(page, "which journey did you make")

    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".ds_error-summary")).to_be_visible()
    check_page(page, "which journey did you make with an error")

    choose(page, "None of these: I will enter the journey myself")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mileage")
    assert not Claim.objects.exists()
    page.get_by_label("Where did you travel?").fill("Lenzie to Kirkintilloch Town Hall and back")
    page.get_by_label("How many miles?").fill("7")
    choose(page, "Car or van")
    page.get_by_role("button", name="Save item").click()

    claim = Claim.objects.get(rep=rep)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Claim {claim.reference}")
    # 7 miles at 45p, worked out by the server.
    expect(page.get_by_text("£3.15").first).to_be_visible()
    page.get_by_role("link", name="Check and send").click()
    page.get_by_role("button", name="Send claim").click()
    expect(page.get_by_text(f"Claim {claim.reference} has been sent")).to_be_visible()
    claim.refresh_from_db()
    assert claim.status == "submitted"
    item = claim.items.get()
    assert (item.meeting, item.miles) == (meeting, Decimal("7.0"))


def test_filling_in_a_usual_journey_keeps_what_the_rep_typed(page, live_server, board_a, rep_a1):
    """The date and activity typed first stay when a usual journey fills in the rest."""
    ExpensePolicyFactory(board=board_a)
    rep = rep_a1.rep_profile
    claim = draft_for(rep, parking("3.50", day=days_ago(10)))
    UsualJourneyFactory(
        rep=rep, from_area="G66", venue="Kirkintilloch Town Hall", miles=Decimal("6")
    )
    day = days_ago(4)

    browser_sign_in(page, rep.user.email, PASSWORD)
    page.goto(f"{live_server.url}/my/claims/{claim.pk}/items/new/?kind=mileage")
    address = page.url
    page.get_by_label("Date").fill(day.strftime("%d/%m/%Y"))
    page.get_by_label("Meeting or activity").fill("Carers' forum")
    choose(page, "From G66 to Kirkintilloch Town Hall")
    page.get_by_role("button", name="Fill in this journey").click()

    expect(page.get_by_role("status")).to_have_text(
        "Filled in below: G66 to Kirkintilloch Town Hall and back, 12.0 miles. Check them, "
        "then save."
    )
    assert page.url == address
    expect(page.get_by_label("Where did you travel?")).to_be_focused()
    expect(page.get_by_label("How many miles?")).to_have_value("12.0")
    expect(page.get_by_label("Date")).to_have_value(day.strftime("%d/%m/%Y"))
    expect(page.get_by_label("Meeting or activity")).to_have_value("Carers' forum")
    check_page(page, "mileage item with a usual journey filled in")

    page.get_by_role("button", name="Save item").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Claim {claim.reference}")
    item = claim.items.get(kind="mileage")
    assert (item.date, item.activity, item.miles, item.vehicle) == (
        day,
        "Carers' forum",
        Decimal("12.0"),
        "car",
    )
