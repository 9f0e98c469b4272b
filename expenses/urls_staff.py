"""Staff screens, under /staff/: approving claims, entering one on a rep's behalf (the same views
as the rep's own, wired through `claim_flow.for_a_rep`), paying them, and the expenses policy."""

from django.urls import path
from django.views.decorators.http import require_http_methods

from expenses.views import claim_flow as flow
from expenses.views import finance, payee_import, policy, staff
from expenses.views import from_meetings as meetings
from portal.core.access import staff_required

GET_OR_POST = require_http_methods(["GET", "POST"])

urlpatterns = [
    # Approving claims.
    path("staff/claims/", staff.approval_queue, name="staff_claims"),
    path("staff/claims/<int:pk>/", staff.claim_detail, name="staff_claim"),
    path("staff/claims/<int:pk>/approve/", staff.claim_approve, name="staff_claim_approve"),
    path("staff/claims/<int:pk>/return/", staff.claim_return, name="staff_claim_return"),
    path("staff/claims/<int:pk>/reject/", staff.claim_reject, name="staff_claim_reject"),
    path(
        "staff/claims/<int:pk>/items/<int:item_pk>/receipt/",
        staff_required(flow.receipt),
        name="staff_claim_receipt",
    ),
    # Entering a claim on a rep's behalf.
    path("staff/claims/new/", staff.claim_for_rep, name="staff_claim_for_rep"),
    path("staff/claims/download/", finance.claims_export, name="staff_claims_export"),
    path("staff/reps/<int:rep_pk>/claims/", staff.rep_claims, name="staff_rep_claims"),
    path(
        "staff/reps/<int:rep_pk>/claims/from-meetings/",
        flow.for_a_rep(meetings.meetings),
        name="staff_meetings",
    ),
    path(
        "staff/reps/<int:rep_pk>/claims/from-meetings/<int:meeting_pk>/",
        flow.for_a_rep(meetings.claim_from_meeting),
        name="staff_claim_from_meeting",
    ),
    path(
        "staff/reps/<int:rep_pk>/claims/from-meetings/<int:meeting_pk>/journey/",
        flow.for_a_rep(meetings.claim_journey),
        name="staff_claim_journey",
    ),
    path(
        "staff/reps/<int:rep_pk>/claims/new/",
        flow.for_a_rep(GET_OR_POST(flow.claim_start)),
        name="staff_claim_start",
    ),
    path(
        "staff/claims/<int:pk>/items/add/",
        flow.for_a_rep(GET_OR_POST(flow.item_add)),
        name="staff_claim_item_add",
    ),
    path(
        "staff/claims/<int:pk>/items/<int:item_pk>/",
        flow.for_a_rep(GET_OR_POST(flow.item_change)),
        name="staff_claim_item_change",
    ),
    path(
        "staff/claims/<int:pk>/items/<int:item_pk>/remove/",
        flow.for_a_rep(GET_OR_POST(flow.item_remove)),
        name="staff_claim_item_remove",
    ),
    path(
        "staff/claims/<int:pk>/submit/",
        flow.for_a_rep(GET_OR_POST(flow.claim_submit)),
        name="staff_claim_submit",
    ),
    path(
        "staff/claims/<int:pk>/delete/",
        flow.for_a_rep(GET_OR_POST(flow.claim_delete)),
        name="staff_claim_delete",
    ),
    # Paying them.
    path("staff/payments/", finance.payments, name="staff_payments"),
    path("staff/payments/<slug:slug>/", finance.board_payments, name="staff_board_payments"),
    path("staff/payments/<slug:slug>/cost-code/", finance.cost_code, name="staff_cost_code"),
    path("staff/payments/<slug:slug>/payees/", finance.payee_list, name="staff_payees"),
    path(
        "staff/payments/<slug:slug>/payees/<int:pk>/",
        finance.payee_edit,
        name="staff_payee_edit",
    ),
    path(
        "staff/payments/<slug:slug>/payees/download/",
        payee_import.payee_download,
        name="staff_payee_download",
    ),
    path(
        "staff/payments/<slug:slug>/payees/bring-in/",
        payee_import.payee_bring_in,
        name="staff_payee_bring_in",
    ),
    path(
        "staff/payments/<slug:slug>/payees/bring-in/check/",
        payee_import.payee_bring_in_check,
        name="staff_payee_bring_in_check",
    ),
    path(
        "staff/payments/<slug:slug>/batches/new/",
        finance.batch_create,
        name="staff_batch_create",
    ),
    path("staff/payments/batches/<int:pk>/", finance.batch_detail, name="staff_batch"),
    path("staff/payments/batches/<int:pk>/batch.csv", finance.batch_csv, name="staff_batch_csv"),
    path(
        "staff/payments/batches/<int:pk>/batch.xlsx",
        finance.batch_xlsx,
        name="staff_batch_xlsx",
    ),
    path(
        "staff/payments/batches/<int:pk>/paid/",
        finance.batch_mark_paid,
        name="staff_batch_mark_paid",
    ),
    # The expenses policy.
    path(
        "staff/boards/<slug:slug>/expenses-policy/",
        policy.policy_versions,
        name="staff_policy",
    ),
    path(
        "staff/boards/<slug:slug>/expenses-policy/new/",
        policy.policy_new_version,
        name="staff_policy_new",
    ),
]
