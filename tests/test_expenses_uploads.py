"""Receipts: only photos and PDFs that can be made safe are kept, judged by their content; photos
lose their metadata; PDFs lose their scripts, actions and attached files; a refused file leaves
nothing behind; no one sends more than ten a minute; receipts are served only to the rep and their
board's staff, as downloads.

Every file is built here, in the test, byte by byte where it has to be.
"""

import base64
import binascii
import io
import struct
import uuid
import zlib
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pikepdf
import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pikepdf import Array, Dictionary, Name, Stream
from PIL import Image, ImageFile, WebPImagePlugin

from expenses import uploads
from expenses.models import ClaimItem, ReceiptUpload
from portal.core import pdf_rewrite, pdf_uploads
from tests import expenses_own_fixtures as shared
from tests.conftest import sign_in
from tests.expenses_own_fixtures import (
    days_ago,
    draft_for,
    jpeg_bytes,
    page_text,
    parking,
    png_bytes,
    stored_receipts,
)

# Fixtures shared by the tests of a rep's claim screens.
policy_a = shared.policy_a
rep = shared.rep
rep_client = shared.rep_client


# Building files


def pdf_bytes(*objects: bytes, end: bytes = b"%%EOF\n") -> bytes:
    """A small PDF written by hand: a catalogue, a page tree with one blank page, and any extra
    objects given."""
    body = [
        b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n",
        b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n",
        b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n",
        *objects,
    ]
    return b"%PDF-1.7\n" + b"".join(body) + b"trailer\n<< /Root 1 0 R >>\nstartxref\n0\n" + end


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png_claiming(width: int, height: int) -> bytes:
    """A valid PNG header for a picture of `width` × `height` pixels, with hardly any data: a
    decompression bomb in the form that costs the sender nothing."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (1 + width * 3) * 2)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", rows)
        + png_chunk(b"IEND", b"")
    )


def noisy_jpeg(size=(400, 300)) -> bytes:
    image = Image.effect_noise(size, 80).convert("RGB")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90)
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # the camera's make
    exif[0x0112] = 6  # "rotate 90°": the phone was held upright
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (55.0, 57.0, 1.5)
    out = io.BytesIO()
    Image.new("RGB", (60, 40), "red").save(out, format="JPEG", exif=exif)
    return out.getvalue()


def webp_of(size) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size).save(out, format="WEBP", lossless=True, quality=0, method=0)
    return out.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


# Building PDFs


def invoice(pages: int = 1) -> pikepdf.Pdf:
    """An online shop's invoice: pages of text, with a link to the order on the shop's website."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    )
    for number in range(1, pages + 1):
        page = pdf.add_blank_page(page_size=(595, 842))
        page.Resources = Dictionary(Font=Dictionary(F1=font))
        page.Contents = pdf.make_stream(
            b"BT /F1 12 Tf 72 760 Td (Invoice 1042, page %d: parking 3.50) Tj ET" % number
        )
    link = Dictionary(
        Type=Name.Annot,
        Subtype=Name.Link,
        Rect=[72, 740, 300, 754],
        A=Dictionary(S=Name.URI, URI="https://shop.example/orders/1042"),
    )
    pdf.pages[0].Annots = Array([pdf.make_indirect(link)])
    return pdf


def saved(pdf: pikepdf.Pdf, **options) -> bytes:
    """The PDF as a file, its dictionaries packed into compressed object streams."""
    out = io.BytesIO()
    pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate, **options)
    return out.getvalue()


OPENS_WITH_A_SCRIPT = {
    1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
    4: b"<< /S /JavaScript /JS (app.alert('opened')) >>",
}


