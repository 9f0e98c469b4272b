"""Forms for one claim item: first the kind of expense, then a form with only that kind's questions.

Shared by the rep's own screens and by staff entering a claim on a rep's behalf (`staff=True`
adds what only staff may record). A form never saves a claim or an item and never carries an
amount: the view hands `form.item_inputs()` to `expenses.services`, which works the amount out
from the policy in force, and shows any problem the service finds with
`portal.core.forms.add_service_errors`. (Checking a receipt does count it against the sender,
`by`, who may send only so many a minute.)
"""

from decimal import Decimal
from typing import Any, ClassVar

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.html import format_html

from expenses import journeys as journeys_module
from expenses import uploads
from expenses.calculations import Kind, Meal, format_money
from expenses.models import CareProvider, ClaimItem, ExpensePolicy, MealChoice, VehicleChoice
from expenses.services import ITEM_INPUT_FIELDS
from portal.core.forms import DateField, DateInput, DecimalField, PoundsField
from portal.core.models import User
from reps.models import Rep

# How each kind reads in the list a rep chooses from: the words people use for it.
KIND_CHOICES = {
    Kind.MILEAGE: "Mileage: travel by car, van, motorcycle or bicycle",
    Kind.PUBLIC_TRANSPORT: "Bus, train or ferry fares",
    Kind.TAXI: "Taxi",
    Kind.PARKING: "Parking",
    Kind.SUBSISTENCE: "Food and drink",
    Kind.OVERNIGHT: "An overnight stay",
    Kind.REPLACEMENT_CARE: "Replacement care: someone to care while you take part",
    Kind.INVOLVEMENT: "Involvement payment for your time",
    Kind.PHONE_POSTAGE_PRINTING: "Phone, postage or printing",
    Kind.OTHER: "Something else",
}


def kinds_offered(policy: ExpensePolicy | None, rep: Rep) -> list[str]:
    """Every kind, but an involvement payment only where the policy has one and the rep chose it.

    Payment for time can affect benefits, so it is never offered to a rep who has not opted in.
    """
    kinds = list(KIND_CHOICES)
    offers_involvement = policy is not None and policy.as_rates().has_involvement_payment
    if not (offers_involvement and rep.involvement_payment_opt_in):
        kinds.remove(Kind.INVOLVEMENT)
    return kinds


class KindForm(forms.Form):
    kind = forms.ChoiceField(
        label="What are you claiming for?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what you are claiming for",
            "invalid_choice": "Choose what you are claiming for from the list",
        },
    )

    def __init__(self, *args, kinds: list[str], for_whom: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind, KIND_CHOICES[Kind(kind)]) for kind in kinds]
        if for_whom:
            # Staff entering a claim for a rep.
            self.fields["kind"].label = f"What is {for_whom} claiming for?"


class StartClaimForm(forms.Form):
    """Starting a claim. The token, new on each page, makes a double click start one claim."""

    submission_token = forms.UUIDField(widget=forms.HiddenInput)


def _journey_choices(journeys) -> list[tuple[str, str]]:
    return [(str(journey.pk), journeys_module.in_words(journey)) for journey in journeys]


class MeetingJourneyForm(forms.Form):
    """Which usual journey the rep made to a meeting, when none, or several, go to its venue.

    Only the rep's own journeys are choices: a posted number that is not one of them is an error,
    never a journey used.
    """

    NONE = "none"

    journey = forms.ChoiceField(
        label="Which journey did you make to this meeting?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the journey you made, or none of these",
            "invalid_choice": "Choose one of your usual journeys, or none of these",
        },
    )
    submission_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, journeys, venue: str, for_whom: str | None = None, **kwargs):
        """`for_whom` names the rep when staff enter the claim on their behalf."""
        super().__init__(*args, **kwargs)
        self.journeys = {str(journey.pk): journey for journey in journeys}
        field = self.fields["journey"]
        whose = f"{for_whom}'s" if for_whom else "your"
        if for_whom:
            field.label = f"Which journey did {for_whom} make to this meeting?"
            field.error_messages = {
                "required": f"Choose the journey {for_whom} made, or none of these",
                "invalid_choice": f"Choose one of {whose} usual journeys, or none of these",
            }
        field.choices = [
            *_journey_choices(journeys),
            (self.NONE, "None of these: I will enter the journey myself"),
        ]
        where = venue or "a place not recorded"
        several = len(journeys_module.journeys_to(journeys, venue)) > 1
        field.help_text = f"The meeting was at {where}. " + (
            f"More than one of {whose} usual journeys goes there."
            if several
            else f"None of {whose} usual journeys goes there."
        )

    def chosen(self):
        """The journey chosen, or None for "none of these"."""
        return self.journeys.get(self.cleaned_data["journey"])


