"""The documents boards give their reps: staff add, change and remove them; reps read them; the
public page links the public ones.

Every file goes out through `_file_response`: always a download, never shown inside a page of
the portal, and never sniffed, so a file that slipped past the checks still cannot run as part of
the portal (stored cross-site scripting). Each view fetches the document through `reps.access`,
so another board's document answers 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from portal.core.access import staff_required
from portal.core.forms import add_service_errors
from reps import access, documents, services
from reps.access import own_rep_required
from reps.forms_documents import DocumentForm
from reps.models import Document

CONTENT_TYPES = {
    Document.FileType.PDF: "application/pdf",
    Document.FileType.WORD: (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    Document.FileType.TEXT: "text/plain; charset=utf-8",
}


def _file_response(document: Document, *, private: bool = True) -> FileResponse:
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404("The document's file is missing.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=documents.download_name(document),
        content_type=CONTENT_TYPES.get(document.file_type, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    if private:
        response["Cache-Control"] = "private, no-store"
    return response


# Staff


@staff_required
@require_safe
def document_list(request):
    boards = access.get_boards_to_manage(request.user)
    own, national = documents.own_and_national(
        documents.with_uploader(access.documents_for_staff(request.user))
    )
    return render(
        request,
        "reps/staff/document_list.html",
        {
            "boards": boards,
            "own": own,
            "national": national,
            "managed_board_ids": {board.pk for board in boards},
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def document_add(request):
    boards = access.get_boards_to_manage(request.user)
    form = DocumentForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        boards=boards,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.document_add(
                board=data["board"],
                title=data["title"],
                kind=data["kind"],
                public=data["public"],
                checked=data["file"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"“{document.title}” is added for {document.board}'s reps.")
            return redirect("reps:staff_document_list")
    return render(request, "reps/staff/document_form.html", {"form": form})


@staff_required
@require_http_methods(["GET", "POST"])
def document_edit(request, pk):
    document = access.get_document_to_manage(request.user, pk)
    form = DocumentForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        document=document,
    )
    if request.method == "POST" and form.is_valid():
        try:
            document = services.document_update(
                document=document, by=request.user, **form.changes()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"“{document.title}” is saved.")
            return redirect("reps:staff_document_list")
    return render(request, "reps/staff/document_form.html", {"form": form, "document": document})


@staff_required
@require_http_methods(["GET", "POST"])
def document_remove(request, pk):
    document = access.get_document_to_manage(request.user, pk)
    if request.method == "POST":
        services.document_remove(document=document, by=request.user)
        messages.success(request, f"“{document.title}” is removed.")
        return redirect("reps:staff_document_list")
    return render(request, "reps/staff/document_remove.html", {"document": document})


@staff_required
@require_safe
def document_download(request, pk):
    return _file_response(access.get_document_for_staff(request.user, pk))


# A rep's own pages


@never_cache
@own_rep_required
@require_safe
def my_documents(request, rep):
    own, national = documents.own_and_national(access.documents_for_rep(rep))
    return render(
        request, "reps/own/documents.html", {"rep": rep, "own": own, "national": national}
    )


@own_rep_required
@require_safe
def my_document(request, rep, pk):
    return _file_response(access.get_document_for_rep(rep, pk))


# The public page


@login_not_required
@require_safe
def public_document(request, slug, pk):
    """A document the board marked public, for anyone; any other document is 404."""
    return _file_response(access.get_public_document(slug, pk), private=False)
