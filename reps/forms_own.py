"""Forms for a rep's own pages: contact details, needs, preferences, journeys, equality monitoring,
and an item put forward for a meeting's agenda.

None of them saves anything itself. Each gives `changes()` (or `cleaned_data`) for the view to
pass to a function in `reps.services`, and each holds only fields a rep may change about
themselves (`services.REP_OWN_FIELDS`), so whatever else a browser sends is never read.
"""

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from portal.core.forms import DecimalField
from reps.models import EqualityRecord, Rep, SupportRequest, Term

# The outward half of a UK postcode: G66, EH1, KW15, G2A.
_POSTCODE_AREA = re.compile(r"[A-Z]{1,2}[0-9][0-9A-Z]?")


class ContactDetailsForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        required=False,
        max_length=254,
        error_messages={"invalid": "Enter an email address like name@example.com."},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label="Phone number",
        required=False,
        max_length=40,
        error_messages={"max_length": "The phone number must be 40 characters or fewer."},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    address = forms.CharField(
        label="Address",
        required=False,
        max_length=500,
        error_messages={"max_length": "The address must be 500 characters or fewer."},
        help_text="Only needed if you want papers or letters by post.",
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "street-address"}),
    )
    postcode_area = forms.CharField(
        label="Postcode area",
        required=False,
        max_length=8,
        help_text="The first half of your postcode, such as G66. It helps work out travel.",
        widget=forms.TextInput(attrs={"class": "ds_input--fixed-5", "spellcheck": "false"}),
    )

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not re.fullmatch(r"[0-9+() \-]{7,40}", phone):
            raise ValidationError(
                "Enter a phone number using numbers only, like 0141 496 0000 or +44 141 496 0000."
            )
        return phone

    def clean_postcode_area(self):
        area = self.cleaned_data["postcode_area"].replace(" ", "").upper()
        if area and not _POSTCODE_AREA.fullmatch(area):
            raise ValidationError("Enter the first half of your postcode only, such as G66.")
        return area

    @classmethod
    def for_rep(cls, rep: Rep, data=None):
        return cls(data, initial={name: getattr(rep, name) for name in cls.base_fields})

    def changes(self) -> dict:
        return dict(self.cleaned_data)


