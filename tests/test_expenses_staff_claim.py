"""Staff open a claim of their board, with its items, checks, receipts and timeline, and decide on
it: approve, return with a reason, reject with a reason."""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from expenses import services
from expenses.models import Claim, ClaimEvent, ClaimItem
from tests.conftest import sign_in
from tests.expenses_staff_fixtures import (
    approved_claim,
    mileage,
    parking,
    staff_member,
    steady_queries,
    submitted_claim,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("policies_a_and_b")]


def url(name, claim, **kwargs):
    return reverse(f"expenses:{name}", kwargs={"pk": claim.pk, **kwargs})


def status_of(claim):
    return Claim.objects.get(pk=claim.pk).status


# The claim page


def test_staff_see_the_claim_with_amounts_checks_and_timeline(client, rep_a1, staff_a):
    claim = submitted_claim(rep_a1, mileage("123"), parking("25.00"))
    page = sign_in(client, staff_a).get(url("staff_claim", claim)).content.decode()

    assert claim.reference in page
    assert "Alice Rep" in page
    assert "123 miles, car or van" in page
    assert "£55.35" in page  # 123 miles at 45p, worked out by the services
    assert "£80.35" in page  # the claim's total
    assert "No receipt for parking" in page
    assert "Submitted" in page and "Started" in page
    assert f'href="/staff/claims/{claim.pk}/approve/"' in page


def test_a_receipt_is_a_download_that_is_never_sniffed(client, rep_a1, staff_a):
    claim = submitted_claim(rep_a1, parking("25.00"))
    item = claim.items.get()
    item.receipt = ContentFile(b"%PDF-1.4 receipt", name="receipt.pdf")
    item.save()

    response = sign_in(client, staff_a).get(url("staff_claim_receipt", claim, item_pk=item.pk))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 receipt"
    page = client.get(url("staff_claim", claim)).content.decode()
    assert url("staff_claim_receipt", claim, item_pk=item.pk) in page


def test_an_item_without_a_receipt_or_of_another_claim_answers_404(client, rep_a1, staff_a):
    claim = submitted_claim(rep_a1)
    other = submitted_claim(rep_a1, parking())
    other_item = other.items.get()
    other_item.receipt = ContentFile(b"%PDF-1.4", name="r.pdf")
    other_item.save()
    sign_in(client, staff_a)

    no_receipt = claim.items.get()
    assert client.get(url("staff_claim_receipt", claim, item_pk=no_receipt.pk)).status_code == 404
    assert client.get(url("staff_claim_receipt", claim, item_pk=other_item.pk)).status_code == 404


def test_staff_of_another_board_get_404_for_the_claim_and_its_receipt(client, rep_a1, staff_b):
    claim = submitted_claim(rep_a1, parking())
    item = claim.items.get()
    item.receipt = ContentFile(b"%PDF-1.4", name="r.pdf")
    item.save()
    sign_in(client, staff_b)

    for name, kwargs in [
        ("staff_claim", {}),
        ("staff_claim_receipt", {"item_pk": item.pk}),
        ("staff_claim_approve", {}),
        ("staff_claim_return", {}),
        ("staff_claim_reject", {}),
    ]:
        assert client.get(url(name, claim, **kwargs)).status_code == 404, name
        assert client.post(url(name, claim, **kwargs), {"reason": "x"}).status_code in (404, 405)
    assert status_of(claim) == "submitted"


def test_the_claim_page_costs_the_same_queries_with_many_items(client, rep_a1, staff_a):
    small = submitted_claim(rep_a1, mileage("5"))
    large = submitted_claim(rep_a1, *[mileage(str(n)) for n in range(1, 11)], parking("30"))
    sign_in(client, staff_a)

    counts = [steady_queries(client, url("staff_claim", claim))[0] for claim in (small, large)]
    assert counts[0] == counts[1]
    assert counts[1] <= 12


# Approve


def test_an_approver_approves_a_claim(client, rep_a1, staff_a):
    claim = submitted_claim(rep_a1)
    sign_in(client, staff_a)
    confirm = client.get(url("staff_claim_approve", claim)).content.decode()
    assert "Approve the claim" in confirm

    response = client.post(
        url("staff_claim_approve", claim), {"confirmed_total": claim.total}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("expenses:staff_claims")
    assert f"You approved claim {claim.reference}" in response.content.decode()
    assert status_of(claim) == "approved"
    event = ClaimEvent.objects.get(claim=claim, to_status="approved")
    assert event.by == staff_a


def test_someone_who_entered_the_claim_cannot_approve_it(client, rep_a1, staff_a):
    claim = submitted_claim(rep_a1, mileage(), by=staff_a)
    sign_in(client, staff_a)

    confirm = client.get(url("staff_claim_approve", claim)).content.decode()
    assert "Someone else must approve a claim you entered." in confirm
    assert "Approve the claim</button>" not in confirm
    page = client.get(url("staff_claim", claim)).content.decode()
    assert "You entered this claim, so someone else must approve it." in page

    response = client.post(url("staff_claim_approve", claim))
    assert response.status_code == 200
    assert "Someone else must approve a claim you entered." in response.content.decode()
    assert status_of(claim) == "submitted"


def test_approving_twice_shows_why_rather_than_failing(client, rep_a1, staff_a, board_a):
    other_approver = staff_member(board_a, "approver2@example.org", can_approve_claims=True)
    claim = submitted_claim(rep_a1)
    sign_in(client, staff_a)
    client.get(url("staff_claim_approve", claim))
    # Another approver gets there while this page is open.
    services.claim_approve(claim=claim, by=other_approver, confirmed_total=claim.total)

    response = client.post(url("staff_claim_approve", claim), {"confirmed_total": claim.total})

    assert response.status_code == 200
    page = response.content.decode()
    assert "This claim has already been approved." in page
    assert "There is a problem" in page
    assert ClaimEvent.objects.filter(claim=claim, to_status="approved").count() == 1


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("staff_claim_approve", "This claim has been withdrawn, so you cannot approve it."),
        ("staff_claim_return", "This claim has been withdrawn, so you cannot return it."),
        ("staff_claim_reject", "This claim has been withdrawn, so you cannot reject it."),
    ],
)
def test_a_decision_on_a_withdrawn_claim_explains_itself(client, rep_a1, staff_a, name, message):
    claim = submitted_claim(rep_a1)
    services.claim_withdraw(claim=claim, by=rep_a1)
    sign_in(client, staff_a)

    shown = client.get(url(name, claim)).content.decode()
    assert message in shown
    posted = client.post(url(name, claim), {"reason": "Please add the receipt."})
    assert posted.status_code == 200
    assert message in posted.content.decode()
    assert status_of(claim) == "withdrawn"


