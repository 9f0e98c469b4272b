"""Every change to a summary job or summary file: one function each, keyword-only.

A request (`summaries_request`) checks `by` through `reports.access`, as every service of the
portal does. The rest are the background work's own steps, called by `reports.tasks` with the
ids the task carries; they act for nobody, so they take no `by`.

Each step locks the file's row (`select_for_update`), checks it is still the step's to take
(another run may have moved it on while this one waited), saves, then locks and recounts every
unfinished job that holds the file. Locks are always taken file first, then jobs, so two tasks
finishing files of one job wait for each other rather than deadlock.

Stuck work: the database worker marks a task running when it starts it, and if the worker dies
(killed, out of memory, the machine restarted) nothing ever marks it otherwise. So a file still
"being made" `REPORT_FILE_STUCK_MINUTES` after it started is taken to have lost its worker
(`recover_stuck`): it is queued again, up to `REPORT_FILE_ATTEMPTS` attempts in all, then
marked failed, and its jobs finish. A file still waiting that long is queued again the same way
(its task may never have reached the queue), so a job cannot wait for ever either.

This runs whenever someone opens a job's page (so the person waiting sees it recover), whenever
a summary task starts (so a restarted worker clears what its predecessor left), and from
`manage.py recover_stuck_summaries`, for a scheduler to run every few minutes so nothing waits
for a visitor.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from portal.core.models import Board, User
from reports import access
from reports.models import (
    FINISHED_FILE_STATES,
    FileState,
    JobState,
    SummaryFile,
    SummaryJob,
    summary_file_path,
)
from reports.summaries import summary_years

__all__ = [
    "file_fail",
    "file_finish",
    "file_start",
    "recover_stuck",
    "summaries_request",
]

STUCK_ERROR = (
    "The work stopped before the file was made, {attempts} times. Try again; if it stops again, "
    "tell the team who run the portal."
)


def summaries_request(
    *, by: User, financial_year: int, board: Board | None = None, enqueue: bool = True
) -> SummaryJob:
    """Ask for `board`'s summary for `financial_year`, or every board's when `board` is None.

    A file already waiting or being made joins the job as it is; any other is queued again and,
    when made, replaces the file it had. `enqueue=False` leaves the tasks to the caller (the demo
    makes its one file there and then).
    """
    if board is None:
        if not access.may_generate_every_board(by):
            raise PermissionDenied
        boards = list(Board.objects.order_by("name"))
    else:
        if not access.summary_boards(by).filter(pk=board.pk).exists():
            raise PermissionDenied
        boards = [board]
    if financial_year not in summary_years():
        raise ValidationError("There is no summary for that year.")
    now = timezone.now()
    with transaction.atomic():
        SummaryFile.objects.bulk_create(
            [SummaryFile(board=b, financial_year=financial_year) for b in boards],
            ignore_conflicts=True,
        )
        files = list(
            SummaryFile.objects.select_for_update()
            .filter(board__in=boards, financial_year=financial_year)
            .order_by("pk")
        )
        to_queue = [f for f in files if f.state in FINISHED_FILE_STATES or f.run == 0]
        for file in to_queue:
            file.state = FileState.QUEUED
            file.run += 1
            file.attempts = 0
            file.queued_at = now
            file.started_at = file.finished_at = None
            file.error = ""
        SummaryFile.objects.bulk_update(
            to_queue,
            ["state", "run", "attempts", "queued_at", "started_at", "finished_at", "error"],
        )
        job = SummaryJob.objects.create(
            kind=SummaryJob.Kind.ONE_BOARD if board else SummaryJob.Kind.EVERY_BOARD,
            board=board,
            financial_year=financial_year,
            requested_by=by,
            total=len(files),
            created_at=now,
        )
        job.files.set(files)
        if any(f.state == FileState.RUNNING for f in files):
            job.state, job.started_at = JobState.RUNNING, now
            job.save(update_fields=["state", "started_at"])
        if enqueue:
            _enqueue_on_commit(to_queue)
    return job


def file_start(*, file_id: int, run: int) -> SummaryFile | None:
    """Mark the file being made by this run; None when the run is no longer the file's."""
    with transaction.atomic():
        file = _locked(file_id)
        if file is None or file.run != run or file.state != FileState.QUEUED:
            return None
        now = timezone.now()
        file.state = FileState.RUNNING
        file.attempts += 1
        file.started_at = now
        file.save(update_fields=["state", "attempts", "started_at"])
        for job in _unfinished_jobs(file).filter(state=JobState.QUEUED):
            job.state, job.started_at = JobState.RUNNING, now
            job.save(update_fields=["state", "started_at"])
    return file


