"""A rep's own data: the page that says what the portal holds about them, and the ZIP file of it.

Alice (rep A1) downloads her data. It holds every kind of her records, her receipts and a note of
what each file is; nothing of Amir, who sits on the same board; no secret calendar address and no
staff member's email address; a cell a spreadsheet would run as a formula is escaped; and the
download reads the same number of times whether she has one claim or many.
"""

import csv
import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from expenses.models import ClaimEvent
from portal.core.personal_data import Held, Kind
from reps import personal_data as reps_data
from reps.models import CalendarFeed, ExpressionOfInterest, InductionItem, Rep
from standards import services as standards_services
from standards.models import Participant
from tests import reps_own_fixtures as shared
from tests.conftest import sign_in
from tests.expenses_staff_fixtures import CountQueries
from tests.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    ClaimFactory,
    ClaimItemFactory,
    EqualityRecordFactory,
    GroupFactory,
    MeetingFactory,
    SeatFactory,
    TermFactory,
    TrainingFactory,
    UsualJourneyFactory,
)

# Alice's own records, on a day frozen for every test here.
TODAY = shared.TODAY
NOW = shared.NOW
frozen_today = shared.frozen_today
alice = shared.alice


@pytest.fixture
def amir(rep_a2):
    return rep_a2.rep_profile


def give_claim(rep, reference, *, receipt: bytes, by_staff, items=1):
    """A claim of `rep` sent in and returned by staff, its items each with a receipt."""
    claim = ClaimFactory(rep=rep, reference=reference, status="returned", total=Decimal("9.00"))
    for _ in range(items):
        item = ClaimItemFactory(claim=claim, date=datetime.date(2025, 10, 1))
        item.receipt = ContentFile(receipt, name="receipt.jpg")
        item.save()
    ClaimEvent.objects.create(
        claim=claim, from_status="draft", to_status="submitted", by=rep.user, total=claim.total
    )
    ClaimEvent.objects.create(
        claim=claim,
        from_status="submitted",
        to_status="returned",
        by=by_staff,
        reason="Add the parking receipt, please.",
        total=claim.total,
    )
    return claim


@pytest.fixture
def alices_records(alice, amir, board_a, staff_a):
    """Alice with a record of every kind; Amir, on the same board, with records of his own."""
    alice.address = '=HYPERLINK("http://evil.example/","Click me")'
    alice.needs_large_print = True
    alice.save()
    group = GroupFactory(board=board_a, name="Integration Joint Board")
    term = TermFactory(
        rep=alice,
        seat=SeatFactory(group=group, title="Carer representative"),
        handover_notes="Papers come a week ahead.",
        handed_over_to=amir,
    )
    InductionItem.objects.create(
        term=term, title="Meet the chief officer", done=True, done_on=TODAY, done_by=staff_a
    )
    UsualJourneyFactory(rep=alice, from_area="Lenzie", venue="Kirkintilloch chambers")
    TrainingFactory(rep=alice, course="Understanding IJB finance")
    meeting = MeetingFactory(group=group, venue="Kirkintilloch chambers")
    AttendanceFactory(meeting=meeting, rep=alice, status="apologies")
    AgendaItemFactory(meeting=meeting, rep=alice, title="Short breaks for carers")
    EqualityRecordFactory(rep=alice, age_band="55-64")
    interest = ExpressionOfInterest.objects.create(
        board=board_a,
        full_name="Alice Rep",
        email="alice@example.org",
        consent_to_contact=True,
        status="appointed",
        appointed_on=datetime.date(2024, 3, 1),
        rep=alice,
    )
    EqualityRecordFactory(rep=None, interest=interest, age_band="", sex="female")
    feed = CalendarFeed.objects.create(rep=alice)
    assessment = standards_services.assessment_start(
        board=board_a, financial_year=2025, by=staff_a, now=NOW
    )
    Participant.objects.create(
        perspective=assessment.perspectives.get(side="reps"), rep=alice, first_at=NOW, last_at=NOW
    )
    claim = give_claim(alice, "ED-00001", receipt=b"alice's receipt", by_staff=staff_a)

    # Amir's, none of which may reach Alice's download.
    TermFactory(rep=amir, seat=SeatFactory(group=group), handover_notes="Amir's handover")
    TrainingFactory(rep=amir, course="Amir's course")
    AttendanceFactory(meeting=meeting, rep=amir)
    give_claim(amir, "ED-00002", receipt=b"amir's receipt", by_staff=staff_a)
    return {"claim": claim, "feed": feed}


def download(client, user):
    sign_in(client, user)
    response = client.get(reverse("my_data_download"))
    assert response.status_code == 200
    return response, zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def rows(archive, name):
    return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))


def test_the_download_is_a_zip_file_named_for_today_and_never_kept(client, rep_a1):
    response, _ = download(client, rep_a1)
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="your-data-2025-11-20.zip"'
    assert {"no-store", "private"} <= {
        part.strip() for part in response["Cache-Control"].split(",")
    }


