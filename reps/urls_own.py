"""A rep's own pages under /my/, and staff import and export of the reps record under /staff/."""

from django.urls import path

from reps.views import documents, own, support, transfer

urlpatterns = [
    # A rep's own record: no ids in these URLs, so a rep can reach only their own.
    path("my/details/", own.details, name="my_details"),
    path("my/details/contact/", own.edit_contact, name="my_contact_edit"),
    path("my/details/support/", own.edit_needs, name="my_needs_edit"),
    path("my/details/contact-preferences/", own.edit_preferences, name="my_preferences_edit"),
    path("my/details/payment/", own.edit_payment, name="my_payment_edit"),
    path("my/details/journeys/new/", own.journey_add, name="my_journey_add"),
    path("my/details/journeys/<int:pk>/remove/", own.journey_remove, name="my_journey_remove"),
    path("my/terms/", own.terms, name="my_terms"),
    path("my/terms/<int:pk>/afterwards/", own.term_afterwards, name="my_term_afterwards"),
    path("my/meetings/", own.meetings, name="my_meetings"),
    path(
        "my/meetings/<int:pk>/put-an-item-forward/",
        own.agenda_item_add,
        name="my_agenda_item_add",
    ),
    path("my/meetings/<int:pk>/apologies/", own.apologies, name="my_apologies"),
    path("my/meetings/calendar-address/", own.calendar_address, name="my_calendar_address"),
    # Read by calendar apps, which cannot sign in: the token in the address is the only key.
    path("calendar/<str:token>/meetings.ics", own.calendar_feed, name="calendar_feed"),
    path("my/documents/", documents.my_documents, name="my_documents"),
    path("my/documents/<int:pk>/file/", documents.my_document, name="my_document"),
    # A document the board marked public, linked from its public page: no sign-in.
    path(
        "boards/<slug:slug>/documents/<int:pk>/",
        documents.public_document,
        name="public_document",
    ),
    path("my/training/", own.training, name="my_training"),
    path("my/training/ask/", support.ask, name="my_support_ask"),
    path(
        "my/training/requests/<int:pk>/withdraw/",
        support.withdraw,
        name="my_support_withdraw",
    ),
    path("my/equality/", own.equality, name="my_equality"),
    path("my/equality/withdraw/", own.equality_withdraw, name="my_equality_withdraw"),
    # Spreadsheets in and out, for staff who manage reps.
    path("staff/import/", transfer.import_start, name="import_start"),
    path("staff/import/preview/", transfer.import_preview, name="import_preview"),
    path("staff/export/", transfer.export, name="export"),
]
