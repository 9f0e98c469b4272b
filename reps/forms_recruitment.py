"""Forms for recruitment: the public "I'm interested" form, and the staff screens that follow it.

As everywhere, forms only read and check what people type; `reps.services` makes the change and
validates the row again. The public form takes nothing that decides who owns the record or where
it stands: the board comes from the page's address and the state is always "new".
"""

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from portal.core.forms import DateField, get_form_helper
from portal.core.models import Board
from reps.forms_own import EqualityMonitoringForm
from reps.models import BoardSettings, ExpressionOfInterest, Seat, Term
from reps.recruitment import NOT_SURE
from reps.rules import InterestStatus, interest_next_statuses

_PHONE = re.compile(r"[0-9+() \-]{7,40}")
PHONE_MESSAGE = "Enter a phone number using numbers only, like 0141 496 0000 or +44 141 496 0000."

# The hidden field people never see. A person's browser leaves it empty; a program that fills in
# every box it finds does not, and its post is refused. Named like a real field so that such
# programs fill it in.
HONEYPOT = "website"
HONEYPOT_MESSAGE = (
    "Your form was not sent because it looked as if a computer program filled it in. Check "
    "your answers and send it again."
)
TOO_MANY_MESSAGE = (
    "This form has been sent from your connection several times in the last few minutes, so we "
    "cannot take another just now. Wait 10 minutes and try again."
)


def _helper(*layout) -> FormHelper:
    # The page draws the <form> tag and the buttons.
    helper = FormHelper()
    helper.form_tag = False
    if layout:
        helper.layout = Layout(*layout)
    return helper


def _text(label: str, max_length: int, *, required: bool = True, **kwargs) -> forms.CharField:
    messages = {"max_length": f"{label} must be {max_length} characters or fewer."}
    messages.update(kwargs.pop("error_messages", {}))
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        error_messages=messages,
        **kwargs,
    )


