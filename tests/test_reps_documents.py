"""Documents for reps: who reads which, what staff may change, the public page, the induction
checklist's links, and the pages' queries."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reps import access, demo, documents, services
from reps.models import Document, InductionItemTemplate
from tests.conftest import sign_in
from tests.factories import GroupFactory, SeatFactory
from tests.reps_documents_fixtures import make_document


@pytest.fixture
def library(board_a, board_b):
    return {
        "a": make_document(board_a, title="Code of conduct for East Dunbartonshire"),
        "b": make_document(board_b, title="Code of conduct for Fife"),
        "national": make_document(None, title="Glossary of terms", kind=Document.Kind.GLOSSARY),
    }


# Reps read their board's documents and the national ones, and no others


def test_a_rep_sees_their_boards_documents_and_the_national_ones(client, rep_a1, library):
    sign_in(client, rep_a1)
    page = client.get(reverse("reps:my_documents")).content.decode()
    assert "Code of conduct for East Dunbartonshire" in page
    assert "Glossary of terms" in page
    assert "Code of conduct for Fife" not in page


def test_a_rep_downloads_their_boards_document_as_a_private_attachment(client, rep_a1, library):
    sign_in(client, rep_a1)
    response = client.get(reverse("reps:my_document", args=[library["a"].pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Notes for reps.\n"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="code-of-conduct-for-east-dunbartonshire.txt"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_a_rep_reads_a_national_document(client, rep_b1, library):
    sign_in(client, rep_b1)
    response = client.get(reverse("reps:my_document", args=[library["national"].pk]))
    assert response.status_code == 200


def test_a_rep_gets_404_for_another_boards_document(client, rep_b1, library):
    sign_in(client, rep_b1)
    assert client.get(reverse("reps:my_document", args=[library["a"].pk])).status_code == 404


# Staff change their own boards' documents only


def test_staff_of_another_board_get_404_for_a_boards_documents(client, staff_b, library):
    sign_in(client, staff_b)
    for name in ("staff_document_edit", "staff_document_remove", "staff_document_download"):
        url = reverse(f"reps:{name}", args=[library["a"].pk])
        assert client.get(url).status_code == 404, name
    page = client.get(reverse("reps:staff_document_list")).content.decode()
    assert "Code of conduct for East Dunbartonshire" not in page
    assert "Code of conduct for Fife" in page


def test_staff_read_but_may_not_change_a_national_document(client, staff_a, library):
    sign_in(client, staff_a)
    national = library["national"]
    assert (
        client.get(reverse("reps:staff_document_download", args=[national.pk])).status_code == 200
    )
    assert client.get(reverse("reps:staff_document_edit", args=[national.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        services.document_update(document=national, by=staff_a, title="Renamed")


def test_only_administrators_add_national_documents(staff_a, administrator):
    checked = documents.check_bytes(b"Glossary\n")
    with pytest.raises(PermissionDenied):
        services.document_add(
            board=None, title="Glossary", kind="glossary", public=False, checked=checked, by=staff_a
        )
    made = services.document_add(
        board=None,
        title="Glossary",
        kind="glossary",
        public=False,
        checked=checked,
        by=administrator,
    )
    assert made.board is None


def test_a_board_cannot_have_two_documents_with_one_title(staff_a, board_a, library):
    with pytest.raises(ValidationError, match="already has a document with that title"):
        services.document_add(
            board=board_a,
            title="Code of conduct for East Dunbartonshire",
            kind="conduct",
            public=False,
            checked=documents.check_bytes(b"Again\n"),
            by=staff_a,
        )


def test_staff_rename_and_replace_a_document_and_the_old_file_goes(
    client, staff_a, library, django_capture_on_commit_callbacks
):
    sign_in(client, staff_a)
    document = library["a"]
    old = document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reps:staff_document_edit", args=[document.pk]),
            {
                "title": "Code of conduct",
                "kind": Document.Kind.CODE_OF_CONDUCT,
                "file": SimpleUploadedFile("new.txt", b"The new code.\n"),
            },
        )
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.title, document.kind, document.public) == ("Code of conduct", "conduct", False)
    assert document.file.read() == b"The new code.\n"
    assert not document.file.storage.exists(old)
    assert [record.history_user for record in document.history.all()] == [staff_a, None]


def test_staff_rename_a_document_keeping_its_file(client, staff_a, library):
    sign_in(client, staff_a)
    document = library["a"]
    response = client.post(
        reverse("reps:staff_document_edit", args=[document.pk]),
        {"title": "Code of conduct", "kind": Document.Kind.CODE_OF_CONDUCT},
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.title == "Code of conduct"
    assert document.file.read() == b"Notes for reps.\n"


def test_staff_remove_a_document_and_its_file(
    client, staff_a, library, django_capture_on_commit_callbacks
):
    sign_in(client, staff_a)
    document = library["a"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reps:staff_document_remove", args=[document.pk]))
    assert response.status_code == 302
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not document.file.storage.exists(document.file.name)


# The public page: public documents only


def test_the_public_page_links_public_documents_and_never_private_ones(client, board_a, board_b):
    role = make_document(board_a, title="Role description", public=True)
    make_document(board_a, title="Confidentiality agreement")
    make_document(board_b, title="Fife role description", public=True)
    page = client.get(reverse("public_board", args=[board_a.slug])).content.decode()
    assert reverse("reps:public_document", args=[board_a.slug, role.pk]) in page
    assert "Confidentiality agreement" not in page
    assert "Fife role description" not in page
    response = client.get(reverse("reps:public_document", args=[board_a.slug, role.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")


def test_a_document_not_marked_public_is_404_to_the_public(client, board_a, board_b):
    private = make_document(board_a, title="Confidentiality agreement")
    public = make_document(board_a, title="Role description", public=True)
    for slug, pk in [(board_a.slug, private.pk), (board_b.slug, public.pk)]:
        response = client.get(reverse("reps:public_document", args=[slug, pk]))
        assert response.status_code == 404


# The induction checklist links its documents


def test_the_checklist_links_the_document_of_its_item(client, staff_a, rep_a1, board_a, library):
    template = InductionItemTemplate.objects.create(
        board=board_a, title="Code of conduct signed", order=5, document=library["a"]
    )
    seat = SeatFactory(group=GroupFactory(board=board_a))
    term = services.term_appoint(
        rep=rep_a1.rep_profile,
        seat=seat,
        start=date(2026, 4, 1),
        planned_end=date(2029, 3, 31),
        how_recruited="open",
        by=staff_a,
    )
    assert term.induction_items.filter(template=template).exists()
    sign_in(client, rep_a1)
    page = client.get(reverse("reps:my_terms")).content.decode()
    assert reverse("reps:my_document", args=[library["a"].pk]) in page
    sign_in(client, staff_a)
    page = client.get(reverse("reps:staff_term_detail", args=[term.pk])).content.decode()
    assert reverse("reps:staff_document_download", args=[library["a"].pk]) in page


def test_a_checklist_item_cannot_point_at_another_boards_document(board_a, library):
    for board, document in [(board_a, library["b"]), (None, library["a"])]:
        item = InductionItemTemplate(board=board, title="Read this", document=document)
        with pytest.raises(ValidationError) as refused:
            item.full_clean()
        assert "document" in refused.value.message_dict


# The list pages cost the same queries however many documents there are


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("persona", "url_name"),
    [("staff_a", "reps:staff_document_list"), ("rep_a1", "reps:my_documents")],
)
def test_the_list_pages_cost_the_same_queries_as_documents_grow(
    client, board_a, persona, url_name, request
):
    sign_in(client, request.getfixturevalue(persona))
    url = reverse(url_name)
    make_document(board_a)
    make_document(None)
    before = _queries(client, url)
    for _ in range(8):
        make_document(board_a, uploaded_by=request.getfixturevalue("staff_a"))
        make_document(None)
    assert _queries(client, url) == before


# The demo


def test_the_demo_gives_each_board_documents_and_links_the_national_glossary(
    board_a, board_b, staff_a, staff_b, administrator
):
    demo._seed_documents(
        [board_a, board_b], {board_a.pk: staff_a, board_b.pk: staff_b}, date(2026, 11, 25)
    )
    for board in (board_a, board_b):
        public = set(access.public_documents(board).values_list("title", flat=True))
        assert public == {"Role description: carer representative", "Expenses: what we pay"}
        assert Document.objects.filter(board=board, public=False).exists()
    glossary = Document.objects.get(board=None)
    assert glossary.file_type == Document.FileType.PDF
    template = InductionItemTemplate.objects.get(board=None, title="Glossary of terms given")
    assert template.document == glossary


def test_an_administrator_adds_a_national_document_checked_as_staff_uploads_are(
    client, administrator
):
    sign_in(client, administrator)
    url = reverse("admin:reps_document_add")
    fields = {"title": "Glossary of terms", "kind": Document.Kind.GLOSSARY}
    refused = client.post(url, {**fields, "upload": SimpleUploadedFile("g.txt", b"G\x00")})
    assert refused.status_code == 200
    assert not Document.objects.exists()
    response = client.post(url, {**fields, "upload": SimpleUploadedFile("g.txt", b"IJB: ...\n")})
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.board, document.file_type) == (None, Document.FileType.TEXT)
    assert document.history.get().history_user == administrator
