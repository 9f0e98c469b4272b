"""Forms for the staff screens: reps, seats, terms and induction, meetings, training.

The forms only read and check what people type. Every change is made by a function in
`reps.services`, which validates the model again, so the database never holds what a form let
through by mistake. Choices (boards, groups, reps) are limited to what the staff member may
reach, so a tampered form cannot point at another board's records.
"""

import itertools
from datetime import date
from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.formats import date_format, time_format

from portal.core.forms import DateField, MoneyInput, PoundsField, get_form_helper, years_after
from portal.core.periods import day_in_words, financial_year_label
from reps import access
from reps.forms_own import SupportRequestForm, TermAfterwardsForm, agenda_item_details
from reps.models import (
    BUDGET_MOST,
    TRAINING_MOST_COST,
    TRAINING_MOST_HOURS,
    AgendaItem,
    Attendance,
    BoardSettings,
    Document,
    Group,
    Meeting,
    Rep,
    Seat,
    SupportRequest,
    Term,
)
from reps.selectors import RepStatus, reps_of_meeting_group


def _helper(*layout) -> FormHelper:
    # The page draws the <form> tag and the button, so a form can sit inside any page.
    helper = FormHelper()
    helper.form_tag = False
    if layout:
        helper.layout = Layout(*layout)
    return helper


def _filter_helper(*fields) -> FormHelper:
    # Filters sit side by side on a wide screen and stack on a phone.
    return get_form_helper(Layout(Row(*(Column(field) for field in fields))))


def _name(max_length: int, label: str, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        error_messages={"max_length": f"{label} must be {max_length} characters or fewer."},
        **kwargs,
    )