class UsualJourneyChoiceForm(forms.Form):
    """On a mileage item: fill in the miles and where from one of the rep's usual journeys."""

    journey = forms.ChoiceField(
        label="Fill in one of your usual journeys?",
        help_text="The miles and where you travelled are filled in for you to check or change.",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose one of your usual journeys",
            "invalid_choice": "Choose one of your usual journeys from the list",
        },
    )

    def __init__(self, *args, journeys, **kwargs):
        kwargs.setdefault("prefix", "usual")
        super().__init__(*args, **kwargs)
        self.journeys = {str(journey.pk): journey for journey in journeys}
        self.fields["journey"].choices = _journey_choices(journeys)

    def initial_inputs(self) -> dict[str, Any]:
        """The mileage form's starting answers for the chosen journey, or none."""
        if not self.is_bound or not self.is_valid():
            return {}
        return self._answers(self.journeys[self.cleaned_data["journey"]])

    def answers_by_choice(self) -> dict[str, dict[str, str]]:
        """Each choice's answers, which the page fills in without reloading where it can, so
        that nothing the rep has typed already is lost."""
        return {
            pk: {name: str(value) for name, value in self._answers(journey).items()}
            for pk, journey in self.journeys.items()
        }

    @staticmethod
    def _answers(journey) -> dict[str, Any]:
        inputs = journeys_module.mileage_inputs(journey)
        return {name: inputs[name] for name in ("miles", "vehicle", "description")}


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why are you withdrawing the claim?",
        help_text="You do not have to say, but it helps the partnership.",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Say why in 1,000 characters or fewer"},
    )


# Fields


class MoneyField(PoundsField):
    """Pounds and pence claimed: "4.50", "£4.50" or "1,204.50", from a penny to £99,999.99."""

    def __init__(self, *, what: str, **kwargs):
        example = "for example 4.50"
        kwargs.setdefault(
            "error_messages",
            {
                "required": f"Enter {what}",
                "invalid": f"Enter {what} in pounds and pence, {example}",
                "max_decimal_places": f"Enter {what} in pounds and pence, {example}",
                "max_digits": f"Enter {what} of £99,999.99 or less",
                "max_whole_digits": f"Enter {what} of £99,999.99 or less",
                "min_value": f"Enter {what}: it must be more than £0",
                "max_value": f"Enter {what} of £99,999.99 or less",
            },
        )
        super().__init__(
            max_digits=7,
            decimal_places=2,
            # Nothing to pay is not a claim.
            min_value=Decimal("0.01"),
            max_value=Decimal("99999.99"),
            **kwargs,
        )


class HoursInput(forms.TextInput):
    """A box for hours that browsers do not treat as required: an empty box means none."""

    def use_required_attribute(self, initial):
        return False


class HoursField(DecimalField):
    """Hours of preparation, meeting or travel. An empty box counts as 0; at least one of the
    three must be more than 0, which the form checks.

    Not marked "(optional)": a rep should fill in every box that applies, and the hint says an
    empty one counts as none.
    """

    widget = HoursInput(attrs={"inputmode": "decimal", "class": "ds_input--fixed-4"})

    def __init__(self, label: str):
        super().__init__(
            label=label,
            max_digits=4,
            decimal_places=2,
            min_value=Decimal(0),
            max_value=Decimal(24),
            error_messages={
                "invalid": "Enter the hours as a number, for example 1.5 for an hour and a half",
                "max_decimal_places": "Enter the hours to two decimal places at most, like 1.25",
                "max_digits": "Enter a number of hours from 0 to 24",
                "max_whole_digits": "Enter a number of hours from 0 to 24",
                "min_value": "Enter a number of hours from 0 to 24",
                "max_value": "Enter a number of hours from 0 to 24",
            },
        )

    def to_python(self, value):
        number = super().to_python(value)
        return Decimal(0) if number is None else number


def hours_field(label: str) -> HoursField:
    return HoursField(label)


class ReceiptField(forms.FileField):
    """A receipt or invoice, checked and cleaned by `expenses.uploads.clean_receipt`."""

    widget = forms.ClearableFileInput(
        attrs={
            "accept": "image/jpeg,image/png,image/webp,application/pdf,.jpg,.jpeg,.png,.webp,.pdf"
        }
    )
    default_error_messages = {
        "empty": uploads.MESSAGES["empty"],
        "invalid": "Choose a photo or a PDF of your receipt.",
        "missing": "Choose a photo or a PDF of your receipt.",
        "contradiction": "Either choose a new file or tick to remove the current one, not both.",
    }
    # The person sending the file, whose receipts `clean_receipt` counts: set by the form.
    by: User | None = None

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if isinstance(value, UploadedFile):
            return uploads.clean_receipt(value, by=self.by)
        return value


