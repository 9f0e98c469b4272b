"""The form kit: widgets and fields that the "sgds" form pack renders in the Scottish Government
Design System's own patterns (date picker, currency box), and one way to show a service's refusal
on a form."""

import datetime
import re
import time
from collections.abc import Callable

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone

DATE_FORMAT = "%d/%m/%Y"
EXAMPLE_DATE = "25/11/2026"

# People type dates in many ways; any of / - . or a space between the parts is accepted.
_DATE_PATTERN = re.compile(r"(\d{1,2})\s*[/.\- ]\s*(\d{1,2})\s*[/.\- ]\s*(\d{4})")


class DateInput(forms.DateInput):
    """A text box for a date typed as DD/MM/YYYY, which the design system's date picker enhances.

    A text box rather than `type="date"`: the browsers' own date controls are hard to use with
    screen readers and voice control, and the design system's picker is an optional extra on top
    of typing. `min_date` and `max_date` only limit the picker's calendar; the form must still
    check the date it receives.
    """

    def __init__(self, attrs=None, *, min_date=None, max_date=None, example=EXAMPLE_DATE):
        self.example = example
        final_attrs = {"class": "ds_input--fixed-10", "data-dateformat": "DMY"}
        if min_date is not None:
            final_attrs["data-mindate"] = min_date.strftime(DATE_FORMAT)
        if max_date is not None:
            final_attrs["data-maxdate"] = max_date.strftime(DATE_FORMAT)
        final_attrs.update(attrs or {})
        super().__init__(attrs=final_attrs, format=DATE_FORMAT)


# No record the portal keeps is dated before this, or this many years ahead: a date outside is a
# slip of the keyboard (1900 for 2026, 2062 for 2026), caught before it skews a figure.
EARLIEST_DATE = datetime.date(2000, 1, 1)
YEARS_AHEAD = 10

Limit = datetime.date | Callable[[datetime.date], datetime.date]


def years_after(today: datetime.date, years: int) -> datetime.date:
    """The same day `years` later (28 February for a 29 February)."""
    try:
        return today.replace(year=today.year + years)
    except ValueError:
        return today.replace(year=today.year + years, day=28)


class DateField(forms.DateField):
    """A date typed as DD/MM/YYYY, with messages that say what to change.

    `earliest` and `latest` bound it: a date, or a function of today's date for a bound that
    moves ("up to a year ahead"). Every date is within 2000 and ten years from today.
    """

    widget = DateInput
    default_error_messages = {
        "invalid": f"Enter the date as DD/MM/YYYY, for example {EXAMPLE_DATE}.",
        "not_a_date": "%(value)s is not a real date. Check the day and the month.",
        "too_early": "The date must be %(limit)s or later. Check the year.",
        "too_late": "The date must be %(limit)s or earlier. Check the year.",
    }

    def __init__(self, *, earliest: Limit = EARLIEST_DATE, latest: Limit | None = None, **kwargs):
        super().__init__(**kwargs)
        self.earliest = earliest
        self.latest = latest or (lambda today: years_after(today, YEARS_AHEAD))

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = str(value).strip()
        match = _DATE_PATTERN.fullmatch(text)
        if match is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        day, month, year = (int(part) for part in match.groups())
        try:
            return datetime.date(year, month, day)
        except ValueError:
            raise ValidationError(
                self.error_messages["not_a_date"], code="not_a_date", params={"value": text}
            ) from None

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        earliest, latest = self._limits()
        for code, limit, outside in (
            ("too_early", earliest, value < earliest),
            ("too_late", latest, value > latest),
        ):
            if outside:
                raise ValidationError(
                    self.error_messages[code], code=code, params={"limit": f"{limit:%-d %B %Y}"}
                )

    def _limits(self) -> tuple[datetime.date, datetime.date]:
        """The earliest and latest dates taken today, worked out once a day: an imported file
        has a date on every row, and finding today's date costs more than the rest."""
        now = time.time()
        day, limits = getattr(self, "_limits_of_day", ((0.0, 0.0), None))
        if limits is None or not day[0] <= now < day[1]:
            today = timezone.localdate()
            limits = tuple(
                limit(today) if callable(limit) else limit for limit in (self.earliest, self.latest)
            )
            zone = timezone.get_current_timezone()
            day = tuple(
                datetime.datetime.combine(date, datetime.time.min, tzinfo=zone).timestamp()
                for date in (today, today + datetime.timedelta(days=1))
            )
            self._limits_of_day = (day, limits)
        return limits


class MoneyInput(forms.TextInput):
    """An amount in pounds and pence, shown with a £ in front of the box.

    A text box with a decimal keypad rather than `type="number"`, which rounds or drops what
    people type (and scrolls the amount away under a mouse wheel). Use it with a DecimalField.
    """

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"class": "ds_input--fixed-10", "inputmode": "decimal", **(attrs or {})}
        )


def add_service_errors(
    form: forms.Form, error: ValidationError, *, rename: dict[str, str] | None = None
) -> None:
    """Show a service's refusal on the form, so the page says what to change.

    Each message goes beside the field it names (`rename` maps a service's name for a field to
    the form's); a message about something the form does not ask (the seat, say) goes above the
    form, in the error summary, rather than being lost.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.message_dict.items():
        field = (rename or {}).get(name, name)
        target = field if field in form.fields and field != NON_FIELD_ERRORS else None
        for message in messages:
            form.add_error(target, message)


def get_form_helper(layout=None) -> FormHelper:
    """For a form the page sends with GET (a list's filters, say), in a <form> tag the page draws.

    Sent with GET so that a list can be bookmarked or shared: the anti-forgery token would go
    into the address, the browser's history and every shared link, so it is left out.
    """
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    if layout is not None:
        helper.layout = layout
    return helper


class DecimalField(forms.DecimalField):
    """A number field that says each problem once.

    Django checks a number against its digits and its highest value apart, so a number far too
    big broke both rules, and a person read the same message twice.
    """

    def run_validators(self, value):
        try:
            super().run_validators(value)
        except ValidationError as error:
            raise ValidationError(list(dict.fromkeys(error.messages))) from None


class PoundsField(DecimalField):
    """An amount in pounds as people type it: "4.50", "£4.50" or "1,204.50"."""

    widget = MoneyInput

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().removeprefix("£").replace(",", "").strip()
        return super().to_python(value)


# Django's own words for a choice that is not on the list name the value sent ("Select a valid
# choice. 42 is not one of the available choices."). People meet them when an option went while
# their page was open (a meeting cancelled, a journey removed) or when a form was tampered with;
# either way the value means nothing to them. Forms with words of their own keep them.
CHOICE_GONE = "That option is not available any more. Choose one of the options listed."


def use_plain_choice_messages() -> None:
    """Set the plain words as every choice field's default, once, as the portal starts."""
    for field in (
        forms.ChoiceField,
        forms.MultipleChoiceField,
        forms.ModelChoiceField,
        forms.ModelMultipleChoiceField,
    ):
        field.default_error_messages = {
            **field.default_error_messages,
            "invalid_choice": CHOICE_GONE,
        }
    forms.ModelMultipleChoiceField.default_error_messages["invalid_pk_value"] = CHOICE_GONE
