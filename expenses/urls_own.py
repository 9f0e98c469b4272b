"""A rep's own claims, under /my/claims/. The names start with "my_".

Entering the claim uses the same views as staff entering one on a rep's behalf
(`expenses.urls_staff`), wired here through `claim_flow.as_the_rep`.
"""

from django.urls import path
from django.views.decorators.http import require_http_methods

from expenses.views import claim_flow as flow
from expenses.views import from_meetings as meetings
from expenses.views import own

GET_OR_POST = require_http_methods(["GET", "POST"])

urlpatterns = [
    path("my/claims/", own.claims, name="my_claims"),
    # A new claim's first item: the claim is made when it is saved.
    path("my/claims/new/", flow.as_the_rep(GET_OR_POST(flow.claim_start)), name="my_claim_start"),
    path("my/claims/from-meetings/", flow.as_the_rep(meetings.meetings), name="my_meetings"),
    path(
        "my/claims/from-meetings/<int:meeting_pk>/",
        flow.as_the_rep(meetings.claim_from_meeting),
        name="my_claim_from_meeting",
    ),
    path(
        "my/claims/from-meetings/<int:meeting_pk>/journey/",
        flow.as_the_rep(meetings.claim_journey),
        name="my_claim_journey",
    ),
    path("my/claims/<int:pk>/", own.claim_detail, name="my_claim"),
    path("my/claims/<int:pk>/items/new/", flow.as_the_rep(flow.item_add), name="my_item_add"),
    path(
        "my/claims/<int:pk>/items/<int:item_pk>/",
        flow.as_the_rep(flow.item_change),
        name="my_item_change",
    ),
    path(
        "my/claims/<int:pk>/items/<int:item_pk>/remove/",
        flow.as_the_rep(flow.item_remove),
        name="my_item_remove",
    ),
    # The rep and staff of the claim's board both download receipts here; anyone else gets 404.
    path("my/claims/<int:pk>/items/<int:item_pk>/receipt/", flow.receipt, name="my_item_receipt"),
    path("my/claims/<int:pk>/send/", flow.as_the_rep(flow.claim_submit), name="my_claim_submit"),
    path("my/claims/<int:pk>/withdraw/", own.claim_withdraw, name="my_claim_withdraw"),
    path(
        "my/claims/<int:pk>/delete/",
        flow.as_the_rep(GET_OR_POST(flow.claim_delete)),
        name="my_claim_delete",
    ),
]
