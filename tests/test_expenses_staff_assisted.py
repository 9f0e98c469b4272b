"""Staff enter a claim on a rep's behalf (assisted digital): start it, add items with the rep's own
item forms, record care the partnership arranged, submit it; someone else must approve it."""

import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from expenses.models import Claim, ClaimItem
from tests.conftest import sign_in
from tests.expenses_staff_fixtures import board_policy, draft_claim, recent, staff_member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def policies(board_a, board_b):
    board_policy(board_a, care_hourly_cap=Decimal("20.00"))
    board_policy(board_b)


def start_url(rep_user):
    return reverse("expenses:staff_claim_start", kwargs={"rep_pk": rep_user.rep_profile.pk})


def add_url(claim, kind=None):
    url = reverse("expenses:staff_claim_item_add", kwargs={"pk": claim.pk})
    return f"{url}?kind={kind}" if kind else url


def claim_url(name, claim):
    return reverse(f"expenses:{name}", kwargs={"pk": claim.pk})


def mileage_form(**changes):
    return {
        "date": recent().strftime("%d/%m/%Y"),
        "activity": "Integration Joint Board",
        "description": "Kirkintilloch to Kilsyth and back",
        "miles": "123",
        "vehicle": "car",
        "passengers": "",
        **changes,
    }


def care_form(**changes):
    return {
        "date": recent().strftime("%d/%m/%Y"),
        "activity": "Integration Joint Board",
        "hours_preparation": "1",
        "hours_meeting": "2",
        "hours_travel": "1",
        "provider_type": "agency",
        "hourly_rate": "18.00",
        **changes,
    }


def test_staff_choose_among_the_reps_of_their_boards(client, staff_a, rep_a1, rep_a2, rep_b1):
    page = sign_in(client, staff_a).get(reverse("expenses:staff_claim_for_rep"))
    html = page.content.decode()
    assert "Alice Rep" in html and "Amir Rep" in html
    assert "Beth Rep" not in html
    assert start_url(rep_a1) in html

    found = client.get(reverse("expenses:staff_claim_for_rep"), {"name": "ami"}).content.decode()
    assert "Amir Rep" in found and "Alice Rep" not in found


def test_starting_a_claim_asks_for_the_first_item_and_makes_nothing_yet(client, staff_a, rep_a1):
    page = sign_in(client, staff_a).get(start_url(rep_a1))
    text = page.content.decode()
    assert "Start a claim for Alice Rep" in text
    assert "someone else must approve it" in text
    assert not Claim.objects.exists()


def test_the_claim_is_made_with_its_first_item_once_for_one_form(client, staff_a, rep_a1):
    sign_in(client, staff_a)
    token = str(uuid.uuid4())
    url = f"{start_url(rep_a1)}?kind=mileage"

    first = client.post(url, {"submission_token": token, **mileage_form()})
    second = client.post(url, {"submission_token": token, **mileage_form()})

    claim = Claim.objects.get()
    assert first["Location"] == second["Location"] == claim_url("staff_claim", claim)
    assert claim.status == "draft"
    assert claim.created_by == staff_a
    assert claim.rep == rep_a1.rep_profile
    assert claim.items.get().amount == Decimal("55.35")


def test_staff_delete_a_draft_they_entered(client, staff_a, rep_a1):
    claim = draft_claim(rep_a1, by=staff_a)
    sign_in(client, staff_a)
    assert "Delete this draft" in client.get(claim_url("staff_claim", claim)).content.decode()
    assert client.get(claim_url("staff_claim_delete", claim)).status_code == 200
    response = client.post(claim_url("staff_claim_delete", claim))
    assert response.url == reverse("expenses:staff_claim_for_rep")
    assert not Claim.objects.filter(pk=claim.pk).exists()


def test_staff_cannot_delete_a_draft_the_rep_made(client, staff_a, rep_a1):
    claim = draft_claim(rep_a1, by=rep_a1)
    assert sign_in(client, staff_a).post(claim_url("staff_claim_delete", claim)).status_code == 403
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_staff_add_items_and_the_server_works_out_the_amounts(client, staff_a, rep_a1):
    claim = draft_claim(rep_a1, by=staff_a)
    ClaimItem.objects.filter(claim=claim).delete()
    sign_in(client, staff_a)

    kinds = client.get(add_url(claim)).content.decode()
    assert "What is Alice Rep claiming for?" in kinds
    form = client.get(add_url(claim, "mileage")).content.decode()
    assert "How many miles?" in form
    assert "The questions are written to Alice Rep: answer them as Alice Rep tells you." in form

    response = client.post(add_url(claim, "mileage"), mileage_form(amount="999.99"))

    assert response.status_code == 302
    item = ClaimItem.objects.get(claim=claim)
    assert item.amount == Decimal("55.35")
    assert Claim.objects.get(pk=claim.pk).total == Decimal("55.35")
    page = client.get(claim_url("staff_claim", claim)).content.decode()
    assert "£55.35" in page and "Submit the claim" in page
    check = client.get(claim_url("staff_claim_submit", claim)).content.decode()
    assert "Amount to pay Alice Rep" in check and "Amount to pay you" not in check