def _receipt_hint(what: str = "receipt") -> str:
    return (
        f"A photo or a PDF of the {what}: JPEG, PNG, WebP or PDF, up to "
        f"{uploads.MAX_SIZE_LABEL}. You can add it later: save the claim now and come back."
    )


# The forms


class ItemForm(forms.Form):
    """The questions every kind asks: the day and the meeting or activity it was for."""

    kind: str
    # This kind's own questions, in the order they are asked, after the shared ones.
    own_fields: ClassVar[tuple[str, ...]] = ()
    description_label = "What was it for?"
    description_help = ""
    description_required = False
    description_missing = "Enter what it was for"

    date = DateField(
        label="Date",
        help_text="The day of the meeting or activity.",
        error_messages={"required": "Enter the date"},
    )
    activity = forms.CharField(
        label="Meeting or activity",
        max_length=200,
        help_text="For example, Integration Joint Board meeting, or carers' forum.",
        error_messages={
            "required": "Enter the meeting or activity this was for",
            "max_length": "Enter the meeting or activity in 200 characters or fewer",
        },
    )
    description = forms.CharField(
        max_length=200,
        error_messages={"max_length": "Enter it in 200 characters or fewer"},
    )

    def __init__(
        self,
        *args,
        kind: str,
        by: User,
        policy: ExpensePolicy | None = None,
        item: ClaimItem | None = None,
        staff: bool = False,
        **kwargs,
    ):
        if item is not None and not kwargs.get("initial"):
            kwargs["initial"] = self.initial_from(item)
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.policy = policy
        self.item = item
        self.staff = staff
        self.fields["date"].widget = DateInput(max_date=timezone.localdate())
        description = self.fields["description"]
        description.label = self.description_label
        description.help_text = self.description_help
        description.required = self.description_required
        description.error_messages["required"] = self.description_missing
        # Only this kind's questions: a field nobody sees must not be checked or saved either.
        asked = self.asked()
        for name in list(self.fields):
            if name not in asked:
                del self.fields[name]
        self.order_fields(asked)
        if "receipt" in self.fields:
            self.fields["receipt"].by = by
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(*self.layout())

    def asked(self) -> list[str]:
        return ["date", "activity", *self.own_fields]

    def layout(self) -> list:
        return self.asked()

    def initial_from(self, item: ClaimItem) -> dict[str, Any]:
        initial = {
            name: getattr(item, name)
            for name in ("date", "activity", "description", *self.own_fields)
            if hasattr(item, name) and name != "receipt"
        }
        initial["receipt"] = item.receipt or None
        return initial

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day is not None and day > timezone.localdate():
            raise ValidationError("The date cannot be in the future")
        return day

    def item_inputs(self) -> dict[str, Any]:
        """The cleaned answers as `expenses.services` takes them: inputs only, never an amount."""
        inputs: dict[str, Any] = {"kind": self.kind}
        for name, value in self.cleaned_data.items():
            if name not in ITEM_INPUT_FIELDS:
                continue
            # A new receipt replaces the old one and False removes it; anything else keeps it.
            if name == "receipt" and (isinstance(value, FieldFile) or value is None):
                continue
            inputs[name] = value
        return inputs


class MileageForm(ItemForm):
    own_fields = ("description", "miles", "vehicle", "passengers")
    description_label = "Where did you travel?"
    description_help = "For example, Kirkintilloch to Kilsyth and back."
    description_missing = "Enter where you travelled"

    miles = DecimalField(
        label="How many miles?",
        help_text="The whole journey: there and back if you came home again.",
        max_digits=6,
        decimal_places=1,
        min_value=Decimal("0.1"),
        max_value=Decimal("99999.9"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "ds_input--fixed-5"}),
        error_messages={
            "required": "Enter how many miles you travelled",
            "invalid": "Enter the miles as a number, for example 12.5",
            "max_decimal_places": "Enter the miles to one decimal place at most, like 12.5",
            "max_digits": "Enter the miles, up to 99,999.9",
            "max_whole_digits": "Enter the miles, up to 99,999.9",
            "min_value": "The number of miles must be more than 0",
            "max_value": "Enter the miles, up to 99,999.9",
        },
    )
    vehicle = forms.ChoiceField(
        label="How did you travel?",
        choices=VehicleChoice.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how you travelled"},
    )
    passengers = forms.IntegerField(
        label="How many passengers did you take?",
        help_text=(
            "Other people going to the same meeting, in a car or van. Leave empty or enter 0 if "
            "there were none."
        ),
        required=False,
        min_value=0,
        max_value=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "ds_input--fixed-2"}),
        error_messages={
            "invalid": "Enter the number of passengers as a whole number, such as 1",
            "min_value": "Enter a number of passengers from 0 to 8",
            "max_value": "Enter a number of passengers from 0 to 8",
        },
    )

    def clean_passengers(self):
        return self.cleaned_data["passengers"] or 0

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("passengers") and cleaned.get("vehicle") not in (None, VehicleChoice.CAR):
            self.add_error("passengers", "Passengers can only be claimed for a car or van")
        return cleaned


