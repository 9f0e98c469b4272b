"""Staff record the training reps take, and see the spend per board for each financial year."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from reps.models import Training
from tests.conftest import sign_in
from tests.factories import RepFactory, StaffMembershipFactory, TrainingFactory

TODAY = date(2026, 1, 15)


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(TODAY, tick=False)


def training_form(**overrides):
    data = {
        "course": "Understanding IJB finance",
        "date": "10/01/2026",
        "provider": "The partnership",
        "hours": "3.5",
        "cost": "40.00",
    }
    data.update(overrides)
    return data


def test_adding_training_to_a_reps_record(staff_client, staff_a, rep_a1):
    rep = rep_a1.rep_profile
    response = staff_client.post(reverse("reps:staff_training_add", args=[rep.pk]), training_form())
    assert response.status_code == 302
    training = rep.training.get()
    assert (training.date, training.hours, training.cost) == (
        date(2026, 1, 10),
        Decimal("3.5"),
        Decimal("40.00"),
    )
    page = staff_client.get(response.url).content.decode()
    assert "Understanding IJB finance" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"hours": "NaN"}, "Enter hours as a number, like 3.5."),
        ({"hours": "0"}, "Hours must be 0.1 or more."),
        ({"cost": "Infinity"}, "Enter cost as a number, like 40.00."),
        ({"cost": "-5"}, "Cost must be 0.00 or more."),
        ({"cost": "12.345"}, "Enter cost with no more than 2 decimal places, like 40.00."),
        ({"course": ""}, "Enter course"),
        ({"date": "31/02/2026"}, "31/02/2026 is not a real date."),
        ({"date": "15/01/2030"}, "The date must be 15 January 2027 or earlier. Check the year."),
        ({"date": "15/01/1926"}, "The date must be 1 January 2000 or later. Check the year."),
        ({"hours": "2000"}, "Hours must be 200 or less. Check the number."),
        ({"cost": "999999"}, "Cost must be 10,000 or less. Check the number."),
    ],
)
def test_training_with_mistakes_is_refused(staff_client, rep_a1, overrides, message):
    rep = rep_a1.rep_profile
    response = staff_client.post(
        reverse("reps:staff_training_add", args=[rep.pk]), training_form(**overrides)
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert 'value="The partnership"' in page
    assert not Training.objects.exists()


def test_the_training_list_shows_the_years_courses_and_spend_per_board(
    client, staff_a, board_a, board_b
):
    # A staff member of two boards sees both, each with its own spend.
    StaffMembershipFactory(user=staff_a, board=board_b)
    sign_in(client, staff_a)
    rep_a = RepFactory(board=board_a, user=None, full_name="Morag Campbell")
    rep_b = RepFactory(board=board_b, user=None, full_name="Fife Rep")
    TrainingFactory(rep=rep_a, date=date(2025, 6, 1), cost=Decimal("40.00"))
    TrainingFactory(rep=rep_a, date=date(2025, 9, 1), cost=Decimal("60.50"), course="Chairing")
    TrainingFactory(rep=rep_b, date=date(2025, 5, 1), cost=Decimal("10.00"))
    TrainingFactory(rep=rep_a, date=date(2025, 3, 31), cost=Decimal("999.00"), course="Old")

    response = client.get(reverse("reps:staff_training_list"))
    totals = {row.board: (row.courses, row.spend) for row in response.context["totals"]}
    page = response.content.decode()

    assert totals == {board_a: (2, Decimal("100.50")), board_b: (1, Decimal("10.00"))}
    assert "Spend in 2025/26" in page
    assert "Chairing" in page
    assert "Old" not in page

    earlier = client.get(reverse("reps:staff_training_list"), {"year": 2024, "board": board_a.slug})
    assert [row.spend for row in earlier.context["totals"]] == [Decimal("999.00")]


def test_staff_of_another_board_get_404_adding_training(client, staff_b, rep_a1):
    sign_in(client, staff_b)
    url = reverse("reps:staff_training_add", args=[rep_a1.rep_profile.pk])
    assert client.post(url, training_form()).status_code == 404
    assert not Training.objects.exists()


def change_url(training) -> str:
    return reverse("reps:staff_training_change", args=[training.rep_id, training.pk])


def remove_url(training) -> str:
    return reverse("reps:staff_training_remove", args=[training.rep_id, training.pk])


def test_a_training_record_can_be_put_right(staff_client, rep_a1):
    training = TrainingFactory(rep=rep_a1.rep_profile, course="IJB finance", hours=Decimal("2"))
    form = staff_client.get(change_url(training)).content.decode()
    assert 'value="IJB finance"' in form

    response = staff_client.post(change_url(training), training_form(hours="3.5"))

    assert response.status_code == 302
    training.refresh_from_db()
    assert (training.course, training.hours) == ("Understanding IJB finance", Decimal("3.5"))
    page = staff_client.get(response.url).content.decode()
    assert "The training “Understanding IJB finance” has been saved." in page
    assert change_url(training) in page and remove_url(training) in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"hours": "0"}, "Hours must be 0.1 or more."),
        ({"date": "31/02/2026"}, "31/02/2026 is not a real date."),
        ({"course": ""}, "Enter course"),
        ({"cost": "-1"}, "Cost must be 0.00 or more."),
    ],
)
def test_a_wrong_change_is_refused_and_keeps_what_was_typed(
    staff_client, rep_a1, overrides, message
):
    training = TrainingFactory(rep=rep_a1.rep_profile, course="IJB finance")
    before = (training.course, training.date, training.hours, training.cost)

    response = staff_client.post(change_url(training), training_form(provider="Typed", **overrides))

    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert 'value="Typed"' in page
    training.refresh_from_db()
    assert (training.course, training.date, training.hours, training.cost) == before


def test_removing_asks_first_then_takes_the_record_off(staff_client, rep_a1):
    training = TrainingFactory(rep=rep_a1.rep_profile, course="IJB finance", date=date(2026, 1, 5))
    ask = staff_client.get(remove_url(training)).content.decode()
    assert "Remove “IJB finance” on 5 January 2026?" in ask
    assert Training.objects.filter(pk=training.pk).exists()

    done = staff_client.post(remove_url(training), follow=True).content.decode()

    assert "The training “IJB finance” on 5 January 2026 has been removed." in done
    assert not Training.objects.filter(pk=training.pk).exists()


def test_another_reps_training_is_not_found_through_this_rep(staff_client, rep_a1, rep_a2):
    theirs = TrainingFactory(rep=rep_a2.rep_profile)
    url = reverse("reps:staff_training_change", args=[rep_a1.rep_profile.pk, theirs.pk])
    assert staff_client.get(url).status_code == 404
    assert (
        staff_client.post(
            reverse("reps:staff_training_remove", args=[rep_a1.rep_profile.pk, theirs.pk])
        ).status_code
        == 404
    )
    assert Training.objects.filter(pk=theirs.pk).exists()
