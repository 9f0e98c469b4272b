"""Bringing spreadsheets in and taking them out, on the staff pages and in the admin.

A good file writes its rows; a file with one bad row writes nothing and names the row and why;
another board's rows are refused; CSV exports cannot carry a formula into a spreadsheet.
"""

import csv
import datetime
import io
import os
import re
import time
from decimal import Decimal

import pytest
import tablib
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from portal.core.spreadsheets import SafeCSV
from reps import services, transfer
from reps.models import (
    Attendance,
    InductionItem,
    InductionItemTemplate,
    Meeting,
    Rep,
    Seat,
    Term,
    Training,
)
from reps.resources import (
    STAFF_RESOURCES,
    AttendanceResource,
    MeetingResource,
    RepResource,
    SeatResource,
    TermResource,
    TrainingResource,
)
from tests.conftest import sign_in
from tests.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    GroupFactory,
    MeetingFactory,
    RepFactory,
    SeatFactory,
    TermFactory,
    TrainingFactory,
)


def csv_file(rows: list[list[object]], name: str = "file.csv") -> io.BytesIO:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    data = io.BytesIO(out.getvalue().encode("utf-8"))
    data.name = name
    return data


def xlsx_file(rows: list[list[object]], name: str = "file.xlsx") -> io.BytesIO:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    data = io.BytesIO()
    workbook.save(data)
    data.seek(0)
    data.name = name
    return data


def upload(client, what: str, file) -> object:
    return client.post(reverse("reps:import_start"), {"what": what, "file": file}, follow=True)


def confirm(client) -> object:
    return client.post(reverse("reps:import_preview"), follow=True)


@pytest.fixture
def group_a(board_a):
    return GroupFactory(board=board_a, name="Integration Joint Board")


@pytest.fixture
def staff(client, staff_a):
    return sign_in(client, staff_a)


SEAT_HEADINGS = ["ID", "Board", "Group", "Seat title", "Kind of seat", "Carries a vote"]


# A good file


def test_a_good_file_is_previewed_then_written(staff, board_a, group_a):
    rows = [
        SEAT_HEADINGS,
        ["", "East Dunbartonshire IJB", "Integration Joint Board", "Carer rep", "Carer", "yes"],
        ["", "East Dunbartonshire IJB", "integration joint board", "Lived rep", "lived", "no"],
    ]
    preview = upload(staff, "seats", csv_file(rows))
    page = preview.content.decode()
    assert preview.redirect_chain[-1][0] == reverse("reps:import_preview")
    assert "2 new, 0 changed and 0 unchanged" in page
    assert "Carer rep" in page
    assert "Bring in 2 rows" in page
    assert not Seat.objects.exists(), "a preview writes nothing"

    done = confirm(staff)
    assert "Seats brought in: 2 new and 0 changed." in done.content.decode()
    seats = {seat.title: seat for seat in Seat.objects.all()}
    assert set(seats) == {"Carer rep", "Lived rep"}
    assert seats["Carer rep"].voting is True
    assert seats["Lived rep"].kind == Seat.Kind.LIVED_EXPERIENCE
    assert seats["Carer rep"].group == group_a
    assert seats["Carer rep"].history.first().history_user.email == "staff.a@example.org"


def test_the_kept_file_is_removed_after_the_import(staff, board_a, group_a):
    upload(
        staff, "seats", csv_file([SEAT_HEADINGS, ["", board_a.name, group_a.name, "A", "carer"]])
    )
    path = staff.session[transfer.SESSION_KEY]["path"]
    assert default_storage.exists(path)
    confirm(staff)
    assert not default_storage.exists(path)
    assert transfer.SESSION_KEY not in staff.session


def test_changed_rows_are_listed_with_what_changes(staff, board_a, group_a):
    seat = SeatFactory(group=group_a, title="Carer rep", kind="carer", voting=False)
    rows = [SEAT_HEADINGS, [seat.pk, board_a.name, group_a.name, "Carer rep", "carer", "yes"]]
    page = upload(staff, "seats", csv_file(rows)).content.decode()
    assert "0 new, 1 changed" in page
    assert "Carries a vote: no becomes yes" in page
    confirm(staff)
    seat.refresh_from_db()
    assert seat.voting is True


def test_a_term_brought_in_gets_its_induction_checklist(staff, board_a, group_a):
    InductionItemTemplate.objects.create(board=board_a, title="Meet the chief officer")
    seat = SeatFactory(group=group_a, kind="carer")
    rep = RepFactory(board=board_a, user=None, rep_type="carer")
    rows = [
        ["Rep ID", "Seat ID", "Start", "Planned end", "How recruited"],
        [rep.pk, seat.pk, "01/04/2025", "31/03/2028", "Open recruitment"],
    ]
    upload(staff, "terms", csv_file(rows))
    confirm(staff)
    term = Term.objects.get()
    assert (term.rep, term.seat, term.start) == (rep, seat, datetime.date(2025, 4, 1))
    checklist = set(InductionItem.objects.filter(term=term).values_list("title", flat=True))
    assert "Meet the chief officer" in checklist
    assert "Role description given" in checklist, "the national items too"