class SpentForm(ItemForm):
    """Fares, taxis, parking, phone, postage, printing and anything else: paid at cost."""

    own_fields = ("amount_claimed", "description", "receipt")

    amount_claimed = MoneyField(label="How much did you spend?", what="how much you spent")
    receipt = ReceiptField(label="Receipt", required=False, help_text=_receipt_hint())

    # (question, hint, whether it must be answered, the message when it is not) for each kind.
    DESCRIPTIONS: ClassVar[dict[str, tuple[str, str, bool, str]]] = {
        Kind.PUBLIC_TRANSPORT: (
            "Where did you travel?",
            "For example, train from Lenzie to Glasgow Queen Street and back.",
            False,
            "Enter where you travelled",
        ),
        Kind.TAXI: (
            "Where did you travel?",
            "For example, Kilsyth to the council offices.",
            False,
            "Enter where you travelled",
        ),
        Kind.PARKING: ("Where did you park?", "", False, "Enter where you parked"),
        Kind.PHONE_POSTAGE_PRINTING: (
            "What was it for?",
            "For example, printing the meeting papers.",
            False,
            "Enter what it was for",
        ),
        Kind.OTHER: (
            "What was it for?",
            "Say what you paid for and why you needed it.",
            True,
            "Enter what you paid for",
        ),
    }

    def __init__(self, *args, kind: str, **kwargs):
        (
            self.description_label,
            self.description_help,
            self.description_required,
            self.description_missing,
        ) = self.DESCRIPTIONS[Kind(kind)]
        super().__init__(*args, kind=kind, **kwargs)


class SubsistenceForm(ItemForm):
    own_fields = ("meal", "amount_claimed", "receipt")

    meal = forms.ChoiceField(
        label="Which meal was it?",
        widget=forms.RadioSelect,
        choices=[
            (MealChoice.BREAKFAST, "Breakfast"),
            (MealChoice.LUNCH, "Lunch"),
            (MealChoice.DINNER, "Evening meal"),
            ("whole_day", "Food and drink for the whole day"),
        ],
        error_messages={"required": "Choose which meal it was"},
    )
    amount_claimed = MoneyField(label="How much did you spend?", what="how much you spent")
    receipt = ReceiptField(label="Receipt", required=False, help_text=_receipt_hint())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.policy is not None:
            limits = [
                f"{label} up to {format_money(cap)}"
                for label, cap in (
                    ("breakfast", self.policy.breakfast_cap),
                    ("lunch", self.policy.lunch_cap),
                    ("an evening meal", self.policy.dinner_cap),
                    ("a whole day", self.policy.daily_subsistence_cap),
                )
                if cap is not None
            ]
            if limits:
                self.fields["amount_claimed"].help_text = (
                    "Enter what you spent. The policy pays " + ", ".join(limits) + "."
                )

    def initial_from(self, item):
        initial = super().initial_from(item)
        initial["meal"] = item.meal or "whole_day"
        return initial

    def clean_meal(self):
        meal = self.cleaned_data["meal"]
        return Meal.WHOLE_DAY.value if meal == "whole_day" else meal


