"""One claim as its rep sees it: items with the amounts the server worked out, the total, the policy
in plain words, the timeline, the actions open in its state; and sending and withdrawing it."""

from decimal import Decimal

import pytest
from django.utils import timezone

from expenses import services
from expenses.models import Claim, ClaimEvent, ClaimItem
from tests import expenses_own_fixtures as shared
from tests.conftest import sign_in
from tests.expenses_own_fixtures import (
    days_ago,
    draft_for,
    mileage,
    page_text,
    parking,
    submitted_for,
)
from tests.factories import StaffMembershipFactory

# Fixtures shared by the tests of a rep's claim screens.
policy_a = shared.policy_a
rep = shared.rep
rep_client = shared.rep_client


@pytest.fixture
def finance(board_a):
    return StaffMembershipFactory(board=board_a, can_approve_claims=False).user


def care(rate="18.00", prep="1.5", meeting="2", travel="1", **extra):
    return {
        "date": days_ago(3),
        "kind": "replacement_care",
        "activity": "Integration Joint Board meeting",
        "hours_preparation": Decimal(prep),
        "hours_meeting": Decimal(meeting),
        "hours_travel": Decimal(travel),
        "hourly_rate": Decimal(rate),
        "provider_type": "personal_assistant",
        **extra,
    }


def test_the_claim_page_shows_items_amounts_total_and_the_policy(rep_client, rep):
    claim = draft_for(rep, mileage("123"), care("24.00"))
    response = rep_client.get(f"/my/claims/{claim.pk}/")
    assert response.status_code == 200
    text = page_text(response)
    assert f"Claim {claim.reference}" in text
    assert "Mileage" in text and "Replacement care" in text
    assert "123 by car or van" in text
    assert "1.5 preparing, 2 at the meeting, 1 travelling" in text
    assert "Personal assistant, £24.00 an hour" in text
    # 123 miles at 45p; 4.5 hours at the policy's £20.00 cap, not the £24.00 asked.
    assert "£55.35" in text
    assert "£90.00" in text
    assert "Total: £145.35" in text
    assert "Car or van: 45p a mile for the first 10,000 miles" in text
    assert "Replacement care while you prepare, attend and travel" in text
    assert "up to £20.00 an hour" in text


def test_a_draft_offers_change_remove_add_send_and_delete_not_withdraw(rep_client, rep):
    claim = draft_for(rep, mileage("10"))
    item = claim.items.get()
    response = rep_client.get(f"/my/claims/{claim.pk}/")
    html = response.content.decode()
    text = page_text(response)
    assert f'href="/my/claims/{claim.pk}/items/{item.pk}/"' in html
    assert f'href="/my/claims/{claim.pk}/items/{item.pk}/remove/"' in html
    assert f'href="/my/claims/{claim.pk}/items/new/"' in html
    assert f'href="/my/claims/{claim.pk}/send/"' in html
    assert f'href="/my/claims/{claim.pk}/delete/"' in html
    assert "Delete this draft" in text
    assert f'href="/my/claims/{claim.pk}/withdraw/"' not in html
    assert "Withdraw" not in text
    assert "Draft – not sent yet" in text


def test_a_sent_claim_offers_withdraw_not_delete(rep_client, rep):
    claim = submitted_for(rep, mileage("10"))
    html = rep_client.get(f"/my/claims/{claim.pk}/").content.decode()
    assert f'href="/my/claims/{claim.pk}/withdraw/"' in html
    assert f'href="/my/claims/{claim.pk}/delete/"' not in html


def test_deleting_a_draft_asks_first_then_leaves_nothing(rep_client, rep):
    claim = draft_for(rep, mileage("10"), parking("3.50"))
    page = rep_client.get(f"/my/claims/{claim.pk}/delete/")
    assert page.status_code == 200
    assert "Are you sure you want to delete this draft?" in page_text(page)
    assert Claim.objects.filter(pk=claim.pk).exists()

    response = rep_client.post(f"/my/claims/{claim.pk}/delete/", follow=True)
    assert not Claim.objects.filter(pk=claim.pk).exists()
    assert not ClaimItem.objects.filter(claim_id=claim.pk).exists()
    assert response.redirect_chain[-1][0] == "/my/claims/"
    assert f"The draft claim {claim.reference} has been deleted." in page_text(response)
    # The audit history keeps who deleted it.
    deleted = Claim.history.filter(id=claim.pk, history_type="-").get()
    assert deleted.history_user == rep.user