def test_a_form_with_a_mistake_is_shown_again_with_the_reason(client, staff_a, rep_a1):
    claim = draft_claim(rep_a1, by=staff_a)
    response = sign_in(client, staff_a).post(add_url(claim, "mileage"), mileage_form(miles=""))
    assert response.status_code == 200
    assert "Enter how many miles you travelled" in response.content.decode()
    assert claim.items.count() == 1


def test_staff_record_care_the_partnership_arranged_so_it_counts_but_is_not_paid(
    client, staff_a, rep_a1
):
    claim = draft_claim(rep_a1, by=staff_a)
    sign_in(client, staff_a)
    form = client.get(add_url(claim, "replacement_care")).content.decode()
    assert "The partnership arranged and paid for this care directly" in form

    client.post(add_url(claim, "replacement_care"), care_form(arranged_by_partnership="on"))

    care = ClaimItem.objects.get(claim=claim, kind="replacement_care")
    assert care.arranged_by_partnership
    assert care.amount == Decimal("72.00")  # 4 hours at £18.00, under the £20.00 cap
    # Only the mileage item from draft_claim is paid to the rep.
    assert Claim.objects.get(pk=claim.pk).total == Decimal("4.50")


def test_staff_remove_an_item(client, staff_a, rep_a1):
    claim = draft_claim(rep_a1, by=staff_a)
    item = claim.items.get()
    url = reverse("expenses:staff_claim_item_remove", kwargs={"pk": claim.pk, "item_pk": item.pk})
    sign_in(client, staff_a)
    assert "Remove the item" in client.get(url).content.decode()

    client.post(url)

    assert not ClaimItem.objects.filter(claim=claim).exists()
    assert Claim.objects.get(pk=claim.pk).total == Decimal("0.00")


def test_staff_submit_the_claim_and_someone_else_approves_it(client, staff_a, rep_a1, board_a):
    claim = draft_claim(rep_a1, by=staff_a)
    sign_in(client, staff_a)
    response = client.post(claim_url("staff_claim_submit", claim), follow=True)
    assert "Someone else must approve it" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).status == "submitted"

    refused = client.post(claim_url("staff_claim_approve", claim), {"confirmed_total": "0.00"})
    assert "Someone else must approve a claim you entered." in refused.content.decode()
    assert Claim.objects.get(pk=claim.pk).status == "submitted"

    colleague = staff_member(board_a, "colleague@example.org", can_approve_claims=True)
    sign_in(client, colleague)
    total = Claim.objects.get(pk=claim.pk).total
    client.post(claim_url("staff_claim_approve", claim), {"confirmed_total": total})
    assert Claim.objects.get(pk=claim.pk).status == "approved"


def test_an_empty_claim_cannot_be_submitted(client, staff_a, rep_a1):
    claim = draft_claim(rep_a1, by=staff_a)
    ClaimItem.objects.filter(claim=claim).delete()
    response = sign_in(client, staff_a).post(claim_url("staff_claim_submit", claim), follow=True)
    assert "Add at least one item before you submit the claim." in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).status == "draft"


def test_a_submitted_claim_can_no_longer_be_changed(client, staff_a, rep_a1):
    claim = draft_claim(rep_a1, by=staff_a)
    sign_in(client, staff_a)
    client.post(claim_url("staff_claim_submit", claim))

    response = client.post(add_url(claim, "mileage"), mileage_form(), follow=True)

    assert "can no longer be changed" in response.content.decode()
    assert claim.items.count() == 1
    again = client.get(claim_url("staff_claim_submit", claim)).content.decode()
    assert "This claim has already been submitted." in again


def test_staff_do_not_change_a_reps_own_claim(client, staff_a, rep_a1):
    claim = draft_claim(rep_a1)
    item = claim.items.get()
    sign_in(client, staff_a)

    assert client.get(add_url(claim, "mileage")).status_code == 403
    assert client.post(add_url(claim, "mileage"), mileage_form()).status_code == 403
    assert client.post(claim_url("staff_claim_submit", claim)).status_code == 403
    remove = reverse(
        "expenses:staff_claim_item_remove", kwargs={"pk": claim.pk, "item_pk": item.pk}
    )
    assert client.post(remove).status_code == 403
    assert Claim.objects.get(pk=claim.pk).status == "draft"
    assert claim.items.count() == 1


def test_staff_of_another_board_get_404(client, staff_b, staff_a, rep_a1):
    claim = draft_claim(rep_a1, by=staff_a)
    sign_in(client, staff_b)
    assert client.get(start_url(rep_a1)).status_code == 404
    assert (
        client.post(start_url(rep_a1), {"submission_token": str(uuid.uuid4())}).status_code == 404
    )
    assert client.post(add_url(claim, "mileage"), mileage_form()).status_code == 404
    assert client.post(claim_url("staff_claim_submit", claim)).status_code == 404
    assert Claim.objects.count() == 1
