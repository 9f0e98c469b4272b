"""Receipts: one check for every form that takes one, judged by what the file is, not its name.

A receipt comes from a rep's phone or computer and is later opened by staff, so the portal keeps
only what it has made safe: a photo (JPEG, PNG or WebP) is decoded and drawn again from its pixels
alone, so that nothing hidden in it (EXIF, GPS, trailing data, a second file glued on) is kept; a
PDF is parsed and written again without its scripts, actions and attached files
(`portal.core.pdf_uploads`). The type is read from the bytes: the file's name and the browser's
Content-Type are both the sender's to choose.
"""

import html
import io
import unicodedata
import warnings
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http.multipartparser import MultiPartParser
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from PIL import Image, ImageOps, UnidentifiedImageError

from expenses.models import ReceiptUpload
from portal.core import pdf_uploads
from portal.core.models import User

MAX_BYTES = 10 * 1024 * 1024
MAX_SIZE_LABEL = "10 MB"
# The most a JPEG may hold: a 48-megapixel phone photo fits; a few kilobytes that claim to hold a
# billion pixels (a decompression bomb, which would take gigabytes of memory to open) do not. A
# large JPEG is decoded at a half, a quarter or an eighth of its size (see `open_photo`), so even
# one at this limit costs what a 12-megapixel photo does.
MAX_PIXELS = 50_000_000
# PNG and WebP have no such shortcut: every pixel is unpacked, and a pixel flood (a 47 KB PNG of
# 50 megapixels) takes a second and 180 MB to open. This is still far more than a receipt needs
# (an A4 page scanned at 300 dpi is 9 megapixels).
MAX_PIXELS_PNG_WEBP = 25_000_000
# Plenty to read a receipt by; larger photos are scaled down so each stored file stays small.
LONGEST_SIDE = 4000
# Each receipt costs the server real work (a photo decoded and drawn again, a PDF parsed and
# written again), so one account, or a script using it, cannot keep the workers busy with a
# stream of files.
RECEIPTS_PER_MINUTE = 10

MESSAGES = {
    "name": (
        "The file's name has characters the portal cannot accept. Rename the file, for example "
        "to receipt.jpg, and choose it again."
    ),
    "empty": "The file you chose is empty. Choose the photo or PDF of your receipt again.",
    "too_big": (
        f"The file must be smaller than {MAX_SIZE_LABEL}. Save a smaller copy, or take the "
        "photo again, and choose it again."
    ),
    "type": "The file must be a photo (JPEG, PNG or WebP) or a PDF.",
    "image_damaged": (
        "The photo could not be opened: it may be damaged or only partly saved. Take the photo "
        "again, or choose a different file."
    ),
    "image_too_large": (
        "The photo has too many pixels for the portal to open. Save a smaller copy and choose "
        "it again."
    ),
    "pdf_damaged": (
        "The PDF could not be read: it may be damaged or only partly saved. Save it again and "
        "choose the new copy."
    ),
    "pdf_locked": (
        "The PDF is locked or encrypted, so the portal cannot check it. Save an unlocked copy, "
        "or upload a photo of the receipt instead."
    ),
    "pdf_too_complex": (
        "The PDF is too large or complicated for the portal to check. Print it to a new PDF, or "
        "upload a photo of the receipt instead."
    ),
    "too_many": (
        f"You have added {RECEIPTS_PER_MINUTE} receipts in the last minute. Wait a minute and "
        "try again."
    ),
}


@dataclass(frozen=True)
class ReceiptType:
    name: str
    extension: str
    content_type: str
    pillow_format: str | None = None


JPEG = ReceiptType("jpeg", ".jpg", "image/jpeg", "JPEG")
PNG = ReceiptType("png", ".png", "image/png", "PNG")
WEBP = ReceiptType("webp", ".webp", "image/webp", "WEBP")
PDF = ReceiptType("pdf", ".pdf", "application/pdf")
TYPES_BY_EXTENSION = {kind.extension: kind for kind in (JPEG, PNG, WEBP, PDF)}
TYPES_BY_EXTENSION[".jpeg"] = JPEG