def test_the_download_holds_the_reps_own_records_of_every_kind(client, rep_a1, alices_records):
    _, archive = download(client, rep_a1)

    details = rows(archive, "your-details.csv")
    assert len(details) == 1
    assert details[0]["Name"] == "Alice Rep"
    assert details[0]["Board"] == "East Dunbartonshire IJB"
    assert details[0]["Portal account email address"] == "rep.a1@example.org"
    assert details[0]["Support needed: Large print"] == "Yes"

    [term] = rows(archive, "terms.csv")
    assert term["Seat"] == "Carer representative"
    assert term["Started"] == "2024-04-01"
    assert term["Handover notes"] == "Papers come a week ahead."
    assert term["Handed over to the next rep"] == "Yes"
    [item] = rows(archive, "induction-checklist.csv")
    assert item["Item"] == "Meet the chief officer" and item["Done on"] == "2025-11-20"
    assert rows(archive, "usual-journeys.csv")[0]["From"] == "Lenzie"
    assert rows(archive, "training.csv")[0]["Course"] == "Understanding IJB finance"
    assert rows(archive, "meeting-attendance.csv")[0]["What was recorded"] == "Sent apologies"
    assert rows(archive, "agenda-items.csv")[0]["Item"] == "Short breaks for carers"
    as_a_rep, when_interested = rows(archive, "equality-monitoring.csv")
    assert as_a_rep["Given"] == "As a rep"
    assert as_a_rep["What is your age?"] == "55 to 64"
    assert as_a_rep["What is your sex?"] == "Not answered"
    assert when_interested["Given"] == "When you said you were interested"
    assert when_interested["What is your sex?"] == "Female"
    assert rows(archive, "expressions-of-interest.csv")[0]["Where it got to"] == "Appointed"
    assert rows(archive, "calendar-address.csv") == [
        {"You have a calendar address": "Yes", "Made": "2025-11-20 10:00"}
    ]
    assert rows(archive, "self-assessment.csv")[0]["Financial year"] == "2025/26"

    [claim] = rows(archive, "claims.csv")
    assert claim["Reference"] == "ED-00001"
    assert claim["Status"] == "Returned"
    assert claim["Total (£)"] == "9.00"
    [claim_item] = rows(archive, "claim-items.csv")
    assert claim_item["Claim reference"] == "ED-00001"
    assert claim_item["What kind"] == "Mileage"
    assert claim_item["Miles"] == "10.0"
    # What a mileage item does not use is left empty, not shown as its default.
    assert (claim_item["Passengers"], claim_item["Meal"], claim_item["Hours preparing"]) == (
        "0",
        "",
        "",
    )
    assert claim_item["Receipt"] == "receipts/ED-00001-item-1.jpg"
    assert archive.read("receipts/ED-00001-item-1.jpg") == b"alice's receipt"
    sent, returned = rows(archive, "claim-timeline.csv")
    assert (sent["What happened"], sent["By"]) == ("Submitted", "You")
    assert returned["Reason"] == "Add the parking receipt, please."

    readme = archive.read("README.txt").decode()
    assert "Everything the portal held about Alice Rep" in readme
    for name in archive.namelist():
        if name.endswith(".csv"):
            assert name in readme


def test_staff_are_named_by_name_and_role_never_by_email(client, rep_a1, staff_a, alices_records):
    _, archive = download(client, rep_a1)
    returned = rows(archive, "claim-timeline.csv")[1]
    assert returned["By"] == f"{staff_a.full_name} (HSCP staff)"
    assert rows(archive, "induction-checklist.csv")[0]["Marked done by"] == returned["By"]
    assert not [name for name in archive.namelist() if staff_a.email.encode() in archive.read(name)]


def test_nothing_of_another_rep_on_the_board_is_in_the_download(client, rep_a1, alices_records):
    _, archive = download(client, rep_a1)
    for name in archive.namelist():
        content = archive.read(name)
        for theirs in (b"Amir", b"ED-00002", b"amir's receipt", b"Amir's course"):
            assert theirs not in content, (name, theirs)


def test_the_secret_calendar_address_is_not_in_the_download(client, rep_a1, alices_records):
    _, archive = download(client, rep_a1)
    token = alices_records["feed"].token.encode()
    assert not [name for name in archive.namelist() if token in archive.read(name)]


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_escaped(client, rep_a1, alices_records):
    _, archive = download(client, rep_a1)
    assert rows(archive, "your-details.csv")[0]["Address"] == (
        '\'=HYPERLINK("http://evil.example/","Click me")'
    )


def test_a_kind_with_no_records_is_a_file_of_headings_alone(client, rep_a1):
    _, archive = download(client, rep_a1)
    assert archive.read("training.csv").decode("utf-8-sig").splitlines() == [
        "Course,Date,Provider,Hours,Cost (£)"
    ]
    assert rows(archive, "claims.csv") == []
    assert rows(archive, "calendar-address.csv") == [
        {"You have a calendar address": "No", "Made": ""}
    ]


