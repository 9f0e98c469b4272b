"""The portal's addresses as the bench serves them, with one more: `/bench/fixed/`.

It answers a fixed page, the saved copy of the national comparison, through everything a
signed-in page goes through (the session, who is signed in, the second factor, the security
headers and every other middleware) and nothing else: no query of its own, no template. Measured
against the same bytes as a static file, it is the most any signed-in page can reach
(`scripts/bench.py`). Loaded only by `scripts/bench_settings.py`, never by the portal.
"""

from functools import cache
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns

# The same address as `FIXED_ANSWER` in scripts/bench.py, which does not import Django.
FIXED = "/bench/fixed/"


@cache
def _saved_comparison() -> bytes:
    return (Path(settings.STATIC_ROOT) / "bench" / "comparison.html").read_bytes()


def fixed(request):
    return HttpResponse(_saved_comparison())


urlpatterns = [*portal_urlpatterns, path(FIXED.strip("/") + "/", fixed)]