def test_an_xlsx_file_with_date_cells_is_read(staff, board_a, group_a):
    rows = [
        ["Board", "Group", "Date", "Venue", "Papers sent out on"],
        [board_a.name, group_a.name, datetime.date(2025, 6, 10), "Chambers", "2025-06-05"],
    ]
    upload(staff, "meetings", xlsx_file(rows))
    confirm(staff)
    meeting = Meeting.objects.get()
    assert (meeting.date, meeting.papers_issued_on) == (
        datetime.date(2025, 6, 10),
        datetime.date(2025, 6, 5),
    )


def test_attendance_is_matched_on_meeting_and_rep(staff, board_a, group_a):
    meeting = MeetingFactory(group=group_a)
    rep = RepFactory(board=board_a, user=None)
    AttendanceFactory(meeting=meeting, rep=rep, status="absent")
    rows = [["Meeting ID", "Rep ID", "Attendance"], [meeting.pk, rep.pk, "Sent apologies"]]
    upload(staff, "attendance", csv_file(rows))
    confirm(staff)
    assert Attendance.objects.get().status == Attendance.Status.APOLOGIES


# One bad row: nothing is written, and the row and the reason are named


def test_one_bad_row_writes_nothing_and_names_the_row_and_reason(staff, board_a, group_a):
    rows = [
        SEAT_HEADINGS,
        ["", board_a.name, group_a.name, "Good seat", "carer", "no"],
        ["", board_a.name, "No such group", "Bad seat", "carer", "no"],
        ["", board_a.name, group_a.name, "Another good seat", "carer", "no"],
    ]
    response = upload(staff, "seats", csv_file(rows))
    page = response.content.decode()
    assert "The file has problems" in page
    assert "Row 3" in page, "row numbers are the spreadsheet's, the headings being row 1"
    assert (
        "East Dunbartonshire IJB has no group called “No such group”. Its groups are: "
        "Integration Joint Board." in page
    )
    assert not re.search(r"Bring in \d+ row", page), "no button imports a file with a bad row"

    # Even a confirmation sent anyway writes nothing.
    refused = confirm(staff).content.decode()
    assert "Nothing has been brought in" in refused
    assert not Seat.objects.exists()


def test_a_file_that_turns_bad_between_preview_and_import_writes_nothing(staff, board_a, group_a):
    seat = SeatFactory(group=group_a, kind="carer")
    rep = RepFactory(board=board_a, user=None, rep_type="carer")
    other = RepFactory(board=board_a, user=None, rep_type="carer")
    rows = [
        ["Rep ID", "Seat ID", "Start", "Planned end", "How recruited"],
        [rep.pk, seat.pk, "01/04/2025", "31/03/2028", "open"],
    ]
    assert "Bring in 1 row" in upload(staff, "terms", csv_file(rows)).content.decode()
    TermFactory(seat=seat, rep=other, start=datetime.date(2025, 1, 1))  # meanwhile
    page = confirm(staff).content.decode()
    assert "The file can no longer be brought in" in page
    assert "Terms in one seat cannot overlap" in page
    assert Term.objects.count() == 1


def test_a_row_for_another_board_is_refused(staff, board_a, board_b, group_a):
    GroupFactory(board=board_b, name="Integration Joint Board")
    rows = [
        SEAT_HEADINGS,
        ["", board_a.name, group_a.name, "Ours", "carer", "no"],
        ["", board_b.name, "Integration Joint Board", "Theirs", "carer", "no"],
    ]
    page = upload(staff, "seats", csv_file(rows)).content.decode()
    assert "Row 3" in page
    assert "Fife IJB is not one of your boards" in page
    confirm(staff)
    assert not Seat.objects.exists()


def test_an_id_from_another_board_reads_as_no_such_record(staff, board_a, board_b):
    theirs = RepFactory(board=board_b, user=None, full_name="Someone Else")
    rows = [
        ["ID", "Board", "Full name", "Kind of rep"],
        [theirs.pk, board_a.name, "Renamed", "carer"],
    ]
    page = upload(staff, "reps", csv_file(rows)).content.decode()
    assert f"There is no rep with ID {theirs.pk} on your boards" in page
    assert "Someone Else" not in page
    confirm(staff)
    theirs.refresh_from_db()
    assert theirs.full_name == "Someone Else"


def test_an_id_longer_than_any_record_is_named_and_breaks_nothing(staff, board_a):
    too_long = "9" * 25
    rows = [["ID", "Board", "Full name", "Kind of rep"], [too_long, board_a.name, "X", "carer"]]
    page = upload(staff, "reps", csv_file(rows)).content.decode()
    assert f"“{too_long}” is not an ID." in page


