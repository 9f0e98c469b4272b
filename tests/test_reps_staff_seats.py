"""Staff see each seat of their boards, who holds it or how long it has been vacant, and add
seats and groups."""

from datetime import date

import pytest
from django.urls import reverse

from reps.models import Group, Seat
from tests.conftest import sign_in
from tests.factories import GroupFactory, SeatFactory, TermFactory

TODAY = date(2026, 1, 15)


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(TODAY, tick=False)


def seat_form(group, **overrides):
    data = {
        "group": group.pk,
        "title": "Carer representative 3",
        "kind": "carer",
        "voting": "on",
        "created_on": "01/04/2025",
    }
    data.update(overrides)
    return data


def test_the_list_shows_holders_vacancies_and_how_long_each_has_been_open(
    staff_client, board_a, board_b, ijb
):
    held = SeatFactory(group=ijb, title="Carer representative 1", voting=True)
    TermFactory(seat=held, rep__full_name="Morag Campbell", planned_end=date(2027, 3, 31))
    vacant = SeatFactory(group=ijb, title="Carer representative 2")
    TermFactory(seat=vacant, start=date(2022, 4, 1), planned_end=date(2025, 12, 31))
    SeatFactory(group__board=board_b, title="Fife carer seat")

    page = staff_client.get(reverse("reps:staff_seat_list")).content.decode()

    assert "Morag Campbell" in page
    assert "until 31 Mar 2027" in page
    assert "Voting" in page
    assert "since 1 Jan 2026 (14 days)" in page
    assert "Appoint a rep" in page
    assert "2 seats, 1 vacant." in page
    assert "Fife carer seat" not in page


def test_a_seat_with_a_successor_appointed_offers_no_second_one(staff_client, ijb):
    """The seat's kind shows under its title only when the title does not already say it."""
    seat = SeatFactory(group=ijb, title="Carer representative", kind="carer")
    TermFactory(seat=seat, rep__full_name="Morag Campbell", planned_end=date(2026, 3, 31))
    other = SeatFactory(group=ijb, title="Rep for the east", kind="carer")
    TermFactory(seat=other, planned_end=date(2026, 3, 31))

    page = staff_client.get(reverse("reps:staff_seat_list")).content.decode()
    assert page.count("Appoint a successor") == 2
    assert "<td>Carer representative</td>" in page
    assert 'Rep for the east<br><span class="portal-muted">Carer representative</span>' in page

    TermFactory(
        seat=seat,
        rep__full_name="Ishbel Grant",
        start=date(2026, 4, 1),
        planned_end=date(2029, 3, 31),
    )
    page = staff_client.get(reverse("reps:staff_seat_list")).content.decode()
    assert "Next: Ishbel Grant from 1 Apr 2026" in page
    assert page.count("Appoint a successor") == 1
    assert f'href="{reverse("reps:staff_term_appoint", args=[other.pk])}"' in page
    assert f'href="{reverse("reps:staff_term_appoint", args=[seat.pk])}"' not in page


def test_the_list_can_show_only_vacancies(staff_client, ijb):
    TermFactory(seat=SeatFactory(group=ijb, title="Held seat"))
    SeatFactory(group=ijb, title="Empty seat")
    page = staff_client.get(reverse("reps:staff_seat_list"), {"vacant": "on"}).content.decode()
    assert "Empty seat" in page
    assert "Held seat" not in page