def _refuse(code: str) -> ValidationError:
    return ValidationError(MESSAGES[code], code=code)


# The file's name


# Characters that change the direction text is shown in. A right-to-left override makes
# "receipt\u202egpj.exe" read as "receiptexe.jpg": a file pretending to be what it is not.
_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def unsafe_name(name: str) -> bool:
    """Whether a file name tries to reach another folder or hides what it is.

    Django cleans upload names before any form sees them (`OriginalNameParser` keeps the name as
    sent); the stored name is random in any case. A name that needed cleaning means a crafted
    request, and the receipt is refused rather than quietly accepted under another name.
    """
    for text in (name, html.unescape(name)):
        if "/" in text or "\\" in text or ".." in text:
            return True
        for char in text:
            # Cc: control characters, the null byte among them; Cf: invisible format characters.
            if char in _BIDI_CONTROLS or unicodedata.category(char) in {"Cc", "Cf"}:
                return True
    return False


class OriginalNameParser(MultiPartParser):
    """Django's multipart parser, which also keeps each uploaded file's name as it was sent.

    Django drops path separators and unprintable characters from upload names, and drops a file
    called ".." altogether; the receipt check needs the name as sent to refuse such files.
    """

    def parse(self):
        self._names_as_sent: list[tuple[str, str]] = []
        post, files = super().parse()
        unmatched = list(self._names_as_sent)
        for _field, uploads in files.lists():
            for upload in uploads:
                for index, (cleaned, sent) in enumerate(unmatched):
                    if cleaned == upload.name:
                        upload.name_as_sent = sent
                        del unmatched[index]
                        break
        # A name Django shortened past recognition: if any unmatched name was unsafe, treat
        # every file of the request as suspect rather than let one through.
        suspect = [sent for _cleaned, sent in unmatched if unsafe_name(sent)]
        if suspect:
            for _field, uploads in files.lists():
                for upload in uploads:
                    upload.name_as_sent = suspect[0]
        return post, files

    def sanitize_file_name(self, file_name):
        cleaned = super().sanitize_file_name(file_name) or "unnamed"
        self._names_as_sent.append((cleaned, file_name))
        return cleaned


def keeps_names_as_sent(view):
    """Parse the view's uploads with `OriginalNameParser`.

    The parser must be chosen before anything reads `request.POST`, and the CSRF middleware reads
    it before any view runs. So, as Django's documentation advises for changing upload handling
    in one view, the middleware's check is switched off for this view and the same check runs
    inside it, after the parser is chosen: the view is exactly as protected against cross-site
    request forgery as any other.
    """
    protected = csrf_protect(view)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        request.multipart_parser_class = OriginalNameParser
        return protected(request, *args, **kwargs)

    return csrf_exempt(wrapped)


# The file's content


