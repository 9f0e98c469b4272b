"""Finance references in a spreadsheet: the board's payees to download, and the file brought
back in two steps, a check of every row and then the import (`expenses.payee_import`).

For staff who pay the board's claims: 404 outside their boards, 403 without "pay claims".
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from expenses import access, payee_import, payees, services
from expenses.forms_staff import PayeeImportForm
from expenses.resources import PayeeResource
from portal.core.access import staff_required
from portal.core.spreadsheets import export_download
from reps import transfer


def _what(board) -> str:
    # The kept file belongs to this board's references, and to no other page's import.
    return f"{payee_import.WHAT}:{board.pk}"


@never_cache
@staff_required
@require_GET
def payee_download(request, slug):
    board = access.get_board_to_pay(request.user, slug)
    return export_download(
        PayeeResource(),
        payees.payees_of(board),
        xlsx=request.GET.get("file_format") != "csv",
        stem=f"finance-references-{board.slug}",
    )


@never_cache
@staff_required
@require_http_methods(["GET", "POST"])
def payee_bring_in(request, slug):
    board = access.get_board_to_pay(request.user, slug)
    posted = request.method == "POST"
    form = PayeeImportForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        transfer.keep_upload(
            request,
            what=_what(board),
            file_format=form.file_format,
            filename=form.cleaned_data["file"].name,
            data=form.file_bytes,
        )
        return redirect("expenses:staff_payee_bring_in_check", slug=board.slug)
    return render(
        request,
        "expenses/staff/payee_bring_in.html",
        {"board": board, "form": form, "columns": payee_import.COLUMNS},
    )


@never_cache
@staff_required
@require_http_methods(["GET", "POST"])
def payee_bring_in_check(request, slug):
    board = access.get_board_to_pay(request.user, slug)
    start_url = reverse("expenses:staff_payee_bring_in", args=[board.slug])
    try:
        pending, dataset, line_numbers = transfer.kept_file(request, what={_what(board)})
    except transfer.NothingKept as nothing:
        messages.info(request, str(nothing))
        return redirect(start_url)
    confirming = request.method == "POST"
    if confirming:
        preview = services.payee_references_bring_in(
            board=board, dataset=dataset, line_numbers=line_numbers, by=request.user
        )
    else:
        preview = payee_import.plan(board, dataset, line_numbers).preview
    if confirming and preview.is_good:
        transfer.discard_pending(request)
        messages.success(
            request,
            f"Finance references brought in: {len(preview.new)} new and "
            f"{len(preview.changed)} changed. New payment batches use them.",
        )
        return redirect("expenses:staff_payees", slug=board.slug)
    return render(
        request,
        "expenses/staff/payee_bring_in_check.html",
        {
            "board": board,
            "pending": pending,
            "title": "Finance references",
            "preview": preview,
            "confirmed_but_refused": confirming,
            "start_url": start_url,
        },
    )
