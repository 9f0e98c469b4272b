"""Links that work outside the portal: in emails, written where there is no request to ask.

Every email link starts with `settings.SITE_URL`, the address people reach the portal at, never
with a request's Host header: a forged Host would otherwise put an attacker's address in front of
a password reset link (host header poisoning).
"""

from django.conf import settings


def absolute_url(path: str) -> str:
    """`/my/claims/7/` as `https://reps.example.scot/my/claims/7/`."""
    if not path.startswith("/") or path.startswith("//"):
        # "//elsewhere.example" would be read as another site's address.
        raise ValueError(f"{path!r} is not a path within the portal.")
    return f"{settings.SITE_URL}{path}"
