"""The demo, loaded once for every check in this folder, as `make run` loads it.

Loading all 31 boards goes through the portal's own services and takes minutes, so the checks of
the reps', expenses' and self-assessment demos share one load: it is made in a transaction rolled
back when the folder's checks are done, and each test's own transaction is a savepoint inside
it. The folder's files run on one worker (see `pytest_xdist_make_scheduler` in the tests'
root `conftest.py`). The demo is laid out around a fixed day, so the checks read the same story
whatever day they run.
"""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.test import override_settings

from tests.conftest import rolled_back_afterwards

TODAY = date(2026, 11, 25)


def run_seed_demo(**options) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


@pytest.fixture(scope="package")
def demo_loaded(django_db_setup, django_db_blocker):
    """What the command printed when it loaded the demo."""
    with (
        override_settings(DEMO_MODE=True),
        rolled_back_afterwards(django_db_blocker, lambda: run_seed_demo(today=TODAY)) as printed,
    ):
        yield printed


@pytest.fixture(autouse=True)
def printed(demo_loaded, db, settings):
    settings.DEMO_MODE = True
    return demo_loaded
