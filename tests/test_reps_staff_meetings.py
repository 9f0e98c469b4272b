"""Staff record meetings, how much notice reps had of the papers, who attended, and what came
of the items the reps put on the agenda."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from reps.models import AgendaItem, Attendance, BoardSettings, Meeting, Term
from tests.conftest import sign_in
from tests.factories import (
    AgendaItemFactory,
    GroupFactory,
    MeetingFactory,
    RepFactory,
    SeatFactory,
    TermFactory,
)

TODAY = date(2026, 1, 15)


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(TODAY, tick=False)


def meeting_form(meeting_of, **overrides):
    data = {
        "group": meeting_of.pk,
        "date": "13/01/2026",
        "venue": "Council chambers",
        "papers_issued_on": "09/01/2026",
    }
    data.update(overrides)
    return data


# Adding and listing meetings


def test_a_meeting_with_late_papers_is_saved_and_tagged_late(staff_client, staff_a, board_a, ijb):
    response = staff_client.post(reverse("reps:staff_meeting_create"), meeting_form(ijb))

    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert (meeting.board, meeting.date, meeting.notice_days) == (board_a, date(2026, 1, 13), 4)
    assert meeting.history.get().history_user == staff_a
    detail = staff_client.get(response.url).content.decode()
    assert "4 days" in detail
    assert "Late" in detail
    assert "The board's standard is 7 days." in detail
    listing = staff_client.get(reverse("reps:staff_meeting_list")).content.decode()
    assert "Late" in listing


def test_notice_is_judged_against_the_boards_own_standard(staff_client, board_a, ijb):
    BoardSettings.objects.create(board=board_a, papers_notice_days=3)
    MeetingFactory(group=ijb, date=date(2026, 1, 13), papers_issued_on=date(2026, 1, 9))
    page = staff_client.get(reverse("reps:staff_meeting_list")).content.decode()
    assert "4 days" in page
    assert "Late" not in page


def test_a_meeting_without_a_papers_date_says_whether_papers_are_still_to_go(staff_client, ijb):
    held = MeetingFactory(group=ijb, date=date(2026, 1, 13), papers_issued_on=None)
    ahead = MeetingFactory(group=ijb, date=date(2026, 1, 20), papers_issued_on=None)
    listing = staff_client.get(reverse("reps:staff_meeting_list")).content.decode()
    assert listing.count("No date recorded") == 1
    assert listing.count("Papers not sent yet") == 1
    for meeting, words in ((held, "No date recorded"), (ahead, "Papers not sent yet")):
        url = reverse("reps:staff_meeting_detail", args=[meeting.pk])
        assert words in staff_client.get(url).content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"papers_issued_on": "14/01/2026"}, "The papers cannot be sent out after the meeting."),
        ({"date": ""}, "Enter date of the meeting"),
        ({"group": ""}, "Choose board or group"),
        ({"date": "13-13-2026"}, "13-13-2026 is not a real date."),
        (
            {"date": "14/01/1900", "papers_issued_on": ""},
            "The date must be 1 April 2014 or later, when the boards began. Check the year.",
        ),
        ({"date": "16/01/2029"}, "The date must be 15 January 2029 or earlier. Check the year."),
    ],
)
def test_a_meeting_with_mistakes_is_not_saved(staff_client, ijb, overrides, message):
    response = staff_client.post(
        reverse("reps:staff_meeting_create"), meeting_form(ijb, **overrides)
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert 'value="Council chambers"' in page
    assert not Meeting.objects.exists()


def test_a_meeting_cannot_be_added_to_another_boards_group(staff_client, board_b):
    fife = GroupFactory(board=board_b)
    response = staff_client.post(reverse("reps:staff_meeting_create"), meeting_form(fife))
    assert "That option is not available any more." in response.content.decode()
    assert not Meeting.objects.exists()


def test_changing_a_meeting(staff_client, ijb):
    meeting = MeetingFactory(group=ijb, date=date(2026, 2, 10), papers_issued_on=None)
    response = staff_client.post(
        reverse("reps:staff_meeting_edit", args=[meeting.pk]),
        meeting_form(ijb, date="10/02/2026", papers_issued_on="30/01/2026", pre_meeting_held="on"),
    )
    meeting.refresh_from_db()
    assert response.status_code == 302
    assert (meeting.papers_issued_on, meeting.pre_meeting_held) == (date(2026, 1, 30), True)


def test_the_list_filters_by_group_dates_and_late_papers(staff_client, board_a, ijb):
    planning = GroupFactory(board=board_a, name="Strategic planning group")
    late = MeetingFactory(group=ijb, date=date(2025, 12, 1), papers_issued_on=date(2025, 11, 28))
    on_time = MeetingFactory(group=ijb, date=date(2025, 11, 3), papers_issued_on=date(2025, 10, 20))
    other_group = MeetingFactory(group=planning, date=date(2025, 12, 8))
    url = reverse("reps:staff_meeting_list")

    def shown(**query):
        return set(staff_client.get(url, query).context["page_obj"])

    assert shown() == {late, on_time, other_group}
    assert shown(late_papers="on") == {late}
    assert shown(group=ijb.pk) == {late, on_time}
    assert shown(start="01/12/2025", end="31/12/2025") == {late, other_group}


def test_a_date_range_the_wrong_way_round_is_explained(staff_client, ijb):
    response = staff_client.get(
        reverse("reps:staff_meeting_list"), {"start": "31/12/2025", "end": "01/12/2025"}
    )
    assert "The “to” date must be the same as or after the “from” date." in (
        response.content.decode()
    )


# Attendance


@pytest.fixture
def meeting_with_holders(board_a, ijb):
    first = TermFactory(
        seat=SeatFactory(group=ijb, title="Carer representative 1"),
        rep__full_name="Morag Campbell",
    )
    second = TermFactory(
        seat=SeatFactory(group=ijb, title="Carer representative 2"),
        rep__full_name="Tariq Hussain",
    )
    # Held a seat, but it ended before the meeting: not on the register.
    TermFactory(
        seat=SeatFactory(group=ijb, title="Carer representative 3"),
        rep__full_name="Gone Before",
        start=date(2020, 4, 1),
        planned_end=date(2023, 3, 31),
    )
    meeting = MeetingFactory(group=ijb, date=date(2026, 1, 13))
    return meeting, first.rep, second.rep


def test_the_register_lists_the_seat_holders_on_the_day(staff_client, meeting_with_holders):
    meeting, morag, tariq = meeting_with_holders
    page = staff_client.get(reverse("reps:staff_attendance", args=[meeting.pk])).content.decode()
    assert "Morag Campbell (Carer representative 1)" in page
    assert "Tariq Hussain (Carer representative 2)" in page
    assert "Gone Before" not in page
    for label in ["Attended", "Sent apologies", "Absent", "Deputy attended"]:
        assert label in page


def test_recording_attendance_saves_each_answer(staff_client, meeting_with_holders):
    meeting, morag, tariq = meeting_with_holders
    response = staff_client.post(
        reverse("reps:staff_attendance", args=[meeting.pk]),
        {f"rep_{morag.pk}": "attended", f"rep_{tariq.pk}": "apologies"},
    )
    assert response.status_code == 302
    recorded = dict(Attendance.objects.values_list("rep__full_name", "status"))
    assert recorded == {"Morag Campbell": "attended", "Tariq Hussain": "apologies"}
    page = staff_client.get(response.url).content.decode()
    assert "Sent apologies" in page
    # The list counts the reps whose attendance is recorded, and says so.
    listed = staff_client.get(reverse("reps:staff_meeting_list")).content.decode()
    assert "1 attended, of 2 recorded" in listed


def test_a_register_with_a_missing_answer_saves_nothing(staff_client, meeting_with_holders):
    meeting, morag, tariq = meeting_with_holders
    response = staff_client.post(
        reverse("reps:staff_attendance", args=[meeting.pk]), {f"rep_{morag.pk}": "attended"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose whether Tariq Hussain attended." in page
    # What was chosen stays chosen.
    assert (
        f'id="id_rep_{morag.pk}_0" name="rep_{morag.pk}" type="radio" value="attended" checked'
        in (page)
    )
    assert not Attendance.objects.exists()


def test_an_answer_that_is_not_a_choice_is_refused(staff_client, meeting_with_holders):
    meeting, morag, tariq = meeting_with_holders
    response = staff_client.post(
        reverse("reps:staff_attendance", args=[meeting.pk]),
        {f"rep_{morag.pk}": "asleep", f"rep_{tariq.pk}": "attended"},
    )
    assert "That option is not available any more." in response.content.decode()
    assert not Attendance.objects.exists()


def test_attendance_waits_until_the_meeting_has_happened(staff_client, meeting_with_holders):
    meeting, morag, tariq = meeting_with_holders
    meeting.date = date(2026, 2, 1)
    meeting.save()
    url = reverse("reps:staff_attendance", args=[meeting.pk])
    assert "Attendance can be recorded once the meeting has taken place" in (
        staff_client.get(url).content.decode()
    )
    staff_client.post(url, {f"rep_{morag.pk}": "attended", f"rep_{tariq.pk}": "attended"})
    assert not Attendance.objects.exists()


# Agenda items


def test_adding_an_item_a_rep_put_forward(staff_client, meeting_with_holders):
    meeting, morag, _ = meeting_with_holders
    response = staff_client.post(
        reverse("reps:staff_agenda_item_add", args=[meeting.pk]),
        {"title": "Short breaks for carers", "rep": morag.pk},
    )
    assert response.status_code == 302
    item = meeting.agenda_items.get()
    assert (item.title, item.rep, item.status) == ("Short breaks for carers", morag, "submitted")


def test_an_item_put_forward_by_the_reps_together_needs_no_rep(staff_client, ijb):
    meeting = MeetingFactory(group=ijb)
    response = staff_client.post(
        reverse("reps:staff_agenda_item_add", args=[meeting.pk]),
        {"title": "Short breaks for carers", "rep": ""},
    )
    assert response.status_code == 302
    assert meeting.agenda_items.get().rep is None


def test_put_forward_by_offers_only_the_reps_of_the_meetings_group(
    staff_client, board_a, meeting_with_holders
):
    meeting, morag, tariq = meeting_with_holders
    elsewhere = TermFactory(
        seat=SeatFactory(group=GroupFactory(board=board_a, name="Locality group")),
        rep__full_name="Locality Only",
    ).rep
    RepFactory(board=board_a, user=None, full_name="No Seat At All")

    page = staff_client.get(reverse("reps:staff_agenda_item_add", args=[meeting.pk]))

    offered = [label for _, label in page.context["form"].fields["rep"].choices]
    assert offered == ["The reps together", "Morag Campbell", "Tariq Hussain"]
    text = page.content.decode()
    assert "Gone Before" not in text and elsewhere.full_name not in text
    assert "No Seat At All" not in text
    assert "The reps who held a seat in Integration Joint Board on 13 January 2026." in text


def test_a_board_meeting_offers_the_reps_on_the_boards_own_seats(staff_client, board_a, ijb):
    on_the_board = TermFactory(seat=SeatFactory(group=ijb), rep__full_name="Board Seat").rep
    TermFactory(
        seat=SeatFactory(group=GroupFactory(board=board_a, kind="planning")),
        rep__full_name="Planning Seat",
    )
    meeting = MeetingFactory(group=ijb, date=date(2026, 1, 13))

    page = staff_client.get(reverse("reps:staff_agenda_item_add", args=[meeting.pk]))

    assert list(page.context["form"].fields["rep"].queryset) == [on_the_board]


def test_a_rep_from_outside_the_group_posted_anyway_is_refused_with_a_clear_message(
    staff_client, board_a, meeting_with_holders
):
    meeting, _, _ = meeting_with_holders
    outsider = TermFactory(
        seat=SeatFactory(group=GroupFactory(board=board_a, name="Locality group")),
        rep__full_name="Locality Only",
    ).rep
    response = staff_client.post(
        reverse("reps:staff_agenda_item_add", args=[meeting.pk]),
        {"title": "Short breaks for carers", "rep": outsider.pk},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "Choose a rep who held a seat in Integration Joint Board on 13 January 2026, "
        "or the reps together."
    ) in page
    assert 'value="Short breaks for carers"' in page  # nothing typed is lost
    assert not AgendaItem.objects.exists()


def test_a_rep_whose_term_ended_before_the_meeting_is_refused(staff_client, meeting_with_holders):
    meeting, _, _ = meeting_with_holders
    gone = Term.objects.get(rep__full_name="Gone Before").rep
    response = staff_client.post(
        reverse("reps:staff_agenda_item_add", args=[meeting.pk]),
        {"title": "Short breaks for carers", "rep": gone.pk},
    )
    assert "Choose a rep who held a seat in Integration Joint Board" in response.content.decode()
    assert not AgendaItem.objects.exists()


def test_an_item_needs_a_title_and_a_rep_of_the_board(staff_client, ijb, board_b):
    meeting = MeetingFactory(group=ijb)
    fife = RepFactory(board=board_b, user=None)
    response = staff_client.post(
        reverse("reps:staff_agenda_item_add", args=[meeting.pk]), {"title": "", "rep": fife.pk}
    )
    page = response.content.decode()
    assert "Enter what the item is about" in page
    assert "Choose a rep who held a seat in Integration Joint Board" in page
    assert not AgendaItem.objects.exists()


def test_the_decision_form_asks_for_the_time_given_on_the_agenda_in_plain_words(staff_client, ijb):
    item = AgendaItemFactory(meeting__group=ijb)
    page = staff_client.get(reverse("reps:staff_agenda_item_edit", args=[item.pk]))
    assert page.context["form"].fields["minutes_given"].label == (
        "Time given on the agenda (minutes)"
    )
    assert "Minutes given for discussion" not in page.content.decode()


def test_deciding_an_item_and_recording_what_came_of_it(staff_client, ijb):
    item = AgendaItemFactory(meeting__group=ijb, title="Short breaks for carers")
    response = staff_client.post(
        reverse("reps:staff_agenda_item_edit", args=[item.pk]),
        {
            "status": "accepted",
            "minutes_given": "20",
            "outcome": "The board funded 40 more short breaks.",
        },
    )
    item.refresh_from_db()
    assert response.status_code == 302
    assert (item.status, item.minutes_given) == ("accepted", 20)
    assert item.outcome == "The board funded 40 more short breaks."
    page = staff_client.get(response.url).content.decode()
    assert "The board funded 40 more short breaks." in page
    assert "Time given on the agenda: 20 minutes" in page


def test_a_declined_item_cannot_then_be_accepted(staff_client, ijb):
    item = AgendaItemFactory(meeting__group=ijb, status="declined")
    url = reverse("reps:staff_agenda_item_edit", args=[item.pk])
    offered = [value for value, _ in staff_client.get(url).context["form"].fields["status"].choices]
    assert offered == ["declined"]
    response = staff_client.post(url, {"status": "accepted", "minutes_given": "", "outcome": ""})
    assert response.status_code == 200
    assert "That option is not available any more." in response.content.decode()
    item.refresh_from_db()
    assert item.status == "declined"


def test_bad_minutes_are_explained(staff_client, ijb):
    item = AgendaItemFactory(meeting__group=ijb)
    response = staff_client.post(
        reverse("reps:staff_agenda_item_edit", args=[item.pk]),
        {"status": "accepted", "minutes_given": "half an hour", "outcome": "Discussed"},
    )
    page = response.content.decode()
    assert "Enter the minutes as a whole number, like 15." in page
    assert "Discussed" in page
    item.refresh_from_db()
    assert item.status == "submitted"


def test_staff_of_another_board_get_404_for_a_meeting(client, staff_b, ijb):
    meeting = MeetingFactory(group=ijb)
    item = AgendaItemFactory(meeting=meeting)
    sign_in(client, staff_b)
    for name in [
        "reps:staff_meeting_detail",
        "reps:staff_meeting_edit",
        "reps:staff_attendance",
        "reps:staff_agenda_item_add",
    ]:
        assert client.get(reverse(name, args=[meeting.pk])).status_code == 404, name
    response = client.post(
        reverse("reps:staff_agenda_item_edit", args=[item.pk]), {"status": "accepted"}
    )
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.status == "submitted"


@pytest.mark.parametrize(
    ("notice_days", "standard", "late"),
    [(6, 7, True), (7, 7, False), (8, 7, False), (0, 7, True), (2, 3, True), (3, 3, False)],
)
def test_the_late_papers_filter_follows_the_notice_rule(
    staff_client, board_a, ijb, notice_days, standard, late
):
    if standard != 7:
        BoardSettings.objects.create(board=board_a, papers_notice_days=standard)
    meeting = MeetingFactory(
        group=ijb,
        date=date(2025, 12, 10),
        papers_issued_on=date(2025, 12, 10) - timedelta(days=notice_days),
    )
    assert meeting.papers_late(standard) is late
    response = staff_client.get(reverse("reps:staff_meeting_list"), {"late_papers": "on"})
    assert (meeting in response.context["page_obj"]) is late


# Support to arrange


def test_the_meeting_page_lists_the_support_each_rep_needs_to_take_part(staff_client, board_a, ijb):
    needs = RepFactory(
        board=board_a,
        user=None,
        full_name="Isla Needs-Support",
        needs_large_print=True,
        needs_bsl=True,
        needs_other="A hearing loop",
    )
    none = RepFactory(board=board_a, user=None, full_name="Rory No-Needs")
    for rep in (needs, none):
        TermFactory(seat=SeatFactory(group=ijb), rep=rep, start=date(2025, 4, 1))
    meeting = MeetingFactory(group=ijb, date=TODAY + timedelta(days=10))

    page = staff_client.get(reverse("reps:staff_meeting_detail", args=[meeting.pk]))

    text = page.content.decode()
    support = text[text.index("Support to arrange") : text.index("Items the reps put on")]
    assert "arrange it before the meeting" in support
    assert "Isla Needs-Support" in support
    assert "Large print; British Sign Language (BSL) interpreter; A hearing loop" in support
    assert "Rory No-Needs" not in support
