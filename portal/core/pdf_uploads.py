"""PDFs that people upload, written again without anything in them that runs, before they are kept.

Receipts (`expenses.uploads`) and the documents boards give their reps (`reps.documents`) come
from one person's computer and are opened later by others, so a PDF is kept only as
`portal.core.pdf_rewrite` writes it again: without scripts, actions, forms or attached files. The
rewriting runs in a process of its own, under limits of memory and processor time, so a file made
to exhaust the parser ends that process and not the web worker.
"""

import logging
import subprocess
import sys
from pathlib import Path

from portal.core import pdf_rewrite

logger = logging.getLogger(__name__)

# What the rewriting process may use. A 10 MB PDF needs a small part of either; a file made to
# exhaust the parser meets the limit and is refused.
MEMORY = 512 * 1024 * 1024
SECONDS = 10

# Why a PDF was refused, for each caller to put in its own words.
DAMAGED = "damaged"
LOCKED = "locked"
TOO_COMPLEX = "too_complex"

_REWRITER = Path(pdf_rewrite.__file__)
_REASONS = {
    pdf_rewrite.DAMAGED: DAMAGED,
    pdf_rewrite.LOCKED: LOCKED,
    pdf_rewrite.TOO_COMPLEX: TOO_COMPLEX,
}


class PdfRefused(Exception):
    """The PDF cannot be kept; `reason` is `DAMAGED`, `LOCKED` or `TOO_COMPLEX`."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def looks_like_pdf(data: bytes) -> bool:
    """Whether the bytes start as a PDF does ("%PDF-"), whatever the file is called."""
    return data.startswith(b"%PDF-")


def rewrite(data: bytes) -> bytes:
    """The PDF written again without anything active, or `PdfRefused`.

    Refused only if it cannot be read, needs a password to open, or is too much to rewrite.
    """
    # A PDF ends with %%EOF, perhaps followed by a line break; one cut short does not. The parser
    # would piece together what it could, and the reader would be sent half a document.
    if not data.rstrip(b" \t\r\n\x00").endswith(b"%%EOF"):
        raise PdfRefused(DAMAGED)
    # -I: our own script, run by the portal's interpreter but isolated from PYTHON* settings and
    # without the script's folder on the import path, where a module of the portal could stand
    # in for the standard library's module of that name.
    command = [sys.executable, "-I", str(_REWRITER), str(MEMORY), str(SECONDS)]
    try:
        # The process limits its own processor time; this stops one that waits instead.
        done = subprocess.run(  # noqa: S603
            command, input=data, capture_output=True, timeout=SECONDS * 3, check=False
        )
    except subprocess.TimeoutExpired:
        raise PdfRefused(TOO_COMPLEX) from None
    if done.returncode == 0 and looks_like_pdf(done.stdout):
        return done.stdout
    reason = _REASONS.get(done.returncode)
    if reason is None:
        # Killed at its limits, or a fault in the parser; or something wrong with the server,
        # which would refuse every PDF, so it is logged.
        logger.warning(
            "An uploaded PDF could not be rewritten (exit %s): %s",
            done.returncode,
            done.stderr[-2000:].decode(errors="replace"),
        )
        reason = TOO_COMPLEX
    raise PdfRefused(reason)