class SupportNeedsForm(forms.Form):
    needs = forms.MultipleChoiceField(
        label="What would help you take part?",
        help_text="Tick all that apply. Your support officer arranges them for every meeting.",
        choices=Rep.ACCESS_NEEDS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    needs_other = forms.CharField(
        label="Anything else you need",
        required=False,
        max_length=1000,
        error_messages={"max_length": "What else you need must be 1,000 characters or fewer."},
        help_text="For example, a hearing loop, step-free access or breaks during long meetings.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    @classmethod
    def for_rep(cls, rep: Rep, data=None):
        ticked = [field for field, _ in Rep.ACCESS_NEEDS if getattr(rep, field)]
        return cls(data, initial={"needs": ticked, "needs_other": rep.needs_other})

    def changes(self) -> dict:
        ticked = set(self.cleaned_data["needs"])
        changes = {field: field in ticked for field, _ in Rep.ACCESS_NEEDS}
        changes["needs_other"] = self.cleaned_data["needs_other"].strip()
        return changes


class ContactPreferencesForm(forms.Form):
    contact = forms.MultipleChoiceField(
        label="How should your partnership contact you?",
        help_text="Tick all that suit you. Without email, staff tell you themselves what "
        "happened to your expenses claims.",
        choices=Rep.CONTACT_PREFERENCES,
        error_messages={"required": "Choose at least one way for us to contact you."},
        widget=forms.CheckboxSelectMultiple,
    )

    # Each way of contact needs the detail it uses: (preference, detail field, what to add).
    NEEDS_DETAIL = [
        ("contact_by_email", "email", "an email address"),
        ("contact_by_post", "address", "an address"),
        ("contact_by_phone", "phone", "a phone number"),
    ]

    listed_publicly = forms.BooleanField(
        required=False,
        help_text=(
            "The page tells people thinking of becoming a rep who holds each seat. Without this, "
            "it says only that your seat is filled."
        ),
    )

    def __init__(self, data=None, *, rep: Rep, **kwargs):
        self.rep = rep
        super().__init__(data, **kwargs)
        self.fields["listed_publicly"].label = f"Show my name on {rep.board.name}'s public page"

    @classmethod
    def for_rep(cls, rep: Rep, data=None):
        ticked = [field for field, _ in Rep.CONTACT_PREFERENCES if getattr(rep, field)]
        return cls(
            data, rep=rep, initial={"contact": ticked, "listed_publicly": rep.listed_publicly}
        )

    def clean_contact(self):
        chosen = self.cleaned_data["contact"]
        labels = dict(Rep.CONTACT_PREFERENCES)
        for preference, detail, what in self.NEEDS_DETAIL:
            if preference in chosen and not getattr(self.rep, detail):
                raise ValidationError(
                    f"To be contacted by {labels[preference].lower()}, add {what} to your "
                    "contact details first, or choose another way."
                )
        return chosen

    def changes(self) -> dict:
        chosen = set(self.cleaned_data["contact"])
        changes = {field: field in chosen for field, _ in Rep.CONTACT_PREFERENCES}
        changes["listed_publicly"] = self.cleaned_data["listed_publicly"]
        return changes


class InvolvementPaymentForm(forms.Form):
    wants_payment = forms.TypedChoiceField(
        label="Do you want to be paid for your time?",
        choices=[("yes", "Yes, pay me for my time"), ("no", "No, only pay my expenses")],
        coerce=lambda answer: answer == "yes",
        error_messages={"required": "Choose yes or no."},
        widget=forms.RadioSelect,
    )

    @classmethod
    def for_rep(cls, rep: Rep, data=None):
        return cls(
            data, initial={"wants_payment": "yes" if rep.involvement_payment_opt_in else "no"}
        )

    def changes(self) -> dict:
        return {"involvement_payment_opt_in": self.cleaned_data["wants_payment"]}


class UsualJourneyForm(forms.Form):
    from_area = forms.CharField(
        label="From",
        max_length=100,
        help_text="A town or the first half of a postcode, such as Kirkintilloch or G66.",
        error_messages={"required": "Enter where the journey starts."},
    )
    venue = forms.CharField(
        label="To",
        max_length=200,
        help_text="The meeting place, such as Kirkintilloch council chambers.",
        error_messages={"required": "Enter where the journey goes to."},
    )
    miles = DecimalField(
        label="Miles, one way",
        max_digits=4,
        decimal_places=1,
        min_value=Decimal("0.1"),
        # A journey to meetings: a longer one is a slip, such as 360 for 3.6, which would then
        # fill in every claim that uses it.
        max_value=Decimal("999.9"),
        help_text="To one decimal place at most, such as 8.5.",
        error_messages={
            "required": "Enter the miles, such as 8.5.",
            "invalid": "Enter the miles as a number, such as 8.5.",
            "max_decimal_places": "Enter the miles to one decimal place at most, such as 8.5.",
            "max_digits": "Enter the miles one way, up to 999.9.",
            "max_whole_digits": "Enter the miles one way, up to 999.9.",
            "max_value": "Enter the miles one way, up to 999.9.",
            "min_value": "Enter the miles as a number above 0.",
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "ds_input--fixed-5"}),
    )

    def clean_miles(self):
        miles = self.cleaned_data["miles"]
        if miles <= Decimal(0):
            raise ValidationError("Enter the miles as a number above 0.")
        return miles

    def clean(self):
        cleaned = super().clean()
        for name in ("from_area", "venue"):
            if name in cleaned:
                cleaned[name] = cleaned[name].strip()
        return cleaned


# The equality questions, with the model's choices; each is optional, like every answer.
def _equality_field(name: str, question: str) -> forms.ChoiceField:
    choices = EqualityRecord._meta.get_field(name).choices
    return forms.ChoiceField(
        label=question, choices=choices, required=False, widget=forms.RadioSelect
    )


class EqualityMonitoringForm(forms.Form):
    consent = forms.BooleanField(
        label="I agree that the portal may keep my answers to these questions",
        help_text=(
            "Only you can see your answers. Your partnership and the national bodies see only "
            "counts of people, never fewer than 5 at a time, with no names. You can delete "
            "your answers at any time."
        ),
        required=False,
    )

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        for name, question in EqualityRecord.QUESTIONS:
            self.fields[name] = _equality_field(name, question)
        # Agreeing comes last, beside the button that saves the answers it covers.
        self.order_fields([*(name for name, _ in EqualityRecord.QUESTIONS), "consent"])

    @classmethod
    def for_rep(cls, record: EqualityRecord | None, data=None):
        initial = {"consent": record is not None}
        if record is not None:
            initial.update({name: getattr(record, name) for name, _ in EqualityRecord.QUESTIONS})
        return cls(data, initial=initial)

    def answers(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name) or "" for name, _ in EqualityRecord.QUESTIONS}