def test_a_term_for_a_rep_on_another_board_is_refused(staff, board_a, board_b, group_a):
    seat = SeatFactory(group=group_a, kind="carer")
    theirs = RepFactory(board=board_b, user=None)
    rows = [
        ["Rep ID", "Seat ID", "Start", "Planned end", "How recruited"],
        [theirs.pk, seat.pk, "01/04/2025", "31/03/2028", "open"],
    ]
    page = upload(staff, "terms", csv_file(rows)).content.decode()
    assert f"Rep ID: There is no rep with ID {theirs.pk} on your boards." in page
    assert not Term.objects.exists()

    their_seat = SeatFactory(group__board=board_b)
    rows[1][:2] = [RepFactory(board=board_a, user=None).pk, their_seat.pk]
    page = upload(staff, "terms", csv_file(rows)).content.decode()
    assert f"Seat ID: There is no seat with ID {their_seat.pk} on your boards." in page


def test_a_row_cannot_move_a_rep_to_another_board(client, board_a, board_b, staff_a):
    from tests.factories import StaffMembershipFactory

    StaffMembershipFactory(user=staff_a, board=board_b)
    rep = RepFactory(board=board_a, user=None, full_name="Alice")
    rows = [["ID", "Board", "Full name", "Kind of rep"], [rep.pk, board_b.name, "Alice", "carer"]]
    page = upload(sign_in(client, staff_a), "reps", csv_file(rows)).content.decode()
    assert "A row cannot move to another board" in page


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("NaN", "“NaN” is not a number. Write a number, such as 40.00."),
        ("Infinity", "“Infinity” is not a number. Write a number, such as 40.00."),
        ("-Infinity", "“-Infinity” is not a number."),
        ("12.345", "12.345 has too many decimal places. Use 2 decimal places at most"),
        ("twelve", "“twelve” is not a number."),
        ("-5.00", "Enter the cost in pounds, from 0 to 10,000."),
    ],
)
def test_amounts_that_are_not_pounds_and_pence_are_bad_rows(staff, board_a, cell, reason):
    rep = RepFactory(board=board_a, user=None)
    rows = [
        ["Rep ID", "Course", "Date", "Hours", "Cost (£)"],
        [rep.pk, "Finance for reps", "01/06/2025", "3", cell],
    ]
    page = upload(staff, "training", csv_file(rows)).content.decode()
    assert "Row 2" in page
    assert reason in page
    confirm(staff)
    assert not Training.objects.exists()


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("NaN", "“NaN” is not a number. Write a number, such as 2.5."),
        ("2.25", "2.25 has too many decimal places. Use one decimal place at most"),
        ("0", "Enter the hours as a number above 0, up to 200."),
        ("2000", "Enter the hours as a number above 0, up to 200."),
    ],
)
def test_hours_with_one_decimal_place_at_most(staff, board_a, cell, reason):
    rep = RepFactory(board=board_a, user=None)
    rows = [["Rep ID", "Course", "Date", "Hours"], [rep.pk, "Chairing", "01/06/2025", cell]]
    page = upload(staff, "training", csv_file(rows)).content.decode()
    assert reason in page
    assert not Training.objects.exists()


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("31/02/2025", "31/02/2025 is not a real date. Check the day and the month."),
        ("2025-02-31", "2025-02-31 is not a real date. Check the day and the month."),
        ("next Tuesday", "Enter the date as DD/MM/YYYY, for example 25/11/2026."),
        ("", "Date is empty. Fill it in."),
    ],
)
def test_dates_that_do_not_exist_are_bad_rows(staff, board_a, group_a, cell, reason):
    rows = [["Board", "Group", "Date"], [board_a.name, group_a.name, cell]]
    page = upload(staff, "meetings", csv_file(rows)).content.decode()
    assert "Row 2" in page
    assert reason in page
    assert not Meeting.objects.exists()


def test_meeting_times_come_in_from_text_or_time_cells_and_go_out_again(staff, board_a, group_a):
    rows = [
        ["Board", "Group", "Date", "Start time", "Finish time"],
        [board_a.name, group_a.name, "10/06/2025", "10.30", datetime.time(12, 30)],
        [board_a.name, group_a.name, "11/06/2025", "", ""],
    ]
    upload(staff, "meetings", xlsx_file(rows))
    confirm(staff)
    assert list(Meeting.objects.order_by("date").values_list("start_time", "end_time")) == [
        (datetime.time(10, 30), datetime.time(12, 30)),
        (None, None),
    ]
    exported = staff.get(reverse("reps:export"), {"what": "meetings", "file_format": "csv"})
    lines = b"".join(exported.streaming_content if exported.streaming else [exported.content])
    assert "Start time,Finish time" in lines.decode()
    assert ",10:30,12:30," in lines.decode()


