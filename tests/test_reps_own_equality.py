"""Equality monitoring: optional, only with consent, seen by the rep alone, gone when withdrawn."""

import difflib
import re
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.urls import reverse

from reps.models import EqualityRecord
from tests.access_policy import PERSONAS, POLICY
from tests.conftest import sign_in
from tests.factories import EqualityRecordFactory

ANSWERS = {
    "age_band": "75+",
    "ethnic_group": "white_gypsy",
    "caring_role": "50_plus",
    "sexual_orientation": "bisexual",
}
# How the rep's answers read on a page.
SHOWN = [
    "75 or over",
    "White: Gypsy/Traveller",
    "I care for someone for 50 hours a week or more",
    "Bisexual",
]


@pytest.fixture
def alice(client, rep_a1):
    sign_in(client, rep_a1)
    return rep_a1.rep_profile


def test_the_page_explains_why_and_that_it_is_optional(client, alice):
    page = client.get(reverse("reps:my_equality")).content.decode()
    assert "Answering is up to you" in page
    assert "Only you can see your answers" in page
    assert page.count(">Prefer not to say</label>") == len(EqualityRecord.QUESTIONS)
    assert 'type="radio"' in page
    assert "What is your ethnic group? (optional)" in page


def test_saving_needs_consent_and_keeps_what_was_chosen(client, alice):
    response = client.post(reverse("reps:my_equality"), {"ethnic_group": "white_gypsy"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "We can only keep your answers if you agree." in page
    assert 'value="white_gypsy" checked' in page
    assert not EqualityRecord.objects.exists()


def test_with_consent_the_answers_are_saved_and_shown_to_the_rep(client, alice):
    response = client.post(reverse("reps:my_equality"), {"consent": "on", **ANSWERS}, follow=True)
    page = response.content.decode()
    assert "Thank you. Your answers are saved." in page
    record = EqualityRecord.objects.get(rep=alice)
    assert (record.age_band, record.ethnic_group) == ("75+", "white_gypsy")
    assert record.sex == "", "a question left out stays unanswered"
    for shown in SHOWN:
        assert shown in page
    assert "Not answered" in page


def test_an_answer_outside_the_choices_is_refused(client, alice):
    page = client.post(
        reverse("reps:my_equality"), {"consent": "on", "ethnic_group": "martian"}
    ).content.decode()
    assert "There is a problem" in page
    assert not EqualityRecord.objects.exists()


def test_withdrawing_consent_asks_first_then_deletes_the_record(client, alice):
    EqualityRecordFactory(rep=alice, **ANSWERS)
    confirm = client.get(reverse("reps:my_equality_withdraw")).content.decode()
    assert "Delete your answers?" in confirm
    assert EqualityRecord.objects.filter(rep=alice).exists(), "asking deletes nothing"

    done = client.post(reverse("reps:my_equality_withdraw"), follow=True).content.decode()
    assert "Your answers are deleted. No copy of them is kept." in done
    assert not EqualityRecord.objects.filter(rep=alice).exists()
    assert not any(model.__name__ == "HistoricalEqualityRecord" for model in apps.get_models()), (
        "no history of equality answers exists to keep a copy"
    )
    for shown in SHOWN:
        assert shown not in done.split("The questions")[0]


def test_withdrawing_with_nothing_held_says_so(client, alice):
    page = client.get(reverse("reps:my_equality_withdraw")).content.decode()
    assert "You have no answers to delete" in page


def test_another_rep_never_sees_the_answers(client, alice, rep_a2, rep_b1):
    EqualityRecordFactory(rep=alice, **ANSWERS)
    for other in (rep_a2, rep_b1):
        client.logout()
        sign_in(client, other)
        page = client.get(reverse("reps:my_equality")).content.decode()
        assert "Your answers" not in page
        assert "You agreed to give them" not in page
        withdraw = client.post(reverse("reps:my_equality_withdraw"))
        assert withdraw.status_code == 302
    assert EqualityRecord.objects.filter(rep=alice).exists(), "only the rep can delete it"


@pytest.mark.parametrize("persona", ["staff_a", "staff_b", "national_viewer", "administrator"])
def test_nobody_else_can_open_the_equality_pages(client, personas, persona):
    EqualityRecordFactory(rep=personas.rep_a1.rep_profile, **ANSWERS)
    sign_in(client, getattr(personas, persona))
    assert client.get(reverse("reps:my_equality")).status_code == 403
    assert client.post(reverse("reps:my_equality_withdraw")).status_code == 403
    assert EqualityRecord.objects.count() == 1


def _pages(client, personas, urls):
    pages = {}
    for persona in PERSONAS:
        client.logout()
        user = getattr(personas, persona)
        if user is not None:
            sign_in(client, user)
        for name, url in urls:
            if persona == "rep_a1" and name.startswith("reps:my_equality"):
                continue  # the rep's own pages, the one place the answers belong
            response = client.get(url)
            body = response.content.decode(errors="replace") if response.streaming is False else ""
            # Tokens differ on every request; they are not what this test compares.
            body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)
            pages[persona, name] = body
    return pages


def test_no_page_but_the_reps_own_shows_an_answer(client, personas, board_a, board_b):
    """Every URL, for every persona, before and after rep A1 answers: nothing new names them."""
    context = SimpleNamespace(board_a=board_a, board_b=board_b, personas=personas)
    rep = personas.rep_a1.rep_profile
    urls = [
        (name, reverse(name, kwargs=rule.kwargs(context) if rule.kwargs else None))
        for name, rule in POLICY.items()
        if rule.method == "get"
    ]
    urls += [
        ("admin rep", reverse("admin:reps_rep_change", args=[rep.pk])),
        ("admin rep history", reverse("admin:reps_rep_history", args=[rep.pk])),
        ("admin reps", reverse("admin:reps_rep_changelist")),
    ]
    urls += [
        (f"export {what}", f"{reverse('reps:export')}?what={what}&file_format=csv&board=")
        for what in ("reps", "attendance", "training")
    ]
    before = _pages(client, personas, urls)
    EqualityRecordFactory(rep=rep, **ANSWERS)
    after = _pages(client, personas, urls)

    leaks = []
    for key, page in after.items():
        added = [
            line
            for line in difflib.ndiff(before[key].splitlines(), page.splitlines())
            if line.startswith("+ ")
        ]
        leaks += [(key, shown) for shown in SHOWN for line in added if shown in line]
    assert not leaks
