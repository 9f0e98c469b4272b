"""Who a failed sign-in is counted against, and where it came from, for django-axes.

Both answers must be ones an attacker cannot vary at will: a count that a new spelling or a new
header resets is no limit at all.
"""

import ipaddress

from django.conf import settings

from portal.core.models import User


def attempted_email(request, credentials=None):
    """The email address an attempt is counted against, spelt as the account stores it.

    Sign-in matches an address in any case. Counting "Alice@Example.org" apart from
    "alice@example.org" would give a password-guessing attacker a fresh allowance of failures for
    every mix of capitals, so the lock-out would never come.
    """
    data = credentials if credentials else getattr(request, "data", request.POST)
    typed = data.get(settings.AXES_USERNAME_FORM_FIELD)
    return User.objects.normalize_email(typed) if typed else typed


def _parse(text):
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    # A dual-stack server reports an IPv4 peer as ::ffff:a.b.c.d; compare it as IPv4.
    return getattr(address, "ipv4_mapped", None) or address


def _trusted(address):
    return any(address in network for network in settings.TRUSTED_PROXIES)


def client_ip_address(request):
    """The address of the person signing in, even behind the portal's own load balancer.

    X-Forwarded-For is believed only when the request came from a proxy in TRUSTED_PROXIES, and
    then only as far as those proxies wrote it: each appends the address it was reached from, so
    reading from the right, the first address that is not one of them is the client. Everything
    to its left is whatever the client sent. Believing that would let an attacker escape the count
    by sending a new address with every guess, or lock someone out by sending theirs.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    client = _parse(remote)
    if client is None or not _trusted(client):
        return remote or None
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _parse(hop)
        if address is None:
            # Not an address one of our proxies would write: stop at the last hop we trust.
            break
        client = address
        if not _trusted(address):
            break
    return str(client)