@pytest.mark.parametrize(
    ("start", "end", "reason"),
    [
        ("half ten", "", "Write the time on the 24-hour clock, for example 10:30 or 14:00, not"),
        ("24:00", "", "not “24:00”"),
        ("14:00", "12:30", "The meeting must have a start time, and finish after it."),
        ("", "12:30", "The meeting must have a start time, and finish after it."),
    ],
)
def test_meeting_times_that_cannot_be_are_bad_rows(staff, board_a, group_a, start, end, reason):
    rows = [
        ["Board", "Group", "Date", "Start time", "Finish time"],
        [board_a.name, group_a.name, "10/06/2025", start, end],
    ]
    page = upload(staff, "meetings", csv_file(rows)).content.decode()
    assert "Row 2" in page and reason in page
    assert not Meeting.objects.exists()


def test_model_validation_runs_on_every_row(staff, board_a, group_a):
    seat = SeatFactory(group=group_a, kind="lived")
    carer = RepFactory(board=board_a, user=None, rep_type="carer", full_name="Carol Carer")
    rows = [
        ["Rep ID", "Seat ID", "Start", "Planned end", "How recruited"],
        [carer.pk, seat.pk, "01/04/2025", "31/03/2024", "open"],
    ]
    page = upload(staff, "terms", csv_file(rows)).content.decode()
    assert "This seat is for a lived experience representative" in page
    assert not Term.objects.exists()


def test_two_rows_of_one_file_cannot_overlap_in_a_seat(staff, board_a, group_a):
    seat = SeatFactory(group=group_a, kind="carer")
    first, second = RepFactory.create_batch(2, board=board_a, user=None, rep_type="carer")
    rows = [
        ["Rep ID", "Seat ID", "Start", "Planned end", "How recruited"],
        [first.pk, seat.pk, "01/04/2025", "31/03/2028", "open"],
        [second.pk, seat.pk, "01/04/2026", "31/03/2029", "open"],
    ]
    page = upload(staff, "terms", csv_file(rows)).content.decode()
    assert "Row 3" in page
    assert "Terms in one seat cannot overlap" in page
    confirm(staff)
    assert not Term.objects.exists()


def test_a_term_ended_early_needs_a_reason(staff, board_a, group_a):
    term = TermFactory(seat__group=group_a)
    rows = [
        ["ID", "Rep ID", "Seat ID", "Start", "Planned end", "Ended on", "How recruited"],
        [term.pk, term.rep.pk, term.seat.pk, "01/04/2024", "31/03/2027", "01/01/2025", "open"],
    ]
    page = upload(staff, "terms", csv_file(rows)).content.decode()
    assert "Why it ended early: Say why the term ended early." in page


# Reading the file


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (csv_file([["Board"], ["x"]], name="seats.txt"), "must be a CSV or an Excel (XLSX) file"),
        (csv_file([["Board", "Group"], ["a", "b"]]), "The file has no column “Seat title”"),
        (csv_file([SEAT_HEADINGS]), "The file has column headings but no rows under them."),
        (csv_file([["a"]], name="seats.xlsx"), "The file is not an Excel file."),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_a_reason(staff, board_a, file, message):
    response = upload(staff, "seats", file)
    page = response.content.decode()
    assert response.redirect_chain == []
    assert message in page
    assert "There is a problem" in page
    assert 'value="seats" checked' in page.replace('checked=""', "checked"), "keeps the choice"


def test_too_many_rows_are_refused(staff, board_a, group_a, monkeypatch):
    monkeypatch.setattr(transfer, "MAX_ROWS", 3)
    rows = [SEAT_HEADINGS] + [["", board_a.name, group_a.name, f"S{n}", "carer"] for n in range(4)]
    page = upload(staff, "seats", csv_file(rows)).content.decode()
    assert "The file has more than 3 rows." in page


def test_too_large_a_file_is_refused(staff, board_a, monkeypatch):
    monkeypatch.setattr(transfer, "MAX_UPLOAD_BYTES", 100)
    page = upload(staff, "seats", csv_file([SEAT_HEADINGS] + [["x" * 50]] * 3)).content.decode()
    assert "The file must be smaller than" in page


def test_the_preview_reads_only_the_file_this_session_kept(
    client, staff_a, staff_b, board_a, group_a
):
    sign_in(client, staff_a)
    upload(
        client, "seats", csv_file([SEAT_HEADINGS, ["", board_a.name, group_a.name, "A", "carer"]])
    )
    kept = client.session[transfer.SESSION_KEY]
    client.logout()
    sign_in(client, staff_b)
    session = client.session
    session[transfer.SESSION_KEY] = kept  # even a session that learnt the name
    session.save()
    response = client.get(reverse("reps:import_preview"))
    assert response.status_code == 302
    assert response.url == reverse("reps:import_start")


def test_staff_who_do_not_manage_reps_cannot_import_or_export(client, board_a):
    from tests.factories import StaffMembershipFactory, confirmed_totp_device

    finance = StaffMembershipFactory(board=board_a, can_manage_reps=False).user
    confirmed_totp_device(finance)
    sign_in(client, finance)
    assert client.get(reverse("reps:import_start")).status_code == 403
    assert client.get(reverse("reps:export")).status_code == 403


# Export


