"""`make bench`: the performance goals of DESIGN.md §4, measured side by side in one run.

A throwaway PostgreSQL cluster gets the demo data; gunicorn serves the portal with two workers
on loopback. Each busy page is loaded in rounds beside a signed-in trivial page (the
accessibility statement), alternating which goes first, and reported as the median of the
paired ratios of requests per second, with their spread. Then the data grows to ten times
(`manage.py scale_data --times 10`) and the pages are measured again. The steps that run inside
the portal (imports, PDFs, the yearly batch, SQLite writers) are in `scripts/bench_steps.py`.

The table is printed and written, with the machine it ran on, to build/bench.json.
"""

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import UTC, datetime
from http.client import HTTPConnection
from pathlib import Path

from bench_figures import figure, paired

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
PYTHON = sys.executable
PG_PORT = 54331
WEB_PORT = 8765
# A fixed page sent through the sign-in and nothing else (`scripts/bench_urls.py`).
FIXED_ANSWER = "/bench/fixed/"
# Each measurement is bounded both ways: this many requests or this many seconds, whichever
# comes first, from this many clients at once.
REQUESTS = 400
SECONDS = 1.5
CLIENTS = 4
BATCH_WINDOW = 1.0


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# The portal's processes


def environment(database_url: str, media: Path) -> dict[str, str]:
    """A production-like configuration on loopback: DEBUG off, plain HTTP, demo sign-ins."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY="bench-only-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SITE_URL=f"http://127.0.0.1:{WEB_PORT}",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        SECURE_HSTS_SECONDS="0",
        DEMO_MODE="1",
        REQUIRE_MFA="0",
        LOG_LEVEL="WARNING",
        PRIVATE_MEDIA_ROOT=str(media),
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    """Run a management command, its output kept in build/bench.log rather than on screen."""
    with (BUILD / "bench.log").open("a") as output:
        subprocess.run(  # noqa: S603
            [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=output
        )


def step(env: dict[str, str], name: str) -> dict:
    """Run one step of scripts/bench_steps.py and read back what it measured."""
    target = BUILD / f"bench-{name}.json"
    subprocess.run(  # noqa: S603
        [PYTHON, "scripts/bench_steps.py", name, str(target)], cwd=ROOT, env=env, check=True
    )
    return json.loads(target.read_text())


class Postgres:
    """A throwaway cluster, as scripts/throwaway-postgres starts one."""

    def __enter__(self) -> str:
        started = subprocess.run(  # noqa: S603
            [str(ROOT / "scripts" / "throwaway-postgres"), str(PG_PORT)],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        values = dict(line.split("=", 1) for line in started.split())
        self.data = values["PGDATA_DIR"]
        return values["DATABASE_URL"]

    def __exit__(self, *exc: object) -> None:
        bindir = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
        pg_ctl = str(bindir[-1] / "pg_ctl") if bindir else shutil.which("pg_ctl") or "pg_ctl"
        command = [pg_ctl, "-D", self.data, "-m", "fast", "stop"]
        if os.getuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=False, capture_output=True)  # noqa: S603


class Gunicorn:
    def __init__(self, env: dict[str, str]):
        self.env = env

    def __enter__(self) -> "Gunicorn":
        self.process = subprocess.Popen(  # noqa: S603
            [
                str(Path(PYTHON).parent / "gunicorn"),
                "portal.wsgi:application",
                # The portal's settings with one address more, `FIXED_ANSWER`.
                "--pythonpath=scripts",
                "--env=DJANGO_SETTINGS_MODULE=bench_settings",
                "--workers=2",
                f"--bind=127.0.0.1:{WEB_PORT}",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env=self.env,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{WEB_PORT}/accessibility/", timeout=5)  # noqa: S310
                return self
            except OSError:
                time.sleep(0.3)
        raise SystemExit("gunicorn did not start")

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def sqlite_writers(env: dict[str, str]) -> dict:
    """The sqlite step on a fresh file of the embedded SQLite default."""
    database = BUILD / "bench.sqlite3"
    for leftover in BUILD.glob("bench.sqlite3*"):
        leftover.unlink()
    local = {**env, "DATABASE_URL": f"sqlite:///{database}"}
    manage(local, "migrate", "--no-input", "-v", "0")
    return step(local, "sqlite")["sqlite"]


# Load


def throughput(path: str, cookies: str, *, seconds: float = SECONDS) -> float:
    """Requests per second for `path`, from CLIENTS clients at once sending the `cookies` of a
    signed-in browser, stopping at REQUESTS requests or `seconds`, whichever comes first."""
    headers = {"Cookie": cookies, "Host": "127.0.0.1"}
    done = 0
    failures: list[str] = []
    lock = threading.Lock()
    started = time.perf_counter()
    stop = started + seconds

    def client() -> None:
        nonlocal done
        while time.perf_counter() < stop:
            with lock:
                if done >= REQUESTS:
                    return
                done += 1
            connection = HTTPConnection("127.0.0.1", WEB_PORT, timeout=60)
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            connection.close()
            if response.status != 200:
                failures.append(f"{path}: {response.status}")

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if failures:
        raise SystemExit(f"Pages failed under load: {failures[:3]}")
    return done / elapsed


def page_ratios(prepared: dict) -> dict[str, dict]:
    """Each busy page's requests per second as a share of the trivial page's, same persona."""
    browsers, trivial = prepared["cookies"], prepared["trivial"]
    results = {}
    for name, (persona, path) in prepared["pages"].items():
        cookies = browsers[persona]
        throughput(path, cookies, seconds=0.5)  # warm both workers
        results[name] = figure(
            paired(
                lambda cookies=cookies: throughput(trivial, cookies),
                lambda path=path, cookies=cookies: throughput(path, cookies),
            )
        )
        log(f"  {name}: {results[name]['median']:.3f} of the trivial page")
    return results


def comparison_during_batch(env: dict[str, str], prepared: dict) -> dict:
    """The comparison's requests per second while two workers make every board's summary, as
    a share of the same page idle, measured just before and just after."""
    persona, path = prepared["pages"]["national comparison"]
    cookies = prepared["cookies"][persona]
    idle = [throughput(path, cookies, seconds=BATCH_WINDOW) for _ in range(3)]
    target = BUILD / "bench-batch.json"
    batch = subprocess.Popen(  # noqa: S603
        [PYTHON, "scripts/bench_steps.py", "batch", str(target)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    if batch.stdout is not None:
        batch.stdout.readline()  # "batch started"
    busy = []
    while batch.poll() is None:
        busy.append(throughput(path, cookies, seconds=BATCH_WINDOW))
    idle += [throughput(path, cookies, seconds=BATCH_WINDOW) for _ in range(3)]
    if batch.returncode:
        raise SystemExit("The batch step failed.")
    measured = json.loads(target.read_text())["batch"]
    # The last window may have begun as the batch ended; it still ran beside it for the most part.
    measured["comparison while the batch runs vs idle"] = {
        "median": statistics.median(busy) / statistics.median(idle),
        "windows": len(busy),
        "idle req/s": round(statistics.median(idle), 1),
        "busy req/s": round(statistics.median(busy), 1) if busy else None,
    }
    return measured


# The report


def machine() -> dict[str, object]:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(meminfo.read_text().split()[1])
        memory = f"{kb / 2**20:.0f} GB"
    return {
        "cpu": model or platform.processor(),
        "cores": os.cpu_count(),
        "memory": memory,
        "system": platform.platform(),
        "python": platform.python_version(),
    }


def rows(results: dict) -> list[tuple[str, str, str, bool]]:
    """(measure, goal, result, met) for the table."""
    table = []

    def spread(value: dict) -> str:
        return f"{value['median']:.2f} ({value['low']:.2f}–{value['high']:.2f})"

    for name, at_one in results["pages 1x"].items():
        at_ten = results["pages 10x"][name]
        table.append(
            (
                f"{name}: req/s vs trivial page, 1×",
                "≥ 0.25",
                spread(at_one),
                at_one["median"] >= 0.25,
            )
        )
        table.append(
            (
                f"{name}: req/s vs trivial page, 10×",
                "≥ 0.25",
                spread(at_ten),
                at_ten["median"] >= 0.25,
            )
        )
        kept = at_ten["median"] / at_one["median"]
        table.append((f"{name}: 10× keeps of 1×", "≥ 0.80", f"{kept:.2f}", kept >= 0.8))
    for name, count in results["queries 1x"].items():
        ten = results["queries 10x"][name]
        table.append(
            (f"{name}: queries 1× / 10×", "equal, ≤ 12", f"{count} / {ten}", count == ten <= 12)
        )
    static = results["comparison vs static"]
    table.append(
        (
            "a fixed answer of the same size through the sign-in vs the static HTML (the ceiling)",
            "—",
            spread(results["fixed answer vs static"]),
            True,
        )
    )
    table.append(
        (
            "signed-in trivial page vs the same static HTML",
            "—",
            spread(results["trivial page vs static"]),
            True,
        )
    )
    table.append(
        (
            "national comparison vs same-size static HTML",
            "≥ 0.5",
            spread(static),
            static["median"] >= 0.5,
        )
    )
    for kind, figures in results["imports"].items():
        for label in ("preview", "confirm"):
            speed = figures[f"{label} speed vs bulk_create"]
            statements = figures[f"{label} statements per 1,000 rows"]
            table.append(
                (
                    f"import 10,000 {kind} rows, {label}: speed vs bulk_create",
                    "≥ 0.3",
                    spread(speed),
                    speed["median"] >= 0.3,
                )
            )
            table.append(
                (
                    f"import {kind}, {label}: statements per 1,000 rows",
                    "≤ 5",
                    f"{statements:g}",
                    statements <= 5,
                )
            )
    pdf = results["pdf"]["end to end vs WeasyPrint alone"]
    table.append(
        (
            "annual summary PDF end to end vs WeasyPrint alone",
            "≤ 1.2",
            spread(pdf),
            pdf["median"] <= 1.2,
        )
    )
    table.append(
        (
            "the same, its figures worked out afresh (the first PDF after a change)",
            "—",
            spread(results["pdf"]["end to end, figures worked out, vs WeasyPrint alone"]),
            True,
        )
    )
    batch = results["batch"]
    table.append(
        (
            "31-board batch, two workers",
            "all made",
            f"{batch['done']} of {batch['files']} in {batch['seconds']:.0f} s; peak "
            f"{' and '.join(str(mb) for mb in batch['peak memory per worker (MB)'])} MB",
            batch["done"] == batch["files"],
        )
    )
    during = batch["comparison while the batch runs vs idle"]
    table.append(
        (
            "comparison while the batch runs vs idle",
            "≥ 0.5",
            f"{during['median']:.2f}",
            during["median"] >= 0.5,
        )
    )
    writers = results["sqlite"]
    table.append(
        (
            f"SQLite, {writers['writers']} people writing for {writers['seconds']:g} s",
            "0 errors",
            f"{writers['errors']} errors in {writers['writes']} writes",
            writers["errors"] == 0,
        )
    )
    return table


def markdown(table: list[tuple[str, str, str, bool]]) -> str:
    lines = ["| measure | goal | result | met |", "| --- | --- | --- | --- |"]
    lines += [f"| {m} | {g} | {r} | {'yes' if ok else '**no**'} |" for m, g, r, ok in table]
    return "\n".join(lines)


def main() -> None:
    started = time.monotonic()
    BUILD.mkdir(exist_ok=True)
    media = BUILD / "bench-media"
    shutil.rmtree(media, ignore_errors=True)
    results: dict = {}
    with Postgres() as database_url:
        env = environment(database_url, media)
        log("Database, demo data and static files")
        manage(env, "migrate", "--no-input", "-v", "0")
        # First: the demo's summary PDFs link the static files by their collected names.
        manage(env, "collectstatic", "--no-input", "-v", "0")
        manage(env, "seed_demo")
        prepared = step(env, "prepare")
        results["queries 1x"] = prepared["queries"]
        log("Imports of 10,000 rows")
        results["imports"] = step(env, "imports")["imports"]
        log("The annual summary PDF")
        results["pdf"] = step(env, "pdf")["pdf"]
        log("SQLite with four people writing")
        results["sqlite"] = sqlite_writers(env)
        with Gunicorn(env):
            log("Pages at 1×")
            results["pages 1x"] = page_ratios(prepared)
            persona, path = prepared["pages"]["national comparison"]
            cookies = prepared["cookies"][persona]
            static = prepared["static_comparison"]
            results["comparison vs static"] = figure(
                paired(lambda: throughput(static, cookies), lambda: throughput(path, cookies))
            )
            # The most any signed-in page can reach against a static file: a fixed answer sent
            # through the sign-in and nothing else.
            results["fixed answer vs static"] = figure(
                paired(
                    lambda: throughput(static, cookies),
                    lambda: throughput(FIXED_ANSWER, cookies),
                )
            )
            results["trivial page vs static"] = figure(
                paired(
                    lambda: throughput(static, cookies),
                    lambda: throughput(prepared["trivial"], cookies),
                )
            )
            log("The yearly batch of 31 PDFs, and the comparison meanwhile")
            results["batch"] = comparison_during_batch(env, prepared)
        log("Ten times the data")
        manage(env, "scale_data", "--times", "10")
        results["queries 10x"] = step(env, "queries")["queries"]
        with Gunicorn(env):
            log("Pages at 10×")
            results["pages 10x"] = page_ratios(prepared)
    table = rows(results)
    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "seconds": round(time.monotonic() - started),
        "table": [
            dict(zip(("measure", "goal", "result", "met"), row, strict=True)) for row in table
        ],
        "results": results,
    }
    (BUILD / "bench.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print()
    print(markdown(table))
    print(f"\n{report['machine']}; {report['seconds']} s. Written to build/bench.json.")


if __name__ == "__main__":
    main()
