"""Forms for the staff and finance screens: the approval queue's filters, the decisions on a
claim, marking a payment batch as paid, and a new version of a board's expenses policy.

None of them carries an amount: amounts are worked out by `expenses.services`. The approval
form carries the total the approver saw, to be compared, never used.
"""

from decimal import Decimal

from django import forms
from django.core.validators import MinValueValidator
from django.utils import timezone

from expenses import payee_import
from expenses.models import ExpensePolicy, InvolvementBasisChoice, ItemKind
from portal.core.forms import DateField, MoneyInput, get_form_helper
from portal.core.periods import financial_year_label, financial_years_to_offer
from reps.forms_transfer import ExportForm, UploadForm


class QueueFilterForm(forms.Form):
    """Filters for the approval queue. Sent by GET, so a filtered queue can be bookmarked."""

    board = forms.ChoiceField(label="Board", required=False)
    rep = forms.CharField(
        label="Rep's name",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "ds_input--fixed-20"}),
    )
    kind = forms.ChoiceField(
        label="Has an item of this kind",
        required=False,
        choices=[("", "Any kind"), *ItemKind.choices],
    )
    flagged = forms.BooleanField(label="Only claims with policy checks to look at", required=False)

    def __init__(self, *args, boards=(), **kwargs):
        super().__init__(*args, **kwargs)
        # The boards come from the page's own query: a ModelChoiceField would query again.
        self.fields["board"].choices = [("", "All your boards")] + [
            (board.slug, board.name) for board in boards
        ]


class ConfirmForm(forms.Form):
    """A form with nothing to fill in: the button is the decision."""


class ApproveForm(forms.Form):
    """The approver's decision, with the total their page showed.

    The total is only compared with what the claim settles to when it is approved, so that nobody
    approves a figure they did not see; it is never used as the amount.
    """

    confirmed_total = forms.DecimalField(
        widget=forms.HiddenInput,
        max_digits=10,
        decimal_places=2,
        min_value=Decimal(0),
        error_messages={
            "required": "The page did not say which total you were approving. "
            "Check the total and approve again.",
            "invalid": "The page did not say which total you were approving. "
            "Check the total and approve again.",
        },
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        strip=True,
        error_messages={"max_length": "The reason must be 2,000 characters or fewer."},
    )

    def __init__(self, *args, label: str, hint: str, missing: str, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        field.label = label
        field.help_text = hint
        field.error_messages["required"] = missing


class MarkPaidForm(forms.Form):
    paid_on = DateField(
        label="Date the batch was paid",
        help_text="The date the payments left the bank account.",
        error_messages={"required": "Enter the date the batch was paid."},
    )

    def clean_paid_on(self):
        paid_on = self.cleaned_data["paid_on"]
        if paid_on > timezone.localdate():
            raise forms.ValidationError("The payment date cannot be in the future.")
        return paid_on


class ClaimsExportForm(ExportForm):
    """What to download of the claims: the claims or their items, of a board and a year."""

    year = forms.ChoiceField(
        label="Which year?",
        help_text="Claims sent in during the financial year, April to March.",
        error_messages={"required": "Choose a year."},
    )

    field_order = ["what", "board", "year", "file_format"]

    def __init__(self, data=None, *, boards, **kwargs):
        super().__init__(
            data,
            boards=boards,
            what=[("claims", "Claims, one row each"), ("items", "Claim items, one row each")],
            **kwargs,
        )
        years = financial_years_to_offer(timezone.localdate())
        self.fields["year"].choices = [
            ("all", "Every year"),
            *((str(year), financial_year_label(year)) for year in years),
        ]

    def selected_year(self) -> int | None:
        chosen = self.cleaned_data["year"]
        return None if chosen == "all" else int(chosen)


class CostCodeForm(forms.Form):
    cost_code = forms.CharField(
        label="Cost code",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"class": "ds_input--fixed-20"}),
        help_text="The budget line this board's claims are paid from, as the payments system "
        "names it, for example 4100-CARERS. It goes on every payment batch made from now on.",
        error_messages={"max_length": "The cost code must be 30 characters or fewer."},
    )