def export(client, what: str, file_format: str, board=""):
    return client.get(
        reverse("reps:export"), {"what": what, "file_format": file_format, "board": board}
    )


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_prefix_is_escaped_in_csv(staff, board_a, prefix):
    RepFactory(board=board_a, user=None, full_name=f"{prefix}HYPERLINK(1)", rep_type="carer")
    response = export(staff, "reps", "csv", board=board_a.pk)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["ID", "Board", "Full name", "Kind of rep"]
    assert rows[1][2] == f"'{prefix}HYPERLINK(1)"


def test_the_csv_format_escapes_headings_and_every_cell():
    dataset = tablib.Dataset(["=1+1", "plain", "-3", "@me"], headers=["+heading", "ok", "a", "b"])
    rows = list(csv.reader(io.StringIO(SafeCSV().export_data(dataset))))
    assert rows == [["'+heading", "ok", "a", "b"], ["'=1+1", "plain", "'-3", "'@me"]]


def test_xlsx_export_opens_and_holds_the_rows_as_text_not_formulas(staff, board_a):
    group = GroupFactory(board=board_a, name="Integration Joint Board")
    rep = RepFactory(board=board_a, user=None, rep_type="carer", full_name="=HYPERLINK(1)")
    TrainingFactory(rep=rep, course="Finance", hours=Decimal("2.5"), cost=Decimal("12.34"))
    SeatFactory(group=group, title="Carer rep")
    response = export(staff, "training", "xlsx")
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    headings = rows[0]
    assert headings[:4] == ["ID", "Board", "Rep ID", "Rep name"]
    row = dict(zip(headings, rows[1], strict=True))
    assert row["Rep name"] == "=HYPERLINK(1)"
    assert sheet.cell(row=2, column=4).data_type == "s", "text, not a formula"
    assert row["Course"] == "Finance"
    assert row["Date"].date() == datetime.date(2025, 6, 1)
    assert Decimal(str(row["Hours"])) == Decimal("2.5")
    assert Decimal(str(row["Cost (£)"])) == Decimal("12.34")


def test_export_holds_only_the_staff_members_boards(staff, board_a, board_b):
    RepFactory(board=board_a, user=None, full_name="Ours")
    RepFactory(board=board_b, user=None, full_name="Theirs")
    text = export(staff, "reps", "csv").content.decode("utf-8-sig")
    assert "Ours" in text
    assert "Theirs" not in text


def test_an_export_brought_back_in_changes_nothing(staff, board_a):
    group = GroupFactory(board=board_a, name="Integration Joint Board")
    term = TermFactory(seat__group=group, rep__full_name="Round Trip")
    for what in ("seats", "reps", "terms"):
        data = export(staff, what, "xlsx").content
        file = io.BytesIO(data)
        file.name = f"{what}.xlsx"
        page = upload(staff, what, file).content.decode()
        assert "0 new, 0 changed and 1 unchanged" in page, what
    assert Term.objects.get() == term


def test_closing_and_cancelling_are_exported_and_a_file_cannot_undo_them(staff, board_a, staff_a):
    group = GroupFactory(board=board_a, name="Integration Joint Board")
    seat = SeatFactory(group=group, title="Abolished seat")
    services.seat_close(seat=seat, on=datetime.date(2025, 4, 1), by=staff_a)
    meeting = MeetingFactory(group=group, date=datetime.date(2025, 6, 10))
    services.meeting_cancel(meeting=meeting, reason="", by=staff_a, today=datetime.date(2025, 6, 1))

    for what, heading in (("seats", "Closed on"), ("meetings", "Cancelled on")):
        rows = list(csv.reader(io.StringIO(export(staff, what, "csv").content.decode("utf-8-sig"))))
        row = dict(zip(rows[0], rows[1], strict=True))
        assert row[heading], what
        # The same file with the date taken out, brought back in, leaves the record as it was.
        row[heading] = ""
        page = upload(staff, what, csv_file([rows[0], list(row.values())])).content.decode()
        assert "0 new, 0 changed and 1 unchanged" in page, what
    seat.refresh_from_db()
    meeting.refresh_from_db()
    assert (seat.closed_on, meeting.cancelled_on) == (
        datetime.date(2025, 4, 1),
        datetime.date(2025, 6, 1),
    )


