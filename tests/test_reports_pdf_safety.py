"""Rendering a PDF reaches nothing but the portal's own static files.

Whatever people typed is escaped by the template, and even HTML that was not escaped gets nothing
from the fetcher: no server file (`file:///etc/passwd`), no request to another machine or to the
server itself (a listener on 127.0.0.1 counts every hit), no redirect, no path out of the static
folders. Rendering ends within its time limit.
"""

import io
import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.request import HTTPRedirectHandler

import pikepdf
import pypdf
import pytest

from reports import pdf
from reports.documents import render_summary_pdf
from reports.pdf import BASE_URL, Refused, RenderTimeout, StaticOnlyFetcher, StaticRoot
from standards.models import Response
from tests.test_standards_comparison import make_assessment

YEAR = 2025


class Listener:
    """A web server on 127.0.0.1 that answers everything with a redirect and counts the hits."""

    def __init__(self):
        hits = self.hits = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                hits.append(self.path)
                self.send_response(302)
                self.send_header("Location", f"{BASE_URL}static/reports/summary-print.css")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def listener():
    with Listener() as running:
        yield running


def hostile(port: int) -> str:
    return (
        '<img src="file:///etc/passwd">'
        "<style>body { background: url(file:///dev/urandom) }</style>"
        f'<a href="http://127.0.0.1:{port}/link">link</a>'
        f'<img src="http://127.0.0.1:{port}/image.png">'
        f'<link rel="stylesheet" href="http://127.0.0.1:{port}/style.css">'
    )


def images_and_files(content: bytes) -> tuple[int, bool]:
    """How many images the PDF draws, and whether it carries an attached file."""
    document = pikepdf.open(io.BytesIO(content))
    images = sum(len(page.get_images()) for page in document.pages)
    attached = "/EmbeddedFiles" in document.Root.get("/Names", {}) or any(
        annotation.get("/Subtype") == "/FileAttachment"
        for page in document.pages
        for annotation in page.get("/Annots", [])
    )
    return images, attached


def text_of(content: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(content)).pages
    )


# A summary whose fields hold hostile text


def test_hostile_text_in_a_summary_is_shown_as_text_and_fetches_nothing(
    board_a, listener, time_machine
):
    time_machine.move_to(date(2026, 2, 10), tick=False)
    attack = hostile(listener.port)
    # As much of the attack as each field holds (a board's name 120 characters, who 150).
    board_a.name = 'East Dunbartonshire <img src="file:///etc/passwd">'
    board_a.save(update_fields=["name"])
    make_assessment(board_a, YEAR)
    Response.objects.filter(
        perspective__assessment__board=board_a, perspective__side="staff", area__code="1.1"
    ).update(
        action_what=attack,
        action_who=f'url(file:///dev/urandom) <img src="http://127.0.0.1:{listener.port}/who">',
    )
    started = time.monotonic()
    content = render_summary_pdf(board_a, YEAR)
    assert time.monotonic() - started < pdf.RENDER_SECONDS
    assert listener.hits == []
    assert images_and_files(content) == (0, False)
    text = text_of(content)
    assert '<img src="file:///etc/passwd">' in text
    # A narrow table cell wraps a long word: read it without the breaks.
    assert "url(file:///dev/urandom)" in "".join(text.split())
    assert "root:x:0:0" not in text


def test_html_that_escaped_nothing_still_fetches_nothing(listener):
    # As if a template had forgotten to escape: the fetcher is the second wall.
    html = (
        '<html lang="en-GB"><head><title>Hostile</title>'
        f'<link rel="stylesheet" href="http://127.0.0.1:{listener.port}/first.css">'
        f"<style>@import url(http://127.0.0.1:{listener.port}/import.css);"
        "p { background: url(file:///dev/urandom) }</style></head><body>"
        f"<p>{hostile(listener.port)}</p>"
        '<img src="file:///etc/passwd"><object data="file:///etc/passwd"></object>'
        '<img src="/static/../../../../etc/passwd"><img src="https://example.org/a.png">'
        "</body></html>"
    )
    content = pdf.render_pdf(html)
    assert listener.hits == []
    assert images_and_files(content) == (0, False)
    assert "root:x:0:0" not in text_of(content)


