"""The documents boards give their reps: what a file must be to be kept, and what pages read.

Staff upload a document and reps open it, and a public one anyone opens, on their own computers.
So the portal keeps only a file it has judged by its bytes; the file's name and the browser's
Content-Type are the sender's to choose, and are used for nothing but the wording of a refusal:

- a PDF is written again without scripts, actions, forms or attached files
  (`portal.core.pdf_uploads`), as receipts are;
- a Word document (.docx) is a zip holding `word/document.xml`, and is refused if it carries
  macros (a .docm saved under another name), ActiveX controls, embedded objects, or anything Word
  would fetch from elsewhere when it opens (a remote template, a frame);
- plain text is UTF-8 with no NUL bytes.

Which documents a person may reach is for `reps.access` to say; the selectors below take its
querysets and add what the pages show.
"""

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from xml.etree import ElementTree

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from portal.core import pdf_uploads
from reps.models import Document

MAX_BYTES = 10 * 1024 * 1024
MAX_SIZE_LABEL = "10 MB"
# A Word document has tens of parts; a zip of thousands is not one, and every part is looked at.
MAX_PARTS = 2000
# The parts read to look for macros and outside links are small XML files.
MAX_PART_BYTES = 1024 * 1024
# What every part may unpack to together: a zip that unpacks to gigabytes would stop the reader's
# computer, not the portal's (nothing here unpacks it), but it is no document.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024

WORD_BODY = "word/document.xml"
CONTENT_TYPES = "[Content_Types].xml"
HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
# The start of every file in the old Office format (OLE2): a Word 97-2003 .doc, and also a .docx
# locked with a password, which Word keeps encrypted inside one.
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"

ACCEPTED = "a PDF, a Word document (.docx) or a plain text file"
MESSAGES = {
    "empty": "The file you chose is empty. Choose the document again.",
    "too_big": (
        f"The file must be smaller than {MAX_SIZE_LABEL}. Save a smaller copy (a PDF without "
        "large photos, say) and choose it again."
    ),
    "type": (
        f"The file must be {ACCEPTED}. This file is none of these, whatever its name says. "
        "Save the document in one of these formats and choose it again."
    ),
    "text": (
        "The file is not plain text the portal can read. Save it again as plain text in UTF-8 "
        "(in Notepad, choose Save as and the UTF-8 encoding), or as a PDF."
    ),
    "old_word": (
        "The file is an old-style Word document (.doc) or one locked with a password, which the "
        "portal cannot check. Save an unlocked copy as a Word document (.docx) or a PDF, and "
        "choose it again."
    ),
    "not_word": (
        f"The file is a zip file, not a Word document. The file must be {ACCEPTED}: save the "
        "document in one of these formats and choose it again."
    ),
    "word_damaged": (
        "The Word document could not be opened: it may be damaged or only partly saved. Save it "
        "again and choose the new copy."
    ),
    "word_locked": (
        "The Word document is locked with a password, so the portal cannot check it. Save an "
        "unlocked copy and choose it again."
    ),
    "macros": (
        "The Word document contains macros, which can run programs on the reader's computer, so "
        "the portal does not accept it. Save it as a Word document (.docx) without macros, or as "
        "a PDF, and choose it again."
    ),
    "active": (
        "The Word document contains ActiveX controls, embedded objects, or a link that fetches "
        "something from elsewhere when it opens, which the portal cannot check. Save a copy "
        "without them, or as a PDF, and choose it again."
    ),
    "pdf_damaged": (
        "The PDF could not be read: it may be damaged or only partly saved. Save it again and "
        "choose the new copy."
    ),
    "pdf_locked": (
        "The PDF is locked or encrypted, so the portal cannot check it. Save an unlocked copy and "
        "choose it again."
    ),
    "pdf_too_complex": (
        "The PDF is too large or complicated for the portal to check. Print it to a new PDF and "
        "choose that instead."
    ),
}


def _refuse(code: str) -> ValidationError:
    return ValidationError(MESSAGES[code], code=code)


@dataclass(frozen=True)
class CheckedFile:
    """A file `check_upload` accepted: its bytes as they are to be kept, and what it is."""

    content: bytes
    file_type: Document.FileType

    @property
    def size(self) -> int:
        return len(self.content)


def check_upload(upload) -> CheckedFile:
    """The uploaded file as it is to be kept, or `ValidationError` with a message for the form."""
    if not upload.size:
        raise _refuse("empty")
    if upload.size > MAX_BYTES:
        raise _refuse("too_big")
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if not data:
        raise _refuse("empty")
    if len(data) > MAX_BYTES:
        raise _refuse("too_big")
    return check_bytes(data, name=upload.name or "")


