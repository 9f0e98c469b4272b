"""Big files of meetings, reps and attendance come in at bulk speed, still checked row by row.

The statements an import issues do not grow with the file: the same at 1,000 rows as at 10,000,
for the preview (a trial run, rolled back) and for the import itself, and at most 5 for every
1,000 rows. Every row is still written with its audit history, and a bad row among many is still
named with its reason, with nothing written.
"""

import datetime
from dataclasses import dataclass

import pytest
import tablib
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.core.forms import years_after
from reps import transfer
from reps.models import Attendance, Group, Meeting, Rep, Seat, Training
from reps.resources import (
    AttendanceResource,
    MeetingResource,
    PortalResource,
    RepResource,
    SeatResource,
    TrainingResource,
)
from tests.factories import GroupFactory, MeetingFactory, RepFactory

DAY = datetime.date(2025, 1, 6)
ONE_DAY = datetime.timedelta(days=1)


@dataclass
class File:
    """A file to bring in, what it should write, and how to count what is held."""

    resource_class: type[PortalResource]
    headers: list[str]
    rows: list[list[object]]
    new: int
    changed: list[int]
    model: type

    def dataset(self) -> tablib.Dataset:
        return tablib.Dataset(*self.rows, headers=self.headers)


def meetings_file(board, group: Group, n: int, tag: str) -> File:
    """`n` rows: one in twenty changes a held meeting's venue, the rest are new meetings."""
    held = Meeting.objects.bulk_create(
        Meeting(board=board, group=group, date=DAY, venue=f"Old {tag}") for _ in range(n // 20)
    )
    rows: list[list[object]] = [
        [meeting.pk, board.name, group.name, "06/01/2025", f"New {tag}", ""] for meeting in held
    ]
    for i in range(n - len(held)):
        day = DAY + datetime.timedelta(days=i % 700)
        rows.append(["", board.name, group.name, f"{day:%d/%m/%Y}", f"Hall {tag}", ""])
    headers = ["ID", "Board", "Group", "Date", "Venue", "Papers sent out on"]
    return File(MeetingResource, headers, rows, n - len(held), [m.pk for m in held], model=Meeting)


def reps_file(board, n: int, tag: str) -> File:
    """`n` rows: one in twenty changes a held rep's phone number, the rest are new reps."""
    held = Rep.objects.bulk_create(
        Rep(board=board, full_name=f"Held {tag} {i}", rep_type="carer", email=f"h{i}.{tag}@x.org")
        for i in range(n // 20)
    )
    rows: list[list[object]] = [
        [rep.pk, board.name, rep.full_name, "Carer", rep.email, "0141 000 0000"] for rep in held
    ]
    for i in range(n - len(held)):
        rows.append(["", board.name, f"New {tag} {i}", "Lived", f"n{i}.{tag}@x.org", ""])
    headers = ["ID", "Board", "Full name", "Kind of rep", "Email address", "Phone number"]
    return File(RepResource, headers, rows, n - len(held), [r.pk for r in held], model=Rep)


def attendance_file(board, group: Group, n: int, tag: str) -> File:
    """Every rep of 100 at `n // 100` meetings: one in twenty corrects a held record."""
    meetings = Meeting.objects.bulk_create(
        Meeting(board=board, group=group, date=DAY, venue=tag) for _ in range(n // 100)
    )
    reps = Rep.objects.bulk_create(
        Rep(board=board, full_name=f"{tag} {i}", rep_type="carer") for i in range(100)
    )
    pairs = [(meeting, rep) for meeting in meetings for rep in reps]
    held = Attendance.objects.bulk_create(
        Attendance(meeting=meeting, rep=rep, status="absent") for meeting, rep in pairs[::20]
    )
    rows: list[list[object]] = [[meeting.pk, rep.pk, "Attended"] for meeting, rep in pairs]
    headers = ["Meeting ID", "Rep ID", "Attendance"]
    return File(
        AttendanceResource, headers, rows, n - len(held), [a.pk for a in held], model=Attendance
    )


def seats_file(board, group: Group, n: int, tag: str) -> File:
    """`n` rows: one in twenty gives a held seat a vote, the rest are new seats."""
    held = Seat.objects.bulk_create(
        Seat(board=board, group=group, kind="carer", title=f"Held {tag} {i}")
        for i in range(n // 20)
    )
    rows: list[list[object]] = [
        [seat.pk, board.name, group.name, seat.title, "Carer", "yes"] for seat in held
    ]
    for i in range(n - len(held)):
        rows.append(["", board.name, group.name, f"New {tag} {i}", "Lived", "no"])
    headers = ["ID", "Board", "Group", "Seat title", "Kind of seat", "Carries a vote"]
    return File(SeatResource, headers, rows, n - len(held), [s.pk for s in held], model=Seat)


def training_file(board, n: int, tag: str) -> File:
    """`n` rows for 100 reps: one in twenty corrects a held record's hours."""
    reps = Rep.objects.bulk_create(
        Rep(board=board, full_name=f"{tag} {i}", rep_type="carer") for i in range(100)
    )
    held = Training.objects.bulk_create(
        Training(rep=reps[i % 100], course=f"Held {i}", date=DAY, hours=1) for i in range(n // 20)
    )
    rows: list[list[object]] = [
        [training.pk, training.rep_id, training.course, "06/01/2025", "2.5"] for training in held
    ]
    for i in range(n - len(held)):
        rows.append(["", reps[i % 100].pk, f"Course {tag} {i}", "06/01/2025", "3"])
    headers = ["ID", "Rep ID", "Course", "Date", "Hours"]
    return File(TrainingResource, headers, rows, n - len(held), [t.pk for t in held], Training)


def build(kind: str, board, group: Group, n: int, tag: str) -> File:
    if kind == "meetings":
        return meetings_file(board, group, n, tag)
    if kind == "reps":
        return reps_file(board, n, tag)
    if kind == "seats":
        return seats_file(board, group, n, tag)
    if kind == "training":
        return training_file(board, n, tag)
    return attendance_file(board, group, n, tag)


def statements(file: File, user, *, dry_run: bool):
    resource = file.resource_class(user=user)
    with CaptureQueriesContext(connection) as queries:
        result = transfer.run(resource, file.dataset(), dry_run=dry_run)
    return result, len(queries.captured_queries)


@pytest.fixture
def group(board_a):
    return GroupFactory(board=board_a, name="Integration Joint Board")


@pytest.mark.parametrize("kind", ["meetings", "reps", "attendance"])
def test_an_import_costs_the_same_statements_for_10000_rows_as_for_1000(
    kind, board_a, group, staff_a
):
    counts = {}
    for n in (1_000, 10_000):
        file = build(kind, board_a, group, n, tag=str(n))
        held = file.model.objects.count()

        preview, counts[n, "preview"] = statements(file, staff_a, dry_run=True)
        assert not preview.has_errors() and not preview.has_validation_errors()
        assert preview.totals["new"] == file.new
        assert preview.totals["update"] == len(file.changed)
        assert file.model.objects.count() == held, "a preview writes nothing"

        result, counts[n, "import"] = statements(file, staff_a, dry_run=False)
        assert not result.has_errors() and not result.has_validation_errors()
        assert file.model.objects.count() == held + file.new
        changed = file.model.objects.filter(pk__in=file.changed)
        if kind == "meetings":
            assert set(changed.values_list("venue", flat=True)) == {f"New {n}"}
        elif kind == "reps":
            assert set(changed.values_list("phone", flat=True)) == {"0141 000 0000"}
        else:
            assert set(changed.values_list("status", flat=True)) == {"attended"}
        if hasattr(file.model, "history"):
            written = {row.instance.pk for row in result.rows}
            history = file.model.history.filter(id__in=written)
            assert history.count() == n, "one history row for each row written"
            assert set(history.values_list("history_user", flat=True)) == {staff_a.pk}
            assert history.filter(history_type="~").count() == len(file.changed)

    for step in ("preview", "import"):
        assert counts[1_000, step] == counts[10_000, step], counts
        assert counts[10_000, step] <= 50, counts


@pytest.mark.parametrize("kind", ["seats", "training"])
def test_seats_and_training_cost_the_same_statements_for_1000_rows_as_for_100(
    kind, board_a, group, staff_a
):
    counts = {}
    for n in (100, 1_000):
        file = build(kind, board_a, group, n, tag=str(n))
        held = file.model.objects.count()
        history = Seat.history.filter(history_user=staff_a).count()
        for dry_run in (True, False):
            result, counts[n, dry_run] = statements(file, staff_a, dry_run=dry_run)
            assert not result.has_errors() and not result.has_validation_errors()
        assert file.model.objects.count() == held + file.new
        if kind == "seats":
            assert all(
                file.model.objects.filter(pk__in=file.changed).values_list("voting", flat=True)
            )
            assert Seat.history.filter(history_user=staff_a).count() == history + n
        else:
            assert {str(t.hours) for t in Training.objects.filter(pk__in=file.changed)} == {"2.5"}
    assert counts[100, True] == counts[1_000, True]
    assert counts[100, False] == counts[1_000, False]


def test_reps_brought_in_are_saved_for_their_invitations(board_a, staff_a):
    file = reps_file(board_a, 40, tag="invite")
    result = transfer.run(RepResource(user=staff_a), file.dataset(), dry_run=False)
    invited = transfer.reps_to_invite(result)
    assert len(invited) == 40
    assert all(rep.pk is not None for rep in invited)
    assert Rep.objects.filter(pk__in=[rep.pk for rep in invited]).count() == 40


def test_a_changed_row_shows_each_column_before_and_after(board_a, group, staff_a):
    file = meetings_file(board_a, group, 20, tag="shown")
    resource = MeetingResource(user=staff_a)
    dataset = file.dataset()
    result = transfer.run(resource, dataset, dry_run=True)
    preview = transfer.describe(resource, dataset, result, list(range(2, 22)))
    assert [line.number for line in preview.changed] == [2]
    assert [(c.column, c.before, c.after) for c in preview.changed[0].changes] == [
        ("Venue", "Old shown", "New shown")
    ]
    assert len(preview.new) == 19


# Bad rows among many


def problems_of(file: File, user) -> dict[int, list[str]]:
    """Each bad row, by its number in the file, and its reasons; and that nothing was written."""
    held = file.model.objects.count()
    resource = file.resource_class(user=user)
    dataset = file.dataset()
    for dry_run in (True, False):
        result = transfer.run(resource, dataset, dry_run=dry_run)
        preview = transfer.describe(resource, dataset, result, list(range(1, len(file.rows) + 1)))
        assert not preview.file_problems
        assert file.model.objects.count() == held, "a file with a bad row writes nothing"
    return {line.number: line.problems for line in preview.bad}


def test_bad_meetings_among_many_are_named(board_a, board_b, group, staff_a):
    file = meetings_file(board_a, group, 300, tag="bad")
    theirs = MeetingFactory(group=GroupFactory(board=board_b))
    file.rows[20][3] = "31/02/2025"
    file.rows[40][5] = "20/06/2025"  # papers sent out after the meeting
    file.rows[60][0] = theirs.pk
    file.rows[80][2] = "No such group"
    bad = problems_of(file, staff_a)
    assert sorted(bad) == [21, 41, 61, 81]
    assert "31/02/2025" in " ".join(bad[21])
    assert bad[41] == ["Papers cannot be sent out after the meeting."]
    assert bad[61] == [
        f"ID: There is no meeting with ID {theirs.pk} on your boards. Leave the ID empty to add "
        "a new meeting."
    ]
    assert "has no group called “No such group”" in " ".join(bad[81])


def test_bad_reps_among_many_are_named(board_a, board_b, staff_a):
    file = reps_file(board_a, 300, tag="bad")
    theirs = RepFactory(board=board_b, user=None)
    file.rows[100][0] = theirs.pk
    file.rows[120] = list(file.rows[119])  # the same rep twice
    file.rows[140][4] = "not an email address"
    file.rows[160][3] = "Chief"
    bad = problems_of(file, staff_a)
    assert sorted(bad) == [101, 121, 141, 161]
    assert f"There is no rep with ID {theirs.pk} on your boards" in bad[101][0]
    assert bad[121] == [
        "Email address: An earlier row of this file has the same email address on the same "
        "board. Keep one row for each rep."
    ]
    assert bad[141] == ["Email address: Enter a valid email address."]
    assert "Kind of rep" in bad[161][0]


def test_bad_attendance_among_many_is_named(board_a, board_b, group, staff_a):
    file = attendance_file(board_a, group, 300, tag="bad")
    theirs = RepFactory(board=board_b, user=None)
    file.rows[30][0] = 999_999_999
    file.rows[50][1] = theirs.pk
    file.rows[70] = list(file.rows[69])  # the same rep at the same meeting twice
    file.rows[90][2] = "Late"
    bad = problems_of(file, staff_a)
    assert sorted(bad) == [31, 51, 71, 91]
    assert bad[31] == ["Meeting ID: There is no meeting with ID 999999999 on your boards."]
    assert bad[51] == [f"Rep ID: There is no rep with ID {theirs.pk} on your boards."]
    assert bad[71] == [
        "An earlier row of this file is for the same rep at the same meeting. Keep one row for "
        "each rep and meeting."
    ]
    assert "Attendance" in bad[91][0]


def test_bad_seats_and_training_among_many_are_named(board_a, group, staff_a):
    seats = seats_file(board_a, group, 100, tag="bad")
    seats.rows[30][3] = seats.rows[0][3]  # the title of a held seat
    seats.rows[50][3] = seats.rows[49][3]  # the same new title twice
    bad = problems_of(seats, staff_a)
    assert sorted(bad) == [31, 51]
    assert bad[31] == bad[51] == ["Seat title: This group already has a seat with that title."]

    training = training_file(board_a, 100, tag="bad")
    training.rows[40][4] = "0"
    bad = problems_of(training, staff_a)
    assert bad == {41: ["Enter the hours as a number above 0, up to 200."]}


def test_a_row_whose_rep_name_is_not_its_rep_ids_is_refused(board_a, staff_a):
    """Staff add a "Rep name" column to see whose row is whose: a name that belongs to someone
    else means the ID is wrong, and the row would be filed under the wrong rep."""
    training = training_file(board_a, 100, tag="named")
    training.headers.append("Rep name")
    names = dict(Rep.objects.filter(board=board_a).values_list("pk", "full_name"))
    for row in training.rows:
        row.append(names[row[1]])
    training.rows[10][5] = training.rows[10][5].upper()  # case and spacing do not count
    training.rows[20][5] = f"  {training.rows[20][5]} "
    training.rows[30][5] = ""  # no name given: nothing to compare
    training.rows[40][5] = "Morag Campbell"
    bad = problems_of(training, staff_a)
    assert bad == {
        41: [
            f"Rep ID: The rep name is Morag Campbell, but Rep ID {training.rows[40][1]} is "
            f"{names[training.rows[40][1]]}. Check the Rep ID."
        ]
    }


def test_a_date_no_record_could_have_is_refused(board_a, group, staff_a):
    file = meetings_file(board_a, group, 100, tag="years")
    file.rows[10][3] = "06/01/1900"
    file.rows[20][3] = "2126-01-06"
    latest = years_after(timezone.localdate(), 10)
    bad = problems_of(file, staff_a)
    assert bad == {
        11: ["Date: The date must be 1 January 2000 or later. Check the year."],
        21: [f"Date: The date must be {latest:%-d %B %Y} or earlier. Check the year."],
    }


# The rules checked in Python agree with the database's


@pytest.mark.parametrize(
    ("hours", "cost"),
    [
        ("2.5", "0"),
        ("0", "10"),
        ("-1", "10"),
        ("9999.9", "0"),
        ("200", "10000"),
        ("200.1", "0"),
        ("1", "10000.01"),
        ("1", "-0.01"),
        ("1", "9999999.99"),
    ],
)
def test_training_rules_in_python_agree_with_the_database(board_a, hours, cost):
    from decimal import Decimal

    from django.core.exceptions import ValidationError

    from reps.services import row_errors

    training = Training(
        rep=RepFactory(board=board_a, user=None),
        course="Chairing",
        date=DAY,
        hours=Decimal(hours),
        cost=Decimal(cost),
    )
    try:
        training.validate_constraints()
        refused_by_database = []
    except ValidationError as error:
        refused_by_database = error.messages
    assert ValidationError(row_errors(training)).messages == refused_by_database


@pytest.mark.parametrize("papers", [None, DAY, DAY - ONE_DAY, DAY + ONE_DAY])
def test_meeting_rules_in_python_agree_with_the_database(board_a, group, papers):
    from django.core.exceptions import ValidationError

    from reps.services import row_errors

    meeting = Meeting(board=board_a, group=group, date=DAY, papers_issued_on=papers)
    try:
        meeting.validate_constraints()
        refused_by_database = []
    except ValidationError as error:
        refused_by_database = error.messages
    assert ValidationError(row_errors(meeting)).messages == refused_by_database