def test_withdrawing_a_draft_goes_to_delete_instead(rep_client, rep):
    claim = draft_for(rep, mileage("10"))
    response = rep_client.post(f"/my/claims/{claim.pk}/withdraw/", {"reason": ""})
    assert response.url == f"/my/claims/{claim.pk}/delete/"
    assert Claim.objects.get(pk=claim.pk).status == "draft"


def test_a_sent_claim_cannot_be_deleted(rep_client, rep):
    claim = submitted_for(rep, mileage("10"))
    response = rep_client.post(f"/my/claims/{claim.pk}/delete/", follow=True)
    assert Claim.objects.get(pk=claim.pk).status == "submitted"
    assert "can be withdrawn instead" in page_text(response)


def test_another_reps_draft_cannot_be_deleted(rep_client, rep, rep_a2):
    theirs = draft_for(rep_a2.rep_profile, mileage("10"))
    assert rep_client.post(f"/my/claims/{theirs.pk}/delete/").status_code == 404
    assert Claim.objects.filter(pk=theirs.pk).exists()


def test_an_empty_draft_asks_for_its_first_item_and_cannot_be_sent(rep_client, rep):
    claim = draft_for(rep)
    response = rep_client.get(f"/my/claims/{claim.pk}/")
    text = page_text(response)
    assert "This claim has no items yet." in text
    assert "Add an item" in text
    assert f"/my/claims/{claim.pk}/send/" not in response.content.decode()


def test_a_submitted_claim_can_be_withdrawn_but_not_changed(rep_client, rep):
    claim = submitted_for(rep, mileage("10"))
    html = rep_client.get(f"/my/claims/{claim.pk}/").content.decode()
    assert "/items/new/" not in html
    assert "/remove/" not in html
    assert f"/my/claims/{claim.pk}/send/" not in html
    assert f'href="/my/claims/{claim.pk}/withdraw/"' in html


def test_an_approved_claim_offers_no_actions(rep_client, rep, staff_a):
    claim = submitted_for(rep, mileage("10"))
    services.claim_approve(claim=claim, by=staff_a, confirmed_total=claim.total)
    html = rep_client.get(f"/my/claims/{claim.pk}/").content.decode()
    for action in ("/items/new/", "/remove/", "/send/", "/withdraw/"):
        assert action not in html


def test_the_timeline_says_who_did_what_and_when_and_why(rep_client, rep, staff_a, finance):
    claim = submitted_for(rep, mileage("10"))
    services.claim_return(claim=claim, by=staff_a, reason="Which meeting was this for?")
    services.claim_submit(claim=claim, by=rep.user)
    services.claim_approve(claim=claim, by=staff_a, confirmed_total=claim.total)
    batch = services.batch_create(board=claim.board, by=finance)
    services.batch_mark_paid(batch=batch, by=finance, paid_on=timezone.localdate())
    text = page_text(rep_client.get(f"/my/claims/{claim.pk}/"))
    timeline = text[text.index("What has happened") :]
    steps = ["Started", "Submitted", "Returned for changes", "Submitted again", "Approved", "Paid"]
    positions = [timeline.index(f"{step} ") for step in steps]
    assert positions == sorted(positions)
    assert "by you" in timeline
    assert f"by {staff_a.full_name}" in timeline
    assert f"by {finance.full_name}" in timeline
    assert "Reason: Which meeting was this for?" in timeline
    assert f"{timezone.localdate():%-d %B %Y} at" in timeline
    assert "Paid" in text[: text.index("What has happened")]


def test_a_returned_claim_shows_the_reason_first_and_can_be_changed(rep_client, rep, staff_a):
    claim = submitted_for(rep, mileage("10"))
    services.claim_return(claim=claim, by=staff_a, reason="Please add the parking receipt.")
    response = rep_client.get(f"/my/claims/{claim.pk}/")
    text = page_text(response)
    warning = text.index("This claim was returned to you to change")
    assert warning < text.index("Items")
    assert text.index("Please add the parking receipt.") < text.index("Items")
    assert "Check and send again" in text
    assert "/items/new/" in response.content.decode()