def file_finish(*, file_id: int, run: int, content: bytes) -> bool:
    """Keep the PDF this run made, replacing the file's earlier one. False when the run is no
    longer the file's (it was taken for stuck and queued again): what it made is thrown away."""
    # Written before the lock, so the row is not held while storage works; deleted again if the
    # run turns out to be stale or the change does not commit.
    file = SummaryFile.objects.filter(pk=file_id).first()
    if file is None:
        return False
    name = default_storage.save(summary_file_path(file, ""), ContentFile(content))
    kept = False
    try:
        with transaction.atomic():
            file = _locked(file_id)
            if file is None or file.run != run or file.state != FileState.RUNNING:
                return False
            old = file.file.name
            file.file.name = name
            file.file_size = len(content)
            file.state = FileState.DONE
            file.finished_at = timezone.now()
            file.error = ""
            file.save(update_fields=["file", "file_size", "state", "finished_at", "error"])
            _recount(file)
            if old and old != name:
                transaction.on_commit(partial(default_storage.delete, old), robust=True)
            kept = True
    finally:
        if not kept:
            default_storage.delete(name)
    return True


def file_fail(*, file_id: int, run: int, error: str) -> bool:
    """Mark the file failed with `error`, plain words with no personal data."""
    with transaction.atomic():
        file = _locked(file_id)
        if file is None or file.run != run or file.state != FileState.RUNNING:
            return False
        _fail(file, error)
    return True


def recover_stuck(*, job: SummaryJob | None = None, now: datetime | None = None) -> int:
    """Queue again, or fail after the last attempt, every file (of `job`, or any) still being
    made, or still waiting for a worker, past the time limit. Returns how many files it moved.

    A file still waiting is queued again too: its task may never have reached the queue (the
    database was unavailable when the request committed), and a second task for it is harmless,
    as only the file's latest run counts.
    """
    now = now or timezone.now()
    limit = now - timedelta(minutes=settings.REPORT_FILE_STUCK_MINUTES)
    stuck = SummaryFile.objects.filter(
        Q(state=FileState.RUNNING, started_at__lt=limit)
        | Q(state=FileState.QUEUED, queued_at__lt=limit)
    )
    if job is not None:
        stuck = stuck.filter(jobs=job)
    moved = 0
    for file_id in list(stuck.values_list("pk", flat=True)):
        with transaction.atomic():
            file = _locked(file_id)
            if file is None or not _is_stuck(file, limit):
                continue
            if file.state == FileState.QUEUED:
                # Never started, so it has not counted as an attempt yet.
                file.attempts += 1
            if file.attempts >= settings.REPORT_FILE_ATTEMPTS:
                _fail(file, STUCK_ERROR.format(attempts=file.attempts))
            else:
                file.state = FileState.QUEUED
                file.run += 1
                file.queued_at = now
                file.started_at = None
                file.save(update_fields=["state", "run", "attempts", "queued_at", "started_at"])
                _enqueue_on_commit([file])
            moved += 1
    return moved


def _is_stuck(file: SummaryFile, limit: datetime) -> bool:
    if file.state == FileState.RUNNING:
        return file.started_at is not None and file.started_at < limit
    if file.state == FileState.QUEUED:
        return file.queued_at is not None and file.queued_at < limit
    return False


def _locked(file_id: int) -> SummaryFile | None:
    return SummaryFile.objects.select_for_update().filter(pk=file_id).first()


def _fail(file: SummaryFile, error: str) -> None:
    file.state = FileState.FAILED
    file.finished_at = timezone.now()
    file.error = error[:300]
    file.save(update_fields=["state", "finished_at", "error"])
    _recount(file)


def _unfinished_jobs(file: SummaryFile) -> QuerySet[SummaryJob]:
    return (
        SummaryJob.objects.select_for_update()
        .filter(files=file)
        .exclude(state=JobState.FINISHED)
        .order_by("pk")
    )


def _recount(file: SummaryFile) -> None:
    """Count again the files of every unfinished job that holds `file`, and finish the jobs
    whose files are all done or failed. A recount rather than adding one, so a step that runs
    twice cannot count twice."""
    now = timezone.now()
    for job in _unfinished_jobs(file):
        counts = job.files.aggregate(
            done=Count("pk", filter=Q(state=FileState.DONE)),
            failed=Count("pk", filter=Q(state=FileState.FAILED)),
        )
        job.done, job.failed = counts["done"], counts["failed"]
        job.started_at = job.started_at or now
        if job.done + job.failed >= job.total:
            job.state, job.finished_at = JobState.FINISHED, now
        else:
            job.state = JobState.RUNNING
        job.save(update_fields=["done", "failed", "started_at", "state", "finished_at"])


def _enqueue_on_commit(files: Iterable[SummaryFile]) -> None:
    # Imported here: the tasks call these services, and the task carries only the file's id and
    # run, so the queue never holds a name.
    from reports.tasks import make_summary_file

    for file in files:
        transaction.on_commit(partial(make_summary_file.enqueue, file.pk, file.run), robust=True)
