"""Staff who manage reps or pay claims see the board's expenses policy, with its earlier versions,
and add a new version from a date. Old versions never change; bad numbers are refused."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from expenses.models import ExpensePolicy
from tests.conftest import sign_in
from tests.expenses_staff_fixtures import board_policy, staff_member, steady_queries
from tests.factories import RepFactory, in_post

pytestmark = pytest.mark.django_db


def policy_url(board, new=False):
    name = "expenses:staff_policy_new" if new else "expenses:staff_policy"
    return reverse(name, kwargs={"slug": board.slug})


def form_data(**changes) -> dict:
    data = {
        "effective_from": "01/04/2026",
        "car_rate_first": "0.45",
        "car_rate_after": "0.25",
        "car_threshold_miles": "10000",
        "passenger_rate": "0.05",
        "motorcycle_rate": "0.24",
        "bicycle_rate": "0.20",
        "breakfast_cap": "",
        "lunch_cap": "7.50",
        "dinner_cap": "",
        "daily_subsistence_cap": "",
        "overnight_cap": "100.00",
        "care_hourly_cap": "22.00",
        "involvement_basis": "none",
        "involvement_amount": "0",
        "days_to_claim": "90",
        "receipt_threshold": "10.00",
        "published_url": "https://example.org/policy",
    }
    data.update(changes)
    return data


def test_staff_see_the_policy_in_force_and_the_earlier_versions(client, staff_a, board_a):
    board_policy(board_a, effective_from=date(2020, 4, 1), care_hourly_cap=Decimal("18.00"))
    board_policy(board_a, effective_from=date(2024, 4, 1), care_hourly_cap=Decimal("20.00"))
    coming = timezone.localdate() + timedelta(days=30)
    board_policy(board_a, effective_from=coming, care_hourly_cap=Decimal("25.00"))

    page = sign_in(client, staff_a).get(policy_url(board_a)).content.decode()

    assert "In force today" in page
    assert "Up to £20.00 an hour" in page
    assert "Earlier versions" in page and "In force from 1 April 2020" in page
    assert "Coming in" in page and "Up to £25.00 an hour" in page
    assert "Car or van: 45p a mile for the first 10,000 miles" in page


def test_a_board_with_no_policy_says_so(client, staff_a, board_a):
    page = sign_in(client, staff_a).get(policy_url(board_a)).content.decode()
    assert "has no expenses policy in force, so reps cannot claim yet" in page


def test_the_new_version_starts_as_a_copy_of_the_one_in_force(client, staff_a, board_a):
    board_policy(board_a, care_hourly_cap=Decimal("19.50"))
    page = sign_in(client, staff_a).get(policy_url(board_a, new=True)).content.decode()
    assert 'value="19.50"' in page


def test_staff_add_a_version_from_a_date(client, staff_a, board_a):
    first = board_policy(board_a)

    response = sign_in(client, staff_a).post(
        policy_url(board_a, new=True), form_data(car_rate_first="0.50"), follow=True
    )

    assert response.redirect_chain[-1][0] == policy_url(board_a)
    assert "It applies to items dated from 1 April 2026." in response.content.decode()
    added = ExpensePolicy.objects.get(board=board_a, effective_from=date(2026, 4, 1))
    assert added.car_rate_first == Decimal("0.500")
    assert added.lunch_cap == Decimal("7.50")
    assert added.breakfast_cap is None
    assert added.history.get().history_user == staff_a
    first.refresh_from_db()
    assert first.car_rate_first == Decimal("0.450")


def test_the_boards_reps_in_post_are_told_what_a_new_version_says(
    client, staff_a, board_a, board_b, rep_a1, django_capture_on_commit_callbacks
):
    board_policy(board_a)
    in_post(rep_a1.rep_profile, board_a)
    in_post(RepFactory(board=board_a, user=None, email="paper@example.org"), board_a)
    in_post(RepFactory(board=board_b, user__email="fife@example.org"), board_b)

    sign_in(client, staff_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(policy_url(board_a, new=True), form_data(car_rate_first="0.50"))

    [message] = mail.outbox
    assert message.to == [rep_a1.email]
    assert message.subject == "Your partnership's expenses policy for reps, from 1 April 2026"
    assert "in force from Wednesday 1 April 2026" in message.body
    assert "- Car or van: 50p a mile for the first 10,000 miles" in message.body
    assert "- Replacement care while you prepare, attend and travel" in message.body
    assert "The full policy: https://example.org/policy" in message.body
    assert reverse("expenses:my_claims") in message.body


def test_a_version_refused_tells_nobody(
    client, staff_a, board_a, rep_a1, django_capture_on_commit_callbacks
):
    board_policy(board_a)
    in_post(rep_a1.rep_profile, board_a)
    sign_in(client, staff_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(policy_url(board_a, new=True), form_data(car_rate_first="NaN"))
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("car_rate_first", "NaN", "Enter the car or van rate up to the threshold in pounds a mile"),
        ("car_rate_first", "Infinity", "in pounds a mile, such as 0.45."),
        ("car_rate_first", "-0.45", "Enter the car or van rate up to the threshold as 0 or more."),
        ("car_rate_first", "0.4555", "with no more than 3 decimal places."),
        ("passenger_rate", "", "Enter the rate a mile for each passenger."),
        (
            "lunch_cap",
            "12.345",
            "Enter the most paid for lunch with no more than 2 decimal places.",
        ),
        ("lunch_cap", "nan", "Enter the most paid for lunch in pounds and pence, such as 12.50."),
        ("overnight_cap", "-inf", "the most paid for a night&#x27;s stay in pounds and pence"),
        (
            "receipt_threshold",
            "-1",
            "Enter the amount above which a receipt is needed as 0 or more.",
        ),
        ("days_to_claim", "ninety", "Enter the days allowed to claim as a whole number."),
        ("effective_from", "31/02/2026", "31/02/2026 is not a real date"),
        ("effective_from", "", "Enter the date this version comes into force."),
        ("involvement_amount", "25.00", "Choose how the involvement payment is made"),
    ],
)
def test_bad_figures_are_refused_with_a_reason(client, staff_a, board_a, field, typed, message):
    response = sign_in(client, staff_a).post(
        policy_url(board_a, new=True), form_data(**{field: typed})
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ExpensePolicy.objects.filter(board=board_a).exists()


def test_an_involvement_payment_needs_an_amount(client, staff_a, board_a):
    response = sign_in(client, staff_a).post(
        policy_url(board_a, new=True), form_data(involvement_basis="per_meeting")
    )
    assert "Enter the involvement payment amount." in response.content.decode()

    client.post(
        policy_url(board_a, new=True),
        form_data(involvement_basis="per_meeting", involvement_amount="20.00"),
    )
    assert ExpensePolicy.objects.get(board=board_a).involvement_amount == Decimal("20.00")


def test_two_versions_cannot_start_on_the_same_day(client, staff_a, board_a):
    board_policy(board_a, effective_from=date(2026, 4, 1))
    response = sign_in(client, staff_a).post(policy_url(board_a, new=True), form_data())
    assert "already has a version of its policy from that date" in response.content.decode()
    assert ExpensePolicy.objects.filter(board=board_a).count() == 1


@pytest.mark.parametrize(
    ("permissions", "status"),
    [
        ({"can_manage_reps": True}, 200),
        ({"can_pay_claims": True}, 200),
        ({"can_approve_claims": True}, 403),
        ({"can_lead_assessment": True}, 403),
    ],
)
def test_who_may_see_and_change_the_policy(client, board_a, permissions, status):
    member = staff_member(board_a, "policy@example.org", **permissions)
    sign_in(client, member)
    assert client.get(policy_url(board_a)).status_code == status
    assert client.get(policy_url(board_a, new=True)).status_code == status
    response = client.post(policy_url(board_a, new=True), form_data())
    assert response.status_code == (302 if status == 200 else 403)
    assert ExpensePolicy.objects.filter(board=board_a).exists() == (status == 200)


def test_staff_of_another_board_get_404(client, staff_b, board_a):
    sign_in(client, staff_b)
    assert client.get(policy_url(board_a)).status_code == 404
    assert client.post(policy_url(board_a, new=True), form_data()).status_code == 404
    assert not ExpensePolicy.objects.exists()


def test_the_policy_page_costs_the_same_queries_with_ten_versions(client, staff_a, board_a):
    sign_in(client, staff_a)
    counts = []
    for years in (range(2015, 2016), range(2016, 2025)):
        for year in years:
            board_policy(board_a, effective_from=date(year, 4, 1))
        count, _ = steady_queries(client, policy_url(board_a))
        counts.append(count)
    assert counts[0] == counts[1] <= 12
