"""Expense policies, claims and their items, the claim timeline and payment batches.

Amounts are worked out by `expenses.calculations` and written only by `expenses.services`; the
models hold the rules the database itself can keep.
"""

import re
import uuid
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from expenses import calculations
from expenses.calculations import InvolvementBasis, Kind, Meal, Vehicle
from expenses.states import EDITABLE, OPEN, ClaimStatus
from portal.core.constraints import ChecksInOneQuery
from portal.core.models import Board
from reps.models import Meeting, Rep

MONEY_MAX = Decimal("99999999.99")
RATE_MAX = Decimal("99.999")
HOURS_MAX = Decimal("99.99")
MILES_MAX = Decimal("999999.9")


def _number_between(field: str, low: Decimal | int, high: Decimal, *, nullable: bool = False) -> Q:
    """`low <= field <= high`, which also keeps out NaN and Infinity.

    PostgreSQL's numeric type accepts 'NaN' and sorts it above every number, so a `>= 0` check on
    its own would let it in; the upper bound does not. On SQLite a stray 'NaN' is stored as text,
    which also sorts above every number, so the same check holds there.
    """
    condition = Q(**{f"{field}__gte": low}) & Q(**{f"{field}__lte": high})
    if nullable:
        condition |= Q(**{f"{field}__isnull": True})
    return condition


def _money(field: str, *, nullable: bool = False) -> Q:
    return _number_between(field, 0, MONEY_MAX, nullable=nullable)


class ItemKind(models.TextChoices):
    MILEAGE = Kind.MILEAGE, "Mileage"
    PUBLIC_TRANSPORT = Kind.PUBLIC_TRANSPORT, "Bus, train or ferry"
    TAXI = Kind.TAXI, "Taxi"
    PARKING = Kind.PARKING, "Parking"
    SUBSISTENCE = Kind.SUBSISTENCE, "Food and drink"
    OVERNIGHT = Kind.OVERNIGHT, "Overnight stay"
    REPLACEMENT_CARE = Kind.REPLACEMENT_CARE, "Replacement care"
    INVOLVEMENT = Kind.INVOLVEMENT, "Involvement payment"
    PHONE_POSTAGE_PRINTING = Kind.PHONE_POSTAGE_PRINTING, "Phone, postage or printing"
    OTHER = Kind.OTHER, "Other"


class VehicleChoice(models.TextChoices):
    CAR = Vehicle.CAR, "Car or van"
    MOTORCYCLE = Vehicle.MOTORCYCLE, "Motorcycle"
    BICYCLE = Vehicle.BICYCLE, "Bicycle"


class MealChoice(models.TextChoices):
    WHOLE_DAY = Meal.WHOLE_DAY, "Whole day"
    BREAKFAST = Meal.BREAKFAST, "Breakfast"
    LUNCH = Meal.LUNCH, "Lunch"
    DINNER = Meal.DINNER, "Evening meal"


class InvolvementBasisChoice(models.TextChoices):
    NONE = InvolvementBasis.NONE, "No involvement payment"
    PER_MEETING = InvolvementBasis.PER_MEETING, "A set amount for each meeting"
    PER_HOUR = InvolvementBasis.PER_HOUR, "An amount for each hour"


class CareProvider(models.TextChoices):
    CARE_AGENCY = "agency", "Care agency"
    PERSONAL_ASSISTANT = "personal_assistant", "Personal assistant"
    CHILDMINDER = "childminder", "Registered childminder"
    OTHER = "other", "Other"