def test_without_equality_answers_there_is_no_file_and_the_note_says_why(client, rep_a1):
    _, archive = download(client, rep_a1)
    assert "equality-monitoring.csv" not in archive.namelist()
    readme = archive.read("README.txt").decode()
    assert "equality-monitoring.csv (not included)" in readme
    assert "The portal holds no equality monitoring answers from you" in readme
    assert "There are no receipts" in readme


def test_a_receipt_whose_file_is_gone_is_named_in_the_note(client, rep_a1, alices_records):
    item = alices_records["claim"].items.get()
    item.receipt.storage.delete(item.receipt.name)
    _, archive = download(client, rep_a1)
    assert "receipts/ED-00001-item-1.jpg" not in archive.namelist()
    assert "could not be found" in archive.read("README.txt").decode()


def test_a_receipt_name_stays_inside_its_folder(client, rep_a1, staff_a):
    give_claim(rep_a1.rep_profile, "../../etc/x", receipt=b"odd", by_staff=staff_a)
    give_claim(rep_a1.rep_profile, "etc/x", receipt=b"odder", by_staff=staff_a)
    _, archive = download(client, rep_a1)
    receipts = sorted(name for name in archive.namelist() if name.startswith("receipts/"))
    assert len(receipts) == 2
    assert all(".." not in name and name.count("/") == 1 for name in receipts)


def queries_of_download(client) -> int:
    with CountQueries() as queries:
        response = client.get(reverse("my_data_download"))
        b"".join(response.streaming_content)
    assert response.status_code == 200
    return queries.count


def test_the_download_reads_the_same_whatever_the_number_of_claims(
    client, rep_a1, alices_records, staff_a
):
    sign_in(client, rep_a1)
    queries_of_download(client)
    with_one_claim = queries_of_download(client)
    for number in range(3, 7):
        give_claim(rep_a1.rep_profile, f"ED-{number:05d}", receipt=b"r", by_staff=staff_a, items=3)
    assert queries_of_download(client) == with_one_claim
    _, archive = download(client, rep_a1)
    assert len(rows(archive, "claims.csv")) == 5
    assert len(rows(archive, "claim-items.csv")) == 13


def test_every_field_of_the_rep_record_is_in_the_download():
    shown = {name for name, _ in reps_data.REP_COLUMNS}
    # The account linked to the record has columns of its own.
    assert shown | {"user"} == {field.name for field in Rep._meta.concrete_fields}


def test_a_row_must_have_a_value_for_every_heading():
    kind = Kind("Things", "things.csv", "things.", ("One", "Two"))
    with pytest.raises(ValueError, match="a row of 1 values for 2 headings"):
        Held(kind, (("only one",),))


def test_the_page_says_what_the_download_holds_and_links_to_it(client, rep_a1):
    page = sign_in(client, rep_a1).get(reverse("my_data")).content.decode()
    assert "Download your data" in page
    assert f'href="{reverse("my_data_download")}"' in page
    for name in ("your-details.csv", "claim-items.csv", "self-assessment.csv", "README.txt"):
        assert name in page


def test_the_reps_details_and_the_privacy_notice_link_to_the_page(client, rep_a1):
    sign_in(client, rep_a1)
    link = f'href="{reverse("my_data")}"'
    assert link in client.get(reverse("reps:my_details")).content.decode()
    assert link in client.get(reverse("privacy")).content.decode()


# Staff answering a rep's request for their data


def staff_download(client, user, rep):
    sign_in(client, user)
    response = client.get(reverse("staff_rep_data_download", args=[rep.pk]))
    assert response.status_code == 200
    return response, zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_staff_download_what_the_rep_would_less_their_equality_answers(
    client, rep_a1, staff_a, alices_records, alice
):
    _, own = download(client, rep_a1)
    response, theirs = staff_download(client, staff_a, alice)
    assert f"data-of-rep-{alice.pk}-{TODAY.isoformat()}.zip" in response["Content-Disposition"]
    assert response["Cache-Control"].startswith("max-age=0")
    equality = reps_data.EQUALITY.file_name
    assert equality in own.namelist()
    assert set(theirs.namelist()) == set(own.namelist()) - {equality}
    for name in theirs.namelist():
        if name != "README.txt":
            assert theirs.read(name) == own.read(name), name
    note = theirs.read("README.txt").decode()
    assert "not in this copy: the staff who made it never see them" in note
    assert "55-64" not in " ".join(
        theirs.read(name).decode(errors="ignore") for name in theirs.namelist()
    )


def test_the_rep_page_offers_the_download_to_staff_who_manage_reps(client, staff_a, alice):
    sign_in(client, staff_a)
    page = client.get(reverse("reps:staff_rep_detail", args=[alice.pk])).content.decode()
    assert reverse("staff_rep_data_download", args=[alice.pk]) in page