def test_agenda_items_and_induction_checklists_are_taken_out_but_never_brought_in(
    staff, board_a, board_b
):
    group = GroupFactory(board=board_a, name="Integration Joint Board")
    term = TermFactory(
        seat__group=group,
        seat__title="Carer rep",
        rep__full_name="Morag Rep",
        start=datetime.date(2025, 4, 1),
    )
    meeting = MeetingFactory(group=group, date=datetime.date(2025, 6, 10))
    AgendaItemFactory(
        meeting=meeting,
        rep=term.rep,
        title="Short breaks",
        status="accepted",
        minutes_given=20,
        outcome="A review of short breaks was agreed.",
    )
    AgendaItemFactory(meeting=meeting, rep=None, title="Meeting times", status="submitted")
    AgendaItemFactory(meeting__group__board=board_b, title="Fife's item")
    InductionItem.objects.create(
        term=term, title="Meet the chair", done=True, done_on=datetime.date(2025, 4, 20)
    )

    def rows(what):
        text = export(staff, what, "csv").content.decode("utf-8-sig")
        found = list(csv.reader(io.StringIO(text)))
        return [dict(zip(found[0], row, strict=True)) for row in found[1:]]

    items = {row["Item"]: row for row in rows("agenda-items")}
    assert set(items) == {"Short breaks", "Meeting times"}
    assert items["Short breaks"]["Put forward by"] == "Morag Rep"
    assert items["Short breaks"]["Decision"] == "Accepted"
    assert items["Short breaks"]["Time given (minutes)"] == "20"
    assert items["Short breaks"]["What came of it"] == "A review of short breaks was agreed."
    assert items["Meeting times"]["Put forward by"] == "The reps together"
    [checklist] = rows("induction")
    assert (checklist["Rep name"], checklist["Seat"], checklist["Item"], checklist["Done"]) == (
        "Morag Rep",
        "Carer rep",
        "Meet the chair",
        "yes",
    )
    page = staff.get(reverse("reps:import_start")).content.decode()
    assert "Agenda items" not in page and "Induction" not in page
    assert "Agenda items" in staff.get(reverse("reps:export")).content.decode()


def test_export_asks_again_when_the_choice_is_missing(staff, board_a):
    response = staff.get(reverse("reps:export"), {"what": "reps"})
    assert response.status_code == 200
    assert "Choose a file type." in response.content.decode()


@pytest.mark.parametrize(
    "what",
    [
        "seats",
        "reps",
        "terms",
        "meetings",
        "attendance",
        "training",
        "agenda-items",
        "induction",
    ],
)
def test_export_queries_do_not_grow_with_the_rows(staff, board_a, what):
    def build(n):
        for _ in range(n):
            term = TermFactory(seat__group__board=board_a)
            meeting = MeetingFactory(group=term.seat.group)
            AttendanceFactory(meeting=meeting, rep=term.rep)
            TrainingFactory(rep=term.rep)
            AgendaItemFactory(meeting=meeting, rep=term.rep)
            InductionItem.objects.create(term=term, title="Meet the chair")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert export(staff, what, "csv").status_code == 200
        return len(queries)

    build(1)
    once = count()
    build(9)
    assert count() == once


# The resources themselves, as the admin uses them


def test_the_admin_offers_import_and_export(client, administrator, board_a):
    sign_in(client, administrator)
    for name in (
        "portal_board",
        "reps_seat",
        "reps_rep",
        "reps_term",
        "reps_meeting",
        "reps_training",
    ):
        assert client.get(reverse(f"admin:{name}_import")).status_code == 200, name
        assert client.get(reverse(f"admin:{name}_export")).status_code == 200, name


def test_the_admin_import_writes_nothing_from_a_file_with_a_bad_row(client, administrator, board_a):
    group = GroupFactory(board=board_a, name="Integration Joint Board")
    rows = [
        SEAT_HEADINGS,
        ["", board_a.name, group.name, "Fine", "carer", "no"],
        ["", board_a.name, group.name, "Bad", "not a kind", "no"],
    ]
    sign_in(client, administrator)
    response = client.post(
        reverse("admin:reps_seat_import"),
        {"resource": "0", "format": "0", "import_file": csv_file(rows)},
    )
    assert "not one of the choices" in response.content.decode()
    assert not Seat.objects.exists()


