"""What a failed sign-in is counted against: one spelling of the email, the real client address."""

from ipaddress import ip_network

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from portal.core.models import User
from portal.settings import env_networks
from portal.throttling import attempted_email, client_ip_address

PROXIES = [ip_network("10.0.0.0/24"), ip_network("2001:db8::1")]


def request_from(remote, forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/account/sign-in/", **headers)


@pytest.mark.parametrize(
    ("remote", "forwarded", "counted"),
    [
        # Not from a proxy of ours: whatever the header says, the peer is the client.
        ("203.0.113.5", "198.51.100.1", "203.0.113.5"),
        ("203.0.113.5", "10.0.0.7", "203.0.113.5"),
        # From our proxy: the address it appended, never what the client put before it.
        ("10.0.0.7", "203.0.113.5", "203.0.113.5"),
        ("10.0.0.7", "198.51.100.1, 203.0.113.5", "203.0.113.5"),
        ("10.0.0.7", " 198.51.100.1 ,203.0.113.5 ", "203.0.113.5"),
        # Through two of ours: the first address from the right that is not ours.
        ("10.0.0.7", "198.51.100.1, 203.0.113.5, 10.0.0.8", "203.0.113.5"),
        # Only our own hops: the furthest of them.
        ("10.0.0.7", "10.0.0.9, 10.0.0.8", "10.0.0.9"),
        # No header, or a hop no proxy of ours would write: the last hop we trust.
        ("10.0.0.7", None, "10.0.0.7"),
        ("10.0.0.7", "", "10.0.0.7"),
        ("10.0.0.7", "203.0.113.5, not-an-address", "10.0.0.7"),
        ("10.0.0.7", "203.0.113.5, not-an-address, 10.0.0.8", "10.0.0.8"),
        # A dual-stack server reports an IPv4 proxy in IPv6 form.
        ("::ffff:10.0.0.7", "203.0.113.5", "203.0.113.5"),
        ("2001:db8::1", "2001:db8::42", "2001:db8::42"),
        ("2001:db8::2", "2001:db8::42", "2001:db8::2"),
    ],
)
def test_the_counted_address_is_the_client_as_our_proxies_saw_it(
    settings, remote, forwarded, counted
):
    settings.TRUSTED_PROXIES = PROXIES
    assert client_ip_address(request_from(remote, forwarded)) == counted


def test_with_no_trusted_proxies_the_header_is_never_believed(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip_address(request_from("10.0.0.7", "203.0.113.5")) == "10.0.0.7"


@pytest.mark.parametrize(
    ("value", "networks"),
    [
        ("", []),
        ("10.0.0.7", [ip_network("10.0.0.7/32")]),
        (" 10.0.0.0/24 , 2001:db8::/64 ", [ip_network("10.0.0.0/24"), ip_network("2001:db8::/64")]),
    ],
)
def test_trusted_proxies_are_read_from_the_environment(monkeypatch, value, networks):
    monkeypatch.setenv("TRUSTED_PROXIES", value)
    assert env_networks("TRUSTED_PROXIES") == networks


@pytest.mark.parametrize("value", ["10.0.0.300", "load-balancer.internal", "10.0.0.7/24"])
def test_a_mistyped_trusted_proxy_stops_the_portal_starting(monkeypatch, value):
    monkeypatch.setenv("TRUSTED_PROXIES", value)
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXIES"):
        env_networks("TRUSTED_PROXIES")


@pytest.mark.parametrize(
    "typed", ["alice@example.org", "Alice@Example.org", "ALICE@EXAMPLE.ORG", " alice@example.ORG "]
)
def test_every_spelling_of_an_email_is_counted_as_the_account_stores_it(typed):
    request = request_from("203.0.113.5")
    assert attempted_email(request, {"username": typed, "password": "x"}) == "alice@example.org"
    assert User.objects.normalize_email(typed) == "alice@example.org"


def test_without_credentials_the_email_typed_in_the_form_is_counted():
    request = RequestFactory().post("/account/sign-in/", {"username": "Alice@Example.org"})
    assert attempted_email(request) == "alice@example.org"
    assert attempted_email(RequestFactory().post("/account/sign-in/", {})) is None


def test_accounts_are_stored_under_the_same_spelling(db):
    user = User.objects.create_user(" Alice@Example.ORG ", "a long enough password")
    assert user.email == "alice@example.org"
