"""What the pages about background summary jobs read: one function per read, scoped through
`reports.access`, each a fixed number of queries however many boards and jobs there are."""

from django.db.models import QuerySet
from django.urls import reverse

from portal.core.models import Board, User
from portal.core.periods import financial_year_label
from reports import access, documents
from reports.models import FileState, SummaryFile, SummaryJob

RECENT_JOBS = 5


def job_files(job: SummaryJob) -> QuerySet[SummaryFile]:
    """The job's files by board name, with their boards."""
    return job.files.select_related("board").order_by("board__name")


def recent_jobs(user: User) -> list[SummaryJob]:
    """The latest jobs `user` may follow, newest first."""
    return list(access.summary_jobs(user).select_related("board")[:RECENT_JOBS])


def made_file(user: User, board: Board, financial_year: int) -> SummaryFile | None:
    """The board's summary PDF for the year made in the background, if there is one."""
    return access.summary_files(user).filter(board=board, financial_year=financial_year).first()


def job_title(job: SummaryJob) -> str:
    year = financial_year_label(job.financial_year)
    if job.board is not None:
        return f"Summary PDF of {job.board.name}, {year}"
    return f"Every board's summary PDFs, {year}"


def job_status(job: SummaryJob, files: list[SummaryFile]) -> dict[str, object]:
    """The job as the page's script reads it: counts, and each file's state and link."""
    return {
        "state": job.state,
        "finished": job.finished,
        "total": job.total,
        "done": job.done,
        "failed": job.failed,
        "percent": job.percent,
        "text": progress_text(job),
        "state_label": job.get_state_display(),
        "files": [
            {
                "board": file.board.name,
                "state": file.state,
                "label": file.get_state_display(),
                "error": file.error,
                "url": reverse("reports:summary_file", args=[file.pk])
                if file.state == FileState.DONE
                else None,
            }
            for file in files
        ],
    }


def progress_text(job: SummaryJob) -> str:
    text = f"{job.done} of {job.total} done"
    if job.failed:
        text += f", {job.failed} failed"
    return text


def download_name(file: SummaryFile) -> str:
    return documents.summary_filename(file.board, file.financial_year)