def test_a_data_uri_image_and_the_portals_stylesheet_are_used():
    pixel = (
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4"
        "nGNgYPj/HwADAQH/AJ9vLQAAAABJRU5ErkJggg=="
    )
    html = (
        '<html lang="en-GB"><head><title>Allowed</title>'
        '<link rel="stylesheet" href="/static/reports/summary-print.css"></head>'
        f'<body><h1 class="report-title">Allowed</h1><img src="{pixel}" alt="A dot"></body></html>'
    )
    content = pdf.render_pdf(html)
    assert images_and_files(content) == (1, False)
    # The stylesheet's @page made it A4 and put the page number at the foot.
    document = pikepdf.open(io.BytesIO(content))
    assert [round(float(v)) for v in document.pages[0].MediaBox] == [0, 0, 595, 842]
    assert "Page 1 of 1" in text_of(content)


def test_rendering_that_overruns_its_time_limit_is_stopped():
    started = time.monotonic()
    with pytest.raises(RenderTimeout):
        pdf.render_pdf("<html><body>" + "<p>Slow</p>" * 2000 + "</body></html>", seconds=0.01)
    assert time.monotonic() - started < 10


# The fetcher on its own


@pytest.fixture
def fetcher(tmp_path):
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "ok.css").write_text("p { color: black }")
    (tmp_path / "reports" / "passwd.css").symlink_to("/etc/passwd")
    return StaticOnlyFetcher(roots=[StaticRoot("", tmp_path)], static_url="/static/")


def test_the_fetcher_serves_a_static_file_and_a_data_uri(fetcher):
    found = fetcher(f"{BASE_URL}static/reports/ok.css")
    assert found.read() == b"p { color: black }"
    assert found.content_type == "text/css"
    assert fetcher("data:text/plain,hello%20there").read() == b"hello there"
    assert fetcher("data:text/plain;base64,aGVsbG8=").read() == b"hello"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file:///dev/urandom",
        "http://127.0.0.1/",
        "https://127.0.0.1/static/reports/ok.css",
        "https://example.org/static/reports/ok.css",
        "ftp://portal-static.invalid/static/reports/ok.css",
        f"{BASE_URL}static/../etc/passwd",
        f"{BASE_URL}static/reports/../../../etc/passwd",
        f"{BASE_URL}static/reports/%2e%2e/%2e%2e/etc/passwd",
        f"{BASE_URL}static/reports/..%2f..%2fetc%2fpasswd.css",
        f"{BASE_URL}static/reports/passwd.css",  # a link out of the folder
        f"{BASE_URL}static/reports/ok.css?next=http://127.0.0.1/",
        f"{BASE_URL}etc/passwd",
        f"{BASE_URL}static/reports/missing.css",
        f"{BASE_URL}static/reports/ok.py",
    ],
)
def test_the_fetcher_refuses_everything_else(fetcher, url):
    with pytest.raises(Refused):
        fetcher(url)


def test_the_fetcher_follows_no_redirect_and_reaches_no_server(fetcher, listener):
    assert not any(isinstance(handler, HTTPRedirectHandler) for handler in fetcher.handlers)
    with pytest.raises(Refused):
        fetcher(f"http://127.0.0.1:{listener.port}/redirect")
    with pytest.raises(Refused):
        fetcher(f"https://127.0.0.1:{listener.port}/redirect")
    assert listener.hits == []


def test_the_portals_static_folders_are_where_the_fetcher_looks():
    roots = {str(root.root) for root in pdf.static_roots()}
    assert any(root.endswith("reports/static") for root in roots)
    assert any(root.endswith("design-system/dist") for root in roots)


def test_loading_the_pdf_engine_leaves_image_checks_strict():
    """WeasyPrint switches on Pillow's acceptance of truncated images when it is imported;
    receipts and documents are checked in the same process, so the report module switches it
    off again."""
    from PIL import ImageFile

    import reports.pdf  # noqa: F401

    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
