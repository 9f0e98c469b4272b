"""Equality monitoring of the people who come forward: offered once, only to whoever has just
sent the "I'm interested" form, kept only with their consent, seen by staff only as suppressed
counts, and deleted with the rest of their details. Staff who recruit see the same counts of
the board's reps of the last three years beside them."""

import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reps import services
from reps.models import EqualityRecord, ExpressionOfInterest
from tests.conftest import sign_in
from tests.factories import (
    EqualityRecordFactory,
    StaffMembershipFactory,
    TermFactory,
    confirmed_totp_device,
)
from tests.test_recruitment_public import post_interest, valid_post

ANSWERS = {"age_band": "65-74", "caring_role": "50_plus", "disability": "prefer_not"}


def questions(board) -> str:
    return reverse("public_board_interest_equality", args=[board.slug])


def sent(board) -> str:
    return reverse("public_board_interest_sent", args=[board.slug])


@pytest.fixture
def just_sent(client, board_a):
    assert post_interest(client, board_a, valid_post()).status_code == 302
    return ExpressionOfInterest.objects.get()


def test_whoever_just_sent_the_form_is_offered_the_questions_and_may_answer_once(
    client, board_a, just_sent
):
    assert "Answer the questions" in client.get(sent(board_a)).content.decode()
    assert client.get(questions(board_a)).status_code == 200

    response = client.post(questions(board_a), {**ANSWERS, "consent": "on"}, follow=True)

    page = response.content.decode()
    assert "Thank you. Your answers are saved." in page
    assert "Answer the questions" not in page
    record = EqualityRecord.objects.get(interest=just_sent)
    assert (record.age_band, record.caring_role, record.disability, record.sex) == (
        "65-74",
        "50_plus",
        "prefer_not",
        "",
    )
    assert record.rep is None
    assert client.get(questions(board_a)).status_code == 404
    assert client.post(questions(board_a), {**ANSWERS, "consent": "on"}).status_code == 404
    assert EqualityRecord.objects.count() == 1


def test_without_consent_nothing_is_kept_and_the_answers_stay_on_the_form(
    client, board_a, just_sent
):
    page = client.post(questions(board_a), ANSWERS).content.decode()

    assert "We can only keep your answers if you agree" in page
    assert re.search(r'value="65-74"[^>]*checked', page)
    assert not EqualityRecord.objects.exists()
    assert client.get(questions(board_a)).status_code == 200


def test_nobody_else_reaches_the_questions(client, board_a, board_b, just_sent, staff_a):
    stranger = Client()
    assert stranger.get(questions(board_a)).status_code == 404
    assert stranger.post(questions(board_a), {**ANSWERS, "consent": "on"}).status_code == 404
    # The same browser, on another board's address.
    assert client.get(questions(board_b)).status_code == 404
    assert "Answer the questions" not in client.get(sent(board_b)).content.decode()
    # Once staff removed the person's details at their request, nothing more is added.
    services.interest_forget(interest=just_sent, by=staff_a)
    assert client.get(questions(board_a)).status_code == 404
    assert not EqualityRecord.objects.exists()


def test_the_answers_go_when_the_person_asks_for_their_details_to_be_removed(
    client, board_a, just_sent, staff_a
):
    client.post(questions(board_a), {**ANSWERS, "consent": "on"})
    assert EqualityRecord.objects.filter(interest=just_sent).exists()

    services.interest_forget(interest=just_sent, by=staff_a)

    assert not EqualityRecord.objects.exists()


def _came_forward(board, n, **answers):
    for i in range(n):
        interest = services.interest_receive(
            board=board,
            full_name=f"Person {i}",
            email=f"person{i}@example.org",
            phone="",
            role="carer",
            support_needed="",
            consent_to_contact=True,
            notify=False,
        )
        services.interest_equality_save(interest=interest, consent=True, answers=answers)


def test_staff_see_only_suppressed_counts_of_their_boards(client, board_a, board_b, staff_a):
    _came_forward(board_a, 6, age_band="65-74")
    _came_forward(board_a, 6, age_band="16-24")
    _came_forward(board_a, 2, age_band="45-54")
    _came_forward(board_b, 9, age_band="35-44")
    sign_in(client, staff_a)

    page = client.get(reverse("reps:staff_interest_list")).content.decode()

    section = page[page.index("Who is coming forward") :]
    ages = section[: section.index("What is your sex?", section.index("What is your age?"))]
    assert '<th scope="row">45 to 54</th><td>fewer than 5</td>' in ages
    assert "<td>2</td>" not in ages
    # Board B's nine people are not counted for staff of board A.
    assert '<th scope="row">35 to 44</th><td>0</td>' in ages
    assert "Person 1" not in section


def test_with_fewer_than_five_answering_no_table_is_shown(client, board_a, staff_a):
    _came_forward(board_a, 1, age_band="16-24")
    sign_in(client, staff_a)

    page = client.get(reverse("reps:staff_interest_list")).content.decode()

    section = page[page.index("Who is coming forward") :]
    assert "Fewer than 5 of the people who came forward have answered the questions." in section
    assert "16 to 24" not in section
    assert "<table" not in section


def test_with_nobody_answering_the_page_says_so(client, staff_a):
    sign_in(client, staff_a)

    page = client.get(reverse("reps:staff_interest_list")).content.decode()

    assert "Nobody who came forward has answered the questions yet." in page


def _in_post(board, n, **answers):
    today = timezone.localdate()
    for _ in range(n):
        term = TermFactory(
            seat__group__board=board,
            rep__board=board,
            start=today - timedelta(days=30),
            planned_end=today + timedelta(days=300),
        )
        EqualityRecordFactory(rep=term.rep, **answers)


def test_staff_who_recruit_see_suppressed_counts_of_the_reps_of_recent_years(
    client, board_a, board_b, staff_a
):
    _in_post(board_a, 6, age_band="65-74")
    _in_post(board_a, 2, age_band="45-54")
    _in_post(board_b, 9, age_band="35-44")
    # A rep whose last seat ended before the last three years is not counted.
    left = TermFactory(
        seat__group__board=board_a,
        rep__board=board_a,
        start=date(2020, 4, 1),
        planned_end=date(2023, 3, 31),
    )
    EqualityRecordFactory(rep=left.rep, age_band="16-24")
    sign_in(client, staff_a)

    page = client.get(reverse("reps:staff_rep_list"), {"q": "nobody"}).content.decode()

    section = page[page.index("Who the reps have been") :]
    ages = section[: section.index("What is your sex?", section.index("What is your age?"))]
    assert '<th scope="row">45 to 54</th><td>fewer than 5</td>' in ages
    # Otherwise the total would give the small count away.
    assert '<th scope="row">65 to 74</th><td>not shown</td>' in ages
    assert '<th scope="row">Total</th><td>8</td>' in ages
    assert '<th scope="row">16 to 24</th><td>0</td>' in ages
    # Board B's reps are not counted for staff of board A.
    assert '<th scope="row">35 to 44</th><td>0</td>' in ages


def test_staff_who_do_not_recruit_see_no_equality_counts(client, board_a):
    _in_post(board_a, 6, age_band="65-74")
    viewer = StaffMembershipFactory(board=board_a, can_manage_reps=False).user
    confirmed_totp_device(viewer)
    sign_in(client, viewer)

    page = client.get(reverse("reps:staff_rep_list")).content.decode()

    assert "Who the reps have been" not in page
    assert "65 to 74" not in page
