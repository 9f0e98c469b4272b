"""People in the pool are asked every so often whether they want to stay in it; agreement that
nobody renews runs out, and the retention rule removes their details as it does anyone else's.
"""

from datetime import date
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError
from django.test import override_settings
from django.urls import reverse

from portal import retention
from reps import services
from reps.models import ExpressionOfInterest
from tests.conftest import sign_in
from tests.expenses_staff_fixtures import staff_member
from tests.test_recruitment_staff import receive

TODAY = date(2026, 12, 3)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(TODAY, tick=False)


def pooled(board, staff, name, joined, *, asked=None, email=None):
    interest = receive(board, name=name, email=email or f"{name.split()[0].lower()}@example.org")
    services.interest_join_pool(interest=interest, consent=True, by=staff, today=joined)
    if asked is not None:
        services.interest_stay_in_pool(interest=interest, by=staff, today=asked)
    interest.refresh_from_db()
    return interest


def test_joining_says_they_want_to_be_in_it_and_asking_again_renews_it(board_a, staff_a):
    interest = pooled(board_a, staff_a, "Morven Interested", date(2025, 6, 1))
    assert interest.pool_checked_on == date(2025, 6, 1)
    assert interest.pool_check_due  # more than 12 months ago

    services.interest_stay_in_pool(interest=interest, by=staff_a)
    interest.refresh_from_db()
    assert interest.pool_checked_on == TODAY
    assert not interest.pool_check_due
    assert interest.history.latest().history_user == staff_a

    services.interest_leave_pool(interest=interest, by=staff_a)
    interest.refresh_from_db()
    assert (interest.in_pool_since, interest.pool_checked_on) == (None, None)
    with pytest.raises(ValidationError) as refused:
        services.interest_stay_in_pool(interest=interest, by=staff_a)
    assert refused.value.messages == ["They are not in the pool. Add them to it, if they agree."]


def test_the_database_keeps_the_last_answer_on_or_after_joining(board_a, staff_a):
    interest = pooled(board_a, staff_a, "Morven Interested", date(2025, 6, 1))
    with pytest.raises(IntegrityError):
        ExpressionOfInterest.objects.filter(pk=interest.pk).update(pool_checked_on=None)


def test_the_database_refuses_an_answer_before_joining(board_a, staff_a):
    interest = pooled(board_a, staff_a, "Morven Interested", date(2025, 6, 1))
    with pytest.raises(IntegrityError):
        ExpressionOfInterest.objects.filter(pk=interest.pk).update(
            pool_checked_on=date(2025, 5, 31)
        )


def test_staff_see_who_is_due_to_be_asked_and_note_the_answer(client, board_a, staff_a):
    due = pooled(board_a, staff_a, "Morven Due", date(2025, 6, 1), asked=date(2025, 12, 3))
    pooled(board_a, staff_a, "Nessa Asked", date(2025, 6, 1), asked=date(2025, 12, 4))
    pooled(board_a, staff_a, "Orla New", date(2026, 11, 1))
    sign_in(client, staff_a)
    pool = reverse("reps:staff_pool_list")

    page = client.get(pool).content.decode()
    assert "3 people in the pool" in page
    assert page.count("Due to be asked again") == 1
    only_due = client.get(pool, {"due": "on"}).content.decode()
    assert "1 person in the pool due to be asked again" in only_due
    assert "Morven Due" in only_due and "Nessa Asked" not in only_due

    detail = client.get(reverse("reps:staff_interest_detail", args=[due.pk])).content.decode()
    assert "Last said they want to stay on 3 December 2025." in detail
    assert "It is time to ask Morven Due whether they want to stay in the pool." in detail

    response = client.post(reverse("reps:staff_interest_stay_in_pool", args=[due.pk]), follow=True)
    assert (
        "Noted: Morven Due wants to stay in the pool. They will be due to be asked again in "
        "12 months."
    ) in response.content.decode()
    due.refresh_from_db()
    assert due.pool_checked_on == TODAY
    assert "Said they want to stay in the pool" in response.content.decode()
    nobody = client.get(pool, {"due": "on"}).content.decode()
    assert "Nobody in the pool is due to be asked again." in nobody


