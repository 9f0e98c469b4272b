"""Finance screens: approved claims ready to pay, payment batches, their CSV and XLSX files, and
marking a batch as paid.

A board or batch outside the user's boards answers 404; on their own board, staff without the
"pay claims" permission get 403. Batches are made and paid only by `expenses.services`, which
keep a claim in at most one batch however many people press the button at once.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from expenses import access, calculations, exports, payees, selectors, services
from expenses.forms_staff import (
    ClaimsExportForm,
    CostCodeForm,
    MarkPaidForm,
    PayeeFilterForm,
    PayeeReferenceForm,
)
from expenses.resources import EXPORTS
from expenses.states import ClaimError, ClaimStatus
from portal.core.access import Permission, boards_with_permission, staff_required
from portal.core.forms import add_service_errors
from portal.core.pagination import paginate
from portal.core.periods import financial_year_bounds
from portal.core.spreadsheets import export_download
from reps import contact

BATCHES_PER_PAGE = 20


@staff_required
def payments(request):
    """The boards the user pays claims for, with what is waiting on each."""
    boards = list(
        boards_with_permission(request.user, Permission.PAY_CLAIMS)
        .annotate(
            ready=Count(
                "claims",
                filter=Q(claims__status=ClaimStatus.APPROVED, claims__batch__isnull=True),
                distinct=True,
            ),
            unpaid_batches=Count(
                "payment_batches", filter=Q(payment_batches__paid_on__isnull=True), distinct=True
            ),
        )
        .order_by("name")
    )
    if not boards:
        raise PermissionDenied("You do not pay claims for any board.")
    return render(request, "expenses/staff/payments.html", {"boards": boards})


@staff_required
def board_payments(request, slug):
    board = access.get_board_to_pay(request.user, slug)
    ready = list(selectors.claims_ready_to_pay(board))
    cost_code = selectors.finance_settings(board).cost_code
    batches = paginate(request, selectors.batches_for_board(board), per_page=BATCHES_PER_PAGE)
    return render(
        request,
        "expenses/staff/board_payments.html",
        {
            "board": board,
            "ready": ready,
            "ready_total": calculations.total(claim.total for claim in ready),
            "batches": batches,
            "cost_code": cost_code,
            "without_reference": payees.reps_without_reference(ready),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def cost_code(request, slug):
    """The cost code the board's payment batches carry, as finance's payments system names it."""
    board = access.get_board_to_pay(request.user, slug)
    current = selectors.finance_settings(board).cost_code
    form = CostCodeForm(request.POST or None, initial={"cost_code": current})
    if request.method == "POST" and form.is_valid():
        try:
            services.finance_settings_update(
                board=board, cost_code=form.cleaned_data["cost_code"], by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The cost code is saved. New payment batches will carry it.")
            return redirect("expenses:staff_board_payments", slug=board.slug)
    return render(request, "expenses/staff/cost_code.html", {"board": board, "form": form})


@staff_required
def payee_list(request, slug):
    """The board's reps who have sent claims, with the reference finance pays each under."""
    board = access.get_board_to_pay(request.user, slug)
    form = PayeeFilterForm(request.GET or None)
    without = form.is_valid() and form.cleaned_data["without_reference"]
    found = paginate(request, payees.payees_of(board, without_reference=without))
    for rep in found:
        rep.portal_reference = payees.portal_reference(rep.pk)
    return render(
        request,
        "expenses/staff/payees.html",
        {"board": board, "form": form, "payees": found, "filtered": without},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def payee_edit(request, slug, pk):
    rep = access.get_payee_to_set(request.user, slug, pk)
    current = getattr(rep, "payee", None)
    portal_reference = payees.portal_reference(rep.pk)
    form = PayeeReferenceForm(
        request.POST or None,
        initial={"reference": current.reference if current else ""},
        portal_reference=portal_reference,
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.payee_reference_set(
                rep=rep, reference=form.cleaned_data["reference"], by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{rep.full_name} is paid under {saved.reference} in new payment batches."
                if saved
                else f"{rep.full_name} is paid under the portal's reference, {portal_reference}, "
                "in new payment batches.",
            )
            return redirect("expenses:staff_payees", slug=rep.board.slug)
    return render(
        request,
        "expenses/staff/payee_edit.html",
        {"rep": rep, "board": rep.board, "form": form, "portal_reference": portal_reference},
    )


@staff_required
@require_POST
def batch_create(request, slug):
    board = access.get_board_to_pay(request.user, slug)
    try:
        batch = services.batch_create(board=board, by=request.user)
    except services.NothingToPay as error:
        messages.info(
            request,
            error.message
            if access.own_claims_waiting(board, request.user).exists()
            else "There are no approved claims waiting to be paid, so no batch was made. Claims "
            "appear here once they are approved.",
        )
        return redirect("expenses:staff_board_payments", slug=board.slug)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("expenses:staff_board_payments", slug=board.slug)
    messages.success(
        request,
        f"Payment batch {batch.number} is ready, with {batch.claim_count} "
        f"claim{'s' if batch.claim_count != 1 else ''}. Download it for the payments system.",
    )
    left_out = list(
        access.own_claims_waiting(board, request.user).values_list("reference", flat=True)
    )
    if left_out:
        messages.info(
            request,
            f"Your own claim{'s' if len(left_out) != 1 else ''} {', '.join(left_out)} "
            f"{'are' if len(left_out) != 1 else 'is'} left out: someone else must put "
            f"{'them' if len(left_out) != 1 else 'it'} in a payment batch.",
        )
    return redirect("expenses:staff_batch", pk=batch.pk)


@staff_required
def batch_detail(request, pk):
    batch = access.get_batch_to_pay(request.user, pk)
    claims = list(selectors.batch_claims(batch))
    return render(
        request,
        "expenses/staff/batch.html",
        {
            "batch": batch,
            "claims": claims,
            "nothing_to_pay": [claim for claim in claims if claim.total == 0],
        },
    )


def _download(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required
def batch_csv(request, pk):
    batch = access.get_batch_to_pay(request.user, pk)
    return _download(
        exports.batch_csv(batch),
        content_type="text/csv; charset=utf-8",
        filename=exports.filename(batch, "csv"),
    )


@staff_required
def batch_xlsx(request, pk):
    batch = access.get_batch_to_pay(request.user, pk)
    return _download(
        exports.batch_xlsx(batch),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        filename=exports.filename(batch, "xlsx"),
    )


@staff_required
@require_http_methods(["GET", "POST"])
def batch_mark_paid(request, pk):
    batch = access.get_batch_to_pay(request.user, pk)
    form = MarkPaidForm(request.POST or None)
    if batch.paid_on is not None:
        form = None
    elif request.method == "POST" and form.is_valid():
        try:
            services.batch_mark_paid(
                batch=batch, by=request.user, paid_on=form.cleaned_data["paid_on"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except ClaimError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                f"Payment batch {batch.number} is marked as paid. Reps who take email are told.",
            )
            untold = sorted(
                {
                    claim.rep.full_name
                    for claim in selectors.batch_claims(batch).select_related("rep__user")
                    if not contact.email_for(claim.rep)
                }
            )
            if untold:
                messages.warning(
                    request,
                    f"Not told by email, so please tell them yourself: {', '.join(untold)}. "
                    "Their records say how they like to be contacted.",
                )
            return redirect("expenses:staff_batch", pk=batch.pk)
    return render(request, "expenses/staff/batch_paid.html", {"batch": batch, "form": form})


@never_cache
@staff_required
@require_GET
def claims_export(request):
    """Claims, or their items, of the boards where the user approves or pays claims, to download."""
    boards = access.boards_to_export_claims(request.user)
    if not boards.exists():
        raise PermissionDenied("You do not approve or pay claims for any board.")
    form = ClaimsExportForm(request.GET or None, boards=boards)
    if form.is_bound and form.is_valid():
        board = form.selected_board()
        claims = access.claims_to_export(boards)
        if board is not None:
            claims = claims.filter(board=board)
        year = form.selected_year()
        if year is not None:
            start, end = financial_year_bounds(year)
            claims = claims.filter(submitted_at__date__gte=start, submitted_at__date__lte=end)
        resource = EXPORTS[form.cleaned_data["what"]]
        where = board.slug if board is not None else "your-boards"
        when = "every-year" if year is None else f"{year}-{(year + 1) % 100:02d}"
        return export_download(
            resource(),
            resource.rows(claims),
            xlsx=form.cleaned_data["file_format"] == "xlsx",
            stem=f"{form.cleaned_data['what']}-{where}-{when}",
        )
    return render(request, "expenses/staff/claims_export.html", {"form": form, "boards": boards})
