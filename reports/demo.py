"""Demo data for the summary PDFs made in the background: one finished job.

`seed(rng, today)` runs after the other apps' demo data. The demo board's staff member
(staff@example.org) has asked for the board's summary of last financial year, and the PDF is
made there and then, through the same services and task the worker runs, so the job's page has
a file to download as soon as the portal starts. One PDF, about a second; a second run finds it
made and adds nothing.
"""

import random
from datetime import date

from portal.core import periods
from portal.core.models import Board, User
from reports import services, tasks
from reports.models import FileState, SummaryFile

DEMO_BOARD_SLUG = "east-dunbartonshire-ijb"
DEMO_STAFF_EMAIL = "staff@example.org"


def seed(rng: random.Random, today: date) -> None:
    year = periods.financial_year_of(today) - 1
    board = Board.objects.get(slug=DEMO_BOARD_SLUG)
    made = SummaryFile.objects.filter(board=board, financial_year=year, state=FileState.DONE)
    if made.exists():
        return
    staff = User.objects.get(email=DEMO_STAFF_EMAIL)
    job = services.summaries_request(by=staff, board=board, financial_year=year, enqueue=False)
    file = job.files.get()
    tasks.make_summary_file.call(file.pk, file.run)