def test_the_admin_csv_export_is_escaped(client, administrator, board_a):
    RepFactory(board=board_a, user=None, full_name="@SUM(1)")
    sign_in(client, administrator)
    fields = {f"represource_{name}": "on" for name in RepResource.Meta.fields}
    response = client.post(
        reverse("admin:reps_rep_export"), {"format": "0", "resource": "0", **fields}
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "'@SUM(1)" in response.content.decode()


@pytest.mark.parametrize(
    "resource_class",
    [
        SeatResource,
        RepResource,
        TermResource,
        MeetingResource,
        AttendanceResource,
        TrainingResource,
    ],
)
def test_a_resource_for_someone_without_boards_sees_nothing(resource_class, rep_a1, board_a):
    TermFactory(seat__group__board=board_a)
    assert not resource_class(user=rep_a1).get_queryset().exists()


def test_equality_answers_are_in_no_resource(administrator):
    for resource_class in STAFF_RESOURCES.values():
        columns = " ".join(
            f.column_name for f in resource_class(user=administrator).fields.values()
        )
        for word in ("ethnic", "equality", "sexual", "disab", "age band"):
            assert word not in columns.casefold(), resource_class


def test_an_unknown_column_does_not_stop_the_import(staff, board_a, group_a):
    rows = [SEAT_HEADINGS + ["Notes"], ["", board_a.name, group_a.name, "S", "carer", "no", "hi"]]
    upload(staff, "seats", csv_file(rows))
    confirm(staff)
    assert Seat.objects.get().title == "S"


def test_rep_records_brought_in_go_through_the_rep_rules(staff, board_a):
    rows = [
        ["Board", "Full name", "Kind of rep", "Email address", "Needs BSL"],
        [board_a.name, "New Rep", "Carer representative", "not-an-email", "maybe"],
    ]
    page = upload(staff, "reps", csv_file(rows)).content.decode()
    assert "Email address: Enter a valid email address." in page
    assert "Needs BSL: Write yes or no, not “maybe”." in page
    assert not Rep.objects.filter(full_name="New Rep").exists()


def test_files_left_by_abandoned_previews_are_deleted(staff, board_a, group_a):
    old = default_storage.save(f"{transfer.FOLDER}/left-behind.csv", io.BytesIO(b"x"))
    past = time.time() - 13 * 3600
    os.utime(default_storage.path(old), (past, past))
    upload(
        staff, "seats", csv_file([SEAT_HEADINGS, ["", board_a.name, group_a.name, "A", "carer"]])
    )
    assert not default_storage.exists(old)
    assert default_storage.exists(staff.session[transfer.SESSION_KEY]["path"])


def test_the_admin_imports_a_good_file_after_its_preview(client, administrator, board_a):
    group = GroupFactory(board=board_a, name="Integration Joint Board")
    rows = [SEAT_HEADINGS, ["", board_a.name, group.name, "From the admin", "carer", "yes"]]
    sign_in(client, administrator)
    preview = client.post(
        reverse("admin:reps_seat_import"),
        {"resource": "0", "format": "0", "import_file": csv_file(rows)},
    )
    confirm_form = preview.context["confirm_form"]
    assert not Seat.objects.exists()
    client.post(reverse("admin:reps_seat_process_import"), confirm_form.initial)
    seat = Seat.objects.get()
    assert (seat.title, seat.voting) == ("From the admin", True)
    assert seat.history.first().history_user == administrator


@pytest.mark.parametrize("name", ["reps:import_start", "reps:export"])
def test_the_import_and_export_pages_need_few_queries(staff, board_a, name):
    with CaptureQueriesContext(connection) as queries:
        assert staff.get(reverse(name)).status_code == 200
    assert len(queries) <= 12


def test_an_escaped_csv_export_brought_back_in_keeps_the_text(staff, board_a):
    rep = RepFactory(board=board_a, user=None, full_name="=Not a formula", phone="+44 141 496 0000")
    data = export(staff, "reps", "csv").content
    file = io.BytesIO(data)
    file.name = "reps.csv"
    page = upload(staff, "reps", file).content.decode()
    assert "0 new, 0 changed and 1 unchanged" in page
    confirm(staff)
    rep.refresh_from_db()
    assert (rep.full_name, rep.phone) == ("=Not a formula", "+44 141 496 0000")


def test_boards_are_brought_in_by_the_administrator_alone(staff_a, administrator, board_a):
    from django.core.exceptions import PermissionDenied

    from reps.resources import BoardResource

    with pytest.raises(PermissionDenied):
        BoardResource(user=staff_a)
    dataset = tablib.Dataset(
        [board_a.name, board_a.slug, "New partnership name"],
        headers=["Name", "Short name", "Partnership"],
    )
    result = BoardResource(user=administrator).import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    board_a.refresh_from_db()
    assert board_a.hscp_name == "New partnership name"


# Reps matched to those already held, so that a file brought in twice adds nobody twice

REP_HEADINGS = ["Board", "Full name", "Kind of rep", "Email address", "Phone number"]


def rep_rows(board, n, phone="0141 000 0000"):
    return [[board.name, f"Rep Number{i}", "Carer", f"rep{i}@example.org", phone] for i in range(n)]


def test_bringing_the_same_reps_file_in_twice_adds_nobody_twice(staff, board_a):
    rows = [REP_HEADINGS, *rep_rows(board_a, 3)]
    page = upload(staff, "reps", csv_file(rows)).content.decode()
    assert "3 new, 0 changed and 0 unchanged" in page
    confirm(staff)
    again = upload(staff, "reps", csv_file(rows)).content.decode()
    assert "0 new, 0 changed and 3 unchanged" in again
    assert not re.search(r"Bring in \d+ row", again)
    assert "3 reps in this file have an email address and no portal account yet" in again
    assert Rep.objects.count() == 3


def test_a_rep_is_matched_by_email_and_the_row_shows_what_changes(staff, board_a):
    rep = RepFactory(board=board_a, user=None, full_name="Jo Bloggs", email="jo@example.org")
    rows = [REP_HEADINGS, [board_a.name, "Joanna Bloggs", "Carer", "JO@example.org", "0141"]]
    page = upload(staff, "reps", csv_file(rows)).content.decode()
    assert "0 new, 1 changed and 0 unchanged" in page
    assert "Full name: Jo Bloggs becomes Joanna Bloggs" in page
    confirm(staff)
    rep.refresh_from_db()
    assert (rep.full_name, rep.phone) == ("Joanna Bloggs", "0141")
    assert Rep.objects.count() == 1


def test_a_rep_without_an_email_is_matched_by_name_and_board(staff, board_a, board_b):
    rep = RepFactory(board=board_a, user=None, full_name="Jo Bloggs", email="")
    RepFactory(board=board_b, user=None, full_name="Jo Bloggs", email="")
    rows = [REP_HEADINGS, [board_a.name, "jo bloggs", "Carer", "jo@example.org", ""]]
    page = upload(staff, "reps", csv_file(rows)).content.decode()
    assert "0 new, 1 changed" in page
    assert "Email address: (empty) becomes jo@example.org" in page
    confirm(staff)
    rep.refresh_from_db()
    assert rep.email == "jo@example.org"


def test_a_namesake_with_another_email_is_someone_new(staff, board_a):
    RepFactory(board=board_a, user=None, full_name="Jo Bloggs", email="jo@example.org")
    rows = [REP_HEADINGS, [board_a.name, "Jo Bloggs", "Carer", "other.jo@example.org", ""]]
    assert "1 new, 0 changed" in upload(staff, "reps", csv_file(rows)).content.decode()


@pytest.mark.parametrize(
    ("second", "reason"),
    [
        (["Someone Else", "Carer", "REP0@example.org", ""], "the same email address"),
        (["Rep Number0", "Carer", "", ""], "the same name on the same board"),
    ],
)
def test_the_same_rep_twice_in_one_file_is_a_bad_row(staff, board_a, second, reason):
    first = [board_a.name, "Rep Number0", "Carer", "rep0@example.org" if "email" in reason else ""]
    rows = [REP_HEADINGS, [*first, ""], [board_a.name, *second]]
    page = upload(staff, "reps", csv_file(rows)).content.decode()
    assert "The file has problems" in page
    assert "Row 3" in page
    assert f"An earlier row of this file has {reason}" in page
    assert not Rep.objects.exists()


def test_a_row_matching_a_rep_another_row_names_by_id_is_a_bad_row(staff, board_a):
    rep = RepFactory(board=board_a, user=None, full_name="Jo Bloggs", email="jo@example.org")
    rows = [
        ["ID", *REP_HEADINGS],
        [rep.pk, board_a.name, "Jo Bloggs", "Carer", "jo@example.org", ""],
        ["", board_a.name, "Jo Bloggs", "Carer", "jo@example.org", "0141"],
    ]
    page = upload(staff, "reps", csv_file(rows)).content.decode()
    assert "An earlier row of this file is for Jo Bloggs too" in page


def test_reps_are_matched_with_the_same_queries_for_3_rows_as_for_30(staff, board_a):
    def preview_queries(n):
        Rep.objects.all().delete()
        for row in rep_rows(board_a, n):
            RepFactory(board=board_a, user=None, full_name=row[1], email=row[3], phone=row[4])
        resource = RepResource(user=staff_user(staff))
        dataset = tablib.Dataset(*rep_rows(board_a, n), headers=REP_HEADINGS)
        with CaptureQueriesContext(connection) as queries:
            result = transfer.run(resource, dataset, dry_run=True)
        assert [row.import_type for row in result.rows] == ["skip"] * n
        # Each row runs in a savepoint of its own, so that a bad row rolls back alone; those
        # statements read nothing, and every read is counted.
        return [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]

    few, many = preview_queries(3), preview_queries(30)
    assert len(few) == len(many)
    assert sum('FROM "reps_rep"' in sql for sql in many) == 1


def staff_user(client):
    from portal.core.models import User

    return User.objects.get(pk=client.session["_auth_user_id"])


def test_the_import_can_invite_new_reps_with_an_email_address(
    staff, board_a, rep_a1, django_capture_on_commit_callbacks
):
    from django.core import mail

    rows = [
        REP_HEADINGS,
        [board_a.name, "New One", "Carer", "new.one@example.org", ""],
        [board_a.name, "No Email", "Carer", "", ""],
    ]
    page = upload(staff, "reps", csv_file(rows)).content.decode()
    assert "Send an invitation to set a password" in page
    assert "To the 1 rep in this file" in page
    with django_capture_on_commit_callbacks(execute=True):
        done = staff.post(reverse("reps:import_preview"), {"invite": "yes"}, follow=True)
    assert "Invitations sent: 1." in done.content.decode()
    assert [message.to for message in mail.outbox] == [["new.one@example.org"]]
    assert Rep.objects.get(full_name="New One").user.email == "new.one@example.org"
    assert Rep.objects.get(full_name="No Email").user is None


def test_the_import_invites_nobody_unless_asked(staff, board_a):
    from django.core import mail

    upload(staff, "reps", csv_file([REP_HEADINGS, *rep_rows(board_a, 2)]))
    confirm(staff)
    assert not mail.outbox
    assert not Rep.objects.filter(user__isnull=False).exists()