# Room to explain an item in a few paragraphs, well short of a paper of its own.
AGENDA_DETAILS_MOST = 2000


def agenda_item_details(help_text: str) -> forms.CharField:
    """The box for more about an agenda item, as reps and staff both fill it in."""
    return forms.CharField(
        label="More about it",
        required=False,
        max_length=AGENDA_DETAILS_MOST,
        help_text=help_text,
        error_messages={
            "max_length": f"Keep this to {AGENDA_DETAILS_MOST:,} characters or fewer.",
        },
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class AgendaItemForm(forms.Form):
    title = forms.CharField(
        label="What would you like the meeting to discuss?",
        max_length=200,
        help_text=(
            "A few words, as it could appear on the agenda. "
            "For example: Replacement care for evening meetings."
        ),
        error_messages={
            "required": "Enter what you would like the meeting to discuss.",
            "max_length": "Keep this to 200 characters or fewer, and say more in the next box.",
        },
    )
    details = agenda_item_details("Why it matters, or what you would like to happen.")


class SendApologiesForm(forms.Form):
    """Which way: the button pressed says, so that a page sent twice does the same thing twice."""

    action = forms.ChoiceField(choices=[("send", "Send"), ("withdraw", "Take back")])


class TermAfterwardsForm(forms.Form):
    """What the rep would like when a term ends, in their own words: staff see it beside the
    terms ending soon (`Term.Afterwards`)."""

    afterwards = forms.ChoiceField(
        label="What would you like when this term ends?",
        choices=[
            (Term.Afterwards.ANOTHER, "I would like another term, if the board agrees"),
            (Term.Afterwards.STEPPING_DOWN, "I plan to step down at the end of this term"),
            (Term.Afterwards.NOT_SURE, "I am not sure yet"),
        ],
        error_messages={"required": "Choose what you would like when this term ends."},
        widget=forms.RadioSelect,
    )
    will_help = forms.BooleanField(
        label="I would be happy to help whoever follows me settle in",
        help_text="For example, by meeting them before their first meeting.",
        required=False,
    )

    @classmethod
    def for_term(cls, term: Term, data=None):
        return cls(
            data,
            initial={"afterwards": term.afterwards, "will_help": term.will_help_successor},
        )


SUPPORT_DETAILS_MOST = 2000


class SupportRequestForm(forms.Form):
    """Training or support a rep asks for, in their own words; staff answer it."""

    kind = forms.ChoiceField(
        label="What kind of help would you like?",
        choices=[
            (SupportRequest.Kind.TRAINING, "Training or a course"),
            (
                SupportRequest.Kind.SUPPORT,
                "Support in your role, such as a mentor, a briefing before meetings, "
                "or help with the papers",
            ),
        ],
        error_messages={"required": "Choose training or support."},
        widget=forms.RadioSelect,
    )
    what = forms.CharField(
        label="What would help you?",
        max_length=200,
        help_text="A few words. For example: Understanding the IJB budget.",
        error_messages={
            "required": "Enter what would help you.",
            "max_length": "Keep this to 200 characters or fewer, and say more in the next box.",
        },
    )
    details = forms.CharField(
        label="Anything else we should know",
        required=False,
        max_length=SUPPORT_DETAILS_MOST,
        help_text="Why it would help, when suits you, or how you would like it given.",
        error_messages={
            "max_length": f"Keep this to {SUPPORT_DETAILS_MOST:,} characters or fewer."
        },
        widget=forms.Textarea(attrs={"rows": 5}),
    )