def pdf_with_object_stream(filter_name: bytes, pack, hidden=OPENS_WITH_A_SCRIPT) -> bytes:
    """A PDF written by hand whose catalogue and script (the objects `hidden`) sit in an object
    stream packed by `pack` with the filter `filter_name`, so that nothing of them shows in the
    file's bytes. A cross-reference stream says where each object is, as it must for objects
    kept in an object stream."""
    index, body = [], b""
    for number, text in hidden.items():
        index.append(b"%d %d" % (number, len(body)))
        body += text + b"\n"
    header = b" ".join(index) + b"\n"
    packed = pack(header + body)
    plain = {
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> >>",
        5: b"<< /Type /ObjStm /N %d /First %d /Filter /%s /Length %d >>\nstream\n%s\nendstream"
        % (len(hidden), len(header), filter_name, len(packed), packed),
    }
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = {}
    for number, text in plain.items():
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, text))
    offsets[6] = out.tell()
    rows = b""
    for number in range(7):
        if number in offsets:
            rows += struct.pack(">BIH", 1, offsets[number], 0)
        elif number in hidden:
            rows += struct.pack(">BIH", 2, 5, list(hidden).index(number))
        else:
            rows += struct.pack(">BIH", 0, 0, 65535)
    out.write(
        b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n"
        % len(rows)
        + rows
        + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % offsets[6]
    )
    return out.getvalue()


def ascii_hex(data: bytes) -> bytes:
    return binascii.hexlify(data) + b">"


def ascii_85(data: bytes) -> bytes:
    return base64.a85encode(data) + b"~>"


def lzw_bomb(text: bytes, runs: int) -> bytes:
    """`text`, then `runs` runs of spaces, packed with LZW as PDF readers unpack it.

    Each run is 3,836 codes (5.6 KB) that unpack to 7.4 MB: after a space, code 258 means two
    spaces, 259 three, and so on, each one space longer than the code before.
    """
    clear, end = 256, 257
    out, bits, count = bytearray(), 0, 0

    def put(code: int, width: int) -> None:
        nonlocal bits, count
        bits, count = bits << width | code, count + width
        while count >= 8:
            count -= 8
            out.append(bits >> count & 0xFF)
        bits &= (1 << count) - 1

    put(clear, 9)
    for byte in text:
        # A clear after each byte keeps the table empty: every code stays 9 bits wide.
        put(byte, 9)
        put(clear, 9)
    for _run in range(runs):
        width, code, entries = 9, 258, 259
        put(ord(" "), width)
        while entries < 4093:
            put(code, width)
            code, entries = code + 1, entries + 1
            if entries + 1 > 1 << width and width < 12:
                width += 1
        put(clear, width)
    put(end, 9)
    if count:
        out.append(bits << (8 - count) & 0xFF)
    return bytes(out)


def with_xfa_script() -> bytes:
    pdf = invoice()
    template = pdf.make_stream(
        b'<template xmlns="http://www.xfa.org/schema/xfa-template/3.3/"><subform>'
        b'<event activity="initialize"><script contentType="application/x-javascript">'
        b"app.alert('opened')</script></event></subform></template>"
    )
    pdf.Root.AcroForm = Dictionary(
        Fields=Array(), XFA=Array(["template", template]), NeedsRendering=True
    )
    return saved(pdf)


def with_forms_sent_away() -> bytes:
    """A form sent to someone else's server when the page opens, and by a button."""
    pdf = invoice()
    send = Dictionary(S=Name.SubmitForm, F=Dictionary(FS=Name.URL, F="https://collect.example/"))
    page = pdf.pages[0]
    page.AA = Dictionary(O=send)
    button = pdf.make_indirect(
        Dictionary(
            Type=Name.Annot,
            Subtype=Name.Widget,
            FT=Name.Btn,
            T="send",
            Rect=[72, 600, 200, 630],
            P=page.obj,
            A=send,
        )
    )
    page.Annots.append(button)
    pdf.Root.AcroForm = Dictionary(Fields=Array([button]))
    return saved(pdf)


def with_attached_files() -> bytes:
    pdf = invoice()
    pdf.attachments["payload.exe"] = pikepdf.AttachedFileSpec(
        pdf, b"MZ a program", filename="p.exe"
    )
    note = pikepdf.AttachedFileSpec(pdf, b"MZ another program", filename="note.exe")
    pin = Dictionary(
        Type=Name.Annot, Subtype=Name.FileAttachment, Rect=[400, 700, 420, 720], FS=note.obj
    )
    pdf.pages[0].Annots.append(pdf.make_indirect(pin))
    return saved(pdf)