@override_settings(POOL_CHECK_MONTHS=6)
def test_how_often_to_ask_is_a_setting(board_a, staff_a):
    interest = pooled(
        board_a, staff_a, "Morven Interested", date(2026, 1, 1), asked=date(2026, 6, 3)
    )
    assert interest.pool_check_due
    services.interest_stay_in_pool(interest=interest, by=staff_a, today=date(2026, 6, 4))
    interest.refresh_from_db()
    assert not interest.pool_check_due


def test_asking_someone_not_in_the_pool_says_so_and_changes_nothing(client, board_a, staff_a):
    interest = receive(board_a)
    sign_in(client, staff_a)

    response = client.post(
        reverse("reps:staff_interest_stay_in_pool", args=[interest.pk]), follow=True
    )

    assert "They are not in the pool. Add them to it, if they agree." in response.content.decode()
    interest.refresh_from_db()
    assert interest.pool_checked_on is None


def test_staff_who_do_not_recruit_cannot_note_an_answer(client, board_a, staff_a):
    interest = pooled(board_a, staff_a, "Morven Interested", date(2025, 6, 1))
    sign_in(client, staff_member(board_a, "viewer@example.org"))

    response = client.post(reverse("reps:staff_interest_stay_in_pool", args=[interest.pk]))

    assert response.status_code == 403
    interest.refresh_from_db()
    assert interest.pool_checked_on == date(2025, 6, 1)


def test_someone_nobody_asked_for_24_months_has_their_details_removed(board_a, staff_a):
    lapsed = pooled(board_a, staff_a, "Morven Lapsed", date(2023, 1, 1), asked=date(2024, 12, 2))
    kept = pooled(board_a, staff_a, "Nessa Kept", date(2023, 1, 1), asked=date(2024, 12, 3))
    # Changing their notes is not asking them.
    services.interest_update(interest=lapsed, by=staff_a, status=lapsed.status, notes="Rang")

    out = StringIO()
    call_command("anonymise_personal_data", "--dry-run", stdout=out)
    assert "People in the pool due (last said they want to stay before then): 1" in (out.getvalue())
    assert (
        f"expression of interest {lapsed.pk}, East Dunbartonshire IJB: last said they want to "
        "stay 02/12/2024"
    ) in out.getvalue()
    assert "Morven" not in out.getvalue()
    call_command("anonymise_personal_data", stdout=StringIO())

    lapsed.refresh_from_db()
    assert (lapsed.full_name, lapsed.email, lapsed.anonymised_on) == ("Anonymised", "", TODAY)
    assert (lapsed.in_pool_since, lapsed.pool_checked_on, lapsed.pool_consent) == (
        None,
        None,
        False,
    )
    assert not lapsed.history.filter(full_name="Morven Lapsed").exists()
    kept.refresh_from_db()
    assert (kept.full_name, kept.in_pool) == ("Nessa Kept", True)


def test_the_privacy_notice_says_how_often_they_are_asked(client):
    page = client.get(reverse("privacy")).content.decode()
    assert "ask you every 12 months whether you want to stay in it" in page
    assert "24 months after you last told staff you want to stay in it" in page


def test_asked_again_after_the_plan_was_made_they_stay(board_a, staff_a):
    lapsed = pooled(board_a, staff_a, "Morven Lapsed", date(2023, 1, 1))
    plan = retention.plan(TODAY)
    assert [interest.pk for interest in plan.pool_members] == [lapsed.pk]

    services.interest_stay_in_pool(interest=lapsed, by=staff_a, today=TODAY)
    retention.carry_out(plan)

    lapsed.refresh_from_db()
    assert (lapsed.full_name, lapsed.in_pool) == ("Morven Lapsed", True)
