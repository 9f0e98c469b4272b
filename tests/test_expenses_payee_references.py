"""Finance record the reference their payments system pays each rep under, and batch files name
reps by it; a batch keeps the references it was made with.
"""

import pytest
from django.urls import reverse

from expenses import payees, services
from expenses.models import Claim, Payee
from expenses.personal_data import held_about
from expenses.retention import forget_claims_of
from reps.models import Rep
from tests.conftest import sign_in
from tests.expenses_staff_fixtures import (
    approved_claim,
    draft_claim,
    steady_queries,
    submitted_claim,
)
from tests.factories import RepFactory
from tests.test_expenses_staff_finance import batch_url, board_url, read_csv

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("policies_a_and_b")]


@pytest.fixture
def finance(client, staff_a):
    return sign_in(client, staff_a)


def edit_url(rep: Rep) -> str:
    return reverse("expenses:staff_payee_edit", kwargs={"slug": rep.board.slug, "pk": rep.pk})


def batch_references(finance, board, by) -> dict[str, str]:
    """Each claim of a new batch, by reference, with the payee reference its file gives."""
    batch = services.batch_create(board=board, by=by)
    return {
        row[2]: row[1] for row in read_csv(finance.get(batch_url("staff_batch_csv", batch)))[1:]
    }


def test_a_batch_names_each_rep_by_finances_reference_as_it_was_when_made(
    finance, rep_a1, rep_a2, staff_a, approver_a
):
    alice, amir = rep_a1.rep_profile, rep_a2.rep_profile
    board = alice.board
    first = approved_claim(rep_a1, approver_a)

    response = finance.post(edit_url(alice), {"reference": " SUP-004512 "}, follow=True)

    assert "Alice Rep is paid under SUP-004512 in new payment batches." in (
        response.content.decode()
    )
    amirs = approved_claim(rep_a2, approver_a)
    made = batch_references(finance, board, staff_a)
    assert made == {
        first.reference: "SUP-004512",
        amirs.reference: payees.portal_reference(amir.pk),
    }
    assert Payee.objects.get(rep=alice).history.latest().history_user == staff_a

    # Finance change the reference, then take it away: the batch made keeps what it was made with.
    finance.post(edit_url(alice), {"reference": "SUP-9"})
    later = approved_claim(rep_a1, approver_a)
    assert batch_references(finance, board, staff_a) == {later.reference: "SUP-9"}
    finance.post(edit_url(alice), {"reference": ""})
    assert not Payee.objects.filter(rep=alice).exists()
    last = approved_claim(rep_a1, approver_a)
    assert batch_references(finance, board, staff_a) == {
        last.reference: payees.portal_reference(alice.pk)
    }
    first_batch = Claim.objects.get(pk=first.pk).batch
    rows = read_csv(finance.get(batch_url("staff_batch_csv", first_batch)))
    assert {row[2]: row[1] for row in rows[1:]}[first.reference] == "SUP-004512"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("=HYPERLINK(1)", "Use only letters, numbers, spaces, full stops, slashes and hyphens"),
        ("-4512", "Use only letters, numbers, spaces, full stops, slashes and hyphens"),
        ("SUP_4512", "Use only letters, numbers, spaces, full stops, slashes and hyphens"),
        ("S" * 31, "The reference must be 30 characters or fewer."),
        ("sup-777", "Amir Rep is already paid under SUP-777."),
    ],
)
def test_a_reference_finance_cannot_use_is_named_and_kept(
    finance, rep_a1, rep_a2, staff_a, typed, message
):
    services.payee_reference_set(rep=rep_a2.rep_profile, reference="SUP-777", by=staff_a)
    alice = rep_a1.rep_profile

    response = finance.post(edit_url(alice), {"reference": typed})

    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert f'value="{typed}"' in page
    assert not Payee.objects.filter(rep=alice).exists()