def with_document_script() -> bytes:
    pdf = invoice()
    script = Dictionary(S=Name.JavaScript, JS=pdf.make_stream(b"app.alert('opened')"))
    pdf.Root.Names = Dictionary(JavaScript=Dictionary(Names=Array(["init", script])))
    return saved(pdf)


def with_bookmark_that_runs_a_program() -> bytes:
    pdf = invoice()
    bookmark = pdf.make_indirect(
        Dictionary(Title="Details", A=Dictionary(S=Name.Launch, F="cmd.exe"))
    )
    outlines = pdf.make_indirect(
        Dictionary(Type=Name.Outlines, First=bookmark, Last=bookmark, Count=1)
    )
    bookmark.Parent = outlines
    pdf.Root.Outlines = outlines
    return saved(pdf)


# Anything that makes a reader run, open, send or fetch something, or that carries a file.
ACTIVE_KEYS = {"/JS", "/JavaScript", "/OpenAction", "/AA", "/XFA", "/EmbeddedFiles", "/EF"}
ACTIVE_NAMES = {
    *("/JavaScript", "/Launch", "/URI", "/SubmitForm", "/ImportData", "/GoTo", "/GoToR"),
    *("/GoToE", "/Named", "/Rendition", "/Action", "/EmbeddedFile", "/FileAttachment"),
}


def active_parts(data: bytes) -> list[str]:
    """Every script, action and attached file in the PDF, found by walking every object in it
    (not only where the specification puts them)."""
    found = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        stack = [pdf.trailer, *pdf.objects]
        while stack:
            item = stack.pop()
            if isinstance(item, Array):
                children = list(item)
            elif isinstance(item, Dictionary | Stream):
                found += sorted(ACTIVE_KEYS & set(item.keys()))
                for key in ("/S", "/Type", "/Subtype"):
                    value = item.get(key)
                    if isinstance(value, Name) and str(value) in ACTIVE_NAMES:
                        found.append(f"{key} {value}")
                children = [value for _key, value in item.items()]
            else:
                continue
            stack += [
                child
                for child in children
                if isinstance(child, Array | Dictionary | Stream) and not child.is_indirect
            ]
    return found


# Posting a receipt with a parking item


@pytest.fixture
def claim(rep):
    return draft_for(rep)


def answers(**extra) -> dict:
    return {
        "date": days_ago(2).strftime("%d/%m/%Y"),
        "activity": "Integration Joint Board meeting",
        "amount_claimed": "12.50",
        **extra,
    }


def post_receipt(client, claim, file):
    return client.post(f"/my/claims/{claim.pk}/items/new/?kind=parking", answers(receipt=file))


def multipart(fields: dict[str, str], filename: str, data: bytes) -> tuple[bytes, str]:
    """A multipart body written by hand, so that the file's name goes exactly as given.

    Django's test client (like a browser) would strip "../" before sending; an attacker would not.
    """
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        disposition = f'Content-Disposition: form-data; name="{name}"'
        parts.append(f"--{boundary}\r\n{disposition}\r\n\r\n{value}\r\n".encode())
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="receipt"; filename="'.encode()
        + filename.encode("utf-8")
        + b'"\r\nContent-Type: image/png\r\n\r\n'
        + data
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


