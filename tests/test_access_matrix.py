"""Every URL pattern × every persona, by GET and by POST, gets the outcome the policy table says,
with the security headers; and every model's admin pages are for administrators only.

The staff pages' routes are checked in `tests/test_access_matrix_staff.py`, so that the two halves
of the matrix run side by side; the check itself is in `tests/access_matrix.py`.
"""

from collections import Counter

import pytest
from django.conf import settings
from django.contrib import admin
from django.shortcuts import resolve_url
from django.test import override_settings
from django.urls import path, reverse

from tests.access_matrix import (
    ROUTES,
    as_persona,
    assert_security_headers,
    check_route,
    is_staff,
    route_url,
    routes,
)
from tests.access_policy import ALL_PERSONAS, NAMESPACE_POLICY, POLICY, expected_for


def test_every_route_has_a_name_of_its_own():
    names = Counter(name for _, name in routes())
    assert not [name for name, count in names.items() if count > 1]


def _a_page(request):
    raise AssertionError("never requested")


urlpatterns = [
    path("first/", _a_page, name="same"),
    path("second/<int:pk>/", _a_page, name="same"),
]


@override_settings(ROOT_URLCONF=__name__)
def test_a_second_route_reusing_a_name_is_seen():
    assert sorted(routes()) == [("first/", "same"), ("second/<int:pk>/", "same")]
    assert route_url("second/<int:pk>/", {"pk": 7}) == "/second/7/"


def test_every_route_has_a_rule():
    missing = sorted(route for route, name in routes() if name not in POLICY)
    assert not missing, f"Routes with no rule in tests/access_policy.py: {missing}"


def test_no_rule_is_left_over():
    assert not sorted(set(POLICY) - set(ROUTES))


@pytest.mark.parametrize(
    "name", sorted(name for name in ROUTES if not is_staff(name)), ids=lambda name: ROUTES[name]
)
def test_access_matrix(client, personas, board_a, board_b, name):
    check_route(client, personas, board_a, board_b, name)


# The Django admin: every URL of every model's admin, for administrators only.


def admin_urls():
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        yield reverse("admin:{}_{}_changelist".format(*info))
        yield reverse("admin:{}_{}_add".format(*info))
        # An id that matches nothing: the pages still answer, and still only to administrators.
        for view in ("change", "delete", "history"):
            yield reverse(f"admin:{info[0]}_{info[1]}_{view}", args=[987654])


def test_the_admins_sample_pages_follow_their_rule(client, personas):
    rule = NAMESPACE_POLICY["admin"]
    for name in rule.sample:
        for persona in ALL_PERSONAS:
            as_persona(client, personas, persona)
            response = client.get(reverse(name))
            assert response.status_code == expected_for(rule.expected, persona), (name, persona)


def test_every_models_admin_pages_are_for_administrators_only(client, personas):
    urls = list(admin_urls())
    assert len(urls) >= 5 * 20
    signs_in = (reverse("admin:login"), resolve_url(settings.LOGIN_URL))
    for persona in ALL_PERSONAS:
        as_persona(client, personas, persona)
        for url in urls:
            for verb in ("get", "post"):
                response = getattr(client, verb)(url)
                if persona == "administrator":
                    # The page, a form refused, or no such object (back to the index, or 404).
                    assert response.status_code in (200, 302, 403, 404), (verb, url)
                    continue
                assert response.status_code == 302, (persona, verb, url)
                assert response.headers["Location"].startswith(signs_in), url
            assert_security_headers(response, f"{persona} {url}")
