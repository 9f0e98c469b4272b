"""As a term's end comes into the board's warning time, the rep is asked what they would like
then: another term, to step down, or not sure yet, and whether they would help whoever follows.
Staff see the answer beside the terms ending with no successor."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from reps import services
from reps.models import Term
from tests.conftest import sign_in
from tests.expenses_own_fixtures import page_text
from tests.factories import TermFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def ending(rep_a1, board_a):
    """Rep A1's term, ending in three months: inside the default warning time."""
    return TermFactory(
        rep=rep_a1.rep_profile,
        seat__group__board=board_a,
        seat__title="Carer representative",
        start=TODAY - timedelta(days=1000),
        planned_end=TODAY + timedelta(days=90),
    )


def url(term):
    return reverse("reps:my_term_afterwards", args=[term.pk])


def test_the_rep_is_asked_and_their_answer_reaches_staff(client, rep_a1, staff_a, ending):
    sign_in(client, rep_a1)
    home = page_text(client.get(reverse("rep_home")))
    assert f"This term ends on {ending.planned_end:%-d %B %Y}. Tell us what you would like" in home

    response = client.post(url(ending), {"afterwards": "stepping_down", "will_help": "on"})

    assert response.status_code == 302
    ending.refresh_from_db()
    assert (ending.afterwards, ending.will_help_successor) == ("stepping_down", True)
    assert ending.afterwards_said_on == TODAY
    assert ending.history.first().history_user == rep_a1
    home = page_text(client.get(reverse("rep_home")))
    assert "Tell us what you would like then" not in home
    assert "You plan to step down, and would be happy to help whoever follows. Change" in home

    staff_home = page_text(sign_in(client, staff_a).get(reverse("staff_home")))
    assert "Plans to step down, and happy to help whoever follows" in staff_home
    detail = page_text(client.get(reverse("reps:staff_term_detail", args=[ending.pk])))
    assert "When it ends, the rep says Plans to step down" in detail


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({}, "Choose what you would like when this term ends."),
        ({"afterwards": "retire-to-spain"}, "That option is not available any more."),
    ],
)
def test_a_wrong_answer_is_explained_and_nothing_is_saved(client, rep_a1, ending, posted, message):
    response = sign_in(client, rep_a1).post(url(ending), posted)
    assert response.status_code == 200
    assert message in page_text(response)
    ending.refresh_from_db()
    assert ending.afterwards == ""


def test_the_answer_can_be_changed_and_starts_from_the_last(client, rep_a1, ending):
    sign_in(client, rep_a1)
    client.post(url(ending), {"afterwards": "not_sure"})
    page = client.get(url(ending)).content.decode()
    [ticked] = re.findall(r'<input[^>]*name="afterwards"[^>]*checked[^>]*>', page)
    assert 'value="not_sure"' in ticked
    client.post(url(ending), {"afterwards": "another"})
    ending.refresh_from_db()
    assert (ending.afterwards, ending.will_help_successor) == ("another", False)


def test_a_term_that_has_ended_takes_no_answer(client, rep_a1, board_a):
    ended = TermFactory(
        rep=rep_a1.rep_profile,
        seat__group__board=board_a,
        start=TODAY - timedelta(days=1200),
        planned_end=TODAY - timedelta(days=100),
    )
    sign_in(client, rep_a1)
    assert "so there is nothing to plan for it" in page_text(client.get(url(ended)))
    client.post(url(ended), {"afterwards": "another"})
    ended.refresh_from_db()
    assert ended.afterwards == ""
    with pytest.raises(Exception, match="nothing to plan"):
        services.term_afterwards_say(term=ended, afterwards="another", will_help=False, by=rep_a1)


def test_a_term_far_from_its_end_is_not_asked_about_but_may_be_answered(client, rep_a1, board_a):
    far = TermFactory(
        rep=rep_a1.rep_profile,
        seat__group__board=board_a,
        start=TODAY - timedelta(days=30),
        planned_end=TODAY + timedelta(days=900),
    )
    sign_in(client, rep_a1)
    home = page_text(client.get(reverse("rep_home")))
    assert "Tell us what you would like then" not in home
    assert "When it ends Tell us what you would like" in home
    assert client.post(url(far), {"afterwards": "another"}).status_code == 302


def test_staff_who_manage_reps_may_record_it_and_nobody_else(ending, staff_a, staff_b, rep_a2):
    services.term_afterwards_say(term=ending, afterwards="another", will_help=True, by=staff_a)
    assert Term.objects.get(pk=ending.pk).history.first().history_user == staff_a
    for outsider in (staff_b, rep_a2):
        with pytest.raises(PermissionDenied):
            services.term_afterwards_say(
                term=ending, afterwards="not_sure", will_help=False, by=outsider
            )


def test_staff_record_what_a_rep_told_them(client, staff_a, ending):
    url = reverse("reps:staff_term_afterwards", args=[ending.pk])
    sign_in(client, staff_a)
    detail = page_text(client.get(reverse("reps:staff_term_detail", args=[ending.pk])))
    assert "Record what the rep would like when the term ends" in detail

    refused = client.post(url, {})
    assert "Choose what the rep would like when this term ends." in page_text(refused)
    response = client.post(url, {"afterwards": "another", "will_help": "on"}, follow=True)

    assert "Would like another term, and happy to help whoever follows" in page_text(response)
    ending.refresh_from_db()
    assert (ending.afterwards, ending.will_help_successor) == ("another", True)
    assert ending.history.first().history_user == staff_a


def test_staff_are_told_a_term_that_ended_takes_no_answer(client, staff_a, rep_a1, board_a):
    ended = TermFactory(
        rep=rep_a1.rep_profile,
        seat__group__board=board_a,
        start=TODAY - timedelta(days=1200),
        planned_end=TODAY - timedelta(days=100),
    )
    url = reverse("reps:staff_term_afterwards", args=[ended.pk])
    sign_in(client, staff_a)
    assert "so there is nothing to plan for it" in page_text(client.get(url))
    client.post(url, {"afterwards": "another"})
    ended.refresh_from_db()
    assert ended.afterwards == ""