def test_adding_a_seat_puts_it_on_the_groups_board(staff_client, staff_a, board_a, ijb):
    response = staff_client.post(reverse("reps:staff_seat_create"), seat_form(ijb))
    seat = Seat.objects.get(title="Carer representative 3")
    assert response.status_code == 302
    assert (seat.board, seat.group, seat.voting) == (board_a, ijb, True)
    assert seat.created_on == date(2025, 4, 1)
    assert seat.history.get().history_user == staff_a


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Enter title of the seat"),
        ({"kind": ""}, "Choose who the seat is for"),
        ({"created_on": "31/02/2025"}, "31/02/2025 is not a real date."),
        ({"created_on": "next week"}, "Enter the date as DD/MM/YYYY"),
    ],
)
def test_a_seat_with_mistakes_is_not_added(staff_client, ijb, overrides, message):
    data = seat_form(ijb, **overrides)
    response = staff_client.post(reverse("reps:staff_seat_create"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert "There is a problem" in page
    if data["title"]:
        assert f'value="{data["title"]}"' in page
    assert not Seat.objects.exists()


def test_what_the_board_says_about_a_seat_is_kept_and_too_much_is_refused(staff_client, ijb):
    about = "Meets monthly in Kirkintilloch, 10am to 12.30pm.\nAbout 6 hours a month."
    staff_client.post(reverse("reps:staff_seat_create"), seat_form(ijb, about=about))
    assert Seat.objects.get().about == about

    seat = Seat.objects.get()
    response = staff_client.post(
        reverse("reps:staff_seat_edit", args=[seat.pk]), seat_form(ijb, about="x" * 1001)
    )
    assert "Keep what you say about the seat to 1,000 characters or fewer." in (
        response.content.decode()
    )
    seat.refresh_from_db()
    assert seat.about == about


def test_a_seat_title_used_twice_in_a_group_gets_a_plain_message(staff_client, ijb):
    SeatFactory(group=ijb, title="Carer representative 3")
    response = staff_client.post(reverse("reps:staff_seat_create"), seat_form(ijb))
    assert "This group already has a seat with that title." in response.content.decode()
    assert Seat.objects.count() == 1


def test_a_seat_cannot_be_added_to_another_boards_group(staff_client, board_b):
    fife = GroupFactory(board=board_b)
    response = staff_client.post(reverse("reps:staff_seat_create"), seat_form(fife))
    assert response.status_code == 200
    assert "That option is not available any more." in response.content.decode()
    assert not Seat.objects.exists()


def test_editing_a_seat(staff_client, ijb):
    seat = SeatFactory(group=ijb, title="Carer rep", voting=False)
    response = staff_client.post(
        reverse("reps:staff_seat_edit", args=[seat.pk]),
        seat_form(ijb, title="Carer representative 1", kind="deputy_carer"),
    )
    seat.refresh_from_db()
    assert response.status_code == 302
    assert (seat.title, seat.kind, seat.voting) == ("Carer representative 1", "deputy_carer", True)


def test_adding_and_renaming_a_group(staff_client, board_a):
    response = staff_client.post(
        reverse("reps:staff_group_create"),
        {
            "board": board_a.pk,
            "name": "Audit and risk committee",
            "kind": "committee",
            "order": "5",
        },
    )
    group = Group.objects.get(name="Audit and risk committee")
    assert response.status_code == 302
    assert group.board == board_a

    staff_client.post(
        reverse("reps:staff_group_edit", args=[group.pk]),
        {"name": "Audit, risk and performance committee", "kind": "committee", "order": "5"},
    )
    group.refresh_from_db()
    assert group.name == "Audit, risk and performance committee"


def test_a_group_name_used_twice_on_a_board_gets_a_plain_message(staff_client, board_a):
    GroupFactory(board=board_a, name="Strategic planning group")
    response = staff_client.post(
        reverse("reps:staff_group_create"),
        {"board": board_a.pk, "name": "Strategic planning group", "kind": "planning", "order": "1"},
    )
    assert response.status_code == 200
    assert "This board already has a group with that name." in response.content.decode()
    assert Group.objects.filter(board=board_a).count() == 1


def test_a_bad_position_is_explained(staff_client, board_a):
    response = staff_client.post(
        reverse("reps:staff_group_create"),
        {"board": board_a.pk, "name": "Localities", "kind": "locality", "order": "first"},
    )
    assert "Enter the position as a whole number, like 10." in response.content.decode()
    assert not Group.objects.filter(name="Localities").exists()


def test_staff_of_another_board_get_404_for_its_seats_and_groups(client, staff_b, ijb):
    seat = SeatFactory(group=ijb)
    sign_in(client, staff_b)
    assert client.get(reverse("reps:staff_seat_edit", args=[seat.pk])).status_code == 404
    assert client.get(reverse("reps:staff_group_edit", args=[ijb.pk])).status_code == 404
    assert client.get(reverse("reps:staff_term_appoint", args=[seat.pk])).status_code == 404
    page = client.get(reverse("reps:staff_seat_list")).content.decode()
    assert seat.title not in page