class GroupedByBoardIterator(ModelChoiceIterator):
    """Choices under a heading per board (an <optgroup>), for staff who support several boards.

    Choosing a group then also says which board, so no form needs a board box that could
    disagree with it.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        queryset = self.queryset.select_related("board").order_by("board__name", "order", "name")
        rows = list(queryset)
        if len({row.board_id for row in rows}) <= 1:
            yield from (self.choice(row) for row in rows)
            return
        for board, members in itertools.groupby(rows, key=lambda row: row.board):
            yield (board.name, [self.choice(row) for row in members])


class GroupChoiceField(forms.ModelChoiceField):
    iterator = GroupedByBoardIterator


def _decimal(
    label: str,
    *,
    places: int,
    digits: int,
    example: str,
    minimum: Decimal,
    maximum: Decimal | None = None,
    **kw,
):
    """A number box whose messages say what to type; NaN and Infinity are not numbers here.
    Amounts in pounds (with `MoneyInput`) may be typed as "£1,500"."""
    field_class = PoundsField if kw.get("widget") is MoneyInput else forms.DecimalField
    return field_class(
        label=label,
        max_digits=digits,
        decimal_places=places,
        min_value=minimum,
        max_value=maximum,
        error_messages={
            "invalid": f"Enter {label.lower()} as a number, like {example}.",
            "max_decimal_places": (
                f"Enter {label.lower()} with no more than {places} "
                f"decimal place{'s' if places != 1 else ''}, like {example}."
            ),
            "max_digits": f"{label} is too large. Check the number.",
            "max_whole_digits": f"{label} is too large. Check the number.",
            "min_value": f"{label} must be {minimum} or more.",
            "max_value": f"{label} must be {maximum or 0:,} or less. Check the number.",
        },
        **kw,
    )


# Filters on list pages (sent with GET, so a filtered list can be bookmarked)


class _BoardFilterMixin:
    def _board_field(self, boards) -> None:
        # Someone who supports one board has nothing to choose between.
        if boards.count() > 1:
            self.fields["board"] = forms.ModelChoiceField(
                label="Board",
                queryset=boards,
                required=False,
                empty_label="All your boards",
                to_field_name="slug",
            )

    def _layout(self, *names) -> FormHelper:
        return _filter_helper(*(name for name in names if name in self.fields))


class RepFilterForm(_BoardFilterMixin, forms.Form):
    q = forms.CharField(label="Name", required=False, max_length=100)
    rep_type = forms.ChoiceField(
        label="Type of rep",
        required=False,
        choices=[("", "All types"), *Rep.RepType.choices],
    )
    status = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[("", "Everyone"), *RepStatus.CHOICES],
    )

    def __init__(self, *args, boards, **kwargs):
        super().__init__(*args, **kwargs)
        self._board_field(boards)
        self.helper = self._layout("q", "board", "rep_type", "status")


class SeatFilterForm(_BoardFilterMixin, forms.Form):
    vacant = forms.BooleanField(label="Only vacant seats", required=False)
    closed = forms.BooleanField(label="Include closed seats", required=False)

    def __init__(self, *args, boards, **kwargs):
        super().__init__(*args, **kwargs)
        self._board_field(boards)
        self.helper = self._layout("board", "vacant", "closed")


class TermFilterForm(_BoardFilterMixin, forms.Form):
    induction = forms.ChoiceField(
        label="Induction",
        required=False,
        choices=[("", "All current terms"), ("unfinished", "Induction not finished")],
    )

    def __init__(self, *args, boards, **kwargs):
        super().__init__(*args, **kwargs)
        self._board_field(boards)
        self.helper = self._layout("board", "induction")


class MeetingFilterForm(_BoardFilterMixin, forms.Form):
    group = GroupChoiceField(
        label="Meeting of", queryset=Group.objects.none(), required=False, empty_label="Any group"
    )
    start = DateField(label="From", required=False)
    end = DateField(label="To", required=False)
    going_ahead = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[
            ("", "All meetings"),
            ("yes", "Meetings going ahead or held"),
            ("no", "Cancelled meetings"),
        ],
    )
    late_papers = forms.BooleanField(
        label="Only meetings whose papers went out late", required=False
    )

    def __init__(self, *args, boards, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self._board_field(boards)
        self.fields["group"].queryset = groups
        self.helper = self._layout("board", "group", "start", "end", "going_ahead", "late_papers")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "The “to” date must be the same as or after the “from” date.")
        return data


class TrainingFilterForm(_BoardFilterMixin, forms.Form):
    year = forms.TypedChoiceField(label="Financial year", coerce=int, required=False)

    def __init__(self, *args, boards, years, **kwargs):
        super().__init__(*args, **kwargs)
        self._board_field(boards)
        self.fields["year"].choices = [(y, financial_year_label(y)) for y in years]
        self.helper = self._layout("board", "year")


# Reps


class RepForm(forms.ModelForm):
    """A rep's record as staff keep it; on a new rep, which board they sit on."""

    class Meta:
        model = Rep
        fields = [
            "full_name",
            "rep_type",
            "filled_by_staff",
            "email",
            "phone",
            "address",
            "postcode_area",
            *(field for field, _ in Rep.ACCESS_NEEDS),
            "needs_other",
            *(field for field, _ in Rep.CONTACT_PREFERENCES),
            "involvement_payment_opt_in",
        ]
        labels = {
            "full_name": "Full name",
            "rep_type": "Type of rep",
            "filled_by_staff": "A member of staff fills this role",
            "email": "Email address",
            "phone": "Phone number",
            "address": "Postal address",
            "postcode_area": "Postcode area",
            "needs_other": "Anything else they need to take part",
            "involvement_payment_opt_in": "Wants involvement payments for their time",
            **dict(Rep.ACCESS_NEEDS),
            **dict(Rep.CONTACT_PREFERENCES),
        }
        help_texts = {
            "involvement_payment_opt_in": (
                "Payment for time can affect some benefits; expenses never do. Tick only if the "
                "rep has asked for it."
            ),
        }
        widgets = {
            "rep_type": forms.RadioSelect,
            "address": forms.Textarea(attrs={"rows": 3}),
            "needs_other": forms.Textarea(attrs={"rows": 3}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
        }
        error_messages = {
            "email": {"invalid": "Enter an email address like name@example.org."},
            "full_name": {"max_length": "The name must be 150 characters or fewer."},
        }

    def __init__(self, *args, boards=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rep_type"].choices = Rep.RepType.choices
        about = ["full_name", "rep_type", "filled_by_staff"]
        if boards is not None:
            # Only when adding a rep: a rep stays on the board they were added to.
            self.fields["board"] = forms.ModelChoiceField(
                label="Board", queryset=boards, empty_label=None
            )
            about.insert(0, "board")
        self.helper = _helper(
            Fieldset("About the rep", *about),
            Fieldset("Contact details", "email", "phone", "address", "postcode_area"),
            Fieldset(
                "Access and support needs",
                *(field for field, _ in Rep.ACCESS_NEEDS),
                "needs_other",
            ),
            Fieldset(
                "How they like to be contacted", *(field for field, _ in Rep.CONTACT_PREFERENCES)
            ),
            Fieldset("Payment for their time", "involvement_payment_opt_in"),
        )

    def changes(self) -> dict:
        """The fields to hand to `rep_update` or `rep_create`."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class UsualJourneyForm(forms.Form):
    from_area = _name(100, "From", help_text="A town or the first half of a postcode, like G66.")
    venue = _name(200, "To", help_text="The venue, like Kirkintilloch Town Hall.")
    miles = _decimal(
        "Miles",
        places=1,
        digits=7,
        example="8.5",
        minimum=Decimal("0.1"),
        help_text="One way, to one decimal place.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "ds_input--fixed-5"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class TrainingForm(forms.Form):
    course = _name(200, "Course")
    date = DateField(label="Date of the course", latest=lambda today: years_after(today, 1))
    provider = _name(150, "Provider", required=False, help_text="Who ran the course.")
    hours = _decimal(
        "Hours",
        places=1,
        digits=5,
        example="3.5",
        minimum=Decimal("0.1"),
        maximum=TRAINING_MOST_HOURS,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "ds_input--fixed-5"}),
    )
    cost = _decimal(
        "Cost",
        places=2,
        digits=9,
        example="40.00",
        minimum=Decimal("0.00"),
        maximum=TRAINING_MOST_COST,
        initial=Decimal("0.00"),
        help_text="In pounds. Enter 0 if the course was free.",
        widget=MoneyInput,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class SupportAnswerForm(forms.Form):
    """Staff's answer to a rep's request: arranged, or not possible, and what to tell them."""

    status = forms.ChoiceField(
        label="Can it be arranged?",
        choices=[
            (SupportRequest.Status.ARRANGED, "Yes, it is arranged"),
            (SupportRequest.Status.NOT_POSSIBLE, "No, it is not possible"),
        ],
        error_messages={"required": "Choose whether it is arranged or not possible."},
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label="What to tell the rep",
        max_length=2000,
        help_text=(
            "What is arranged and when, or why it is not possible and what else could help. "
            "The rep reads this, and is emailed it."
        ),
        error_messages={
            "required": "Enter what to tell the rep.",
            "max_length": "Keep this to 2,000 characters or fewer.",
        },
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class StaffSupportRequestForm(SupportRequestForm):
    """A request the rep made to staff in person, in the words of the staff who record it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].label = "What kind of help did the rep ask for?"
        self.fields["what"].label = "What would help them?"
        self.fields["details"].help_text = "Why it would help, when suits them, or how."
        self.helper = _helper()


class NeedsConversationForm(forms.Form):
    held_on = DateField(
        label="Date of the conversation",
        latest=lambda today: today,
        error_messages={"required": "Enter the date of the conversation."},
    )
    agreed = forms.CharField(
        label="What was agreed",
        required=False,
        max_length=2000,
        help_text=(
            "For example, a course to look for, or support to arrange. The rep can read this "
            "on their training page."
        ),
        error_messages={"max_length": "Keep this to 2,000 characters or fewer."},
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class SupportRequestFilterForm(_BoardFilterMixin, forms.Form):
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), *SupportRequest.Status.choices],
    )

    def __init__(self, *args, boards, **kwargs):
        super().__init__(*args, **kwargs)
        self._board_field(boards)
        self.helper = self._layout("board", "status")


