"""Staff screens for reps, seats, terms, meetings, recruitment and training, all under /staff/."""

from django.urls import path

from reps.views import (
    documents,
    staff_boards,
    staff_interest,
    staff_meetings,
    staff_reps,
    staff_seats,
    staff_terms,
    staff_training,
    support,
)

urlpatterns = [
    # Reps
    path("staff/reps/", staff_reps.rep_list, name="staff_rep_list"),
    path("staff/reps/new/", staff_reps.rep_create, name="staff_rep_create"),
    path("staff/reps/<int:pk>/", staff_reps.rep_detail, name="staff_rep_detail"),
    path("staff/reps/<int:pk>/edit/", staff_reps.rep_edit, name="staff_rep_edit"),
    path("staff/reps/<int:pk>/invite/", staff_reps.rep_invite, name="staff_rep_invite"),
    path(
        "staff/reps/<int:pk>/invite/withdraw/",
        staff_reps.rep_invitation_withdraw,
        name="staff_rep_invitation_withdraw",
    ),
    path(
        "staff/reps/<int:pk>/second-sign-in-step/off/",
        staff_reps.rep_second_factor_turn_off,
        name="staff_rep_second_factor_off",
    ),
    path("staff/reps/<int:pk>/journeys/new/", staff_reps.journey_add, name="staff_journey_add"),
    path(
        "staff/reps/<int:pk>/journeys/<int:journey_pk>/remove/",
        staff_reps.journey_remove,
        name="staff_journey_remove",
    ),
    # Seats and groups
    path("staff/seats/", staff_seats.seat_list, name="staff_seat_list"),
    path("staff/seats/new/", staff_seats.seat_create, name="staff_seat_create"),
    path("staff/seats/<int:pk>/edit/", staff_seats.seat_edit, name="staff_seat_edit"),
    path("staff/seats/<int:pk>/close/", staff_seats.seat_close, name="staff_seat_close"),
    path("staff/seats/<int:pk>/reopen/", staff_seats.seat_reopen, name="staff_seat_reopen"),
    path("staff/groups/new/", staff_seats.group_create, name="staff_group_create"),
    path("staff/groups/<int:pk>/edit/", staff_seats.group_edit, name="staff_group_edit"),
    # Terms and induction
    path(
        "staff/boards/<slug:slug>/standards/",
        staff_boards.board_standards,
        name="staff_board_standards",
    ),
    path(
        "staff/boards/<slug:slug>/induction/",
        staff_boards.board_induction,
        name="staff_board_induction",
    ),
    path(
        "staff/boards/<slug:slug>/induction/<int:pk>/",
        staff_boards.board_induction_item,
        name="staff_board_induction_item",
    ),
    path("staff/terms/", staff_terms.term_list, name="staff_term_list"),
    path("staff/seats/<int:seat_pk>/appoint/", staff_terms.term_appoint, name="staff_term_appoint"),
    path("staff/terms/<int:pk>/", staff_terms.term_detail, name="staff_term_detail"),
    path("staff/terms/<int:pk>/change/", staff_terms.term_change, name="staff_term_change"),
    path("staff/terms/<int:pk>/end/", staff_terms.term_end, name="staff_term_end"),
    path(
        "staff/terms/<int:pk>/afterwards/",
        staff_terms.term_afterwards,
        name="staff_term_afterwards",
    ),
    path(
        "staff/terms/<int:pk>/induction/new/",
        staff_terms.induction_item_add,
        name="staff_induction_item_add",
    ),
    # Meetings, attendance and agenda items
    path("staff/meetings/", staff_meetings.meeting_list, name="staff_meeting_list"),
    path("staff/meetings/new/", staff_meetings.meeting_create, name="staff_meeting_create"),
    path("staff/meetings/<int:pk>/", staff_meetings.meeting_detail, name="staff_meeting_detail"),
    path("staff/meetings/<int:pk>/edit/", staff_meetings.meeting_edit, name="staff_meeting_edit"),
    path(
        "staff/meetings/<int:pk>/cancel/",
        staff_meetings.meeting_cancel,
        name="staff_meeting_cancel",
    ),
    path(
        "staff/meetings/<int:pk>/reinstate/",
        staff_meetings.meeting_reinstate,
        name="staff_meeting_reinstate",
    ),
    path(
        "staff/meetings/<int:pk>/attendance/",
        staff_meetings.attendance,
        name="staff_attendance",
    ),
    path(
        "staff/meetings/<int:pk>/agenda/new/",
        staff_meetings.agenda_item_add,
        name="staff_agenda_item_add",
    ),
    path(
        "staff/agenda-items/<int:pk>/",
        staff_meetings.agenda_item_edit,
        name="staff_agenda_item_edit",
    ),
    path(
        "staff/agenda-items/<int:pk>/move/",
        staff_meetings.agenda_item_move,
        name="staff_agenda_item_move",
    ),
    # Recruitment: expressions of interest, the pool and the public page's contact
    path("staff/interest/", staff_interest.interest_list, name="staff_interest_list"),
    path("staff/interest/pool/", staff_interest.pool_list, name="staff_pool_list"),
    path("staff/interest/<int:pk>/", staff_interest.interest_detail, name="staff_interest_detail"),
    path(
        "staff/interest/<int:pk>/appoint/",
        staff_interest.interest_appoint,
        name="staff_interest_appoint",
    ),
    path("staff/interest/<int:pk>/pool/", staff_interest.interest_pool, name="staff_interest_pool"),
    path(
        "staff/interest/<int:pk>/pool/stay/",
        staff_interest.interest_stay_in_pool,
        name="staff_interest_stay_in_pool",
    ),
    path(
        "staff/interest/<int:pk>/remove-details/",
        staff_interest.interest_forget,
        name="staff_interest_forget",
    ),
    path(
        "staff/interest/contact/<slug:slug>/",
        staff_boards.board_contact,
        name="staff_board_contact",
    ),
    # Documents for reps
    path("staff/documents/", documents.document_list, name="staff_document_list"),
    path("staff/documents/new/", documents.document_add, name="staff_document_add"),
    path("staff/documents/<int:pk>/edit/", documents.document_edit, name="staff_document_edit"),
    path(
        "staff/documents/<int:pk>/remove/",
        documents.document_remove,
        name="staff_document_remove",
    ),
    path(
        "staff/documents/<int:pk>/file/",
        documents.document_download,
        name="staff_document_download",
    ),
    # Training
    path("staff/training/", staff_training.training_list, name="staff_training_list"),
    path(
        "staff/reps/<int:pk>/training/new/", staff_training.training_add, name="staff_training_add"
    ),
    path(
        "staff/reps/<int:pk>/training/<int:training_pk>/",
        staff_training.training_change,
        name="staff_training_change",
    ),
    path(
        "staff/reps/<int:pk>/training/<int:training_pk>/remove/",
        staff_training.training_remove,
        name="staff_training_remove",
    ),
    path(
        "staff/boards/<slug:slug>/budgets/<int:year>/",
        staff_training.budget_edit,
        name="staff_budget_edit",
    ),
    # Requests for training or support
    path("staff/training/requests/", support.support_list, name="staff_support_requests"),
    path(
        "staff/training/requests/<int:pk>/",
        support.support_detail,
        name="staff_support_request",
    ),
    path(
        "staff/reps/<int:pk>/training/requests/new/",
        support.support_add,
        name="staff_support_add",
    ),
    path(
        "staff/reps/<int:pk>/training/conversations/new/",
        support.conversation_add,
        name="staff_conversation_add",
    ),
]