REFUSED = {
    "html renamed .pdf": (
        "receipt.pdf",
        b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>",
        "application/pdf",
        uploads.MESSAGES["type"],
    ),
    "svg with a script": (
        "receipt.png",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "image/png",
        uploads.MESSAGES["type"],
    ),
    "gif that is also javascript": (
        "receipt.jpg",
        b"GIF89a/*\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00*/=1;alert(1);//"
        b"\x2c\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00\x3b",
        "image/jpeg",
        uploads.MESSAGES["type"],
    ),
    "zero bytes": ("receipt.jpg", b"", "image/jpeg", uploads.MESSAGES["empty"]),
    "over 10 MB": (
        "receipt.pdf",
        pdf_bytes(b"% " + b"0" * (10 * 1024 * 1024) + b"\n"),
        "application/pdf",
        uploads.MESSAGES["too_big"],
    ),
    "decompression bomb": (
        "receipt.png",
        png_claiming(100_000, 100_000),
        "image/png",
        uploads.MESSAGES["image_too_large"],
    ),
    "png of 30 megapixels": (
        "receipt.png",
        png_claiming(6000, 5000),
        "image/png",
        uploads.MESSAGES["image_too_large"],
    ),
    "truncated jpeg": (
        "receipt.jpg",
        noisy_jpeg()[:6000],
        "image/jpeg",
        uploads.MESSAGES["image_damaged"],
    ),
    "pdf cut short": (
        "receipt.pdf",
        pdf_bytes(end=b""),
        "application/pdf",
        uploads.MESSAGES["pdf_damaged"],
    ),
    "pdf that is not one inside": (
        "receipt.pdf",
        b"%PDF-1.7\n" + b"Only the first line of a PDF.\n" * 20 + b"%%EOF\n",
        "application/pdf",
        uploads.MESSAGES["pdf_damaged"],
    ),
    "pdf locked with a password": (
        "receipt.pdf",
        saved(invoice(), encryption=pikepdf.Encryption(owner="owner", user="secret")),
        "application/pdf",
        uploads.MESSAGES["pdf_locked"],
    ),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_a_refused_file_gets_a_clear_error_and_leaves_nothing_behind(rep_client, claim, case):
    name, data, content_type, message = REFUSED[case]
    before = stored_receipts()
    response = post_receipt(rep_client, claim, upload(name, data, content_type))
    assert response.status_code == 200
    assert message in page_text(response)
    assert response.context["form"].errors["receipt"] == [message]
    assert not ClaimItem.objects.exists()
    assert stored_receipts() == before


@pytest.mark.parametrize(
    "filename",
    [
        "../../receipt.png",
        "..\\..\\receipt.png",
        "receipts/../../../etc/receipt.png",
        "..",
        "receipt\x00.png",
        "receipt\u202egnp.exe",
        "receipt&#x2F;..&#x2F;x.png",
    ],
    ids=["dot-dot-slash", "backslashes", "path", "dot-dot", "null", "rtl-override", "entities"],
)
def test_a_name_that_reaches_for_another_folder_or_hides_what_it_is_is_refused(
    rep_client, claim, filename
):
    before = stored_receipts()
    body, content_type = multipart(answers(), filename, png_bytes())
    response = rep_client.post(
        f"/my/claims/{claim.pk}/items/new/?kind=parking", body, content_type=content_type
    )
    assert response.status_code == 200
    assert uploads.MESSAGES["name"] in page_text(response)
    assert not ClaimItem.objects.exists()
    assert stored_receipts() == before


def test_the_same_hand_written_upload_with_a_plain_name_is_accepted(rep_client, claim):
    body, content_type = multipart(answers(), "IMG_2041.png", png_bytes())
    response = rep_client.post(
        f"/my/claims/{claim.pk}/items/new/?kind=parking", body, content_type=content_type
    )
    assert response.status_code == 302
    assert claim.items.get().receipt.name.endswith(".png")


def test_the_upload_page_still_needs_the_csrf_token(client, rep_a1, policy_a):
    claim = draft_for(rep_a1.rep_profile)
    strict = sign_in(Client(enforce_csrf_checks=True), rep_a1)
    response = strict.post(
        f"/my/claims/{claim.pk}/items/new/?kind=parking",
        answers(receipt=upload("receipt.png", png_bytes())),
    )
    assert response.status_code == 403
    assert not ClaimItem.objects.exists()


# What is kept


def test_a_photo_is_kept_under_a_random_name_without_its_metadata(rep_client, claim):
    before = stored_receipts()
    response = post_receipt(rep_client, claim, upload("Jane Smith GPS.jpg", jpeg_with_gps()))
    assert response.status_code == 302
    item = claim.items.get()
    stored = item.receipt.name
    assert stored.startswith("receipts/")
    assert "Jane" not in stored
    assert len(set(stored_receipts()) - set(before)) == 1
    data = item.receipt.read()
    assert b"PhoneMaker" not in data
    assert b"Exif" not in data
    with Image.open(io.BytesIO(data)) as kept:
        assert kept.format == "JPEG"
        assert not kept.getexif()
        assert "exif" not in kept.info
        # Turned upright from the EXIF orientation before it was dropped.
        assert kept.size == (40, 60)


def test_a_png_loses_its_text_chunks(rep_client, claim):
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "Jane Smith, 12 Hill Street")
    post_receipt(rep_client, claim, upload("receipt.png", png_bytes(pnginfo=info)))
    data = claim.items.get().receipt.read()
    assert b"Jane Smith" not in data
    assert data.startswith(b"\x89PNG")