def _budget(label: str, help_text: str) -> forms.DecimalField:
    return _decimal(
        label,
        places=2,
        digits=9,
        example="2000.00",
        minimum=Decimal("0.00"),
        maximum=BUDGET_MOST,
        required=False,
        help_text=help_text,
        widget=MoneyInput,
    )


class BudgetForm(forms.Form):
    """What the board sets aside for its reps in a year; a box left empty means none is set."""

    training = _budget(
        "Training budget for reps",
        "In pounds: courses, conferences and learning for reps. Leave empty if there is none.",
    )
    expenses = _budget(
        "Budget for reps' expenses",
        "In pounds: travel, replacement care and other expenses reps claim. Leave empty if "
        "there is none.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


# The board's standards


def _whole_number(label: str, *, least: int, most: int, example: int, **kwargs) -> forms.Field:
    what = label.lower()
    return forms.IntegerField(
        label=label,
        min_value=least,
        max_value=most,
        error_messages={
            "required": f"Enter the {what}.",
            "invalid": f"Enter the {what} as a whole number, like {example}.",
            "min_value": f"Enter {least} or more.",
            "max_value": f"Enter {most} or fewer. Check the number.",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "ds_input--fixed-3"}),
        **kwargs,
    )


class BoardStandardsForm(forms.Form):
    papers_notice_days = _whole_number(
        "Days' notice of meeting papers",
        least=0,
        most=60,
        example=7,
        help_text="Papers that reach reps with fewer days' notice than this count as late. "
        "Many boards aim for 7.",
    )
    succession_lead_months = _whole_number(
        "Months' warning before a term ends",
        least=1,
        most=36,
        example=6,
        help_text="How long before a term ends the staff home page asks for a successor.",
    )

    def __init__(self, *args, settings: BoardSettings, **kwargs):
        kwargs.setdefault("initial", {name: getattr(settings, name) for name in self.base_fields})
        super().__init__(*args, **kwargs)
        self.helper = _helper()


