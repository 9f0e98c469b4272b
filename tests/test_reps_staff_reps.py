"""Staff keep the record of their boards' reps: the list, adding, the record, journeys."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from reps.models import Rep, UsualJourney
from tests.conftest import sign_in
from tests.factories import (
    RepFactory,
    SeatFactory,
    TermFactory,
    TrainingFactory,
    UsualJourneyFactory,
)

TODAY = date(2026, 1, 15)


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(TODAY, tick=False)


def rep_form(board, **overrides):
    data = {
        "board": board.pk,
        "full_name": "Fiona MacLeod",
        "rep_type": "carer",
        "email": "fiona@example.org",
        "phone": "0141 496 0000",
        "address": "1 High Street\nKirkintilloch",
        "postcode_area": "G66",
        "needs_large_print": "on",
        "contact_by_email": "on",
        "contact_by_post": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# The list


def test_list_shows_only_the_staff_members_boards(staff_client, rep_a1, rep_b1):
    page = staff_client.get(reverse("reps:staff_rep_list")).content.decode()
    assert "Alice Rep" in page
    assert "Beth Rep" not in page


def test_list_filters_by_name_type_and_whether_in_a_seat(staff_client, board_a):
    in_seat = TermFactory(
        seat__group__board=board_a, rep__full_name="Morag Campbell", start=date(2025, 4, 1)
    ).rep
    TermFactory(
        seat__group__board=board_a,
        rep__full_name="Morag Former",
        start=date(2020, 4, 1),
        planned_end=date(2023, 3, 31),
    )
    RepFactory(board=board_a, user=None, full_name="Morag New", rep_type="lived")
    later = timezone.localdate() + timedelta(days=60)
    TermFactory(seat__group__board=board_a, rep__full_name="Morag Later", start=later)
    returning = TermFactory(
        seat__group__board=board_a,
        rep__full_name="Morag Returning",
        start=date(2019, 4, 1),
        planned_end=date(2022, 3, 31),
    ).rep
    TermFactory(seat__group__board=board_a, rep=returning, start=later + timedelta(days=30))
    url = reverse("reps:staff_rep_list")

    def names(**query):
        response = staff_client.get(url, query)
        return {rep.full_name for rep in response.context["page_obj"]}

    assert names(q="morag") == {
        "Morag Campbell",
        "Morag Former",
        "Morag New",
        "Morag Later",
        "Morag Returning",
    }
    assert names(q="morag", status="current") == {"Morag Campbell"}
    # Appointed to a seat still to come: neither former nor not appointed.
    assert names(q="morag", status="starting") == {"Morag Later", "Morag Returning"}
    assert names(q="morag", status="former") == {"Morag Former"}
    assert names(q="morag", status="not_appointed") == {"Morag New"}
    page = staff_client.get(url, {"q": "later"}).content.decode()
    assert f"Starts in a seat on {later:%-d %B %Y}" in page
    assert names(q="morag", rep_type="lived") == {"Morag New"}
    page = staff_client.get(url, {"status": "current"}).content.decode()
    assert in_seat.terms.get().seat.title in page


def test_list_comes_in_pages_of_25(staff_client, board_a):
    for number in range(30):
        RepFactory(board=board_a, user=None, full_name=f"Rep {number:02d}")
    first = staff_client.get(reverse("reps:staff_rep_list"))
    second = staff_client.get(reverse("reps:staff_rep_list"), {"page": 2})
    assert len(first.context["page_obj"]) == 25
    assert len(second.context["page_obj"]) == 5
    assert "Page 1 of 2" in first.content.decode()
    assert "Next page" in first.content.decode()


def test_a_rep_cannot_reach_the_staff_list(client, rep_a1):
    sign_in(client, rep_a1)
    assert client.get(reverse("reps:staff_rep_list")).status_code == 403


# Adding a rep


def test_adding_a_rep_saves_the_record_through_the_service(staff_client, staff_a, board_a):
    response = staff_client.post(reverse("reps:staff_rep_create"), rep_form(board_a))

    rep = Rep.objects.get(full_name="Fiona MacLeod")
    assert response.status_code == 302
    assert response.url == reverse("reps:staff_rep_detail", args=[rep.pk])
    assert rep.board == board_a
    assert rep.needs_large_print and rep.contact_by_post and not rep.needs_bsl
    # The service records who made the change in the audit history.
    assert rep.history.get().history_user == staff_a


def test_adding_a_rep_with_mistakes_explains_them_and_keeps_what_was_typed(staff_client, board_a):
    response = staff_client.post(
        reverse("reps:staff_rep_create"),
        rep_form(board_a, full_name="", email="fiona at example", phone="0141 496 0000"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter full name" in page
    assert "Enter an email address like name@example.org." in page
    assert 'value="fiona at example"' in page
    assert 'value="0141 496 0000"' in page
    assert not Rep.objects.filter(email="fiona at example").exists()
    assert not Rep.objects.filter(phone="0141 496 0000").exists()


def test_a_rep_cannot_be_added_to_another_board(staff_client, board_b):
    response = staff_client.post(reverse("reps:staff_rep_create"), rep_form(board_b))
    assert response.status_code == 200
    assert "That option is not available any more." in response.content.decode()
    assert not Rep.objects.filter(full_name="Fiona MacLeod").exists()


# A rep's record


def test_the_record_shows_contact_needs_terms_induction_training_and_journeys(
    staff_client, board_a
):
    rep = RepFactory(
        board=board_a,
        user=None,
        full_name="Morag Campbell",
        phone="0141 496 0001",
        needs_bsl=True,
        contact_by_phone=True,
    )
    seat = SeatFactory(group__board=board_a, title="Carer representative 1")
    TermFactory(rep=rep, seat=seat, start=date(2019, 4, 1), planned_end=date(2022, 3, 31))
    TermFactory(rep=rep, seat=seat, start=date(2022, 4, 1), planned_end=date(2025, 3, 31))
    current = TermFactory(rep=rep, seat=seat, start=date(2025, 4, 1))
    current.induction_items.create(title="Role description given", done=True, done_on=TODAY)
    current.induction_items.create(title="Named contact", done=False)
    TrainingFactory(rep=rep, course="Understanding IJB finance", cost=Decimal("40.00"))
    UsualJourneyFactory(rep=rep, from_area="G66", venue="Kirkintilloch Town Hall")

    page = staff_client.get(reverse("reps:staff_rep_detail", args=[rep.pk])).content.decode()

    for text in [
        "0141 496 0001",
        "British Sign Language (BSL) interpreter",
        "Phone",
        "Carer representative 1",
        "Term 3",
        "Term 2",
        "1 of 2 done",
        "In post",
        "Understanding IJB finance",
        "£40.00",
        "Kirkintilloch Town Hall",
    ]:
        assert text in page, text


def test_editing_a_record_changes_only_what_was_changed(staff_client, staff_a, board_a):
    rep = RepFactory(board=board_a, user=None, full_name="Morag Campbell", email="m@example.org")
    data = rep_form(board_a, full_name="Morag Campbell", email="m@example.org")
    data.pop("board")
    data["needs_easy_read"] = "on"

    response = staff_client.post(reverse("reps:staff_rep_edit", args=[rep.pk]), data)

    rep.refresh_from_db()
    assert response.status_code == 302
    assert rep.needs_easy_read and rep.board == board_a
    assert rep.history.latest().history_user == staff_a


def test_editing_with_a_bad_email_writes_nothing(staff_client, board_a):
    rep = RepFactory(board=board_a, user=None, email="m@example.org")
    data = rep_form(board_a, full_name=rep.full_name, email="not an email")
    response = staff_client.post(reverse("reps:staff_rep_edit", args=[rep.pk]), data)
    rep.refresh_from_db()
    assert response.status_code == 200
    assert rep.email == "m@example.org"
    assert 'value="not an email"' in response.content.decode()


def test_staff_of_another_board_get_404_for_a_reps_record(client, staff_b, rep_a1):
    sign_in(client, staff_b)
    rep = rep_a1.rep_profile
    for name in ["reps:staff_rep_detail", "reps:staff_rep_edit", "reps:staff_journey_add"]:
        assert client.get(reverse(name, args=[rep.pk])).status_code == 404, name
    response = client.post(reverse("reps:staff_rep_edit", args=[rep.pk]), {"full_name": "X"})
    assert response.status_code == 404
    assert Rep.objects.get(pk=rep.pk).full_name == "Alice Rep"


# Usual journeys


def test_adding_a_usual_journey(staff_client, rep_a1):
    rep = rep_a1.rep_profile
    response = staff_client.post(
        reverse("reps:staff_journey_add", args=[rep.pk]),
        {"from_area": "G66", "venue": "Kirkintilloch Town Hall", "miles": "8.5"},
    )
    assert response.status_code == 302
    journey = rep.usual_journeys.get()
    assert (journey.from_area, journey.miles) == ("G66", Decimal("8.5"))


@pytest.mark.parametrize(
    ("miles", "message"),
    [
        ("NaN", "Enter miles as a number, like 8.5."),
        ("Infinity", "Enter miles as a number, like 8.5."),
        ("0", "Miles must be 0.1 or more."),
        ("-3", "Miles must be 0.1 or more."),
        ("8.25", "Enter miles with no more than 1 decimal place, like 8.5."),
    ],
)
def test_a_journey_with_bad_miles_is_refused(staff_client, rep_a1, miles, message):
    rep = rep_a1.rep_profile
    response = staff_client.post(
        reverse("reps:staff_journey_add", args=[rep.pk]),
        {"from_area": "G66", "venue": "Kirkintilloch Town Hall", "miles": miles},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert f'value="{miles}"' in page
    assert not UsualJourney.objects.exists()


def test_the_same_journey_twice_gets_a_plain_message(staff_client, rep_a1):
    rep = rep_a1.rep_profile
    UsualJourneyFactory(rep=rep, from_area="G66", venue="Kirkintilloch Town Hall")
    response = staff_client.post(
        reverse("reps:staff_journey_add", args=[rep.pk]),
        {"from_area": "G66", "venue": "Kirkintilloch Town Hall", "miles": "9"},
    )
    assert response.status_code == 200
    assert "This journey is already saved." in response.content.decode()
    assert rep.usual_journeys.count() == 1


def test_removing_a_journey_asks_first_then_removes_it(staff_client, rep_a1):
    rep = rep_a1.rep_profile
    journey = UsualJourneyFactory(rep=rep, from_area="G66", venue="Kirkintilloch Town Hall")
    url = reverse("reps:staff_journey_remove", args=[rep.pk, journey.pk])

    assert "Remove the journey from G66" in staff_client.get(url).content.decode()
    assert rep.usual_journeys.exists()
    assert staff_client.post(url).status_code == 302
    assert not rep.usual_journeys.exists()


def test_a_journey_cannot_be_removed_through_another_reps_address(staff_client, rep_a1, rep_a2):
    journey = UsualJourneyFactory(rep=rep_a2.rep_profile)
    url = reverse("reps:staff_journey_remove", args=[rep_a1.rep_profile.pk, journey.pk])
    assert staff_client.post(url).status_code == 404
    assert UsualJourney.objects.filter(pk=journey.pk).exists()