def test_a_webp_photo_is_accepted(rep_client, claim):
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "blue").save(out, format="WEBP")
    assert post_receipt(rep_client, claim, upload("r.webp", out.getvalue())).status_code == 302
    assert claim.items.get().receipt.name.endswith(".webp")


def test_the_type_comes_from_the_content_not_the_name_or_header(rep_client, claim):
    response = post_receipt(rep_client, claim, upload("receipt.pdf", png_bytes(), "text/html"))
    assert response.status_code == 302
    assert claim.items.get().receipt.name.endswith(".png")


def test_an_invoice_keeps_its_pages_text_and_link_but_the_link_opens_nothing(rep_client, claim):
    data = saved(invoice(pages=2))
    assert post_receipt(rep_client, claim, upload("invoice.pdf", data)).status_code == 302
    item = claim.items.get()
    assert item.receipt.name.endswith(".pdf")
    kept = item.receipt.read()
    assert active_parts(kept) == []
    with pikepdf.open(io.BytesIO(kept)) as pdf:
        assert len(pdf.pages) == 2
        for number, page in enumerate(pdf.pages, start=1):
            text = b"(Invoice 1042, page %d: parking 3.50) Tj" % number
            assert text in page.Contents.read_bytes()
        link = pdf.pages[0].Annots[0]
        assert link.Subtype == Name.Link
        assert "/A" not in link