class OvernightForm(ItemForm):
    own_fields = ("amount_claimed", "description", "receipt")
    description_label = "Where did you stay?"
    description_missing = "Enter where you stayed"

    amount_claimed = MoneyField(label="How much was the stay?", what="how much the stay cost")
    receipt = ReceiptField(label="Receipt or bill", required=False, help_text=_receipt_hint("bill"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.policy is not None and self.policy.overnight_cap is not None:
            cap = format_money(self.policy.overnight_cap)
            self.fields["amount_claimed"].help_text = f"The policy pays up to {cap} a night."


_HOURS_HINT = (
    "Count all the time you were away from the person you care for: getting ready and reading "
    "the papers, the meeting itself, and travelling there and back. Preparation time counts too. "
    "Leave a box empty if it does not apply."
)


class CareForm(ItemForm):
    """Replacement care. It never asks why family or an existing care package did not cover it:
    More than Equal asks for care paid without making carers use their own network first."""

    own_fields = (
        "hours_preparation",
        "hours_meeting",
        "hours_travel",
        "provider_type",
        "hourly_rate",
        "receipt",
    )

    hours_preparation = hours_field("Hours preparing for the meeting")
    hours_meeting = hours_field("Hours at the meeting")
    hours_travel = hours_field("Hours travelling")
    provider_type = forms.ChoiceField(
        label="Who provided the care?",
        choices=CareProvider.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who provided the care"},
    )
    hourly_rate = MoneyField(label="How much did the care cost an hour?", what="the hourly rate")
    receipt = ReceiptField(
        label="Invoice or receipt", required=False, help_text=_receipt_hint("invoice or receipt")
    )
    arranged_by_partnership = forms.BooleanField(
        label="The partnership arranged and paid for this care directly",
        required=False,
        help_text="It counts in the partnership's spend on care; the rep is not paid for it.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.policy is not None and self.policy.care_hourly_cap is not None:
            cap = format_money(self.policy.care_hourly_cap)
            self.fields["hourly_rate"].help_text = f"The policy pays up to {cap} an hour."

    def asked(self) -> list[str]:
        # Only staff record care the partnership arranged and paid for itself.
        extra = ["arranged_by_partnership"] if self.staff else []
        return [*super().asked(), *extra]

    def layout(self) -> list:
        fields = [
            "date",
            "activity",
            Fieldset(
                "How many hours of care?",
                HTML(format_html('<p class="ds_hint-text">{}</p>', _HOURS_HINT)),
                "hours_preparation",
                "hours_meeting",
                "hours_travel",
            ),
            "provider_type",
            "hourly_rate",
            "receipt",
        ]
        if self.staff:
            fields.append("arranged_by_partnership")
        return fields

    def clean(self):
        cleaned = super().clean()
        _require_some_hours(self, cleaned)
        return cleaned


class InvolvementForm(ItemForm):
    own_fields = ("hours_preparation", "hours_meeting", "hours_travel")

    hours_preparation = hours_field("Hours preparing for the meeting")
    hours_meeting = hours_field("Hours at the meeting")
    hours_travel = hours_field("Hours travelling")

    def layout(self) -> list:
        hint = (
            "Preparation and travel time count as well as the meeting itself. Leave a box empty "
            "if it does not apply."
        )
        if self.policy is not None:
            lines = [line for line in _policy_involvement(self.policy) if line]
            hint = " ".join([*lines, hint])
        return [
            "date",
            "activity",
            Fieldset(
                "How many hours did you give?",
                HTML(format_html('<p class="ds_hint-text">{}</p>', hint)),
                "hours_preparation",
                "hours_meeting",
                "hours_travel",
            ),
        ]

    def clean(self):
        cleaned = super().clean()
        _require_some_hours(self, cleaned)
        return cleaned


def _policy_involvement(policy: ExpensePolicy) -> list[str]:
    if policy.involvement_basis == "per_meeting":
        return [f"The policy pays {format_money(policy.involvement_amount)} for each meeting."]
    if policy.involvement_basis == "per_hour":
        return [f"The policy pays {format_money(policy.involvement_amount)} an hour."]
    return []


def _require_some_hours(form: ItemForm, cleaned: dict) -> None:
    names = ("hours_preparation", "hours_meeting", "hours_travel")
    if all(name in cleaned for name in names) and not any(cleaned[name] for name in names):
        form.add_error(
            "hours_meeting", "Enter the hours: preparation, the meeting itself and travel time"
        )


FORMS_BY_KIND: dict[str, type[ItemForm]] = {
    Kind.MILEAGE: MileageForm,
    Kind.SUBSISTENCE: SubsistenceForm,
    Kind.OVERNIGHT: OvernightForm,
    Kind.REPLACEMENT_CARE: CareForm,
    Kind.INVOLVEMENT: InvolvementForm,
    **{
        kind: SpentForm
        for kind in (
            Kind.PUBLIC_TRANSPORT,
            Kind.TAXI,
            Kind.PARKING,
            Kind.PHONE_POSTAGE_PRINTING,
            Kind.OTHER,
        )
    },
}


def item_form(kind: str, *args, **kwargs) -> ItemForm:
    """The form for one item of this kind:
    `item_form("mileage", request.POST, request.FILES, by=request.user, policy=...)`."""
    return FORMS_BY_KIND[Kind(kind)](*args, kind=kind, **kwargs)
