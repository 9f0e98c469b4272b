"""Every URL × every persona gets the outcome the policy table says, with the security headers."""

from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.access_policy import NAMESPACE_POLICY, PERSONAS, POLICY
from tests.conftest import sign_in


def url_names(patterns=None, namespace=""):
    """Every named URL in the URLconf, with its namespace."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            # An unnamed pattern (the admin has a few) is covered by its namespace's rule.
            assert pattern.name or namespace, f"URL pattern {pattern.pattern} has no name"
            yield f"{namespace}{pattern.name or pattern.pattern}"


def rule_for(name):
    if name in POLICY:
        return POLICY[name]
    namespace = name.split(":")[0] if ":" in name else None
    return NAMESPACE_POLICY.get(namespace)


def test_every_url_has_a_rule():
    missing = sorted(name for name in set(url_names()) if rule_for(name) is None)
    assert not missing, f"URLs with no rule in tests/access_policy.py: {missing}"


def test_no_rule_is_left_over():
    names = set(url_names())
    assert not sorted(set(POLICY) - names)
    for rule in NAMESPACE_POLICY.values():
        assert set(rule.sample) <= names


def cases():
    for name, rule in POLICY.items():
        yield name, rule
    for rule in NAMESPACE_POLICY.values():
        for name in rule.sample:
            yield name, rule


@pytest.mark.parametrize(("name", "rule"), list(cases()), ids=lambda value: str(value)[:40])
def test_access_matrix(client, personas, board_a, board_b, name, rule):
    context = SimpleNamespace(board_a=board_a, board_b=board_b, personas=personas)
    url = reverse(name, kwargs=rule.kwargs(context) if rule.kwargs else None)
    outcomes = {}
    for persona in PERSONAS:
        client.logout()
        user = getattr(personas, persona)
        if user is not None:
            sign_in(client, user)
        response = getattr(client, rule.method)(url)
        outcomes[persona] = response.status_code
        assert_security_headers(response, f"{persona} {url}")
    mismatches = {
        persona: f"got {outcomes[persona]}, expected {rule.expected[persona]}"
        for persona in PERSONAS
        if outcomes[persona] != rule.expected[persona]
    }
    assert not mismatches, f"{name} ({url}): {mismatches}"


def assert_security_headers(response, where):
    csp = response.headers.get("Content-Security-Policy", "")
    assert "default-src 'self'" in csp, where
    assert "frame-ancestors 'none'" in csp, where
    assert response.headers.get("X-Content-Type-Options") == "nosniff", where
    assert response.headers.get("Referrer-Policy") == "same-origin", where
