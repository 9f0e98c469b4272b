"""Annual summary PDFs made in the background, and the jobs that asked for them.

One `SummaryFile` per board and financial year, kept in private storage: making it again replaces
its file, so there is never a second copy of a board's summary for a year. A `SummaryJob` is one
request, by a staff member for their board's summary or by a national viewer or administrator for
every board's, and counts how many of its files are done. Both are changed only through
`reports.services`, which locks their rows.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from portal.core.models import Board
from portal.core.periods import financial_year_label


class FileState(models.TextChoices):
    QUEUED = "queued", "Waiting"
    RUNNING = "running", "Being made"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


FINISHED_FILE_STATES = (FileState.DONE, FileState.FAILED)


def summary_file_path(instance: "SummaryFile", filename: str) -> str:
    """A random stored name: the board's name goes in the download's name, not the storage's."""
    return f"summaries/{instance.financial_year}/{uuid.uuid4().hex}.pdf"


class SummaryFile(models.Model):
    """A board's annual summary for a financial year as a PDF, made by a background task.

    `run` counts the times the file was queued: each task carries the run it was queued for, so
    a task from an earlier run that wakes up late (its worker was only slow, not dead) changes
    nothing. `attempts` counts the starts of the current request, for the limit on retrying work
    whose worker died.
    """

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="summary_files")
    financial_year = models.PositiveSmallIntegerField(
        help_text="The year's start: 2025 for 2025/26."
    )
    state = models.CharField(max_length=10, choices=FileState.choices, default=FileState.QUEUED)
    file = models.FileField(upload_to=summary_file_path, max_length=200, blank=True)
    file_size = models.PositiveIntegerField("size in bytes", default=0)
    run = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    queued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Plain words for the person who asked: never a name, never an exception's text.
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["board__name", "financial_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["board", "financial_year"], name="summary_file_one_per_board_and_year"
            ),
            models.CheckConstraint(
                condition=Q(state__in=FileState.values), name="summary_file_state_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.board} {self.financial_year}: {self.get_state_display()}"


class JobState(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "In progress"
    FINISHED = "finished", "Finished"


class SummaryJob(models.Model):
    """One request to make summaries: one board's for a year, or every board's for a year."""

    class Kind(models.TextChoices):
        ONE_BOARD = "board", "One board"
        EVERY_BOARD = "every", "Every board"

    kind = models.CharField(max_length=5, choices=Kind.choices)
    financial_year = models.PositiveSmallIntegerField(
        help_text="The year's start: 2025 for 2025/26."
    )
    # The one board of a single-board job: who may see the job follows from it.
    board = models.ForeignKey(
        Board, on_delete=models.CASCADE, null=True, blank=True, related_name="summary_jobs"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    files = models.ManyToManyField(SummaryFile, related_name="jobs")
    state = models.CharField(max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    total = models.PositiveSmallIntegerField(default=0)
    done = models.PositiveSmallIntegerField(default=0)
    failed = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=JobState.values), name="summary_job_state_known"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="board", board__isnull=False) | Q(kind="every", board__isnull=True)
                ),
                name="summary_job_board_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(done__lte=F("total") - F("failed")), name="summary_job_counts_add_up"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.financial_year}: {self.done} of {self.total} done"

    @property
    def year_label(self) -> str:
        return financial_year_label(self.financial_year)

    @property
    def finished(self) -> bool:
        return self.state == JobState.FINISHED

    @property
    def percent(self) -> int:
        return round(100 * (self.done + self.failed) / self.total) if self.total else 100
