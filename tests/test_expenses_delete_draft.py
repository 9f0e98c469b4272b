"""Deleting a draft that was never sent: the service, its refusals, and its receipts."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from expenses import services
from expenses.models import Claim, ClaimEvent, ClaimItem
from expenses.states import ClaimError
from tests import expenses_own_fixtures as shared
from tests.expenses_own_fixtures import draft_for, mileage, parking, png_bytes, submitted_for

policy_a = shared.policy_a
rep = shared.rep


def test_a_draft_goes_with_its_items_events_and_receipts(rep, django_capture_on_commit_callbacks):
    claim = draft_for(rep, mileage("10"), parking("3.50"))
    item = claim.items.get(kind="parking")
    item.receipt = ContentFile(png_bytes(), name="receipt.png")
    item.save()
    stored = item.receipt.name
    assert default_storage.exists(stored)

    with django_capture_on_commit_callbacks(execute=True):
        services.claim_delete_draft(claim=claim, by=rep.user)

    assert not Claim.objects.filter(pk=claim.pk).exists()
    assert not ClaimItem.objects.filter(claim_id=claim.pk).exists()
    assert not ClaimEvent.objects.filter(claim_id=claim.pk).exists()
    assert not default_storage.exists(stored)


@pytest.mark.parametrize("how", ["submitted", "withdrawn", "returned"])
def test_a_claim_that_was_sent_is_never_deleted(rep, staff_a, how):
    claim = submitted_for(rep, mileage("10"))
    if how == "withdrawn":
        services.claim_withdraw(claim=claim, by=rep.user)
    if how == "returned":
        services.claim_return(claim=claim, by=staff_a, reason="Check the miles.")
    with pytest.raises(ClaimError, match="can be withdrawn instead"):
        services.claim_delete_draft(claim=claim, by=rep.user)
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_only_the_rep_or_their_boards_staff_may_delete_it(rep, rep_a2, staff_b):
    claim = draft_for(rep, mileage("10"))
    for someone in (rep_a2, staff_b):
        with pytest.raises(services.ClaimNotAllowed):
            services.claim_delete_draft(claim=claim, by=someone)
    assert Claim.objects.filter(pk=claim.pk).exists()
