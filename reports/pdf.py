"""HTML to PDF: the one module that imports WeasyPrint.

A report is built in two steps: a template gives its HTML (testable without a PDF engine), and
`render_pdf` turns that HTML into a tagged PDF/UA-1 document. The HTML holds text people typed
(agenda outcomes, action plans), escaped by the template, but a mistake there must still not let
a report reach anything: the fetcher below serves the portal's own static files and `data:` URIs
and refuses everything else, so a hostile `<img src="file:///etc/passwd">` or `url(http://...)`
cannot read a server file into the PDF or make the server call another machine (server-side
request forgery).

Rendering runs in a separate process that is killed when it overruns its time limit, so a
document built to take for ever cannot tie up a worker. That process is forked from a server
process started once, which has WeasyPrint imported and nothing else of the portal, and it
renders one report after another for as long as reports keep coming: each report after the first
finds WeasyPrint's fonts and caches as the last one left them. It ends on its own once no report
has come for a while, and is replaced after a number of reports, so that its memory is given
back.
"""

import base64
import gc
import logging
import multiprocessing
import os
import re
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes, urlsplit

import weasyprint
import weasyprint.images
from PIL import ImageFile
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Importing WeasyPrint tells Pillow to accept truncated images, for the whole process. Receipts
# and documents are checked with Pillow in the web and task processes and must stay strict, so
# only the rendering process, which checks nothing, works as WeasyPrint expects.
ImageFile.LOAD_TRUNCATED_IMAGES = False

# Relative links in a report are resolved against this address. The `.invalid` top-level domain
# never resolves (RFC 2606), so nothing is reached even if the fetcher were bypassed.
BASE_URL = "https://portal-static.invalid/"
STATIC_HOST = "portal-static.invalid"

# Seconds a report may take to render; a fetch of a static file is a local read.
RENDER_SECONDS = 60
# How far below the web server's priority rendering runs (19 is the lowest).
RENDER_NICENESS = 10
# The rendering process ends after this many seconds without a report, or this many reports.
RENDERER_IDLE_SECONDS = 60
RENDERS_PER_PROCESS = 100
FETCH_SECONDS = 5

# What a static file may be served as; anything else is refused.
CONTENT_TYPES = {
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
}
DATA_URI = re.compile(
    r"^data:(?P<type>[\w.+/-]*)(?P<params>(;[\w.+-]+=[\w.+-]+)*)(?P<b64>;base64)?,"
)


class Refused(ValueError):
    """A report asked for something it may not have."""


class RenderTimeout(RuntimeError):
    """A report took longer than its time limit to render."""


@dataclass(frozen=True)
class StaticRoot:
    """A folder of static files and the prefix its files have under the static URL."""

    prefix: str
    root: Path


def _inside(root: Path, relative: str) -> Path | None:
    """`relative` within `root`, or None where it is not there or leads outside it (a symlink
    or a `..` that climbs out: path traversal)."""
    base = root.resolve()
    found = (base / relative).resolve()
    if not found.is_relative_to(base) or not found.is_file():
        return None
    return found


class StaticOnlyFetcher(URLFetcher):  # type: ignore[misc]
    """Serves the portal's static files (under `static_url` at `BASE_URL`) and `data:` URIs.

    Everything else is refused: `file:`, `http:` and `https:` to any other host (127.0.0.1
    included), other schemes, paths with `..`, and redirects (there are none to follow: nothing
    goes over the network). `roots` are tried in order, STATIC_ROOT first.
    """

    def __init__(self, *, roots: list[StaticRoot], static_url: str, timeout: int = FETCH_SECONDS):
        super().__init__(
            timeout=timeout,
            allowed_protocols={"data", "https"},
            allow_redirects=False,
            fail_on_errors=False,
        )
        self.roots = roots
        self.static_path = "/" + static_url.strip("/") + "/"

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return self._data(url)
        parts = urlsplit(url)
        if parts.scheme != "https" or parts.netloc != STATIC_HOST or parts.query:
            raise Refused("Reports may only use the portal's own static files.")
        if not parts.path.startswith(self.static_path):
            raise Refused("Reports may only use the portal's own static files.")
        relative = unquote(parts.path[len(self.static_path) :])
        segments = relative.split("/")
        if "\\" in relative or "\x00" in relative or any(s in ("", ".", "..") for s in segments):
            raise Refused("A static path may not climb out of the static folders.")
        content_type = CONTENT_TYPES.get(Path(relative).suffix.lower())
        if content_type is None:
            raise Refused("Reports may not use that kind of file.")
        for static in self.roots:
            if static.prefix:
                if not relative.startswith(static.prefix + "/"):
                    continue
                within = relative[len(static.prefix) + 1 :]
            else:
                within = relative
            found = _inside(static.root, within)
            if found is not None:
                return URLFetcherResponse(
                    url, found.read_bytes(), {"Content-Type": content_type}, status=200
                )
        raise Refused("No such static file.")

    def _data(self, url: str) -> URLFetcherResponse:
        match = DATA_URI.match(url)
        if match is None:
            raise Refused("A data URI that cannot be read.")
        payload = url[match.end() :]
        body = base64.b64decode(unquote(payload)) if match["b64"] else unquote_to_bytes(payload)
        content_type = match["type"] or "text/plain"
        return URLFetcherResponse(url, body, {"Content-Type": content_type}, status=200)