# Return and reject


@pytest.mark.parametrize(
    ("name", "status", "missing"),
    [
        ("staff_claim_return", "returned", "Say what the rep needs to change."),
        ("staff_claim_reject", "rejected", "Say why the claim is being rejected."),
    ],
)
def test_return_and_reject_need_a_reason(client, rep_a1, staff_a, name, status, missing):
    claim = submitted_claim(rep_a1)
    sign_in(client, staff_a)

    for blank in ("", "   "):
        response = client.post(url(name, claim), {"reason": blank})
        assert response.status_code == 200
        assert missing in response.content.decode()
        assert status_of(claim) == "submitted"

    response = client.post(url(name, claim), {"reason": "Missing. " * 300})
    assert "The reason must be 2,000 characters or fewer." in response.content.decode()
    assert status_of(claim) == "submitted"

    response = client.post(url(name, claim), {"reason": "The parking receipt is missing."})
    assert response.status_code == 302
    assert status_of(claim) == status
    event = ClaimEvent.objects.get(claim=claim, to_status=status)
    assert event.reason == "The parking receipt is missing."
    assert event.by == staff_a


def test_the_approver_is_told_whether_the_rep_hears_by_email(client, rep_a1, staff_a):
    first = submitted_claim(rep_a1)
    sign_in(client, staff_a)

    response = client.post(
        url("staff_claim_return", first), {"reason": "Which meeting?"}, follow=True
    )
    assert (
        f"You returned claim {first.reference} to Alice Rep. Alice Rep will be told by email."
        in (response.content.decode())
    )

    rep = rep_a1.rep_profile
    rep.contact_by_email, rep.contact_by_phone, rep.phone = False, True, "0141 000 1234"
    rep.save()
    second = submitted_claim(rep_a1)
    response = client.post(url("staff_claim_reject", second), {"reason": "Not ours."}, follow=True)
    page = response.content.decode()
    assert f"You rejected claim {second.reference}." in page
    assert (
        "Alice Rep asked not to be emailed, so they are not told by email. Please tell them by "
        "phone on 0141 000 1234."
    ) in page


def test_the_reason_shows_in_the_claims_timeline(client, rep_a1, staff_a):
    claim = submitted_claim(rep_a1)
    sign_in(client, staff_a)
    client.post(url("staff_claim_return", claim), {"reason": "Which meeting was this for?"})

    page = client.get(url("staff_claim", claim)).content.decode()
    assert "Returned for changes" in page
    assert "Which meeting was this for?" in page


def test_a_paid_claim_cannot_be_rejected(client, rep_a1, staff_a, board_a):
    claim = approved_claim(rep_a1, staff_a)
    batch = services.batch_create(board=board_a, by=staff_a)
    services.batch_mark_paid(batch=batch, by=staff_a, paid_on=batch.created_at.date())
    sign_in(client, staff_a)

    response = client.post(url("staff_claim_reject", claim), {"reason": "Paid twice"})

    assert "This claim has been paid, so you cannot reject it." in response.content.decode()
    assert status_of(claim) == "paid"


# Without the permission


def test_staff_without_approve_permission_can_read_but_not_decide(client, rep_a1, board_a):
    reader = staff_member(board_a, "reader@example.org", can_manage_reps=True)
    claim = submitted_claim(rep_a1)
    sign_in(client, reader)

    page = client.get(url("staff_claim", claim))
    assert page.status_code == 200
    assert "Approve the claim" not in page.content.decode()
    for name in ("staff_claim_approve", "staff_claim_return", "staff_claim_reject"):
        assert client.get(url(name, claim)).status_code == 403
        assert client.post(url(name, claim), {"reason": "No"}).status_code == 403
    assert client.get(reverse("expenses:staff_claims")).status_code == 403
    assert status_of(claim) == "submitted"


def test_an_item_arranged_by_the_partnership_shows_it_is_not_paid_to_the_rep(
    client, rep_a1, staff_a, board_a
):
    claim = services.claim_create_draft(rep=rep_a1.rep_profile, created_by=staff_a)
    services.claim_item_add(
        claim=claim,
        by=staff_a,
        date=mileage()["date"],
        kind="replacement_care",
        hours_meeting=Decimal(3),
        provider_type="agency",
        hourly_rate=Decimal("18.00"),
        arranged_by_partnership=True,
    )
    page = sign_in(client, staff_a).get(url("staff_claim", claim)).content.decode()

    assert "Arranged and paid by the partnership" in page
    assert "Not paid to the rep" in page
    assert ClaimItem.objects.get(claim=claim).amount == Decimal("54.00")
    assert Claim.objects.get(pk=claim.pk).total == Decimal("0.00")