def test_a_rejected_claim_shows_why(rep_client, rep, staff_a):
    claim = submitted_for(rep, mileage("10"))
    services.claim_reject(claim=claim, by=staff_a, reason="This meeting was not part of the role.")
    text = page_text(rep_client.get(f"/my/claims/{claim.pk}/"))
    assert "This claim was rejected" in text
    assert "This meeting was not part of the role." in text


def test_another_reps_claim_and_its_timeline_answer_404(client, rep, rep_a2, rep_b1, policy_a):
    claim = submitted_for(rep, mileage("10"))
    for other in (rep_a2, rep_b1):
        sign_in(client, other)
        for path in ("", "send/", "withdraw/", "items/new/"):
            assert client.get(f"/my/claims/{claim.pk}/{path}").status_code == 404


def test_a_draft_says_why_an_item_pays_less_than_was_spent_before_it_is_sent(rep_client, rep):
    """Care above the hourly cap and a meal above the day's limit: the rep knows at once."""
    food = {**parking("30.00"), "kind": "subsistence", "meal": "lunch"}
    claim = draft_for(rep, care(rate="24.00"), food, mileage("10"))
    text = page_text(rep_client.get(f"/my/claims/{claim.pk}/"))
    day = f"{days_ago(3):%-d %B %Y}"
    assert "Why this amount" in text
    assert f"Replacement care on {day} is paid at the policy's most, £20.00 an hour." in text
    assert f"Food and drink on {day}: £25.00 of the £30.00 spent is paid" in text
    assert "of the miles on" not in text  # the mileage is paid in full


def test_a_draft_paid_in_full_has_no_why(rep_client, rep):
    claim = draft_for(rep, care(rate="18.00"), mileage("10"))
    assert "Why this amount" not in page_text(rep_client.get(f"/my/claims/{claim.pk}/"))


# Sending


def test_the_check_page_lists_the_items_total_and_a_declaration(rep_client, rep):
    claim = draft_for(rep, mileage("10"), parking("12.00"))
    response = rep_client.get(f"/my/claims/{claim.pk}/send/")
    text = page_text(response)
    assert response.status_code == 200
    assert "Check your claim before you send it" in text
    assert "Total: £16.50" in text
    assert "By sending this claim you confirm" in text
    # Parking over the £10 threshold with no receipt: a reminder, not a block.
    assert "The expenses policy asks for a receipt for: parking on" in text
    assert ", £12.00" in text  # which item, where two are of one kind on one day
    # Sent, the claim cannot take a receipt until it is returned: the rep is told before.
    assert "Add it now if you have it: once the claim is sent, it cannot be changed" in text
    assert "You can still send the claim without it." in text
    assert Claim.objects.get(pk=claim.pk).status == "draft"


def test_the_check_page_asks_about_the_same_expense_on_another_claim(rep_client, rep, rep_a2):
    """Going back in the browser and saving again starts a second claim for the same expense."""
    day = days_ago(4)
    first = draft_for(rep, parking("6.00", day=day))
    sent = submitted_for(rep, mileage("10", day=day))
    withdrawn = draft_for(rep, mileage("10", day=day))
    services.claim_withdraw(claim=withdrawn, by=rep.user)
    draft_for(rep_a2.rep_profile, parking("6.00", day=day))  # someone else's
    draft_for(rep, parking("6.00", day=days_ago(5)))  # another day
    claim = draft_for(rep, parking("6.00", day=day), mileage("10", day=day), mileage("4"))

    text = page_text(rep_client.get(f"/my/claims/{claim.pk}/send/"))
    assert "You have the same kind of expense on the same day on another claim:" in text
    assert f"parking on {day:%-d %B %Y}, also on claim {first.reference} (draft)" in text
    assert f"mileage on {day:%-d %B %Y}, also on claim {sent.reference} (submitted)" in text
    assert withdrawn.reference not in text
    assert text.count("also on claim") == 2
    assert "If it is the same expense, remove it from this claim" in text

    # Different expenses after all: the rep may still send.
    rep_client.post(f"/my/claims/{claim.pk}/send/")
    assert Claim.objects.get(pk=claim.pk).status == "submitted"


