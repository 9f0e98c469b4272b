"""Finance download the board's payees, fill in their references and bring the file back: every
row checked and named, nothing saved until every row is good, and no two reps under one."""

import io

import pytest
import tablib
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from expenses import payee_import, payees, services
from expenses.models import Payee
from reps.transfer import read_table
from tests.conftest import sign_in
from tests.expenses_staff_fixtures import submitted_claim
from tests.factories import RepFactory
from tests.test_expenses_staff_finance import read_csv
from tests.test_reps_import_export import csv_file

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("policies_a_and_b")]

HEADINGS = ["Rep ID", "Rep name", "Portal reference", "Finance reference"]


@pytest.fixture
def finance(client, staff_a):
    return sign_in(client, staff_a)


@pytest.fixture
def alice(rep_a1):
    submitted_claim(rep_a1)
    return rep_a1.rep_profile


@pytest.fixture
def amir(rep_a2):
    submitted_claim(rep_a2)
    return rep_a2.rep_profile


def url(name, board, **query):
    address = reverse(f"expenses:{name}", args=[board.slug])
    return f"{address}?file_format={query['file_format']}" if query else address


def bring_in(client, board, rows, headings=HEADINGS):
    file = csv_file([headings, *rows])
    return client.post(url("staff_payee_bring_in", board), {"file": file}, follow=True)


def confirm(client, board):
    return client.post(url("staff_payee_bring_in_check", board), follow=True)


def references(board) -> dict[str, str]:
    return dict(Payee.objects.filter(rep__board=board).values_list("rep__full_name", "reference"))


def test_the_download_lists_the_boards_payees_with_their_references(finance, alice, amir, staff_a):
    services.payee_reference_set(rep=alice, reference="SUP-1", by=staff_a)
    RepFactory(board=alice.board, full_name="Never Claimed")

    rows = read_csv(finance.get(url("staff_payee_download", alice.board, file_format="csv")))

    assert rows == [
        HEADINGS,
        [str(alice.pk), "Alice Rep", payees.portal_reference(alice.pk), "SUP-1"],
        [str(amir.pk), "Amir Rep", payees.portal_reference(amir.pk), ""],
    ]
    xlsx = finance.get(url("staff_payee_download", alice.board))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [cell.value for cell in sheet[1]] == HEADINGS
    assert sheet.max_row == 3


def test_the_list_filled_in_is_checked_then_brought_in(finance, alice, amir, staff_a):
    services.payee_reference_set(rep=amir, reference="SUP-7", by=staff_a)
    download = finance.get(url("staff_payee_download", alice.board, file_format="csv"))
    rows = read_csv(download)[1:]
    rows[0][3], rows[1][3] = "SUP-0042", "SUP-0043"

    check = bring_in(finance, alice.board, rows).content.decode()

    assert "The file has 2 rows: 1 new, 1 changed and 0 unchanged." in check
    assert "Alice Rep: SUP-0042" in check
    assert "Finance reference: SUP-7 becomes SUP-0043" in check
    assert references(alice.board) == {"Amir Rep": "SUP-7"}

    done = confirm(finance, alice.board).content.decode()

    assert "Finance references brought in: 1 new and 1 changed." in done
    assert references(alice.board) == {"Alice Rep": "SUP-0042", "Amir Rep": "SUP-0043"}
    history = Payee.history.filter(rep=alice, reference="SUP-0042").get()
    assert (history.history_type, history.history_user) == ("+", staff_a)
    # The kept file is gone: the check page has nothing to show.
    again = finance.get(url("staff_payee_bring_in_check", alice.board), follow=True)
    assert "Choose a file to bring in first." in again.content.decode()


def test_an_empty_reference_leaves_the_rep_as_they_are(finance, alice, amir, staff_a):
    services.payee_reference_set(rep=alice, reference="SUP-1", by=staff_a)

    check = bring_in(finance, alice.board, [[alice.pk, "", "", ""], [amir.pk, "", "", "SUP-2"]])

    assert "1 new, 0 changed and 1 unchanged" in check.content.decode()
    confirm(finance, alice.board)
    assert references(alice.board) == {"Alice Rep": "SUP-1", "Amir Rep": "SUP-2"}