class PayeeReferenceForm(forms.Form):
    reference = forms.CharField(
        label="Finance payee reference",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"class": "ds_input--fixed-20"}),
        error_messages={"max_length": "The reference must be 30 characters or fewer."},
    )

    def __init__(self, *args, portal_reference: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reference"].help_text = (
            "The supplier or payee number your payments system pays them under, for example "
            f"SUP-004512. Leave it empty to pay them under the portal's reference, "
            f"{portal_reference}."
        )


class PayeeImportForm(UploadForm):
    def clean(self):
        cleaned = super().clean()
        if cleaned.get("file"):
            self.refuse_missing(
                payee_import.missing_columns(self.headers),
                ". Check the headings in its first row, or download the list again and fill "
                "that in.",
            )
        return cleaned


class PayeeFilterForm(forms.Form):
    without_reference = forms.BooleanField(
        label="Only reps without a finance reference", required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The list's page draws the <form> tag and the buttons.
        self.helper = get_form_helper()


# The policy's fields in the order a person reads a policy: travel, food, stays, care, time.
POLICY_FIELDS = [
    "effective_from",
    "car_rate_first",
    "car_rate_after",
    "car_threshold_miles",
    "passenger_rate",
    "motorcycle_rate",
    "bicycle_rate",
    "breakfast_cap",
    "lunch_cap",
    "dinner_cap",
    "daily_subsistence_cap",
    "overnight_cap",
    "care_hourly_cap",
    "involvement_basis",
    "involvement_amount",
    "days_to_claim",
    "receipt_threshold",
    "published_url",
]
RATE_FIELDS = {"car_rate_first", "car_rate_after", "passenger_rate", "motorcycle_rate"}
RATE_FIELDS |= {"bicycle_rate"}
# How each figure is named in a message: "Enter the passenger rate as 0 or more."
FIGURE_NAMES = {
    "car_rate_first": "the car or van rate up to the threshold",
    "car_rate_after": "the car or van rate after the threshold",
    "car_threshold_miles": "the miles at the higher rate",
    "passenger_rate": "the passenger rate",
    "motorcycle_rate": "the motorcycle rate",
    "bicycle_rate": "the bicycle rate",
    "breakfast_cap": "the most paid for breakfast",
    "lunch_cap": "the most paid for lunch",
    "dinner_cap": "the most paid for an evening meal",
    "daily_subsistence_cap": "the most paid for food and drink in one day",
    "overnight_cap": "the most paid for a night's stay",
    "care_hourly_cap": "the most paid an hour for care",
    "involvement_amount": "the involvement payment amount",
    "days_to_claim": "the days allowed to claim",
    "receipt_threshold": "the amount above which a receipt is needed",
}
REQUIRED_MESSAGES = {
    "car_rate_first": "Enter the rate a mile for a car or van up to the threshold.",
    "car_rate_after": "Enter the rate a mile for a car or van after the threshold.",
    "car_threshold_miles": "Enter the miles a tax year paid at the higher rate.",
    "passenger_rate": "Enter the rate a mile for each passenger.",
    "motorcycle_rate": "Enter the rate a mile for a motorcycle.",
    "bicycle_rate": "Enter the rate a mile for a bicycle.",
    "involvement_basis": "Choose whether there is an involvement payment, and how it is paid.",
    "involvement_amount": "Enter the involvement payment amount, or 0 if there is none.",
    "days_to_claim": "Enter how many days reps have to claim.",
    "receipt_threshold": "Enter the amount above which a receipt is needed, or 0.",
}


def _short_rate(rate: Decimal) -> str:
    """0.25 for 0.250, 0.455 for 0.455: at least pence, and tenths of a penny only if used."""
    if rate == rate.quantize(Decimal("0.01")):
        return f"{rate.quantize(Decimal('0.01')):f}"
    return f"{rate.normalize():f}"


class PolicyForm(forms.ModelForm):
    """A new version of a board's policy. Earlier versions are never changed: claims use them."""

    effective_from = DateField(
        label="In force from",
        help_text="Items dated on or after this day use this version.",
        error_messages={"required": "Enter the date this version comes into force."},
    )

    class Meta:
        model = ExpensePolicy
        fields = POLICY_FIELDS
        widgets = {"involvement_basis": forms.RadioSelect}
        help_texts = {
            "car_rate_first": "In pounds: 0.45 is 45p a mile.",
            "car_threshold_miles": "HMRC's threshold is 10,000 miles.",
            "breakfast_cap": "Leave empty for no limit.",
            "lunch_cap": "Leave empty for no limit.",
            "dinner_cap": "Leave empty for no limit.",
            "daily_subsistence_cap": "Leave empty for no limit.",
            "overnight_cap": "Leave empty for no limit.",
            "care_hourly_cap": "Leave empty to pay the rate the rep pays, whatever it is.",
            "involvement_amount": "0 if there is no involvement payment.",
            "receipt_threshold": "0 to ask for a receipt for everything except mileage.",
            "published_url": "The web address of the policy on the partnership's website.",
        }

    def __init__(self, *args, board, **kwargs):
        super().__init__(*args, **kwargs)
        self.board = board
        for name, field in self.fields.items():
            if name in REQUIRED_MESSAGES:
                field.error_messages["required"] = REQUIRED_MESSAGES[name]
            if isinstance(field, forms.DecimalField):
                self._plain_decimal(name, field)
            elif isinstance(field, forms.IntegerField):
                # A text box rather than type="number", which drops or rounds what people type.
                field.widget = forms.TextInput(
                    attrs={"inputmode": "numeric", "class": "ds_input--fixed-10"}
                )
                field.error_messages["invalid"] = f"Enter {FIGURE_NAMES[name]} as a whole number."
        self.fields["involvement_basis"].choices = InvolvementBasisChoice.choices
        for name in RATE_FIELDS:
            # 0.25 rather than 0.250: the rates are stored to a tenth of a penny.
            rate = self.initial.get(name)
            if isinstance(rate, Decimal):
                self.initial[name] = _short_rate(rate)
        self.fields["published_url"].assume_scheme = "https"

    @staticmethod
    def _plain_decimal(name: str, field: forms.DecimalField) -> None:
        field.min_value = Decimal(0)
        field.validators.append(MinValueValidator(Decimal(0)))
        places = field.decimal_places
        what = FIGURE_NAMES[name]
        if name in RATE_FIELDS:
            as_ = "in pounds a mile, such as 0.45"
            field.widget = forms.TextInput(
                attrs={"inputmode": "decimal", "class": "ds_input--fixed-10"}
            )
        else:
            as_ = "in pounds and pence, such as 12.50"
            field.widget = MoneyInput()
        too_big = f"{what[0].upper()}{what[1:]} is too big."
        field.error_messages.update(
            {
                "invalid": f"Enter {what} {as_}.",
                "min_value": f"Enter {what} as 0 or more.",
                "max_decimal_places": f"Enter {what} with no more than {places} decimal places.",
                "max_digits": too_big,
                "max_whole_digits": too_big,
            }
        )

    def clean_effective_from(self):
        effective_from = self.cleaned_data["effective_from"]
        if ExpensePolicy.objects.filter(board=self.board, effective_from=effective_from).exists():
            raise forms.ValidationError(
                "This board already has a version of its policy from that date. Choose another "
                "date."
            )
        return effective_from

    def clean(self):
        cleaned = super().clean()
        basis = cleaned.get("involvement_basis")
        amount = cleaned.get("involvement_amount")
        if basis == InvolvementBasisChoice.NONE and amount:
            self.add_error(
                "involvement_amount",
                "Choose how the involvement payment is made, or set the amount to 0.",
            )
        elif basis and basis != InvolvementBasisChoice.NONE and not amount:
            self.add_error("involvement_amount", "Enter the involvement payment amount.")
        return cleaned

    def _get_validation_exclusions(self):
        # The board is not a field of the form, but the model's checks need it set.
        self.instance.board = self.board
        return super()._get_validation_exclusions()


class RepSearchForm(forms.Form):
    name = forms.CharField(
        label="Rep's name",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "ds_input--fixed-20"}),
    )
