"""Receipts: only photos and PDFs that can be made safe are kept, judged by their content; photos
lose their metadata; a refused file leaves nothing behind; receipts are served only to the rep and
their board's staff, as downloads.

Every file is built here, in the test, byte by byte where it has to be.
"""

import io
import struct
import uuid
import zlib
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from expenses import uploads
from expenses.models import ClaimItem
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
    """A small PDF: a catalogue, an empty page tree and any extra objects given."""
    body = [
        b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n",
        b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n",
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


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


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
    "truncated jpeg": (
        "receipt.jpg",
        noisy_jpeg()[:6000],
        "image/jpeg",
        uploads.MESSAGES["image_damaged"],
    ),
    "pdf with javascript": (
        "receipt.pdf",
        pdf_bytes(b"3 0 obj\n<< /S /JavaScript /JS (app.alert(1)) >>\nendobj\n"),
        "application/pdf",
        uploads.MESSAGES["pdf_active"],
    ),
    "pdf cut short": (
        "receipt.pdf",
        pdf_bytes(end=b""),
        "application/pdf",
        uploads.MESSAGES["pdf_damaged"],
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


def test_a_plain_pdf_is_kept_as_it_was(rep_client, claim):
    data = pdf_bytes()
    assert post_receipt(rep_client, claim, upload("invoice.pdf", data)).status_code == 302
    item = claim.items.get()
    assert item.receipt.name.endswith(".pdf")
    assert item.receipt.read() == data


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


def test_the_check_refuses_names_even_when_django_would_have_cleaned_them():
    for name in ("receipt\x00.png", "receipt\u202egnp.exe", "a\u2066b.png"):
        with pytest.raises(ValidationError) as refused:
            uploads.clean_receipt(upload(name, png_bytes()))
        assert refused.value.code == "name"


@pytest.mark.parametrize(
    "active",
    [
        b"<< /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>",
        b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>",
        b"<< /S /Launch /F (cmd.exe) >>",
        b"<< /Type /EmbeddedFile /Length 3 >>",
        b"<< /Names << /EmbeddedFiles 4 0 R >> >>",
    ],
)
def test_a_pdf_that_runs_something_or_carries_a_file_is_refused(active):
    data = pdf_bytes(b"3 0 obj\n" + active + b"\nendobj\n")
    with pytest.raises(ValidationError) as refused:
        uploads.check_pdf(data)
    assert refused.value.code == "pdf_active"


def test_a_script_hidden_in_a_compressed_object_stream_is_found():
    hidden = zlib.compress(b"3 0 << /S /JavaScript /JS (app.alert(1)) >>")
    stream = (
        b"4 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length "
        + str(len(hidden)).encode()
        + b" >>\nstream\n"
        + hidden
        + b"\nendstream\nendobj\n"
    )
    with pytest.raises(ValidationError) as refused:
        uploads.check_pdf(pdf_bytes(stream))
    assert refused.value.code == "pdf_active"


def test_an_encrypted_pdf_is_refused_because_it_cannot_be_checked():
    data = pdf_bytes(b"5 0 obj\n<< /Filter /Standard /V 2 >>\nendobj\n").replace(
        b"<< /Root 1 0 R >>", b"<< /Root 1 0 R /Encrypt 5 0 R >>"
    )
    with pytest.raises(ValidationError) as refused:
        uploads.check_pdf(data)
    assert refused.value.code == "pdf_locked"


def test_a_pdf_with_a_compressed_page_is_accepted():
    content = zlib.compress(b"BT /F1 12 Tf 72 712 Td (Parking 3.50) Tj ET")
    stream = (
        b"4 0 obj\n<< /Filter /FlateDecode /Length "
        + str(len(content)).encode()
        + b" >>\nstream\n"
        + content
        + b"\nendstream\nendobj\n"
    )
    uploads.check_pdf(pdf_bytes(stream))


def test_a_pdf_that_unpacks_to_too_much_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_PDF_UNPACKED", 1000)
    packed = zlib.compress(b"\x00" * 5000)
    stream = b"4 0 obj\n<< /Filter /FlateDecode >>\nstream\n" + packed + b"\nendstream\nendobj\n"
    with pytest.raises(ValidationError) as refused:
        uploads.check_pdf(pdf_bytes(stream))
    assert refused.value.code == "pdf_damaged"


def test_a_large_photo_is_scaled_down(monkeypatch):
    monkeypatch.setattr(uploads, "LONGEST_SIDE", 100)
    kept = uploads.clean_receipt(upload("big.jpg", jpeg_bytes(size=(400, 200))))
    with Image.open(kept) as image:
        assert image.size == (100, 50)


def test_the_pixel_limit_holds_even_below_pillows_own(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_PIXELS", 100)
    with pytest.raises(ValidationError) as refused:
        uploads.clean_receipt(upload("small.png", png_bytes(size=(11, 10))))
    assert refused.value.code == "image_too_large"
    assert uploads.clean_receipt(upload("ok.png", png_bytes(size=(10, 10)))).size > 0


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