def test_two_reps_may_swap_references_in_one_file(finance, alice, amir, staff_a):
    services.payee_reference_set(rep=alice, reference="SUP-1", by=staff_a)
    services.payee_reference_set(rep=amir, reference="SUP-2", by=staff_a)

    bring_in(
        finance, alice.board, [[alice.pk, "Alice Rep", "", "SUP-2"], [amir.pk, "", "", "sup-1"]]
    )
    confirm(finance, alice.board)

    assert references(alice.board) == {"Alice Rep": "SUP-2", "Amir Rep": "sup-1"}


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (["", "", "", "SUP-9"], "Rep ID is empty."),
        (["999999", "", "", "SUP-9"], "There is no rep with Rep ID 999999 on"),
        (["9" * 25, "", "", "SUP-9"], f"There is no rep with Rep ID {'9' * 25} on"),
        (["beth", "", "", "SUP-9"], "There is no rep with Rep ID beth on"),
        (["{alice}", "Amir Rep", "", "SUP-9"], "The rep name is Amir Rep, but Rep ID"),
        (["{alice}", "", "", "SUP 9 = 1+1"], "Finance reference: Use only letters, numbers"),
        (["{alice}", "", "", "S" * 31], f"Finance reference: {'S' * 31} is 31 characters long"),
        (["{alice}", "", "", "SUP-1"], "SUP-1 is also in row 2, for Amir Rep."),
        (["{alice}", "", "", "sup-held"], "Held Payee is already paid under SUP-HELD."),
        (["{amir}", "", "", "SUP-3"], "Amir Rep has a row already, row 2."),
    ],
)
def test_each_bad_row_is_named_and_nothing_is_saved(finance, alice, amir, staff_a, row, problem):
    held = RepFactory(board=alice.board, full_name="Held Payee")
    services.payee_reference_set(rep=held, reference="SUP-HELD", by=staff_a)
    row = [cell.format(alice=alice.pk, amir=amir.pk) for cell in row]

    page = bring_in(finance, alice.board, [[amir.pk, "", "", "SUP-1"], row]).content.decode()

    assert "The file has problems" in page
    assert f'href="#row-3">Row 3: {problem}' in page
    assert "Bring in 1 row" not in page
    # Sent anyway, the import checks the file again and refuses it.
    assert "Nothing has been brought in." in confirm(finance, alice.board).content.decode()
    assert references(alice.board) == {"Held Payee": "SUP-HELD"}


def test_another_boards_rep_reads_as_no_rep_at_all(finance, alice, rep_b1):
    submitted_claim(rep_b1)
    beth = rep_b1.rep_profile

    page = bring_in(finance, alice.board, [[beth.pk, "Beth Rep", "", "SUP-9"]]).content.decode()

    assert f"There is no rep with Rep ID {beth.pk} on {alice.board.name}." in page
    assert not Payee.objects.exists()


def test_a_file_without_the_columns_is_refused_and_not_kept(finance, alice):
    page = bring_in(finance, alice.board, [[alice.pk, "SUP-1"]], headings=["ID", "Reference"])

    text = page.content.decode()
    assert "The file has no column “Rep ID”, “Finance reference”." in text
    assert page.redirect_chain == []
    again = finance.get(url("staff_payee_bring_in_check", alice.board), follow=True)
    assert "Choose a file to bring in first." in again.content.decode()


def test_a_reference_set_by_hand_meanwhile_is_seen_when_confirming(finance, alice, amir, staff_a):
    bring_in(finance, alice.board, [[alice.pk, "", "", "SUP-5"]])
    services.payee_reference_set(rep=amir, reference="SUP-5", by=staff_a)

    page = confirm(finance, alice.board).content.decode()

    assert "The file can no longer be brought in" in page
    assert "Amir Rep is already paid under SUP-5." in page
    assert references(alice.board) == {"Amir Rep": "SUP-5"}


