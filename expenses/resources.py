"""Claims and their items as spreadsheets to download: the finance and audit copy of what the
portal holds, for staff who approve or pay a board's claims; and the board's payees with their
finance references, which finance fill in and bring back (`expenses.payee_import`).

Download only: claims are made and moved through `expenses.services`, never from a file. The
files are written by the portal's safe writers (`portal.core.spreadsheets.export_download`), so
no cell can run as a formula. Times are given as the day they fell on in Scotland.
"""

from django.db.models import QuerySet
from django.db.models.functions import TruncDate
from import_export import fields, resources

from expenses import payees
from expenses.models import Claim, ClaimItem, ItemKind, MealChoice, VehicleChoice
from expenses.states import ClaimStatus
from portal.core.spreadsheets import Choice, Day, Text


class ClaimResource(resources.ModelResource):
    reference = fields.Field(attribute="reference", column_name="Claim reference", widget=Text())
    board = fields.Field(attribute="board__name", column_name="Board", widget=Text())
    rep_id = fields.Field(attribute="rep_id", column_name="Rep ID")
    rep_name = fields.Field(attribute="rep__full_name", column_name="Rep name", widget=Text())
    status = fields.Field(
        attribute="status", column_name="Status", widget=Choice(ClaimStatus.choices)
    )
    sent_in = fields.Field(attribute="sent_in", column_name="Sent in", widget=Day())
    decided = fields.Field(attribute="decided", column_name="Decided", widget=Day())
    paid = fields.Field(attribute="paid", column_name="Paid", widget=Day())
    total = fields.Field(attribute="total", column_name="Total (£)")
    batch = fields.Field(attribute="batch_id", column_name="Payment batch")

    class Meta:
        model = Claim
        fields = (
            "reference",
            "board",
            "rep_id",
            "rep_name",
            "status",
            "sent_in",
            "decided",
            "paid",
            "total",
            "batch",
        )
        export_order = fields

    @classmethod
    def title(cls) -> str:
        return "Claims"

    @staticmethod
    def rows(claims: QuerySet[Claim]) -> QuerySet[Claim]:
        # The days in the portal's time zone, as the staff screens show them.
        return (
            claims.select_related("board", "rep")
            .annotate(
                sent_in=TruncDate("submitted_at"),
                decided=TruncDate("decided_at"),
                paid=TruncDate("paid_at"),
            )
            .order_by("board__name", "reference")
        )


class ClaimItemResource(resources.ModelResource):
    reference = fields.Field(
        attribute="claim__reference", column_name="Claim reference", widget=Text()
    )
    rep_name = fields.Field(
        attribute="claim__rep__full_name", column_name="Rep name", widget=Text()
    )
    date = fields.Field(attribute="date", column_name="Date", widget=Day())
    kind = fields.Field(attribute="kind", column_name="Kind", widget=Choice(ItemKind.choices))
    activity = fields.Field(attribute="activity", column_name="Meeting or activity", widget=Text())
    description = fields.Field(
        attribute="description", column_name="What it was for", widget=Text()
    )
    miles = fields.Field(attribute="miles", column_name="Miles")
    vehicle = fields.Field(
        attribute="vehicle", column_name="Vehicle", widget=Choice(VehicleChoice.choices)
    )
    passengers = fields.Field(attribute="passengers", column_name="Passengers")
    meal = fields.Field(column_name="Meal", widget=Text())
    amount_claimed = fields.Field(attribute="amount_claimed", column_name="Amount claimed (£)")
    amount = fields.Field(attribute="amount", column_name="Amount allowed (£)")
    arranged = fields.Field(
        attribute="arranged_by_partnership", column_name="Care arranged by the partnership"
    )

    class Meta:
        model = ClaimItem
        fields = (
            "reference",
            "rep_name",
            "date",
            "kind",
            "activity",
            "description",
            "miles",
            "vehicle",
            "passengers",
            "meal",
            "amount_claimed",
            "amount",
            "arranged",
        )
        export_order = fields

    @classmethod
    def title(cls) -> str:
        return "Claim items"

    def dehydrate_meal(self, item):
        # A blank meal is a whole day's food and drink; on any other item it means nothing.
        if item.kind != ItemKind.SUBSISTENCE:
            return ""
        return dict(MealChoice.choices)[item.meal]

    def dehydrate_arranged(self, item):
        if item.kind != ItemKind.REPLACEMENT_CARE:
            return ""
        return "Yes" if item.arranged_by_partnership else "No"

    @staticmethod
    def rows(claims: QuerySet[Claim]) -> QuerySet[ClaimItem]:
        return (
            ClaimItem.objects.filter(claim__in=claims)
            .select_related("claim", "claim__rep")
            .order_by("claim__board__name", "claim__reference", "date", "pk")
        )


EXPORTS = {"claims": ClaimResource, "items": ClaimItemResource}


class PayeeResource(resources.Resource):
    """The board's payees (`payees.payees_of`), one row each, with their finance reference."""

    rep_id = fields.Field(attribute="pk", column_name="Rep ID")
    rep_name = fields.Field(attribute="full_name", column_name="Rep name", widget=Text())
    portal_reference = fields.Field(column_name="Portal reference", widget=Text())
    reference = fields.Field(column_name="Finance reference", widget=Text())

    @classmethod
    def title(cls) -> str:
        return "Finance references"

    def dehydrate_portal_reference(self, rep) -> str:
        return payees.portal_reference(rep.pk)

    def dehydrate_reference(self, rep) -> str:
        payee = getattr(rep, "payee", None)
        return payee.reference if payee is not None else ""