class ExpensePolicy(ChecksInOneQuery):
    """One version of a board's expenses policy; an item uses the version in force on its date."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="expense_policies")
    effective_from = models.DateField("in force from")

    car_rate_first = models.DecimalField(
        "car or van, £ a mile up to the threshold",
        max_digits=5,
        decimal_places=3,
        default=Decimal("0.45"),
    )
    car_rate_after = models.DecimalField(
        "car or van, £ a mile after the threshold",
        max_digits=5,
        decimal_places=3,
        default=Decimal("0.25"),
    )
    car_threshold_miles = models.PositiveIntegerField(
        "business miles a tax year at the higher rate", default=10_000
    )
    passenger_rate = models.DecimalField(
        "£ a mile for each passenger", max_digits=5, decimal_places=3, default=Decimal("0.05")
    )
    motorcycle_rate = models.DecimalField(
        "motorcycle, £ a mile", max_digits=5, decimal_places=3, default=Decimal("0.24")
    )
    bicycle_rate = models.DecimalField(
        "bicycle, £ a mile", max_digits=5, decimal_places=3, default=Decimal("0.20")
    )

    breakfast_cap = models.DecimalField(
        "most paid for breakfast", max_digits=8, decimal_places=2, null=True, blank=True
    )
    lunch_cap = models.DecimalField(
        "most paid for lunch", max_digits=8, decimal_places=2, null=True, blank=True
    )
    dinner_cap = models.DecimalField(
        "most paid for an evening meal", max_digits=8, decimal_places=2, null=True, blank=True
    )
    daily_subsistence_cap = models.DecimalField(
        "most paid for food and drink in one day",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
    )
    overnight_cap = models.DecimalField(
        "most paid for one night's stay", max_digits=8, decimal_places=2, null=True, blank=True
    )
    care_hourly_cap = models.DecimalField(
        "most paid an hour for replacement care",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
    )
    involvement_basis = models.CharField(
        "involvement payment",
        max_length=12,
        choices=InvolvementBasisChoice.choices,
        default=InvolvementBasisChoice.NONE,
    )
    involvement_amount = models.DecimalField(
        "involvement payment amount (£)", max_digits=8, decimal_places=2, default=Decimal("0.00")
    )
    days_to_claim = models.PositiveSmallIntegerField("days allowed to claim", default=90)
    receipt_threshold = models.DecimalField(
        "receipt needed for amounts over (£)",
        max_digits=8,
        decimal_places=2,
        default=Decimal("0.00"),
    )
    published_url = models.URLField("where the policy is published", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "expense policies"
        ordering = ["board", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["board", "effective_from"],
                name="one_policy_version_per_board_and_date",
                violation_error_message=(
                    "This board already has a version of its policy from that date."
                ),
            ),
            *(
                models.CheckConstraint(
                    condition=_number_between(field, 0, RATE_MAX),
                    name=f"policy_{field}_valid",
                    violation_error_message="Enter a rate in pounds a mile, such as 0.45.",
                )
                for field in (
                    "car_rate_first",
                    "car_rate_after",
                    "passenger_rate",
                    "motorcycle_rate",
                    "bicycle_rate",
                )
            ),
            *(
                models.CheckConstraint(
                    condition=_money(field, nullable=True),
                    name=f"policy_{field}_valid",
                    violation_error_message=(
                        "Enter an amount in pounds and pence, or leave it empty for no limit."
                    ),
                )
                for field in (
                    "breakfast_cap",
                    "lunch_cap",
                    "dinner_cap",
                    "daily_subsistence_cap",
                    "overnight_cap",
                    "care_hourly_cap",
                )
            ),
            models.CheckConstraint(
                condition=_money("involvement_amount"),
                name="policy_involvement_amount_valid",
                violation_error_message=(
                    "Enter the involvement payment in pounds and pence, 0 or more."
                ),
            ),
            models.CheckConstraint(
                condition=_money("receipt_threshold"),
                name="policy_receipt_threshold_valid",
                violation_error_message="Enter the receipt amount in pounds and pence, 0 or more.",
            ),
            models.CheckConstraint(
                condition=Q(involvement_basis__in=InvolvementBasisChoice.values),
                name="policy_involvement_basis_known",
            ),
            # "Per meeting, £0" would promise a payment that never comes.
            models.CheckConstraint(
                condition=Q(involvement_basis=InvolvementBasisChoice.NONE, involvement_amount=0)
                | (~Q(involvement_basis=InvolvementBasisChoice.NONE) & Q(involvement_amount__gt=0)),
                name="policy_involvement_amount_matches_basis",
                violation_error_message=(
                    "Give an amount above 0 for the involvement "
                    "payment, or choose no involvement payment."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.board} expenses policy from {self.effective_from:%-d %B %Y}"

    def clean(self):
        if self.involvement_basis == InvolvementBasisChoice.NONE and self.involvement_amount:
            raise ValidationError(
                {
                    "involvement_amount": (
                        "Choose how the involvement payment is made, or set the amount to 0."
                    )
                }
            )
        if self.involvement_basis != InvolvementBasisChoice.NONE and not self.involvement_amount:
            raise ValidationError({"involvement_amount": "Enter the involvement payment amount."})

    def as_rates(self) -> calculations.PolicyRates:
        return calculations.PolicyRates(
            car_first=self.car_rate_first,
            car_after=self.car_rate_after,
            car_threshold_miles=self.car_threshold_miles,
            passenger=self.passenger_rate,
            motorcycle=self.motorcycle_rate,
            bicycle=self.bicycle_rate,
            breakfast_cap=self.breakfast_cap,
            lunch_cap=self.lunch_cap,
            dinner_cap=self.dinner_cap,
            daily_subsistence_cap=self.daily_subsistence_cap,
            overnight_cap=self.overnight_cap,
            care_hourly_cap=self.care_hourly_cap,
            involvement_basis=self.involvement_basis,
            involvement_amount=self.involvement_amount,
        )

    @property
    def is_published(self) -> bool:
        return bool(self.published_url)


# What finance systems accept in a code or reference; it also keeps out anything a spreadsheet
# would run.
FINANCE_CODE = r"^[A-Za-z0-9][A-Za-z0-9 ./-]*$"
COST_CODE = RegexValidator(
    FINANCE_CODE,
    "Use only letters, numbers, spaces, full stops, slashes and hyphens in the cost code, for "
    "example 4100-CARERS.",
)
PAYEE_REFERENCE = RegexValidator(
    FINANCE_CODE,
    "Use only letters, numbers, spaces, full stops, slashes and hyphens in the reference, for "
    "example SUP-004512.",
)


class FinanceSettings(ChecksInOneQuery):
    """What finance set for a board's payments: the cost code its payment batches carry."""

    board = models.OneToOneField(Board, on_delete=models.CASCADE, related_name="finance_settings")
    cost_code = models.CharField(
        "cost code",
        max_length=30,
        blank=True,
        validators=[COST_CODE],
        help_text="The budget line claims are paid from, as the payments system names it.",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "finance settings"

    def __str__(self):
        return f"Finance settings for {self.board}"


class Payee(ChecksInOneQuery):
    """The reference finance's payments system knows a rep by: a supplier or payee number.

    Set by the board's finance staff. A rep record belongs to one board, and each board pays its
    own reps, so the reference is the rep record's. Without one, a rep is paid under the
    portal's reference for them (`payees.portal_reference`).
    """

    rep = models.OneToOneField(Rep, on_delete=models.CASCADE, related_name="payee")
    reference = models.CharField(
        "finance payee reference", max_length=30, validators=[PAYEE_REFERENCE]
    )

    history = HistoricalRecords()

    def __str__(self):
        return self.reference


class PaymentBatch(ChecksInOneQuery):
    """Approved claims of one board sent to finance together, then marked paid on one date.

    The claim count and total are fixed when the batch is made: a claim cannot leave a batch, and
    the only move open to a claim in a batch is to "paid".
    """

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="payment_batches")
    # Counted board by board, so that each board's finance staff see 1, 2, 3 and no gaps.
    number = models.PositiveIntegerField(editable=False)
    # Empty only for batches brought in from a board's old records.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    claim_count = models.PositiveIntegerField(default=0)
    total = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0.00"))
    paid_on = models.DateField(null=True, blank=True)
    # The board's cost code when the batch was made: its files say the same however late they
    # are downloaded.
    cost_code = models.CharField(max_length=30, blank=True, editable=False)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name_plural = "payment batches"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=_money("total"), name="batch_total_valid"),
            models.UniqueConstraint(fields=["board", "number"], name="batch_number_per_board"),
        ]

    def __str__(self):
        return f"Payment batch {self.number} for {self.board}"


