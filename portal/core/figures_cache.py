"""Figures a page works out for everyone alike (the national comparison, an annual summary),
kept in the default cache so that the next request only sends them.

The caller puts in the key whatever must show at once when it changes (what was published);
what else the figures read (seats, meetings, spend) may be `settings.FIGURES_CACHE_SECONDS` old,
and the pages say when their figures were worked out. The key also holds the day: figures for a
year still running are counted up to today. Nothing personal is ever kept this way.
"""

from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone


def kept[T](key: str, work: Callable[[], T]) -> T:
    """What `work()` returns, from the cache where it is kept under `key` for today."""
    key = f"{key}:{timezone.localdate().isoformat()}"
    found: T | None = cache.get(key)
    if found is None:
        found = work()
        cache.set(key, found, settings.FIGURES_CACHE_SECONDS)
    return found