def static_roots() -> list[StaticRoot]:
    """Where the portal's static files are: STATIC_ROOT (collected, with hashed names in
    production), then every folder the staticfiles finders search."""
    from django.conf import settings
    from django.contrib.staticfiles import finders
    from django.contrib.staticfiles.finders import AppDirectoriesFinder, FileSystemFinder

    roots = []
    if settings.STATIC_ROOT:
        roots.append(StaticRoot("", Path(settings.STATIC_ROOT)))
    for finder in finders.get_finders():
        if isinstance(finder, FileSystemFinder):
            roots.extend(StaticRoot(prefix, Path(root)) for prefix, root in finder.locations)
        elif isinstance(finder, AppDirectoriesFinder):
            roots.extend(
                StaticRoot("", Path(storage.location)) for storage in finder.storages.values()
            )
    return roots


def _write(html: str, roots: list[StaticRoot], static_url: str) -> bytes:
    fetcher = StaticOnlyFetcher(roots=roots, static_url=static_url)
    document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
    pdf: bytes | None = document.write_pdf(pdf_variant="pdf/ua-1")
    if pdf is None:
        raise RuntimeError("WeasyPrint wrote no PDF.")
    return pdf


# A page with what reports are made of, set in their own stylesheets: warming with it loads each
# font, weight and style the reports use, so a forked process starts with all of them.
_STYLESHEETS = sorted((Path(__file__).parent / "static" / "reports").glob("*.css"))
_WARM_HTML = """<html lang="en"><title>.</title><style>{css}</style>
<h1>Heading</h1><h2>Heading</h2><h3>Heading</h3>
<p>Words, <strong>strong</strong>, <em>emphasis</em>, <strong><em>both</em></strong>.</p>
<table><thead><tr><th>Column</th><th>1</th></tr></thead>
<tbody><tr><th>Row</th><td>0123456789.5 £</td></tr></tbody></table>
<svg width="40" height="20" viewBox="0 0 40 20"><rect width="20" height="10"/>
<text x="0" y="18" font-weight="bold">1</text><text x="20" y="18">2</text></svg>"""


def warm() -> None:
    """Render a page that fetches nothing, so that WeasyPrint's fonts and default stylesheets,
    and the fonts of the reports' own stylesheets, are loaded; the processes forked afterwards
    start with them."""
    css = "\n".join(sheet.read_text() for sheet in _STYLESHEETS)
    _write(_WARM_HTML.format(css=css), [], "/static/")


def _serve(connection: Connection) -> None:
    """The rendering process: render each report sent, until none comes for a while."""
    # A report can wait a moment; a person loading a page should not. On a machine shared with
    # the web server, rendering takes the processor only when pages do not need it.
    os.nice(RENDER_NICENESS)
    # WeasyPrint logs each refused address, and an address may hold what someone typed: no
    # personal data in logs.
    logging.getLogger("weasyprint").setLevel(logging.CRITICAL)
    logging.getLogger("weasyprint.progress").setLevel(logging.CRITICAL)
    ImageFile.LOAD_TRUNCATED_IMAGES = True
    try:
        while connection.poll(RENDERER_IDLE_SECONDS):
            html, roots, static_url = connection.recv()
            try:
                connection.send((True, _write(html, roots, static_url)))
            except Exception as error:  # the parent raises it, with the reason
                connection.send((False, f"{type(error).__name__}: {error}"))
            # Tidy up while nobody waits, rather than in the middle of the next report.
            gc.collect()
    except EOFError:  # the parent has gone
        pass
    finally:
        connection.close()


class _Renderer:
    """This process's rendering process, started when the first report comes."""

    def __init__(self) -> None:
        # Not a fork of this process, which may hold threads and database connections: a fork
        # of a clean server process that has already imported and warmed WeasyPrint.
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["reports.pdf_server"])
        self.connection, theirs = context.Pipe()
        self.process = context.Process(target=_serve, args=(theirs,), daemon=True)
        self.process.start()
        theirs.close()
        self.reports = 0

    def stop(self) -> None:
        self.connection.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join()


_renderer: _Renderer | None = None
# A web or task process may render from several threads: one report at a time goes to its
# rendering process.
_renderer_lock = threading.Lock()


def _send(job: tuple[str, list[StaticRoot], str]) -> _Renderer:
    """Send the job to the rendering process, starting one where there is none or where the
    last one has ended (after being idle) or is due to be replaced."""
    global _renderer
    for _ in range(2):
        if _renderer is not None and (
            not _renderer.process.is_alive() or _renderer.reports >= RENDERS_PER_PROCESS
        ):
            _renderer.stop()
            _renderer = None
        if _renderer is None:
            _renderer = _Renderer()
        try:
            _renderer.connection.send(job)
            return _renderer
        except (BrokenPipeError, ConnectionResetError, OSError):
            # It ended on its own as the job was sent: the next one takes it.
            _renderer.stop()
            _renderer = None
    raise RuntimeError("No process could be started to render the report.")


def render_pdf(html: str, *, seconds: float = RENDER_SECONDS) -> bytes:
    """`html` as a tagged PDF/UA-1 document: its title and language are the HTML's `<title>`
    and `<html lang>`, its page size and margins those of the stylesheet's `@page`.

    Raises `RenderTimeout` when rendering takes longer than `seconds`.
    """
    global _renderer
    from django.conf import settings

    with _renderer_lock:
        renderer = _send((html, static_roots(), settings.STATIC_URL))
        try:
            if not renderer.connection.poll(seconds):
                raise RenderTimeout(f"The report took longer than {seconds} seconds to render.")
            succeeded, result = renderer.connection.recv()
        except EOFError as error:
            raise RuntimeError("The report's rendering process ended without a PDF.") from error
        except BaseException:
            # Stopped mid-report (overrun, ended, interrupted): it cannot be trusted with the next.
            renderer.stop()
            _renderer = None
            raise
        renderer.reports += 1
    if not succeeded or not isinstance(result, bytes):
        raise RuntimeError(f"The report could not be rendered: {result}")
    return result
