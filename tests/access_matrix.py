"""The access matrix's machinery: the URLconf walked by route, and the check of one route for every
persona (`tests/test_access_matrix.py`, `tests/test_access_matrix_staff.py`).

The matrix walks the URLconf by route, not by name: a second route that reused a name would
otherwise never be requested, so each route must carry a name of its own.
"""

import re
from types import SimpleNamespace

from django.urls import URLPattern, URLResolver, get_resolver, resolve

from tests.access_policy import ALL_PERSONAS, POLICY, expected_for
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


def is_staff(name: str) -> bool:
    """Whether the route is one of the staff pages, under /staff/."""
    return ROUTES[name].startswith("staff/")


def route_url(route: str, kwargs: dict | None) -> str:
    """The route with its arguments filled in, built from the route itself rather than by name."""
    kwargs = kwargs or {}
    return "/" + _CONVERTER.sub(lambda match: str(kwargs[match.group(1)]), route)


def as_persona(client, personas, persona):
    client.logout()
    user = getattr(personas, persona)
    if user is not None:
        sign_in(client, user)


def check_route(client, personas, board_a, board_b, name):
    """Every persona, by the route's own method and the other one, gets what its rule says."""
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
            as_persona(client, personas, persona)
            response = getattr(client, verb)(url)
            assert_security_headers(response, f"{persona} {verb} {url}")
            if verb == "get" and response.status_code == 200:
                assert_no_token_in_get_forms(response, f"{persona} {url}")
            if response.status_code == 405:
                assert_405_explained(response, f"{persona} {verb} {url}")
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


# A form's opening tag, what it holds and its closing tag; forms do not nest.
FORM = re.compile(rb"<form\b([^>]*)>(.*?)</form>", re.DOTALL | re.IGNORECASE)
POST_METHOD = re.compile(rb"""method=["']?post""", re.IGNORECASE)


def assert_no_token_in_get_forms(response, where):
    """A form sent with GET puts its fields in the address, where a token would leak into the
    browser's history, bookmarks and shared links."""
    if not response.get("Content-Type", "").startswith("text/html"):
        return
    for attributes, inside in FORM.findall(response.content):
        if not POST_METHOD.search(attributes):
            assert b"csrfmiddlewaretoken" not in inside, (
                f"{where}: a form sent with GET carries the anti-forgery token"
            )


def assert_405_explained(response, where):
    """Opening a form's address from a link says why nothing happened, and what to do."""
    assert response.has_header("Allow"), where
    assert b"cannot be opened from a link" in response.content, where
    assert b"Go back to the page you were on" in response.content, where


def assert_security_headers(response, where):
    csp = response.headers.get("Content-Security-Policy", "")
    assert "default-src 'self'" in csp, where
    assert "frame-ancestors 'none'" in csp, where
    assert response.headers.get("X-Content-Type-Options") == "nosniff", where
    assert response.headers.get("Referrer-Policy") == "same-origin", where
