"""A rep account staff have not linked to a rep record yet: every page of a rep's own says so."""

import pytest
from django.urls import reverse

from tests.conftest import sign_in
from tests.factories import UserFactory

OWN_PAGES = [
    ("rep_home", {}),
    ("reps:my_details", {}),
    ("reps:my_contact_edit", {}),
    ("reps:my_needs_edit", {}),
    ("reps:my_preferences_edit", {}),
    ("reps:my_payment_edit", {}),
    ("reps:my_journey_add", {}),
    ("reps:my_journey_remove", {"pk": 1}),
    ("reps:my_terms", {}),
    ("reps:my_meetings", {}),
    ("reps:my_training", {}),
    ("reps:my_equality", {}),
    ("reps:my_equality_withdraw", {}),
]


@pytest.fixture
def unlinked(client, db):
    user = UserFactory()
    sign_in(client, user)
    return user


@pytest.mark.parametrize(("name", "kwargs"), OWN_PAGES)
def test_every_own_page_tells_an_unlinked_rep_that_staff_have_not_linked_them_yet(
    client, unlinked, name, kwargs
):
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    assert "reps/own/not_linked.html" in [t.name for t in response.templates]
    assert "base.html" in [t.name for t in response.templates]
    page = response.content.decode()
    assert "Staff have not linked your account to your rep record yet" in page
    assert "who invited you" in page


@pytest.mark.parametrize(("name", "kwargs"), OWN_PAGES)
def test_a_post_from_an_unlinked_rep_changes_nothing_and_shows_the_same_page(
    client, unlinked, name, kwargs
):
    response = client.post(reverse(name, kwargs=kwargs), {})
    assert response.status_code == 200
    assert "reps/own/not_linked.html" in [t.name for t in response.templates]


@pytest.mark.parametrize(("name", "kwargs"), OWN_PAGES)
def test_staff_linked_to_a_rep_record_still_get_403_on_a_reps_own_pages(
    client, staff_rep_a, name, kwargs
):
    sign_in(client, staff_rep_a)
    assert client.get(reverse(name, kwargs=kwargs)).status_code == 403
