"""A rep's own claims, under /my/claims/. The names start with "my_"."""

from django.urls import path

from expenses.views import own

urlpatterns = [
    path("my/claims/", own.claims, name="my_claims"),
    path("my/claims/new/", own.claim_start, name="my_claim_start"),
    path("my/claims/from-meetings/", own.meetings, name="my_meetings"),
    path(
        "my/claims/from-meetings/<int:meeting_pk>/",
        own.claim_from_meeting,
        name="my_claim_from_meeting",
    ),
    path("my/claims/<int:pk>/", own.claim_detail, name="my_claim"),
    path("my/claims/<int:pk>/items/new/", own.item_add, name="my_item_add"),
    path("my/claims/<int:pk>/items/<int:item_pk>/", own.item_change, name="my_item_change"),
    path("my/claims/<int:pk>/items/<int:item_pk>/remove/", own.item_remove, name="my_item_remove"),
    path(
        "my/claims/<int:pk>/items/<int:item_pk>/receipt/",
        own.item_receipt,
        name="my_item_receipt",
    ),
    path("my/claims/<int:pk>/send/", own.claim_submit, name="my_claim_submit"),
    path("my/claims/<int:pk>/withdraw/", own.claim_withdraw, name="my_claim_withdraw"),
]