def _email(label: str, *, required: bool = False) -> forms.EmailField:
    return forms.EmailField(
        label=label,
        required=required,
        max_length=254,
        error_messages={
            "invalid": "Enter an email address like name@example.com.",
            "max_length": "The email address must be 254 characters or fewer.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


def _phone(label: str) -> forms.CharField:
    return _text(
        label,
        40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )


def _clean_phone(value: str) -> str:
    phone = value.strip()
    if phone and not _PHONE.fullmatch(phone):
        raise ValidationError(PHONE_MESSAGE)
    return phone


# The public form


class InterestForm(forms.Form):
    """The "I'm interested" form on a board's public page."""

    full_name = _text(
        "Your name",
        150,
        error_messages={"required": "Enter your name."},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = _email("Email address")
    phone = _phone("Phone number")
    role = forms.ChoiceField(
        label="Which role are you interested in?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the role you are interested in, or “Not sure yet”.",
            "invalid_choice": "Choose one of the roles listed, or “Not sure yet”.",
        },
    )
    support_needed = _text(
        "Is there anything you would need to take part?",
        1000,
        required=False,
        help_text=(
            "For example, meetings at times that fit around caring or work, papers in large print "
            "or easy read, a British Sign Language interpreter, or help with travel. Leave it "
            "empty if not."
        ),
        error_messages={
            "max_length": "Tell us what you would need in 1000 characters or fewer. We can talk "
            "about the rest when we get in touch."
        },
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    consent_to_contact = forms.BooleanField(
        error_messages={
            "required": "Tick the box to agree that we may contact you. Without it we cannot "
            "reply to you."
        },
    )
    pool_consent = forms.BooleanField(
        label=(
            "If there is no seat for me now, keep my details so that I can be asked to join "
            "strategic groups and peer support"
        ),
        required=False,
    )
    website = forms.CharField(required=False, label="Leave this box empty")

    def __init__(self, data=None, *, board: Board, roles: list[tuple[str, str]], **kwargs):
        super().__init__(data, **kwargs)
        self.fields["email"].help_text = "Give an email address, a phone number or both."
        self.fields["role"].choices = [*(roles or Seat.Kind.choices), (NOT_SURE, "Not sure yet")]
        self.fields[
            "consent_to_contact"
        ].label = f"I agree that {board.hscp_name} may contact me about being a representative"
        self.helper = _helper(
            "full_name",
            Fieldset("How can we contact you?", "email", "phone"),
            "role",
            "support_needed",
            "consent_to_contact",
            "pool_consent",
        )

    def clean_phone(self):
        return _clean_phone(self.cleaned_data["phone"])

    def clean(self):
        data = super().clean()
        if data.get(HONEYPOT):
            raise ValidationError(HONEYPOT_MESSAGE, code="honeypot")
        if (
            "email" not in self.errors
            and "phone" not in self.errors
            and not data.get("email")
            and not data.get("phone")
        ):
            self.add_error(
                "email", "Give an email address or a phone number, so that we can reply to you."
            )
        return data

    def refuse_too_many(self) -> None:
        """Show the rate limit's refusal, above the form."""
        self.add_error(None, ValidationError(TOO_MANY_MESSAGE, code="too_many"))

    def for_service(self) -> dict:
        """The fields `services.interest_receive` takes."""
        data = self.cleaned_data
        return {
            "full_name": data["full_name"],
            "email": data["email"],
            "phone": data["phone"],
            "role": "" if data["role"] == NOT_SURE else data["role"],
            "support_needed": data["support_needed"],
            "consent_to_contact": data["consent_to_contact"],
            "pool_consent": data["pool_consent"],
        }


# Staff screens


class InterestEqualityForm(EqualityMonitoringForm):
    """The rep's equality questions, for someone who has just said they are interested."""

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["consent"].help_text = (
            "Nobody can see your answers, not even the staff who get in touch with you. The "
            "partnership sees only counts of people, never fewer than 5 at a time, with no names. "
            "They are deleted with the rest of your details when you ask."
        )


class InterestFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[("", "Everyone"), *InterestStatus.choices],
    )

    def __init__(self, *args, boards: QuerySet[Board], **kwargs):
        super().__init__(*args, **kwargs)
        names = ["status"]
        if _add_board_choice(self, boards):
            names.insert(0, "board")
        self.helper = get_form_helper(Layout(Row(*(Column(name) for name in names))))


class BoardFilterForm(forms.Form):
    def __init__(self, *args, boards: QuerySet[Board], **kwargs):
        super().__init__(*args, **kwargs)
        _add_board_choice(self, boards)
        self.helper = get_form_helper()


class PoolFilterForm(BoardFilterForm):
    due = forms.BooleanField(
        label="Only people due to be asked whether they want to stay", required=False
    )


def _add_board_choice(form: forms.Form, boards: QuerySet[Board]) -> bool:
    """Add a board filter when there is more than one board: someone who recruits for one
    board has nothing to choose between."""
    if boards.count() <= 1:
        return False
    form.fields["board"] = forms.ModelChoiceField(
        label="Board",
        queryset=boards,
        required=False,
        empty_label="All your boards",
        to_field_name="slug",
    )
    return True


class InterestUpdateForm(forms.Form):
    """Move an expression of interest along, and keep notes on it."""

    status = forms.ChoiceField(label="Where it stands", widget=forms.RadioSelect)
    notes = _text(
        "Notes",
        5000,
        required=False,
        help_text=(
            "Calls made, what was agreed, what to do next. Only staff who recruit see them, and "
            "the person, if they are appointed and download their data."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, interest: ExpressionOfInterest, **kwargs):
        kwargs.setdefault("initial", {"status": interest.status, "notes": interest.notes})
        super().__init__(*args, **kwargs)
        current = InterestStatus(interest.status)
        # Appointing happens on its own page, where the seat is chosen.
        moves = [s for s in interest_next_statuses(current) if s != InterestStatus.APPOINTED]
        self.fields["status"].choices = [
            (current.value, f"Keep as {current.label.lower()}"),
            *((status.value, status.label) for status in moves),
        ]
        self.helper = _helper()


class SeatChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title}, {obj.group.name} ({obj.get_kind_display().lower()})"


class InterestAppointForm(forms.Form):
    """Appoint someone from their expression of interest: the details they gave come filled in."""

    seat = SeatChoiceField(
        label="Seat",
        queryset=Seat.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose the seat they are appointed to."},
    )
    full_name = _text("Full name", 150, error_messages={"required": "Enter their name."})
    email = _email("Email address")
    phone = _phone("Phone number")
    start = DateField(label="First day in the seat")
    planned_end = DateField(label="Planned last day", help_text="Terms are usually three years.")
    how_recruited = forms.ChoiceField(
        label="How were they recruited?",
        choices=Term.HowRecruited.choices,
        widget=forms.RadioSelect,
    )
    send_invitation = forms.BooleanField(
        label="Send an invitation to set a password",
        required=False,
        help_text="They get an email with a link to set a password and sign in to the portal.",
    )

    def __init__(self, *args, seats: list[Seat], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["seat"]
        field.queryset = Seat.objects.filter(pk__in=[seat.pk for seat in seats])
        # The order worked out for the page (the role they asked about first), not the table's.
        field.choices = [(seat.pk, field.label_from_instance(seat)) for seat in seats]
        self.helper = _helper(
            "seat",
            Fieldset("Their details", "full_name", "email", "phone"),
            Fieldset("Their term", "start", "planned_end", "how_recruited"),
            "send_invitation",
        )

    def clean_phone(self):
        return _clean_phone(self.cleaned_data["phone"])

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("planned_end")
        if start and end and end <= start:
            self.add_error("planned_end", "The planned last day must be after the first day.")
        if data.get("send_invitation") and "email" in data and not data["email"]:
            self.add_error(
                "email", "Add their email address to send an invitation, or untick the box."
            )
        return data


class PoolJoinForm(forms.Form):
    consent = forms.BooleanField(
        label="They have agreed to join the pool",
        required=False,
        help_text="Ask them first. They can ask to leave it at any time.",
    )

    def __init__(self, *args, interest: ExpressionOfInterest, **kwargs):
        super().__init__(*args, **kwargs)
        if interest.pool_consent:
            # They agreed on the public form already.
            del self.fields["consent"]
        self.helper = _helper()


class BoardContactForm(forms.Form):
    """The named contact on the board's public page."""

    contact_name = _text(
        "Name",
        150,
        required=False,
        help_text="Leave empty to show no named contact.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    contact_role = _text("Job title", 150, required=False, help_text="For example, Carer lead.")
    contact_email = _email("Email address")
    contact_phone = _phone("Phone number")

    def __init__(self, *args, settings: BoardSettings, **kwargs):
        kwargs.setdefault("initial", {name: getattr(settings, name) for name in self.base_fields})
        super().__init__(*args, **kwargs)
        self.fields["contact_email"].help_text = (
            "Expressions of interest are emailed here as they arrive. A shared team address is "
            "best."
        )
        self.helper = _helper()

    def clean_contact_phone(self):
        return _clean_phone(self.cleaned_data["contact_phone"])

    def clean(self):
        data = super().clean()
        named = data.get("contact_name")
        if not named and any(
            data.get(f) for f in ("contact_role", "contact_email", "contact_phone")
        ):
            self.add_error("contact_name", "Enter the contact's name, or clear the other boxes.")
        if named and not (data.get("contact_email") or data.get("contact_phone")):
            self.add_error(
                "contact_email", "Give an email address or a phone number for the contact."
            )
        return data