def test_a_kept_file_is_for_its_own_board_only(finance, alice, board_b, staff_a):
    bring_in(finance, alice.board, [[alice.pk, "", "", "SUP-5"]])
    other = url("staff_payee_bring_in_check", board_b)
    assert finance.get(other).status_code == 404


def test_the_check_reads_the_same_queries_however_many_rows(alice, board_a, staff_a):
    def queries(count):
        reps = [RepFactory(board=board_a) for _ in range(count)]
        rows = [["Rep ID", "Finance reference"]] + [[r.pk, f"REF-{r.pk}"] for r in reps]
        dataset, lines = read_table(csv_file(rows).read(), "csv")
        with CaptureQueriesContext(connection) as captured:
            found = payee_import.plan(board_a, dataset, lines)
        assert found.preview.is_good and len(found.to_set) == count
        return len(captured)

    assert queries(3) == queries(30)


REFERENCES = ["SUP-1", "sup-1", "SUP-2", "SUP-3", "", "SUP_4", "S" * 31]


def test_any_sequence_of_files_and_hand_changes_leaves_no_two_reps_under_one_reference(
    board_a, board_b, staff_a, staff_b
):
    """Files and changes by hand, in any order: a file is brought in whole exactly when every
    row is good and the result gives each rep a reference of their own; otherwise nothing."""
    reps = [RepFactory(board=board_a) for _ in range(3)]
    other_board = RepFactory(board=board_b)

    def valid(reference):
        return len(reference) <= 30 and "_" not in reference

    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(
        st.lists(
            st.one_of(
                st.tuples(
                    st.just("file"),
                    st.lists(
                        st.tuples(
                            st.sampled_from([*range(len(reps)), -1]),
                            st.sampled_from(REFERENCES),
                        ),
                        max_size=4,
                    ),
                ),
                st.tuples(
                    st.just("hand"),
                    st.tuples(st.sampled_from(range(len(reps))), st.sampled_from(REFERENCES)),
                ),
            ),
            max_size=6,
        )
    )
    def run(steps):
        held: dict[int, str] = {}
        with transaction.atomic():
            services.payee_reference_set(rep=other_board, reference="SUP-1", by=staff_b)
            for kind, what in steps:
                if kind == "hand":
                    index, reference = what
                    after = {**held, reps[index].pk: reference}
                    if not reference:
                        del after[reps[index].pk]
                    may = valid(reference) and _one_each(after)
                    try:
                        services.payee_reference_set(
                            rep=reps[index], reference=reference, by=staff_a
                        )
                    except ValidationError:
                        assert not may, (held, what)
                    else:
                        assert may, (held, what)
                        held = after
                else:
                    ids = [reps[i].pk if i >= 0 else other_board.pk for i, _ in what]
                    given_refs = [ref.casefold() for _, ref in what if ref]
                    after = held | {pk: ref for pk, (_, ref) in zip(ids, what, strict=True) if ref}
                    may = (
                        other_board.pk not in ids
                        and len(set(ids)) == len(ids)
                        and all(valid(ref) for _, ref in what)
                        and len(set(given_refs)) == len(given_refs)
                        and _one_each(after)
                    )
                    dataset = tablib.Dataset(
                        *[[pk, ref] for pk, (_, ref) in zip(ids, what, strict=True)],
                        headers=["Rep ID", "Finance reference"],
                    )
                    preview = services.payee_references_bring_in(
                        board=board_a,
                        dataset=dataset,
                        line_numbers=list(range(2, len(ids) + 2)),
                        by=staff_a,
                    )
                    assert preview.is_good == may, (held, what, preview.bad)
                    if may:
                        held = after
                assert references_by_pk(board_a) == held
                assert _one_each(held)
            transaction.set_rollback(True)

    run()


def _one_each(references: dict[int, str]) -> bool:
    folded = [reference.casefold() for reference in references.values()]
    return len(set(folded)) == len(folded)


def references_by_pk(board) -> dict[int, str]:
    return dict(Payee.objects.filter(rep__board=board).values_list("rep_id", "reference"))
