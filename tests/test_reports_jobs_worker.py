"""A real `db_worker` process killed with SIGKILL while it makes a summary PDF: the file is left
"being made", as the database worker leaves any task whose process died, and once the time limit
has passed the portal queues it again and a new worker finishes the job.

The worker is a second process, so it needs a database it can reach: PostgreSQL, as CI runs the
suite (`REQUIRE_DATABASE=postgresql`). The SQLite test database lives in this process's memory,
where no worker can reach it, so there the test is skipped with that reason.
"""

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from portal.core.periods import financial_year_of
from reports import services
from reports.models import FileState, JobState, SummaryFile
from standards import loading

ROOT = Path(__file__).resolve().parent.parent
YEAR = financial_year_of(timezone.localdate()) - 1

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="a worker process cannot reach the in-memory SQLite test database",
    ),
]


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "localhost"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{db['USER']}{password}@{host}{port}/{db['NAME']}"


@contextmanager
def db_worker(storage: Path):
    """A `db_worker` on the test database, with the real task backend, writing to `storage`."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": _database_url(),
        "SECRET_KEY": "worker-test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        # Static files as in development: the image collects them (with their manifest) when
        # it is built, which a checkout has not done.
        "DEBUG": "1",
        "PRIVATE_MEDIA_ROOT": str(storage),
    }
    env.pop("TASKS_BACKEND", None)
    process = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
        + ["--interval", "0.1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)


def wait_for(condition, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.01)
    raise AssertionError(f"still waiting after {seconds} seconds")


def _state(file: SummaryFile) -> str:
    return SummaryFile.objects.values_list("state", flat=True).get(pk=file.pk)


@override_settings(
    TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}},
    REPORT_FILE_STUCK_MINUTES=10,
)
def test_a_worker_killed_mid_job_leaves_work_that_is_noticed_and_finished(
    staff_a, board_a, tmp_path
):
    from django_tasks_db.models import DBTaskResult

    # The summary reads the framework, which an earlier test's emptied database may have lost.
    call_command("load_framework", str(loading.FIRST_EDITION))

    with db_worker(tmp_path) as worker:
        job = services.summaries_request(by=staff_a, board=board_a, financial_year=YEAR)
        file = job.files.get()
        wait_for(lambda: _state(file) == FileState.RUNNING, 60)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)

    # Nothing will ever move it on by itself: the worker's task stays "running" too.
    time.sleep(0.5)
    assert _state(file) == FileState.RUNNING
    assert DBTaskResult.objects.get().status == "RUNNING"
    assert services.recover_stuck() == 0, "within the time limit it is left alone"

    # The time limit passes (the clock is moved rather than waited for).
    SummaryFile.objects.filter(pk=file.pk).update(started_at=timezone.now() - timedelta(minutes=11))
    with db_worker(tmp_path):
        assert services.recover_stuck() == 1
        wait_for(lambda: _state(file) in (FileState.DONE, FileState.FAILED), 120)

    file.refresh_from_db()
    job.refresh_from_db()
    assert (file.state, file.attempts, file.run) == (FileState.DONE, 2, 2), file.error
    assert (job.state, job.done, job.total) == (JobState.FINISHED, 1, 1)
    assert (tmp_path / file.file.name).read_bytes().startswith(b"%PDF-")