def reference_prefix(board_name: str) -> str:
    """ED for East Dunbartonshire IJB, FI for Fife IJB: a hint of the board in each reference."""
    words = [
        word
        for word in re.findall(r"[A-Za-z]+", board_name)
        if word not in {"IJB", "and", "lead", "agency", "City"}
    ]
    if len(words) >= 2:
        return "".join(word[0] for word in words[:3]).upper()
    return (words[0][:2] if words else "CL").upper()


class Claim(ChecksInOneQuery):
    """A rep's claim for one or more items. Its status moves only through `expenses.services`."""

    rep = models.ForeignKey(Rep, on_delete=models.PROTECT, related_name="claims")
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="claims")
    reference = models.CharField(max_length=20, unique=True)
    status = models.CharField(
        max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.DRAFT, db_index=True
    )
    # Empty only for claims brought in from a board's old spreadsheets, which have no author here.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims_entered",
        help_text="Who entered the claim: the rep, or staff on the rep's behalf.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    # When the claim was first submitted; later resubmissions are in the timeline. The first
    # submission also orders a rep's claims for the yearly mileage threshold.
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    total = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0.00"))
    batch = models.ForeignKey(
        PaymentBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims",
    )
    # The payee reference the claim was put in a batch under, so that the batch's files say the
    # same however late they are downloaded. Empty before it is in a batch.
    payee_reference = models.CharField(max_length=30, blank=True, editable=False)
    # Sent with the form that starts a claim, so that the same form posted twice makes one claim.
    submission_token = models.UUIDField(null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["submission_token"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["board", "status", "submitted_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["rep", "submission_token"],
                condition=Q(submission_token__isnull=False),
                name="one_claim_per_submission_token",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ClaimStatus.values), name="claim_status_known"
            ),
            models.CheckConstraint(condition=_money("total"), name="claim_total_valid"),
            models.CheckConstraint(
                condition=Q(status__in=[ClaimStatus.DRAFT, ClaimStatus.WITHDRAWN])
                | Q(submitted_at__isnull=False),
                name="claim_past_draft_was_submitted",
            ),
            models.CheckConstraint(
                condition=~Q(
                    status__in=[ClaimStatus.APPROVED, ClaimStatus.REJECTED, ClaimStatus.PAID]
                )
                | Q(decided_at__isnull=False),
                name="claim_decision_has_a_time",
            ),
            models.CheckConstraint(
                condition=~Q(status=ClaimStatus.PAID)
                | Q(paid_at__isnull=False, batch__isnull=False),
                name="paid_claim_is_in_a_paid_batch",
            ),
            models.CheckConstraint(
                condition=Q(batch__isnull=True)
                | Q(status__in=[ClaimStatus.APPROVED, ClaimStatus.PAID]),
                name="only_approved_claims_are_batched",
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def is_provisional(self) -> bool:
        """Whether the total may still change: it is settled only when the claim is approved."""
        return self.status in OPEN


def receipt_path(instance: "ClaimItem", filename: str) -> str:
    """A random stored name: the name on the rep's device can carry personal data or `../`."""
    suffix = PurePath(filename.replace("\x00", "")).suffix.lower()
    if suffix not in {".pdf", ".jpg", ".jpeg", ".png", ".webp"}:
        suffix = ""
    return f"receipts/{uuid.uuid4().hex}{suffix}"


class ClaimItem(ChecksInOneQuery):
    """One thing claimed for. `amount` is computed by the server from the policy in force."""

    # The inputs each kind uses; services reset the others, so that changing an item's kind
    # leaves nothing behind from what it was before.
    INPUTS_BY_KIND = {
        Kind.MILEAGE: ("miles", "vehicle", "passengers"),
        Kind.SUBSISTENCE: ("amount_claimed", "meal"),
        Kind.REPLACEMENT_CARE: (
            "hours_preparation",
            "hours_meeting",
            "hours_travel",
            "provider_type",
            "hourly_rate",
            "arranged_by_partnership",
        ),
        Kind.INVOLVEMENT: ("hours_preparation", "hours_meeting", "hours_travel"),
        **{kind: ("amount_claimed",) for kind in calculations.AT_COST_KINDS | {Kind.OVERNIGHT}},
    }

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="items")
    date = models.DateField()
    activity = models.CharField("meeting or activity", max_length=200, blank=True)
    # Set when the item was claimed from the list of meetings the rep attended, so that the list
    # can show which meetings already have a claim.
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="claim_items"
    )
    kind = models.CharField(max_length=24, choices=ItemKind.choices)
    description = models.CharField("what it was for", max_length=200, blank=True)

    miles = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True)
    vehicle = models.CharField(max_length=12, choices=VehicleChoice.choices, blank=True)
    passengers = models.PositiveSmallIntegerField(default=0)

    amount_claimed = models.DecimalField(
        "amount spent (£)", max_digits=10, decimal_places=2, null=True, blank=True
    )
    meal = models.CharField(max_length=12, choices=MealChoice.choices, blank=True)

    hours_preparation = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal(0))
    hours_meeting = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal(0))
    hours_travel = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal(0))
    provider_type = models.CharField(
        "who provided the care", max_length=20, choices=CareProvider.choices, blank=True
    )
    hourly_rate = models.DecimalField(
        "hourly rate (£)", max_digits=8, decimal_places=2, null=True, blank=True
    )
    arranged_by_partnership = models.BooleanField(
        "arranged and paid by the partnership", default=False
    )

    amount = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0.00"))
    # How a mileage item's miles fell either side of the yearly threshold when its amount was
    # worked out, and the policy version used: later claims and reports read what was used
    # rather than working history out again. Fixed for good when the claim is approved.
    miles_at_first_rate = models.DecimalField(
        max_digits=7, decimal_places=1, null=True, blank=True, editable=False
    )
    miles_at_second_rate = models.DecimalField(
        max_digits=7, decimal_places=1, null=True, blank=True, editable=False
    )
    policy = models.ForeignKey(
        ExpensePolicy,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    receipt = models.FileField(upload_to=receipt_path, max_length=200, null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ItemKind.values), name="item_kind_known"),
            models.CheckConstraint(condition=_money("amount"), name="item_amount_valid"),
            models.CheckConstraint(
                condition=_money("amount_claimed", nullable=True),
                name="item_amount_claimed_valid",
                violation_error_message="Enter the amount spent in pounds and pence, 0 or more.",
            ),
            models.CheckConstraint(
                condition=_money("hourly_rate", nullable=True),
                name="item_hourly_rate_valid",
                violation_error_message="Enter the hourly rate in pounds and pence, 0 or more.",
            ),
            *(
                models.CheckConstraint(
                    condition=_number_between(field, 0, HOURS_MAX),
                    name=f"item_{field}_valid",
                    violation_error_message="Enter the hours as a number from 0 to 99.99.",
                )
                for field in ("hours_preparation", "hours_meeting", "hours_travel")
            ),
            models.CheckConstraint(
                condition=Q(miles__isnull=True) | Q(miles__gt=0, miles__lte=MILES_MAX),
                name="item_miles_valid",
                violation_error_message="Enter the miles as a number above 0.",
            ),
            models.CheckConstraint(
                condition=~Q(kind=ItemKind.MILEAGE)
                | Q(miles__isnull=False, vehicle__in=VehicleChoice.values),
                name="mileage_item_has_miles_and_vehicle",
                violation_error_message="A mileage item needs the miles and how you travelled.",
            ),
            models.CheckConstraint(
                condition=Q(kind=ItemKind.MILEAGE) | Q(miles__isnull=True, vehicle=""),
                name="only_mileage_items_have_miles",
            ),
            models.CheckConstraint(
                condition=Q(passengers=0) | Q(kind=ItemKind.MILEAGE, vehicle=VehicleChoice.CAR),
                name="passengers_only_in_a_car",
                violation_error_message="Passengers can only be claimed for a car or van.",
            ),
            models.CheckConstraint(
                condition=~Q(
                    kind__in=sorted(kind.value for kind in calculations.CLAIMED_AMOUNT_KINDS)
                )
                | Q(amount_claimed__isnull=False),
                name="spent_item_has_amount_claimed",
                violation_error_message="Enter how much you spent.",
            ),
            models.CheckConstraint(
                condition=~Q(kind=ItemKind.REPLACEMENT_CARE)
                | (Q(hourly_rate__isnull=False) & ~Q(provider_type="")),
                name="care_item_has_rate_and_provider",
                violation_error_message="Enter the hourly rate for the care and who provided it.",
            ),
            models.CheckConstraint(
                condition=Q(arranged_by_partnership=False) | Q(kind=ItemKind.REPLACEMENT_CARE),
                name="only_care_is_arranged_by_partnership",
                violation_error_message=(
                    "Only replacement care can be marked as arranged by the partnership."
                ),
            ),
            models.CheckConstraint(
                condition=Q(miles_at_first_rate__isnull=True, miles_at_second_rate__isnull=True)
                | Q(
                    kind=ItemKind.MILEAGE,
                    miles_at_first_rate__gte=0,
                    miles_at_second_rate__gte=0,
                    miles_at_first_rate__lte=MILES_MAX,
                    miles_at_second_rate__lte=MILES_MAX,
                ),
                name="only_mileage_items_have_a_split",
            ),
            models.CheckConstraint(
                condition=Q(meal="") | Q(kind=ItemKind.SUBSISTENCE),
                name="meal_only_for_food_and_drink",
                violation_error_message="A meal can only be chosen for food and drink.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.date:%-d %B %Y}"

    @property
    def hours(self) -> Decimal:
        return self.hours_preparation + self.hours_meeting + self.hours_travel

    @property
    def payable_to_rep(self) -> bool:
        """Care the partnership paid for itself counts in spend but is not paid to the rep."""
        return not self.arranged_by_partnership

    def inputs(self) -> calculations.ItemInputs:
        return calculations.ItemInputs(
            kind=self.kind,
            miles=self.miles,
            vehicle=self.vehicle,
            passengers=self.passengers,
            meal=self.meal,
            amount_claimed=self.amount_claimed,
            hours_preparation=self.hours_preparation,
            hours_meeting=self.hours_meeting,
            hours_travel=self.hours_travel,
            hourly_rate=self.hourly_rate,
            arranged_by_partnership=self.arranged_by_partnership,
        )

    def clean(self):
        """Say, in the rep's words, what is missing for this kind of item."""
        errors: dict[str, str] = {}
        if (
            self.meeting_id is not None
            and self.claim_id is not None
            and self.meeting.board_id != self.claim.board_id
        ):
            errors["meeting"] = "Choose a meeting of the rep's own board."
        if self.date and self.date > timezone.localdate():
            errors["date"] = "The date cannot be in the future."
        if self.kind == ItemKind.MILEAGE:
            if self.miles is None:
                errors["miles"] = "Enter how many miles you travelled."
            elif self.miles <= 0:
                errors["miles"] = "The number of miles must be more than 0."
            if not self.vehicle:
                errors["vehicle"] = "Choose how you travelled."
            if self.passengers and self.vehicle != VehicleChoice.CAR:
                errors["passengers"] = "Passengers can only be claimed for a car or van."
        if self.kind in calculations.CLAIMED_AMOUNT_KINDS and self.amount_claimed is None:
            errors["amount_claimed"] = "Enter how much you spent."
        if self.kind == ItemKind.REPLACEMENT_CARE:
            if self.hourly_rate is None:
                errors["hourly_rate"] = "Enter the hourly rate for the care."
            if not self.provider_type:
                errors["provider_type"] = "Choose who provided the care."
        if self.kind in (ItemKind.REPLACEMENT_CARE, ItemKind.INVOLVEMENT) and not self.hours:
            errors["hours_meeting"] = (
                "Enter the hours: preparation, the meeting itself and travel time."
            )
        if errors:
            raise ValidationError(errors)


class ClaimEvent(ChecksInOneQuery):
    """One step in a claim's timeline: who moved it, from what to what, when and why."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="events")
    # Blank for the event that starts the claim.
    from_status = models.CharField(max_length=10, choices=ClaimStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=ClaimStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)
    # The claim's total after this step: what the rep saw when they sent it, what was approved.
    # Empty for events recorded before totals were kept.
    total = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            # The rep must always be told why a claim came back or was turned down.
            models.CheckConstraint(
                condition=~Q(to_status__in=[ClaimStatus.RETURNED, ClaimStatus.REJECTED])
                | ~Q(reason=""),
                name="return_and_rejection_give_a_reason",
                violation_error_message="Say why the claim is being returned or rejected.",
            ),
        ]

    def __str__(self):
        return f"{self.claim}: {self.get_to_status_display()} at {self.at:%Y-%m-%d %H:%M}"


class ReceiptUpload(ChecksInOneQuery):
    """One receipt someone sent, kept for a minute to count how many they send
    (`expenses.uploads.count_receipt`)."""

    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["by", "at"], name="receipt_upload_by_at"),
            models.Index(fields=["at"], name="receipt_upload_at"),
        ]

    def __str__(self):
        return f"A receipt from {self.by} at {self.at:%Y-%m-%d %H:%M:%S}"