def check_bytes(data: bytes, *, name: str = "") -> CheckedFile:
    """What `data` is, judged by its bytes, made safe to keep; or `ValidationError`.

    `name` only chooses the words of a refusal: a file called .txt that is not plain text is
    told so, anything else that is none of the three is told what is accepted.
    """
    if pdf_uploads.looks_like_pdf(data):
        return CheckedFile(_rewritten_pdf(data), Document.FileType.PDF)
    if data.startswith(ZIP):
        check_word(data)
        return CheckedFile(data, Document.FileType.WORD)
    if data.startswith(OLE2):
        raise _refuse("old_word")
    if is_plain_text(data):
        return CheckedFile(data, Document.FileType.TEXT)
    raise _refuse("text" if PurePath(name).suffix.lower() == ".txt" else "type")


def is_plain_text(data: bytes) -> bool:
    """UTF-8 throughout, without a NUL byte (which no text has and every program does)."""
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _rewritten_pdf(data: bytes) -> bytes:
    try:
        return pdf_uploads.rewrite(data)
    except pdf_uploads.PdfRefused as refused:
        raise _refuse(f"pdf_{refused.reason}") from None


def check_word(data: bytes) -> None:
    """Refuse a zip that is not a Word document, or one that carries what could run or reach out.

    Nothing is unpacked but the small XML parts that say what the others are.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
            if len(parts) > MAX_PARTS or sum(p.file_size for p in parts) > MAX_UNPACKED_BYTES:
                raise _refuse("word_damaged")
            names = {part.filename for part in parts}
            if WORD_BODY not in names or CONTENT_TYPES not in names:
                raise _refuse("not_word")
            if any(part.flag_bits & 0x1 for part in parts):
                raise _refuse("word_locked")
            _check_parts(names)
            if "macroenabled" in _read(archive, CONTENT_TYPES).lower():
                raise _refuse("macros")
            for part in parts:
                if part.filename.endswith(".rels") and _reaches_out(_read(archive, part.filename)):
                    raise _refuse("active")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError):
        raise _refuse("word_damaged") from None


def _check_parts(names: set[str]) -> None:
    lowered = [name.lower() for name in names]
    # The VBA project holds the macros of a .docm; vbaData.xml lists them.
    if any(name.endswith(("vbaproject.bin", "vbadata.xml")) for name in lowered):
        raise _refuse("macros")
    # ActiveX controls run code; embedded OLE objects (an attached program, an old-style
    # equation) are opened by programs of their own.
    if any(
        name.startswith("word/activex/")
        or (name.startswith("word/embeddings/") and name.endswith(".bin"))
        for name in lowered
    ):
        raise _refuse("active")


def _read(archive: zipfile.ZipFile, name: str) -> str:
    info = archive.getinfo(name)
    if info.file_size > MAX_PART_BYTES:
        raise _refuse("word_damaged")
    with archive.open(info) as part:
        return part.read(MAX_PART_BYTES + 1).decode("utf-8", errors="replace")


def _reaches_out(relationships: str) -> bool:
    """Whether a part's relationships name anything outside the file but a hyperlink.

    A remote template (attachedTemplate), a frame or an object with TargetMode="External" is
    fetched by Word as the document opens: that is how a harmless-looking .docx loads macros from
    someone else's server. A hyperlink is only followed if the reader clicks it.
    """
    try:
        # The standard library's parser expands no external entities, and its expat (2.4 and
        # later) refuses the entity expansion of a "billion laughs"; the part is at most 1 MB.
        root = ElementTree.fromstring(relationships)  # noqa: S314
    except ElementTree.ParseError:
        raise _refuse("word_damaged") from None
    for element in root.iter():
        if not element.tag.endswith("Relationship"):
            continue
        if element.get("TargetMode", "Internal") != "Internal" and element.get("Type") != HYPERLINK:
            return True
    return False


# What pages read.


def with_uploader(documents: QuerySet[Document]) -> QuerySet[Document]:
    return documents.select_related("board", "uploaded_by").order_by("board__name", "title", "pk")


def own_and_national(documents: QuerySet[Document]) -> tuple[list[Document], list[Document]]:
    """(the boards' own documents, national ones), each in the queryset's order, from one query."""
    own: list[Document] = []
    national: list[Document] = []
    for document in documents:
        (national if document.board_id is None else own).append(document)
    return own, national


def download_name(document: Document) -> str:
    """The name the reader's computer saves the file as: its title, and what the file is."""
    safe = "".join(char if char.isalnum() else "-" for char in document.title.lower())
    stem = "-".join(part for part in safe.split("-") if part) or "document"
    return f"{stem[:80]}{document.extension}"
