"""The measurements `make bench` takes inside the portal itself, run one step at a time by
`scripts/bench_steps.py` (which sets Django up first).

Steps: `prepare` (the cookies of signed-in browsers, the pages to load, queries per page, a
saved copy of the comparison page), `queries` (queries per page again, after the data has
grown), `imports` (10,000 rows through the import resources against `bulk_create`), `pdf` (an
annual summary end to end against WeasyPrint alone on the same HTML), `batch` (every board's
summary made by two workers) and `sqlite` (four people writing at once on the embedded SQLite
default).

Every timing is taken in rounds that alternate which side goes first, and reported as the paired
ratios of each round: the machines are small and noisy, so only figures measured side by side
mean much. Whatever a step writes to the database it rolls back, except `batch`, which makes the
summary files a real request would.
"""

import gc
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from unittest.mock import patch

import tablib
from bench_figures import figure, paired
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.core import record_changes
from portal.core.forms import EARLIEST_DATE
from portal.core.models import Board, User
from portal.demo import DEMO_BOARD_SLUG

ROOT = Path(__file__).resolve().parent.parent

IMPORT_ROWS = 10_000
# A render takes about a second and varies more than a page does: more rounds, a steadier median.
PDF_ROUNDS = 9


class RolledBack(Exception):
    """Raised to leave a transaction without keeping anything it wrote."""


def timed(work: Callable[[], object]) -> float:
    # Each timing starts with nothing left for the collector from the one before, so that a
    # collection falls in whichever happens to run while it is due.
    gc.collect()
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


# Pages and sessions


def _people() -> dict[str, User]:
    return {
        "staff": User.objects.get(email="staff@example.org"),
        "rep": User.objects.get(email="rep@example.org"),
        "national": User.objects.get(email="national@example.org"),
    }


def pages() -> dict[str, tuple[str, str]]:
    """Each busy page of DESIGN.md §4: (persona, path)."""
    from reports.summaries import summary_years

    board = Board.objects.get(slug=DEMO_BOARD_SLUG)
    year = summary_years()[1]
    return {
        "staff home": ("staff", reverse("staff_home")),
        "approval queue": ("staff", reverse("expenses:staff_claims")),
        "rep home": ("rep", reverse("rep_home")),
        "rep's claims": ("rep", reverse("expenses:my_claims")),
        "national comparison": (
            "national",
            reverse("standards:comparison"),
        ),
        "annual summary (HTML)": (
            "staff",
            reverse("reports:summary", kwargs={"slug": board.slug, "year": year}),
        ),
    }


TRIVIAL = "accessibility"


def query_counts(people: dict[str, User], wanted: dict[str, tuple[str, str]]) -> dict[str, int]:
    counts = {}
    for name, (persona, path) in wanted.items():
        client = Client()
        client.force_login(people[persona])
        client.get(path)  # warm: the first request of a process fills caches once
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{name}: {path} answered {response.status_code}")
        counts[name] = len(queries)
    return counts


def prepare(output: dict) -> None:
    people = _people()
    browsers = {}
    for persona, user in people.items():
        client = Client()
        client.force_login(user)
        # A browser that has opened a page holds its CSRF cookie as well as its session.
        client.get(reverse(TRIVIAL))
        browsers[persona] = "; ".join(
            f"{name}={client.cookies[name].value}"
            for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)
        )
    wanted = pages()
    output["cookies"] = browsers
    output["pages"] = wanted
    output["trivial"] = reverse(TRIVIAL)
    output["queries"] = query_counts(people, wanted)
    # The comparison page as it stands, to serve as a static file of the same size.
    client = Client()
    client.force_login(people["national"])
    html = client.get(wanted["national comparison"][1]).content
    saved = Path(settings.STATIC_ROOT) / "bench" / "comparison.html"
    saved.parent.mkdir(parents=True, exist_ok=True)
    saved.write_bytes(html)
    output["static_comparison"] = settings.STATIC_URL + "bench/comparison.html"
    output["static_bytes"] = len(html)


def queries(output: dict) -> None:
    # After the data has grown, as autovacuum would in time: plans follow the new row counts.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    output["queries"] = query_counts(_people(), pages())


# Imports


def _import_board() -> tuple[Board, User]:
    board = Board.objects.get(slug=DEMO_BOARD_SLUG)
    return board, User.objects.get(email="staff@example.org")