def receipt_type(head: bytes) -> ReceiptType | None:
    """The kind of file from its first bytes (its "magic number"), or None if not accepted."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    return None


def clean_receipt(upload, *, by: User) -> ContentFile:
    """The upload made safe to keep, or `ValidationError` with a message for the form.

    Photos come back re-encoded from their pixels, PDFs written again without anything active;
    either way under a plain name with the extension of what the file really is (the stored name
    is made random later). `by` is the person sending it: each file that gets as far as being
    opened counts towards their `RECEIPTS_PER_MINUTE`.
    """
    sent = getattr(upload, "name_as_sent", None) or upload.name or ""
    if unsafe_name(sent) or unsafe_name(upload.name or ""):
        raise _refuse("name")
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
    kind = receipt_type(data[:16])
    if kind is None:
        raise _refuse("type")
    count_receipt(by)
    if kind is PDF:
        return ContentFile(rewrite_pdf(data), name=f"receipt{kind.extension}")
    return ContentFile(reencode_image(data, kind), name=f"receipt{kind.extension}")


def count_receipt(by: User) -> None:
    """Count one more receipt from `by`, or refuse it if they have sent `RECEIPTS_PER_MINUTE`
    in the last minute.

    The count is kept in the database, so that every worker on every machine sees the same one;
    rows more than a minute old are deleted as it is taken, so the table stays small.
    """
    now = timezone.now()
    since = now - timedelta(minutes=1)
    with transaction.atomic():
        # Two uploads at once from one person must not both see nine and both go through.
        User.objects.select_for_update().filter(pk=by.pk).first()
        ReceiptUpload.objects.filter(at__lte=since).delete()
        if ReceiptUpload.objects.filter(by=by, at__gt=since).count() >= RECEIPTS_PER_MINUTE:
            raise _refuse("too_many")
        ReceiptUpload.objects.create(by=by, at=now)


# Photos


def pixel_limit(kind: ReceiptType) -> int:
    limit = MAX_PIXELS if kind is JPEG else MAX_PIXELS_PNG_WEBP
    return min(limit, Image.MAX_IMAGE_PIXELS or limit)


def open_photo(data: bytes, kind: ReceiptType) -> Image.Image:
    """The photo's pixels, upright, or `ValidationError`.

    The number of pixels is read from the header and checked before any pixel is decoded. A
    JPEG larger than it will be stored is decoded at a reduced size, which the format allows.
    """
    formats = [kind.pillow_format]
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that; here that is an error.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=formats) as probe:
                if probe.width * probe.height > pixel_limit(kind):
                    raise _refuse("image_too_large")
                probe.verify()
            # verify() leaves the image unusable; open it again to decode every pixel, which
            # finds a file cut short that verify() alone lets through.
            with Image.open(io.BytesIO(data), formats=formats) as image:
                if kind is JPEG and max(image.size) > LONGEST_SIDE:
                    image.draft("RGB", _draft_size(image.size))
                image.load()
                return ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse("image_too_large") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise _refuse("image_damaged") from error


def _draft_size(size: tuple[int, int]) -> tuple[int, int]:
    """The size the photo will be stored at, which the JPEG decoder then decodes no smaller than.

    The photo's own proportions, not a square: asked for 4000 × 4000, the decoder would decode
    an 8000 × 6000 photo at full size, as 6000 is not twice 4000.
    """
    width, height = size
    scale = LONGEST_SIDE / max(width, height)
    return max(1, int(width * scale)), max(1, int(height * scale))


def reencode_image(data: bytes, kind: ReceiptType) -> bytes:
    """The photo drawn again from its pixels: upright, at most `LONGEST_SIDE`, no metadata."""
    upright = open_photo(data, kind)
    upright.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
    has_alpha = upright.mode in {"RGBA", "LA", "PA"} or "transparency" in upright.info
    if upright.mode in {"1", "L", "I", "I;16", "I;16B", "I;16L", "F"}:
        mode = "L"
    elif has_alpha and kind is not JPEG:
        mode = "RGBA"
    else:
        mode = "RGB"
    try:
        pixels = upright.convert(mode)
    except ValueError as error:
        raise _refuse("image_damaged") from error
    # A new image from the raw pixels carries nothing else across: no EXIF, GPS, XMP, ICC
    # profile, comments or text chunks, whatever the format's own saving code would copy.
    bare = Image.frombytes(mode, pixels.size, pixels.tobytes())
    out = io.BytesIO()
    if kind is JPEG:
        bare.save(out, format="JPEG", quality=85, optimize=True)
    elif kind is PNG:
        bare.save(out, format="PNG", optimize=True)
    else:
        bare.save(out, format="WEBP", quality=85)
    return out.getvalue()


# PDFs


def rewrite_pdf(data: bytes) -> bytes:
    """The PDF written again without scripts, actions or attached files, in a process of its own
    (`portal.core.pdf_uploads`), or `ValidationError`.

    Refused only if it cannot be read, needs a password to open, or is too much to rewrite.
    """
    try:
        return pdf_uploads.rewrite(data)
    except pdf_uploads.PdfRefused as refused:
        raise _refuse(f"pdf_{refused.reason}") from None


def stored_type(stored_name: str) -> ReceiptType | None:
    """What a stored receipt is, from the extension `clean_receipt` gave it."""
    return TYPES_BY_EXTENSION.get(PurePath(stored_name).suffix.lower())
