"""Reports are rendered one after another by one process, kept while reports keep coming: a
process that overran is replaced, and so is one that has ended on its own after being idle."""

import pytest

from reports import pdf
from tests.test_reports_pdf_safety import text_of

HTML = '<html lang="en-GB"><head><title>{0}</title></head><body><p>{0}</p></body></html>'


@pytest.fixture(autouse=True)
def no_renderer_left():
    yield
    with pdf._renderer_lock:
        if pdf._renderer is not None:
            pdf._renderer.stop()
            pdf._renderer = None


def renderer_pid() -> int:
    assert pdf._renderer is not None
    return pdf._renderer.process.pid


def test_one_process_renders_one_report_after_another():
    assert "First" in text_of(pdf.render_pdf(HTML.format("First")))
    first = renderer_pid()
    assert "Second" in text_of(pdf.render_pdf(HTML.format("Second")))
    assert renderer_pid() == first


def test_a_process_that_overran_is_replaced_and_the_next_report_is_made():
    with pytest.raises(pdf.RenderTimeout):
        pdf.render_pdf("<html><body>" + "<p>Slow</p>" * 2000 + "</body></html>", seconds=0.01)
    assert pdf._renderer is None
    assert "After" in text_of(pdf.render_pdf(HTML.format("After")))


def test_a_process_that_ended_on_its_own_is_replaced():
    pdf.render_pdf(HTML.format("Before"))
    ended = renderer_pid()
    pdf._renderer.process.kill()
    pdf._renderer.process.join()
    assert "After" in text_of(pdf.render_pdf(HTML.format("After")))
    assert renderer_pid() != ended


def test_a_process_is_replaced_after_its_share_of_reports(monkeypatch):
    monkeypatch.setattr(pdf, "RENDERS_PER_PROCESS", 2)
    pdf.render_pdf(HTML.format("One"))
    first = renderer_pid()
    pdf.render_pdf(HTML.format("Two"))
    assert renderer_pid() == first
    pdf.render_pdf(HTML.format("Three"))
    assert renderer_pid() != first