def _rows_for(kind: str, board: Board) -> tuple[tablib.Dataset, Callable[[], list]]:
    """A file of IMPORT_ROWS new rows of `kind` for the board, and the same rows as unsaved
    model objects for `bulk_create`."""
    from reps.models import Attendance, Group, Meeting, Rep

    group = Group.objects.filter(board=board).order_by("order").first()
    if kind == "reps":
        names = [f"Bench Rep {number}" for number in range(IMPORT_ROWS)]
        dataset = tablib.Dataset(headers=["Board", "Full name", "Kind of rep"])
        for name in names:
            dataset.append([board.name, name, "Carer representative"])
        return dataset, lambda: [
            Rep(board=board, full_name=name, rep_type=Rep.RepType.CARER) for name in names
        ]
    if kind == "meetings":
        # A group of its own (rolled back with the rest), so no day clashes with the demo's
        # meetings; from the earliest date a form takes, on.
        group = Group.objects.create(board=board, name="Bench committee", order=999)
        days = [EARLIEST_DATE + timedelta(days=number) for number in range(IMPORT_ROWS)]
        dataset = tablib.Dataset(headers=["Board", "Group", "Date"])
        for day in days:
            dataset.append([board.name, group.name, day.strftime("%d/%m/%Y")])
        return dataset, lambda: [Meeting(board=board, group=group, date=day) for day in days]
    # Attendance: 100 reps at 100 meetings, made for the purpose (rolled back with the rest).
    reps = Rep.objects.bulk_create(
        Rep(board=board, full_name=f"Bench Attendee {n}", rep_type=Rep.RepType.CARER)
        for n in range(100)
    )
    meetings = Meeting.objects.bulk_create(
        Meeting(board=board, group=group, date=date(1980, 1, 1) + timedelta(days=n))
        for n in range(100)
    )
    pairs = [(meeting, rep) for meeting in meetings for rep in reps]
    dataset = tablib.Dataset(headers=["Meeting ID", "Rep ID", "Attendance"])
    for meeting, rep in pairs:
        dataset.append([meeting.pk, rep.pk, "Attended"])
    return dataset, lambda: [
        Attendance(meeting=meeting, rep=rep, status=Attendance.Status.ATTENDED)
        for meeting, rep in pairs
    ]


def _once(work: Callable[[], object]) -> float:
    """The time `work` takes inside a transaction that is then rolled back."""
    spent = 0.0
    try:
        with transaction.atomic():
            spent = timed(work)
            raise RolledBack
    except RolledBack:
        pass
    return spent


def imports(output: dict) -> None:
    from reps import transfer
    from reps.resources import STAFF_RESOURCES

    board, user = _import_board()
    results = {}
    for kind in ("attendance", "reps", "meetings"):
        resource_class = STAFF_RESOURCES[kind]
        figures: dict[str, object] = {}
        try:
            with transaction.atomic():
                dataset, objects = _rows_for(kind, board)
                model = resource_class._meta.model

                def bulk(objects=objects, model=model):
                    model.objects.bulk_create(objects())

                for label, dry_run in (("preview", True), ("confirm", False)):

                    def run(dry_run=dry_run, resource_class=resource_class, dataset=dataset):
                        result = transfer.run(resource_class(user=user), dataset, dry_run=dry_run)
                        if result.has_errors() or result.has_validation_errors():
                            raise SystemExit(f"The {dataset.title} file of the bench has bad rows.")

                    with CaptureQueriesContext(connection) as statements:
                        _once(run)
                    figures[f"{label} statements per 1,000 rows"] = (
                        len(statements) * 1000 / IMPORT_ROWS
                    )
                    # Speed as a share of bulk_create's: bulk time over import time.
                    figures[f"{label} speed vs bulk_create"] = figure(
                        paired(lambda run=run: _once(run), lambda bulk=bulk: _once(bulk))
                    )
                raise RolledBack
        except RolledBack:
            pass
        results[kind] = figures
    output["imports"] = results


# PDFs


