"""The portal's settings, with the bench's addresses (`scripts/bench_urls.py`)."""

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