def test_the_same_reference_may_be_used_on_another_board(rep_a1, staff_a, staff_b, board_b):
    fife = RepFactory(board=board_b, full_name="Fiona Fife")
    services.payee_reference_set(rep=fife, reference="SUP-1", by=staff_b)

    services.payee_reference_set(rep=rep_a1.rep_profile, reference="SUP-1", by=staff_a)

    assert Payee.objects.filter(reference="SUP-1").count() == 2


def test_only_finance_of_the_reps_board_set_a_reference(
    client, approver_a, rep_a1, staff_a, board_b
):
    alice = rep_a1.rep_profile
    staff = sign_in(client, approver_a)
    assert staff.get(edit_url(alice)).status_code == 403
    assert staff.post(edit_url(alice), {"reference": "X1"}).status_code == 403
    assert staff.get(board_url("staff_payees", alice.board)).status_code == 403
    with pytest.raises(services.ClaimNotAllowed):
        services.payee_reference_set(rep=alice, reference="X1", by=approver_a)
    # A rep of another board, asked for under one's own board: not found.
    fife = RepFactory(board=board_b)
    sign_in(client, staff_a)
    url = reverse("expenses:staff_payee_edit", kwargs={"slug": alice.board.slug, "pk": fife.pk})
    assert client.post(url, {"reference": "X1"}).status_code == 404
    assert not Payee.objects.exists()


def test_the_list_shows_the_boards_reps_who_sent_claims_and_who_lacks_a_reference(
    finance, rep_a1, rep_a2, staff_a, approver_a, board_a, board_b
):
    approved_claim(rep_a1, approver_a)
    submitted_claim(rep_a2)
    services.payee_reference_set(rep=rep_a2.rep_profile, reference="SUP-2", by=staff_a)
    only_a_draft = RepFactory(board=board_a, full_name="Dora Draft")
    draft_claim(only_a_draft.user)
    RepFactory(board=board_b, full_name="Fiona Fife")

    page = finance.get(board_url("staff_payees", board_a)).content.decode()
    assert "2 reps who have sent claims" in page
    assert "Alice Rep" in page and "Amir Rep" in page and "SUP-2" in page
    assert "Dora Draft" not in page and "Fiona Fife" not in page
    assert "A claim is ready to pay" in page

    only_missing = finance.get(board_url("staff_payees", board_a), {"without_reference": "on"})
    text = only_missing.content.decode()
    assert "1 rep without a finance reference" in text
    assert "Alice Rep" in text and "Amir Rep" not in text

    payments = finance.get(board_url("staff_board_payments", board_a)).content.decode()
    assert (
        "1 rep with a claim ready to pay has no finance reference: the batch file names them by "
        "the portal's reference instead."
    ) in payments


def test_the_list_takes_the_same_queries_however_many_payees(finance, staff_a, approver_a, board_a):
    def add_payee(n):
        rep = RepFactory(board=board_a, full_name=f"Payee {n}")
        approved_claim(rep.user, approver_a)
        services.payee_reference_set(rep=rep, reference=f"SUP-{n}", by=staff_a)

    add_payee(0)
    url = board_url("staff_payees", board_a)
    few, _ = steady_queries(finance, url)
    for n in range(1, 6):
        add_payee(n)
    many, response = steady_queries(finance, url)
    assert many == few
    assert "6 reps who have sent claims" in response.content.decode()


def test_a_rep_sees_the_reference_they_were_paid_under_and_it_goes_with_their_details(
    client, rep_a1, staff_a, approver_a
):
    alice = rep_a1.rep_profile
    services.payee_reference_set(rep=alice, reference="SUP-004512", by=staff_a)
    claim = approved_claim(rep_a1, approver_a)
    services.batch_create(board=alice.board, by=staff_a)

    claims = held_about(alice)[0]
    assert claims.rows[0][-1] == "SUP-004512"

    # Once the rep's details may no longer be kept, the reference goes too.
    forget_claims_of(rep=alice)
    assert not Payee.objects.exists()
    assert not Payee.history.exists()
    assert Claim.objects.get(pk=claim.pk).payee_reference == ""
    assert not Claim.history.exclude(payee_reference="").exists()
