"""Every URL pattern × every persona, by GET and by POST, gets the outcome the policy table says,
with the security headers; and every model's admin pages are for administrators only.

The matrix walks the URLconf by route, not by name: a second route that reused a name would
otherwise never be requested, so each route must carry a name of its own.
"""

import re
from collections import Counter
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib import admin
from django.shortcuts import resolve_url
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, path, resolve, reverse

from tests.access_policy import ALL_PERSONAS, NAMESPACE_POLICY, POLICY, expected_for
from tests.conftest import sign_in

# What the other method may give someone a page lets in: the page again (a form with errors), a
# redirect after a change, a refusal of a bad request, or "this page takes no such method". Never
# a 403 or 404 the page's own method did not give, and never a server error.
LET_IN = {200, 302, 400, 405}
_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


def routes(patterns=None, prefix="", namespace=""):
    """Every URL pattern outside the admin, as (route, name)."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"URL pattern {prefix}{pattern.pattern} has no name"
            yield prefix + str(pattern.pattern), f"{namespace}{pattern.name}"


ROUTES = dict((name, route) for route, name in routes())


def route_url(route: str, kwargs: dict | None) -> str:
    """The route with its arguments filled in, built from the route itself rather than by name."""
    kwargs = kwargs or {}
    return "/" + _CONVERTER.sub(lambda match: str(kwargs[match.group(1)]), route)


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


def _as(client, personas, persona):
    client.logout()
    user = getattr(personas, persona)
    if user is not None:
        sign_in(client, user)


@pytest.mark.parametrize("name", sorted(ROUTES), ids=lambda name: ROUTES[name])
def test_access_matrix(client, personas, board_a, board_b, name):
    rule = POLICY[name]
    context = SimpleNamespace(board_a=board_a, board_b=board_b, personas=personas)
    other = "post" if rule.method == "get" else "get"
    mismatches = {}
    for persona in ALL_PERSONAS:
        expected = expected_for(rule.expected, persona)
        for verb in (rule.method, other):
            # Fresh objects for each request: a POST that was let in may have changed them.
            url = route_url(ROUTES[name], rule.kwargs(context) if rule.kwargs else None)
            assert resolve(url).route == ROUTES[name]
            _as(client, personas, persona)
            response = getattr(client, verb)(url)
            assert_security_headers(response, f"{persona} {verb} {url}")
            if verb == "get" and response.status_code == 200:
                assert_no_token_in_get_forms(response, f"{persona} {url}")
            if verb == rule.method:
                allowed = {expected}
            elif verb == "post" and persona in rule.post:
                allowed = {rule.post[persona]}
            elif persona != "anonymous" and expected in (200, 302, 405):
                allowed = LET_IN
            else:
                # Turned away one way: the same the other way, or "not that method" first.
                allowed = {expected, 405}
            if response.status_code not in allowed:
                mismatches[persona, verb] = (
                    f"got {response.status_code}, expected one of {sorted(allowed)}"
                )
    assert not mismatches, f"{name} ({ROUTES[name]}): {mismatches}"


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
            _as(client, personas, persona)
            response = client.get(reverse(name))
            assert response.status_code == expected_for(rule.expected, persona), (name, persona)


def test_every_models_admin_pages_are_for_administrators_only(client, personas):
    urls = list(admin_urls())
    assert len(urls) >= 5 * 20
    signs_in = (reverse("admin:login"), resolve_url(settings.LOGIN_URL))
    for persona in ALL_PERSONAS:
        _as(client, personas, persona)
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


class _GetForms(HTMLParser):
    """Counts anti-forgery tokens inside forms sent with GET."""

    def __init__(self):
        super().__init__()
        self.in_get_form = False
        self.tokens = 0

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "form":
            self.in_get_form = (values.get("method") or "get").lower() == "get"
        elif tag == "input" and self.in_get_form and values.get("name") == "csrfmiddlewaretoken":
            self.tokens += 1

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_get_form = False


def assert_no_token_in_get_forms(response, where):
    """A form sent with GET puts its fields in the address, where a token would leak into the
    browser's history, bookmarks and shared links."""
    if not response.get("Content-Type", "").startswith("text/html"):
        return
    parser = _GetForms()
    parser.feed(response.content.decode())
    assert parser.tokens == 0, f"{where}: a form sent with GET carries the anti-forgery token"


def assert_security_headers(response, where):
    csp = response.headers.get("Content-Security-Policy", "")
    assert "default-src 'self'" in csp, where
    assert "frame-ancestors 'none'" in csp, where
    assert response.headers.get("X-Content-Type-Options") == "nosniff", where
    assert response.headers.get("Referrer-Policy") == "same-origin", where