# Groups and seats


class GroupForm(forms.Form):
    name = _name(150, "Name", help_text="For example, Strategic planning group.")
    kind = forms.ChoiceField(label="Kind of group", choices=Group.Kind.choices)
    order = forms.IntegerField(
        label="Position in lists",
        min_value=0,
        max_value=1000,
        initial=10,
        help_text="Groups are listed from the lowest number.",
        error_messages={
            "invalid": "Enter the position as a whole number, like 10.",
            "min_value": "Enter a position of 0 or more.",
            "max_value": "Enter a position of 1000 or less.",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "ds_input--fixed-4"}),
    )

    def __init__(self, *args, boards=None, **kwargs):
        super().__init__(*args, **kwargs)
        if boards is not None:
            self.fields["board"] = forms.ModelChoiceField(
                label="Board", queryset=boards, empty_label=None
            )
            self.order_fields(["board", "name", "kind", "order"])
        self.helper = _helper()


class SeatForm(forms.Form):
    group = GroupChoiceField(
        label="Board or group", queryset=Group.objects.none(), empty_label="Choose a group"
    )
    title = _name(150, "Title of the seat", help_text="For example, Carer representative 2.")
    kind = forms.ChoiceField(label="Who the seat is for", choices=Seat.Kind.choices)
    voting = forms.BooleanField(label="The seat carries a vote", required=False)
    about = forms.CharField(
        label="About the seat, for the public page",
        required=False,
        max_length=Seat._meta.get_field("about").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="How often it meets, where, and the time it takes, in a few sentences. The "
        "page adds what every rep in this kind of seat does.",
        error_messages={
            "max_length": f"Keep what you say about the seat to "
            f"{Seat._meta.get_field('about').max_length:,} characters or fewer."
        },
    )
    created_on = DateField(
        label="Date the seat was set up",
        help_text="A seat that has never been filled has been vacant since this date.",
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        self.fields["kind"].widget = forms.RadioSelect(choices=Seat.Kind.choices)
        self.helper = _helper()


class SeatCloseForm(forms.Form):
    closed_on = DateField(
        label="First day without the seat",
        help_text="Every term in the seat must end before this day.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


# Terms and induction


class TermDatesForm(forms.Form):
    """A term's dates and how the rep came to it: when appointing, and when putting them right."""

    start = DateField(label="First day in the seat")
    planned_end = DateField(label="Planned last day", help_text="Terms are usually three years.")
    how_recruited = forms.ChoiceField(
        label="How was the rep recruited?",
        choices=Term.HowRecruited.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, term: Term | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.term = term
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("planned_end")
        if start and end and end <= start:
            self.add_error("planned_end", "The planned last day must be after the first day.")
        ended = self.term.ended_on if self.term else None
        if end and ended and ended < end and not self.term.ended_early_reason:
            # The term would have ended early, and nobody has said why.
            self.add_error(
                "planned_end",
                f"The term ended on {ended:%-d %B %Y}. To plan a later last day, first say "
                "why it ended early, on the page where the term ended.",
            )
        return data


class AppointForm(TermDatesForm):
    rep = forms.ModelChoiceField(
        label="Rep", queryset=Rep.objects.none(), empty_label="Choose a rep"
    )
    send_invitation = forms.BooleanField(
        label="Send an invitation to set a password",
        required=False,
        help_text=(
            "For a rep with an email address and no portal account yet: they get an email with "
            "a link to set a password and sign in."
        ),
    )
    field_order = ["rep", "start", "planned_end", "how_recruited", "send_invitation"]

    def __init__(self, *args, reps, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rep"].queryset = reps
        if not access.reps_to_invite(reps).exists():
            # Nobody who could be chosen could be invited.
            del self.fields["send_invitation"]


class TermEndForm(forms.Form):
    ended_on = DateField(label="Last day in the seat")
    reason = forms.CharField(
        label="Why did the term end early?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    exit_interview_held = forms.BooleanField(label="An exit interview was held", required=False)
    handover_notes = forms.CharField(
        label="Handover notes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the next rep needs to know.",
    )
    handed_over_to = forms.ModelChoiceField(
        label="Handed over to",
        queryset=Rep.objects.none(),
        required=False,
        empty_label="Nobody yet",
    )

    def __init__(self, *args, term: Term, successors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handed_over_to"].queryset = successors
        self.fields["reason"].help_text = (
            "Only needed if the term ends before its planned last day, "
            f"{day_in_words(term.planned_end)}."
        )
        self.helper = _helper()


class InductionForm(forms.Form):
    """One tick box per checklist item; newly ticked items are recorded as done on one date."""

    done_on = DateField(label="Date the newly ticked items were done")

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            field = forms.BooleanField(label=item.title, required=False, initial=item.done)
            if item.done:
                by = f" by {item.done_by}" if item.done_by else ""
                field.help_text = f"Done on {day_in_words(item.done_on)}{by}."
            self.fields[self.field_name(item)] = field
        self.order_fields([*map(self.field_name, self.items), "done_on"])
        self.helper = _helper(
            Fieldset("Tick the items that are done", *map(self.field_name, self.items)),
            "done_on",
        )

    @staticmethod
    def field_name(item) -> str:
        return f"item_{item.pk}"

    def changes(self):
        """(items to mark done, items to mark not done)."""
        ticked = [item for item in self.items if self.cleaned_data[self.field_name(item)]]
        done = [item for item in ticked if not item.done]
        undone = [item for item in self.items if item.done and item not in ticked]
        return done, undone


class InductionItemForm(forms.Form):
    title = _name(200, "Item", help_text="For example, Meeting with the chief officer.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class InductionTemplateForm(forms.Form):
    """One of the board's own items for every new term's induction checklist."""

    title = _name(200, "Item", help_text="For example, Visit to the local carers centre.")
    order = _whole_number(
        "Position on the checklist",
        least=0,
        most=1000,
        example=100,
        initial=100,
        help_text="Items are listed from the lowest number. The page shows the positions of the "
        "items every board uses.",
    )
    document = forms.ModelChoiceField(
        label="A document to open from the checklist",
        queryset=Document.objects.none(),
        required=False,
        empty_label="None",
    )
    active = forms.BooleanField(
        label="Put this item on new checklists",
        required=False,
        initial=True,
        help_text="Untick to stop using it. Checklists already given keep it.",
    )

    def __init__(self, *args, documents, adding: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = documents
        if adding:
            del self.fields["active"]
        self.helper = _helper()


# Meetings, attendance and agenda items


# The Public Bodies (Joint Working) (Scotland) Act 2014 set the boards up: none met before this.
BOARDS_BEGAN = date(2014, 4, 1)


def _clock_time(label: str, help_text: str) -> forms.TimeField:
    what = label.lower()
    return forms.TimeField(
        label=label,
        required=False,
        input_formats=["%H:%M", "%H.%M"],
        help_text=help_text,
        error_messages={
            "invalid": f"Enter the {what} on the 24-hour clock, for example 10:30 or 14:00."
        },
        widget=forms.TimeInput(format="%H:%M", attrs={"class": "ds_input--fixed-5"}),
    )


class MeetingForm(forms.Form):
    group = GroupChoiceField(
        label="Board or group", queryset=Group.objects.none(), empty_label="Choose a group"
    )
    date = DateField(
        label="Date of the meeting",
        earliest=BOARDS_BEGAN,
        latest=lambda today: years_after(today, 3),
        error_messages={
            "too_early": "The date must be %(limit)s or later, when the boards began. Check "
            "the year.",
        },
    )
    start_time = _clock_time(
        "Start time",
        "On the 24-hour clock, for example 10:30 or 14:00. It goes into reps' calendars.",
    )
    end_time = _clock_time(
        "Finish time",
        "For example 12:30. With it, reps' calendars show how long the meeting lasts.",
    )
    venue = _name(
        200, "Venue", required=False, help_text="For example, Kirkintilloch Town Hall, or Online."
    )
    papers_issued_on = DateField(
        label="Date the papers were sent out",
        required=False,
        help_text="Leave empty until the papers have gone out.",
    )
    pre_meeting_held = forms.BooleanField(
        label="A pre-meeting was held for reps to prepare", required=False
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        day, issued = data.get("date"), data.get("papers_issued_on")
        if day and issued and issued > day:
            self.add_error("papers_issued_on", "The papers cannot be sent out after the meeting.")
        start, end = data.get("start_time"), data.get("end_time")
        if end and not start and "start_time" not in self.errors:
            self.add_error("start_time", "Enter the start time as well as the finish time.")
        elif start and end and end <= start:
            self.add_error("end_time", "The finish time must be after the start time.")
        return data

    @classmethod
    def initial_for(cls, meeting: Meeting) -> dict:
        return {
            "group": meeting.group_id,
            "date": meeting.date,
            "start_time": meeting.start_time,
            "end_time": meeting.end_time,
            "venue": meeting.venue,
            "papers_issued_on": meeting.papers_issued_on,
            "pre_meeting_held": meeting.pre_meeting_held,
        }


class MeetingCancelForm(forms.Form):
    reason = _name(
        300,
        "Why it is cancelled",
        required=False,
        help_text="Reps see this beside the meeting, for example: Not enough members could come.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class AttendanceForm(forms.Form):
    """One question per rep who held a seat in the meeting's group that day."""

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for line in self.lines:
            label = line.rep.full_name
            if line.seat is not None:
                label = f"{label} ({line.seat.title})"
            self.fields[self.field_name(line.rep)] = forms.ChoiceField(
                label=label,
                choices=Attendance.Status.choices,
                widget=forms.RadioSelect,
                initial=line.status,
                error_messages={"required": f"Choose whether {line.rep.full_name} attended."},
            )
        self.helper = _helper()

    @staticmethod
    def field_name(rep) -> str:
        return f"rep_{rep.pk}"

    def changes(self):
        """(rep, status) for every answer that differs from what is recorded."""
        return [
            (line.rep, self.cleaned_data[self.field_name(line.rep)])
            for line in self.lines
            if self.cleaned_data[self.field_name(line.rep)] != line.status
        ]


class ApologiesForm(forms.Form):
    """Before a meeting: which of its reps sent apologies, as staff heard them."""

    apologies = forms.MultipleChoiceField(
        label="Who sent apologies?",
        help_text="Tick each rep who told you they cannot come. Untick a rep who can come after "
        "all.",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = [line for line in lines if line.seat is not None]
        field = self.fields["apologies"]
        field.choices = [
            (str(line.rep.pk), f"{line.rep.full_name} ({line.seat.title})") for line in self.lines
        ]
        field.initial = [
            str(line.rep.pk) for line in self.lines if line.status == Attendance.Status.APOLOGIES
        ]
        self.helper = _helper()

    def changes(self):
        """(rep, sent) for each rep whose apologies were ticked or unticked."""
        ticked = set(self.cleaned_data["apologies"])
        return [
            (line.rep, str(line.rep.pk) in ticked)
            for line in self.lines
            if (str(line.rep.pk) in ticked) != (line.status == Attendance.Status.APOLOGIES)
        ]


class AgendaItemForm(forms.Form):
    title = _name(200, "What the item is about")
    details = agenda_item_details("Why it matters, or what the rep would like to happen.")
    rep = forms.ModelChoiceField(
        label="Put forward by",
        queryset=Rep.objects.none(),
        required=False,
        empty_label="The reps together",
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the reps who sit on the meeting's group: an item put forward in another rep's
        # name would credit them with a meeting they have no seat at.
        field = self.fields["rep"]
        field.queryset = reps_of_meeting_group(meeting)
        group, day = meeting.group.name, day_in_words(meeting.date)
        field.help_text = f"The reps who held a seat in {group} on {day}."
        field.error_messages["invalid_choice"] = (
            f"Choose a rep who held a seat in {group} on {day}, or the reps together."
        )
        self.helper = _helper()


class MeetingChoiceField(forms.ModelChoiceField):
    """A meeting as the emails to reps name it: "Wednesday 3 February 2027 at 10:30am"."""

    def label_from_instance(self, obj):
        when = date_format(obj.date, "l j F Y")
        if obj.start_time:
            when += f" at {time_format(obj.start_time, 'g:iA').lower()}"
        return f"{when}, {obj.venue}" if obj.venue else when


class AgendaItemMoveForm(forms.Form):
    meeting = MeetingChoiceField(
        label="Which meeting should take it?",
        queryset=Meeting.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Choose the meeting to take the item to.",
            "invalid_choice": "Choose one of the meetings listed.",
        },
    )

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.helper = _helper()


class AgendaDecisionForm(forms.Form):
    status = forms.ChoiceField(label="Decision", widget=forms.RadioSelect)
    minutes_given = forms.IntegerField(
        label="Time given on the agenda (minutes)",
        required=False,
        min_value=0,
        max_value=600,
        error_messages={
            "invalid": "Enter the minutes as a whole number, like 15.",
            "min_value": "Enter 0 minutes or more.",
            "max_value": "Enter 600 minutes or fewer.",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "ds_input--fixed-4"}),
    )
    outcome = forms.CharField(
        label="What came of it",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="You said, we did: what changed because the reps raised it.",
    )

    def __init__(self, *args, item: AgendaItem, **kwargs):
        kwargs.setdefault(
            "initial",
            {"status": item.status, "minutes_given": item.minutes_given, "outcome": item.outcome},
        )
        super().__init__(*args, **kwargs)
        current = AgendaItem.Status(item.status)
        allowed = [current, *sorted(AgendaItem.TRANSITIONS[current])]
        self.fields["status"].choices = [
            (
                status.value,
                f"Keep as {status.label.lower()}" if status == current else status.label,
            )
            for status in AgendaItem.Status
            if status in allowed
        ]
        self.helper = _helper()


class StaffTermAfterwardsForm(TermAfterwardsForm):
    """What the rep would like when the term ends, recorded by staff from what the rep told them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["afterwards"].label = "What would the rep like when this term ends?"
        self.fields["afterwards"].choices = Term.Afterwards.choices
        self.fields["afterwards"].error_messages["required"] = (
            "Choose what the rep would like when this term ends."
        )
        self.fields["will_help"].label = "They would be happy to help whoever follows settle in"