def pdf(output: dict) -> None:
    import weasyprint

    from reports import documents, pdf
    from reports.summaries import annual_summary, summary_years

    board = Board.objects.get(slug=DEMO_BOARD_SLUG)
    year = summary_years()[1]
    html = documents.summary_pdf_html(annual_summary(board, year))
    saved = Path(tempfile.mkdtemp()) / "summary.html"
    saved.write_text(html)

    def end_to_end():
        documents.render_summary_pdf(board, year)

    def end_to_end_afresh():
        # As the first PDF after any change to the board's records: the figures worked out too.
        with patch.object(record_changes, "records_version", lambda using="default": None):
            documents.render_summary_pdf(board, year)

    def weasyprint_alone():
        fetcher = pdf.StaticOnlyFetcher(roots=pdf.static_roots(), static_url=settings.STATIC_URL)
        weasyprint.HTML(filename=str(saved), base_url=pdf.BASE_URL, url_fetcher=fetcher).write_pdf(
            pdf_variant="pdf/ua-1"
        )

    end_to_end()  # the first render starts what later ones reuse
    weasyprint_alone()
    output["pdf"] = {
        "end to end vs WeasyPrint alone": figure(
            paired(lambda: timed(weasyprint_alone), lambda: timed(end_to_end), rounds=PDF_ROUNDS)
        ),
        "end to end, figures worked out, vs WeasyPrint alone": figure(
            paired(
                lambda: timed(weasyprint_alone),
                lambda: timed(end_to_end_afresh),
                rounds=PDF_ROUNDS,
            )
        ),
        "html bytes": len(html),
    }


# The yearly batch


def _tree_rss(pid: int) -> int:
    """Resident memory of a process and its children, in bytes (Linux)."""
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024
        pending.extend(int(child) for child in children)
    return total


def batch(output: dict) -> None:
    import subprocess

    from reports import services
    from reports.models import JobState
    from reports.summaries import summary_years

    national = User.objects.get(email="admin@example.org")
    job = services.summaries_request(by=national, financial_year=summary_years()[1])
    started = time.perf_counter()
    workers = [
        subprocess.Popen(  # noqa: S603 - this interpreter and the portal's own manage.py
            [sys.executable, str(ROOT / "manage.py"), "db_worker", "--batch", "--no-reload"],
            cwd=ROOT,
        )
        for _ in range(2)
    ]
    peaks = [0, 0]
    print("batch started", flush=True)
    while any(worker.poll() is None for worker in workers):
        for index, worker in enumerate(workers):
            if worker.poll() is None:
                peaks[index] = max(peaks[index], _tree_rss(worker.pid))
        time.sleep(0.2)
    elapsed = time.perf_counter() - started
    job.refresh_from_db()
    output["batch"] = {
        "files": job.total,
        "done": job.done,
        "state": job.state,
        "seconds": elapsed,
        "peak memory per worker (MB)": [round(peak / 2**20) for peak in peaks],
        "finished": job.state == JobState.FINISHED,
    }


# Four people writing at once on the embedded SQLite default


def sqlite(output: dict, seconds: float = 10.0, writers: int = 4) -> None:
    """Run with the embedded SQLite default as the database (bench.py migrates a fresh file)."""
    from reps.models import Rep, Training

    if connection.vendor != "sqlite":
        raise SystemExit("The sqlite step runs on the embedded SQLite default.")
    board = Board.objects.get(slug=DEMO_BOARD_SLUG)
    reps = Rep.objects.bulk_create(
        Rep(board=board, full_name=f"Writer {n}", rep_type=Rep.RepType.CARER)
        for n in range(writers)
    )
    errors: list[str] = []
    written = [0] * writers
    stop = time.monotonic() + seconds

    def write(index: int) -> None:
        rep = reps[index]
        try:
            while time.monotonic() < stop:
                try:
                    # As a claim is sent: read what is there, then write on what was read.
                    with transaction.atomic():
                        Training.objects.filter(rep=rep).count()
                        Training.objects.create(
                            rep=rep, course="Induction", date=date(2026, 1, 1), hours=1
                        )
                    written[index] += 1
                except Exception as error:  # counted, not raised: the bench reports them
                    errors.append(f"{type(error).__name__}: {error}")
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    output["sqlite"] = {
        "writers": writers,
        "seconds": seconds,
        "writes": sum(written),
        "errors": len(errors),
        "first error": errors[0] if errors else "",
    }


STEPS = {
    "prepare": prepare,
    "queries": queries,
    "imports": imports,
    "pdf": pdf,
    "batch": batch,
    "sqlite": sqlite,
}