HOSTILE = {
    "script on opening, in an ASCIIHex object stream": lambda: pdf_with_object_stream(
        b"ASCIIHexDecode", ascii_hex
    ),
    "script on opening, in an ASCII85 object stream": lambda: pdf_with_object_stream(
        b"ASCII85Decode", ascii_85
    ),
    "XFA form with a script": with_xfa_script,
    "link to a web page": lambda: saved(invoice()),
    "form sent to another server": with_forms_sent_away,
    "attached files": with_attached_files,
    "script for the whole document": with_document_script,
    "bookmark that runs a program": with_bookmark_that_runs_a_program,
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_pdf_is_kept_without_its_scripts_actions_and_attached_files(rep_client, claim, case):
    data = HOSTILE[case]()
    assert active_parts(data), "the file as sent has something to take out"
    response = post_receipt(rep_client, claim, upload("receipt.pdf", data))
    assert response.status_code == 302
    kept = claim.items.get().receipt.read()
    assert kept != data
    assert active_parts(kept) == []
    with pikepdf.open(io.BytesIO(kept)) as pdf:
        assert len(pdf.pages) == 1


def test_a_receipt_can_be_added_later_replaced_and_removed(rep_client, rep):
    claim = draft_for(rep, parking("12.50"))
    item = claim.items.get()
    url = f"/my/claims/{claim.pk}/items/{item.pk}/"
    rep_client.post(url, answers(receipt=upload("a.png", png_bytes(colour="red"))))
    item.refresh_from_db()
    first = item.receipt.name
    assert first

    refused = rep_client.post(url, answers(receipt=upload("a.png", b"<html></html>")))
    assert uploads.MESSAGES["type"] in page_text(refused)
    item.refresh_from_db()
    assert item.receipt.name == first

    rep_client.post(url, answers())
    item.refresh_from_db()
    assert item.receipt.name == first, "no new file keeps the one there"

    rep_client.post(url, answers(**{"receipt-clear": "on"}))
    item.refresh_from_db()
    assert not item.receipt


# Serving


def test_the_rep_downloads_the_receipt_as_an_attachment(rep_client, claim):
    post_receipt(rep_client, claim, upload("receipt.png", png_bytes()))
    item = claim.items.get()
    response = rep_client.get(f"/my/claims/{claim.pk}/items/{item.pk}/receipt/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == (
        f'attachment; filename="receipt-{claim.reference}-{item.pk}.png"'
    )
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == item.receipt.read()


def test_staff_of_the_board_get_the_receipt_and_everyone_else_404(
    client, rep_client, claim, rep_a2, rep_b1, staff_a, staff_b, national_viewer, administrator
):
    post_receipt(rep_client, claim, upload("receipt.pdf", pdf_bytes()))
    item = claim.items.get()
    url = f"/my/claims/{claim.pk}/items/{item.pk}/receipt/"
    assert sign_in(client, staff_a).get(url)["Content-Type"] == "application/pdf"
    for other in (rep_a2, rep_b1, staff_b, national_viewer, administrator):
        client.logout()
        assert sign_in(client, other).get(url).status_code == 404


def test_an_item_without_a_receipt_answers_404(rep_client, rep):
    claim = draft_for(rep, parking("2.00"))
    item = claim.items.get()
    assert rep_client.get(f"/my/claims/{claim.pk}/items/{item.pk}/receipt/").status_code == 404


# The check itself, without the form


def test_the_check_refuses_names_even_when_django_would_have_cleaned_them(rep_a1):
    for name in ("receipt\x00.png", "receipt\u202egnp.exe", "a\u2066b.png"):
        with pytest.raises(ValidationError) as refused:
            uploads.clean_receipt(upload(name, png_bytes()), by=rep_a1)
        assert refused.value.code == "name"


def test_a_pdf_that_opens_without_a_password_is_kept_without_its_encryption(rep_client, claim):
    locked_for_editing = saved(invoice(), encryption=pikepdf.Encryption(owner="owner", user=""))
    response = post_receipt(rep_client, claim, upload("invoice.pdf", locked_for_editing))
    assert response.status_code == 302
    with pikepdf.open(claim.items.get().receipt) as pdf:
        assert not pdf.is_encrypted
        assert len(pdf.pages) == 1


def test_a_pdf_whose_object_stream_unpacks_to_gigabytes_is_refused(rep_client, claim):
    # 2 MB that would unpack to 3 GB, with LZW, which the parser unpacks without a limit of
    # its own: the process that rewrites it runs out of memory, not the web worker.
    bomb = pdf_with_object_stream(b"LZWDecode", lambda data: lzw_bomb(data, runs=400))
    assert len(bomb) < 3 * 1024 * 1024
    before = stored_receipts()
    response = post_receipt(rep_client, claim, upload("receipt.pdf", bomb))
    assert response.status_code == 200
    # The parser reports what it could not unpack as unreadable, or the process is stopped.
    [message] = response.context["form"].errors["receipt"]
    assert message in {uploads.MESSAGES["pdf_damaged"], uploads.MESSAGES["pdf_too_complex"]}
    assert stored_receipts() == before


def test_a_pdf_of_too_many_objects_is_refused_before_they_are_visited(monkeypatch):
    monkeypatch.setattr(pdf_rewrite, "MAX_OBJECTS", 5)
    with pytest.raises(pdf_rewrite.Refused) as refused:
        pdf_rewrite.rewrite(saved(invoice(pages=3)))
    assert refused.value.code == pdf_rewrite.TOO_COMPLEX


def test_a_pdf_is_refused_and_the_fault_logged_when_the_rewriting_process_fails(
    monkeypatch, caplog
):
    monkeypatch.setattr(pdf_uploads, "_REWRITER", pdf_uploads._REWRITER.with_name("missing.py"))
    with pytest.raises(ValidationError) as refused:
        uploads.rewrite_pdf(saved(invoice()))
    assert refused.value.code == "pdf_too_complex"
    assert "could not be rewritten" in caplog.text


def test_a_large_photo_is_scaled_down(monkeypatch):
    monkeypatch.setattr(uploads, "LONGEST_SIDE", 100)
    kept = uploads.reencode_image(jpeg_bytes(size=(400, 200)), uploads.JPEG)
    with Image.open(io.BytesIO(kept)) as image:
        assert image.size == (100, 50)


def test_a_48_megapixel_photo_is_decoded_at_half_size_and_kept_at_the_longest_side(
    rep_client, claim
):
    photo = jpeg_bytes(size=(8000, 6000), quality=50)
    # A quarter of the pixels to decode: 36 MB of memory, not 144 MB.
    assert uploads.open_photo(photo, uploads.JPEG).size == (4000, 3000)
    assert post_receipt(rep_client, claim, upload("IMG_0001.jpg", photo)).status_code == 302
    with Image.open(claim.items.get().receipt) as kept:
        assert kept.size == (uploads.LONGEST_SIDE, 3000)


@pytest.mark.parametrize("kind", [uploads.PNG, uploads.WEBP], ids=["png", "webp"])
def test_a_png_or_webp_over_25_megapixels_is_refused_before_any_pixel_is_decoded(monkeypatch, kind):
    data = png_claiming(6000, 5000) if kind is uploads.PNG else webp_of((6000, 5000))

    def decode(image):
        raise AssertionError("the pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", decode)
    monkeypatch.setattr(WebPImagePlugin.WebPImageFile, "load", decode)
    with pytest.raises(ValidationError) as refused:
        uploads.reencode_image(data, kind)
    assert refused.value.code == "image_too_large"


def test_the_pixel_limit_holds_even_below_pillows_own(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_PIXELS_PNG_WEBP", 100)
    with pytest.raises(ValidationError) as refused:
        uploads.reencode_image(png_bytes(size=(11, 10)), uploads.PNG)
    assert refused.value.code == "image_too_large"
    assert uploads.reencode_image(png_bytes(size=(10, 10)), uploads.PNG)


def test_receipt_types_come_from_the_first_bytes():
    assert uploads.receipt_type(jpeg_bytes()[:16]) is uploads.JPEG
    assert uploads.receipt_type(png_bytes()[:16]) is uploads.PNG
    assert uploads.receipt_type(b"%PDF-1.4\n") is uploads.PDF
    assert uploads.receipt_type(b"GIF89a") is None
    assert uploads.receipt_type(b"<svg") is None
    assert uploads.receipt_type(b"RIFF\x00\x00\x00\x00AVI ") is None


def test_an_amount_is_never_taken_from_the_upload(rep_client, claim):
    post_receipt(rep_client, claim, upload("receipt.png", png_bytes()))
    assert claim.items.get().amount == Decimal("12.50")


# How many a minute

TOO_MANY = "You have added 10 receipts in the last minute. Wait a minute and try again."


def test_ten_receipts_a_minute_are_taken_and_the_eleventh_is_refused(rep_client, claim):
    for _ in range(10):
        assert post_receipt(rep_client, claim, upload("r.png", png_bytes())).status_code == 302
    before = stored_receipts()
    response = post_receipt(rep_client, claim, upload("r.png", png_bytes()))
    assert response.status_code == 200
    assert response.context["form"].errors["receipt"] == [TOO_MANY]
    assert TOO_MANY in page_text(response)
    assert claim.items.count() == 10
    assert stored_receipts() == before


def test_another_persons_receipts_do_not_count_against_a_rep(client, rep_a1, rep_a2, policy_a):
    for _ in range(10):
        uploads.count_receipt(rep_a1)
    claim = draft_for(rep_a2.rep_profile)
    response = post_receipt(sign_in(client, rep_a2), claim, upload("r.png", png_bytes()))
    assert response.status_code == 302


def test_the_count_starts_again_after_a_minute_and_old_counts_are_deleted(rep_a1):
    with time_machine.travel(datetime(2026, 11, 25, 10, 0, tzinfo=UTC), tick=False) as clock:
        for _ in range(10):
            uploads.count_receipt(rep_a1)
        clock.shift(timedelta(seconds=59))
        with pytest.raises(ValidationError) as refused:
            uploads.count_receipt(rep_a1)
        assert refused.value.messages == [TOO_MANY]
        clock.shift(timedelta(seconds=2))
        uploads.count_receipt(rep_a1)
    assert ReceiptUpload.objects.count() == 1