def test_the_check_page_says_nothing_of_other_claims_when_none_match(rep_client, rep):
    draft_for(rep, parking("6.00", day=days_ago(5)))
    claim = draft_for(rep, parking("6.00", day=days_ago(4)))
    text = page_text(rep_client.get(f"/my/claims/{claim.pk}/send/"))
    assert "same kind of expense on the same day" not in text


def test_sending_submits_the_claim_and_records_it(rep_client, rep):
    claim = draft_for(rep, mileage("10"))
    response = rep_client.post(f"/my/claims/{claim.pk}/send/", follow=True)
    claim.refresh_from_db()
    assert claim.status == "submitted"
    assert claim.submitted_at is not None
    assert ClaimEvent.objects.filter(claim=claim, to_status="submitted", by=rep.user).count() == 1
    assert f"Claim {claim.reference} has been sent to {claim.board.name}" in page_text(response)


def test_sending_twice_submits_once(rep_client, rep):
    claim = draft_for(rep, mileage("10"))
    rep_client.post(f"/my/claims/{claim.pk}/send/")
    second = rep_client.post(f"/my/claims/{claim.pk}/send/", follow=True)
    assert ClaimEvent.objects.filter(claim=claim, to_status="submitted").count() == 1
    assert "cannot be sent again" in page_text(second)


def test_an_empty_claim_cannot_be_sent(rep_client, rep):
    claim = draft_for(rep)
    response = rep_client.post(f"/my/claims/{claim.pk}/send/")
    assert response.url == f"/my/claims/{claim.pk}/items/new/"
    assert Claim.objects.get(pk=claim.pk).status == "draft"


def test_a_returned_claim_changed_and_sent_again_goes_back_to_the_approvers(
    rep_client, rep, staff_a
):
    claim = submitted_for(rep, mileage("10"))
    services.claim_return(claim=claim, by=staff_a, reason="It was 12 miles, not 10.")
    item = claim.items.get()
    changed = rep_client.post(
        f"/my/claims/{claim.pk}/items/{item.pk}/",
        {
            "date": item.date.strftime("%d/%m/%Y"),
            "activity": item.activity,
            "description": "Home to the council offices and back",
            "miles": "12",
            "vehicle": "car",
            "passengers": "0",
        },
    )
    assert changed.status_code == 302
    rep_client.post(f"/my/claims/{claim.pk}/send/")
    claim.refresh_from_db()
    assert claim.status == "submitted"
    assert claim.total == Decimal("5.40")
    text = page_text(rep_client.get(f"/my/claims/{claim.pk}/"))
    assert "Submitted again" in text


# Withdrawing


def test_withdrawing_asks_first_then_withdraws_with_the_reason(rep_client, rep):
    claim = submitted_for(rep, mileage("10"))
    confirm = rep_client.get(f"/my/claims/{claim.pk}/withdraw/")
    assert "Are you sure you want to withdraw this claim?" in page_text(confirm)
    assert Claim.objects.get(pk=claim.pk).status == "submitted"

    rep_client.post(f"/my/claims/{claim.pk}/withdraw/", {"reason": "I claimed this twice."})
    claim.refresh_from_db()
    assert claim.status == "withdrawn"
    event = claim.events.get(to_status="withdrawn")
    assert event.reason == "I claimed this twice."
    assert event.by == rep.user


def test_a_sent_claim_can_be_withdrawn_without_a_reason(rep_client, rep):
    claim = submitted_for(rep, mileage("10"))
    rep_client.post(f"/my/claims/{claim.pk}/withdraw/", {"reason": ""})
    assert Claim.objects.get(pk=claim.pk).status == "withdrawn"


def test_a_decided_claim_cannot_be_withdrawn(rep_client, rep, staff_a):
    claim = submitted_for(rep, mileage("10"))
    services.claim_approve(claim=claim, by=staff_a, confirmed_total=claim.total)
    response = rep_client.post(f"/my/claims/{claim.pk}/withdraw/", follow=True)
    assert Claim.objects.get(pk=claim.pk).status == "approved"
    assert "can no longer be withdrawn" in page_text(response)
