"""Summary PDFs made in the background by the tasks worker, one task per file.

A task carries only the file's id and the run it was queued for: the queue is a database table,
and a board's or a person's name has no business in it. It reads what it needs when it runs.
The steps and their locks are in `reports.services`; what to do about a worker that died is in
its docstring.
"""

import logging

from django.tasks import task

from reports import documents, services
from reports.pdf import RenderTimeout

logger = logging.getLogger(__name__)

TOO_SLOW = "The PDF took longer to make than it is allowed to. Try again later."
COULD_NOT = (
    "The PDF could not be made. Try again; if it fails again, tell the team who run the portal."
)


@task
def make_summary_file(file_id: int, run: int) -> str:
    """Render one board's annual summary for a year and keep it, replacing the earlier file."""
    # A worker that starts after another died clears what that one left behind.
    services.recover_stuck()
    file = services.file_start(file_id=file_id, run=run)
    if file is None:
        return "skipped"
    try:
        content = documents.render_summary_pdf(file.board, file.financial_year)
    except RenderTimeout:
        logger.warning("Summary file %s run %s took too long to render", file_id, run)
        services.file_fail(file_id=file_id, run=run, error=TOO_SLOW)
        return "failed"
    except Exception:
        # The log gets the traceback for whoever runs the portal; the page gets plain words.
        logger.exception("Summary file %s run %s could not be rendered", file_id, run)
        services.file_fail(file_id=file_id, run=run, error=COULD_NOT)
        return "failed"
    return "done" if services.file_finish(file_id=file_id, run=run, content=content) else "stale"
