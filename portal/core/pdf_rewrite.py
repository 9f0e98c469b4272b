"""A PDF written again with nothing in it that runs, reaches out or carries another file.

`portal.core.pdf_uploads` runs this file as a process of its own, `python -I pdf_rewrite.py
MEMORY SECONDS`, with the PDF on standard input; the rewritten PDF comes back on standard
output, or the process ends with one of the exit codes below. It runs apart from the web worker
because the parser works through whatever a stranger's file holds: it unpacks object and
cross-reference streams whole, LZW-compressed ones without any limit (2 MB that unpack to 3 GB),
and a fault in it would otherwise take the worker down. Here such a file meets the limits of
memory and processor time and ends only this process. This module imports only the standard
library and pikepdf, so that the process starts quickly.

The PDF is parsed, every action and every attached file is cut out wherever it hangs, and the
document is saved again from the parsed objects: what is stored is only what a PDF reader
understood, whatever filters or object streams hid it in the upload.
"""

import io
import resource
import sys

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream

# Exit codes, clear of Python's own 1 (an uncaught error) and 2 (a script it cannot run).
DAMAGED = 3
LOCKED = 4
TOO_COMPLEX = 5

# A receipt, an invoice or a role description has tens or hundreds of objects. Every object is
# visited once below; a file of a million tiny objects (which 10 MB can hold) is refused before
# that work starts.
MAX_OBJECTS = 100_000
# The most that one object or cross-reference stream may unpack to. It fails a small file that
# unpacks to gigabytes at once, rather than when the process reaches its memory limit.
MAX_UNPACKED_STREAM = 64 * 1024 * 1024

# Every kind of action in ISO 32000-2 (12.6.4): none is kept, not even a link to another page.
# JavaScript, Launch (runs a program), URI (opens a web page, or tells a tracker the file was
# opened), SubmitForm and ImportData (send or fetch data), GoToR and GoToE (open another file).
ACTION_TYPES = frozenset(
    (
        "/GoTo",
        "/GoToR",
        "/GoToE",
        "/GoToDp",
        "/Launch",
        "/Thread",
        "/URI",
        "/Sound",
        "/Movie",
        "/Hide",
        "/Named",
        "/SubmitForm",
        "/ResetForm",
        "/ImportData",
        "/SetOCGState",
        "/Rendition",
        "/Trans",
        "/GoTo3DView",
        "/JavaScript",
        "/RichMediaExecute",
    )
)
# Entries that hold scripts, actions or attached files, or an XFA form (whose scripts the reader
# runs), removed from every dictionary that has them: the document's /OpenAction, any /AA
# (actions on opening a page, on focusing a field...), the /JavaScript and /EmbeddedFiles name
# trees, a file specification's /EF and the associated files of /AF, and a portfolio's
# /Collection (which, its files gone, would show an empty list instead of the receipt).
DROPPED_KEYS = (
    "/OpenAction",
    "/AA",
    "/JS",
    "/JavaScript",
    "/EmbeddedFiles",
    "/EF",
    "/AF",
    "/XFA",
    "/NeedsRendering",
    "/Collection",
)
# Annotations that play media or carry a file: dropped with what they hold.
ACTIVE_ANNOTATIONS = frozenset(
    ("/FileAttachment", "/Sound", "/Movie", "/Screen", "/RichMedia", "/3D")
)


class Refused(Exception):
    def __init__(self, code: int):
        super().__init__(code)
        self.code = code


def _name(value) -> str | None:
    return str(value) if isinstance(value, Name) else None


def _active(value) -> bool:
    """Whether the value is an action, a file inside the PDF, or an annotation that plays or
    carries one: anything a dictionary or array must let go of."""
    if not isinstance(value, Dictionary | Stream):
        return False
    return (
        _name(value.get("/S")) in ACTION_TYPES
        or _name(value.get("/Type")) in {"/Action", "/EmbeddedFile"}
        or "/JS" in value
        or _name(value.get("/Subtype")) in ACTIVE_ANNOTATIONS
    )


def make_inert(pdf: pikepdf.Pdf) -> None:
    """Cut every action, script and attached file out of the document, in place.

    Rather than look where the specification says such things live (and miss the place a
    crafted file uses), every object is visited and anything active is let go of, under
    whatever key or in whichever array it hangs. What nothing refers to any more is not saved.
    """
    stack = [pdf.trailer, *pdf.objects]
    while stack:
        holder = stack.pop()
        if isinstance(holder, Array):
            for index in reversed(range(len(holder))):
                value = holder[index]
                if _active(value):
                    del holder[index]
                elif isinstance(value, Array | Dictionary | Stream) and not value.is_indirect:
                    stack.append(value)
        elif isinstance(holder, Dictionary | Stream):
            for key in list(holder.keys()):
                value = holder[key]
                if key in DROPPED_KEYS or _active(value):
                    del holder[key]
                elif isinstance(value, Array | Dictionary | Stream) and not value.is_indirect:
                    stack.append(value)


def rewrite(data: bytes) -> bytes:
    """The PDF saved again without anything active, or `Refused`."""
    pikepdf.settings.set_qpdf_limits(
        flate_max_memory=MAX_UNPACKED_STREAM,
        run_length_max_memory=MAX_UNPACKED_STREAM,
        png_max_memory=MAX_UNPACKED_STREAM,
        tiff_max_memory=MAX_UNPACKED_STREAM,
    )
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        raise Refused(LOCKED) from None
    except pikepdf.PdfError:
        raise Refused(DAMAGED) from None
    with pdf:
        if len(pdf.get_xref_table()) > MAX_OBJECTS:
            raise Refused(TOO_COMPLEX)
        try:
            make_inert(pdf)
            out = io.BytesIO()
            # Streams are copied as they came, never unpacked: a page's drawing holds no
            # actions, and unpacking it would hand the size of the work back to the sender.
            # A PDF that only needed no password to open is saved without its encryption.
            pdf.save(
                out,
                stream_decode_level=pikepdf.StreamDecodeLevel.none,
                encryption=False,
            )
        except pikepdf.PdfError:
            raise Refused(DAMAGED) from None
    return out.getvalue()


def main(memory: int, seconds: int) -> int:
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    try:
        rewritten = rewrite(sys.stdin.buffer.read())
    except Refused as refused:
        return refused.code
    except MemoryError:
        return TOO_COMPLEX
    sys.stdout.buffer.write(rewritten)
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]), int(sys.argv[2])))
