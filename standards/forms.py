"""Forms for the self-assessment pages.

The forms only read and check what people type, with messages that say what to change. Every
change is made by a function in `standards.services`, which checks the model's rules again on the
locked rows, so nothing a form let through by mistake reaches the database.
"""

from datetime import date

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join

from portal.core.forms import DATE_FORMAT, DateField
from portal.core.periods import financial_year_label
from standards import scoring
from standards.models import ActionProgress, AreaForDevelopment, Response
from standards.selectors import item_anchor

NOT_ASSESSED = "not-assessed"
WHO_LENGTH = Response._meta.get_field("action_who").max_length or 150


def _helper() -> FormHelper:
    # The page draws the <form> tag and its buttons.
    helper = FormHelper()
    helper.form_tag = False
    return helper


def _text(value: str) -> str:
    """Text as the database keeps it: one kind of line break, no space around it."""
    return (value or "").replace("\r\n", "\n").strip()


class DateHiddenInput(forms.HiddenInput):
    """A date carried in a hidden field as the date box shows it (DD/MM/YYYY), so it reads back."""

    def format_value(self, value):
        if hasattr(value, "strftime"):
            return value.strftime(DATE_FORMAT)
        return super().format_value(value)


class AssessmentStartForm(forms.Form):
    """Start a board's assessment for a financial year: this year or an earlier one."""

    board = forms.ModelChoiceField(
        queryset=None,
        label="Board",
        empty_label=None,
        error_messages={"invalid_choice": "Choose a board whose self-assessment you lead."},
    )
    financial_year = forms.TypedChoiceField(
        coerce=int,
        label="Financial year",
        choices=(),
        help_text="Usually the year just ended, as in the Annual Performance Report.",
        error_messages={
            "invalid_choice": "Choose a year that has no self-assessment yet.",
            "required": "Choose the financial year to assess.",
        },
    )
    reps_deadline = DateField(
        label="Deadline for the reps' scores",
        required=False,
        help_text="The day by which the reps are asked to submit their scores. You can set or "
        "change it later.",
    )

    def __init__(self, *args, boards, years, suggested=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.fields["board"].queryset = boards
        listed = list(boards)
        self.only_board = listed[0] if len(listed) == 1 else None
        if self.only_board is not None:
            # Nothing to choose: the one board the person leads.
            self.fields["board"].widget = forms.HiddenInput()
            self.fields["board"].initial = self.only_board.pk
        choices = [
            (year, f"{financial_year_label(year)}, April {year} to March {year + 1}")
            for year in years
        ]
        if suggested in years:
            self.fields["financial_year"].initial = suggested
        else:
            # Without the usual year to offer, none is chosen for the person: a list shows its
            # first choice as chosen, and one press of the button would start an old year.
            choices.insert(0, ("", "Choose a year"))
        self.fields["financial_year"].choices = choices


class DeadlineForm(forms.Form):
    reps_deadline = DateField(
        label="Deadline for the reps' scores",
        required=False,
        help_text="Leave it empty to take the deadline away.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class ReasonForm(forms.Form):
    """Why something is being reopened: the record keeps it, with who and when."""

    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why it is being reopened."},
    )

    def __init__(self, *args, label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.fields["reason"].label = label

    def clean_reason(self):
        return _text(self.cleaned_data["reason"])


class ResponseForm(forms.Form):
    """One side's answer for one area for development.

    The score and "not assessed" are one question, so nobody can choose both by mistake; a reason
    for not assessing typed next to a score is pointed out rather than thrown away.

    The reps' set is shared, so two reps may have the same page open. Each field carries the value
    the person saw (Django's hidden initial), and only what they changed is saved: one rep's
    answers do not undo another's made in the meantime.
    """

    answer = forms.ChoiceField(
        required=False,
        widget=forms.RadioSelect,
        choices=[(str(level.value), f"{level.value} {level.label}") for level in scoring.SCALE]
        + [(NOT_ASSESSED, "Not assessed")],
        error_messages={"invalid_choice": "Choose a score from 1 to 6, or “Not assessed”."},
    )
    not_assessed_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only if you chose “Not assessed”.",
    )
    evidence = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What shows this: examples, documents, what people have said.",
    )
    action_what = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Leave it empty if no action is needed.",
    )
    action_who = forms.CharField(
        required=False,
        max_length=WHO_LENGTH,
        help_text="A role, such as “HSCP carers lead”: never a person's name.",
        error_messages={
            "max_length": f"Who will do it must be {WHO_LENGTH} characters or fewer. Give a role, "
            "such as “HSCP carers lead”."
        },
    )
    action_by = DateField(required=False)
    # Only where last year's plan had an action for the area.
    last_action_progress = forms.ChoiceField(
        required=False,
        widget=forms.RadioSelect,
        choices=ActionProgress.choices,
        error_messages={"invalid_choice": "Choose done, partly done or not done."},
    )
    last_action_note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What changed because of it, or what stood in its way. It is published with the "
        "plan, so name roles, never people.",
    )
    LAST_ACTION_FIELDS = ("last_action_progress", "last_action_note")

    LABELS = {
        "answer": "Score",
        "not_assessed_reason": "Why it was not assessed",
        "evidence": "Evidence",
        "action_what": "What will be done",
        "action_who": "Who will do it",
        "action_by": "By when",
        "last_action_progress": "How far did it get?",
        "last_action_note": "What came of it",
    }

    def __init__(
        self,
        *args,
        area: AreaForDevelopment,
        response: Response | None,
        plan_from: date | None = None,
        **kwargs,
    ):
        kwargs.setdefault("prefix", item_anchor(area))
        kwargs.setdefault("initial", self.initial_for(response))
        super().__init__(*args, **kwargs)
        self.area = area
        self.response = response
        self.plan_from = plan_from
        if not self.last_action:
            for name in self.LAST_ACTION_FIELDS:
                del self.fields[name]
        for name in self.fields:
            self.fields[name].show_hidden_initial = True
        self.fields["action_by"].hidden_widget = DateHiddenInput
        for name, label in self.LABELS.items():
            if name not in self.fields:
                continue
            # Each item's fields are told apart by the code, for screen readers and voice control.
            self.fields[name].label = format_html(
                '{}<span class="visually-hidden"> for {}</span>', label, area.code
            )

    @staticmethod
    def initial_for(response: Response | None) -> dict:
        if response is None:
            return {}
        if response.score is not None:
            answer = str(response.score)
        elif response.not_assessed:
            answer = NOT_ASSESSED
        else:
            answer = ""
        return {
            "answer": answer,
            "not_assessed_reason": response.not_assessed_reason,
            "evidence": response.evidence,
            "action_what": response.action_what,
            "action_who": response.action_who,
            "action_by": response.action_by,
            "last_action_progress": response.last_action_progress,
            "last_action_note": response.last_action_note,
        }

    @property
    def last_action(self) -> str:
        """Last year's action for the area, or "" where its plan had none."""
        return self.response.last_action_what if self.response is not None else ""

    def answer_options(self) -> list[dict]:
        """The radios of the score question, each with its meaning as a hint: ids as Django's
        own radios number them, so the error summary's link finds the first."""
        field = self["answer"]
        chosen = str(field.value() or "")
        meanings = {str(level.value): level.meaning for level in scoring.SCALE}
        meanings[NOT_ASSESSED] = "Say why below: it is left out of the area's score."
        return [
            {
                "id": f"{field.auto_id}_{index}",
                "name": field.html_name,
                "value": value,
                "label": label,
                "meaning": meanings[value],
                "checked": value == chosen,
            }
            for index, (value, label) in enumerate(self.fields["answer"].choices)
        ]

    @property
    def anchor(self) -> str:
        return item_anchor(self.area)

    def clean_not_assessed_reason(self):
        return _text(self.cleaned_data["not_assessed_reason"])

    def clean_evidence(self):
        return _text(self.cleaned_data["evidence"])

    def clean_last_action_note(self):
        return _text(self.cleaned_data["last_action_note"])

    def clean_action_what(self):
        return _text(self.cleaned_data["action_what"])

    def clean_action_who(self):
        return _text(self.cleaned_data["action_who"])

    def clean_action_by(self):
        # A date kept from before (an action carried over from last year's plan, say) may stay
        # while the rest of the answer changes; a new one comes after the year assessed.
        day = self.cleaned_data["action_by"]
        if day and self.plan_from and "action_by" in self.changed_data and day < self.plan_from:
            raise ValidationError(
                f"By when must be {self.plan_from:%-d %B %Y} or later: the plan is for after "
                "the year assessed.",
                code="before_plan",
            )
        return day

    def clean(self):
        cleaned = super().clean()
        answer = cleaned.get("answer", "")
        reason = cleaned.get("not_assessed_reason", "")
        if answer == NOT_ASSESSED and not reason:
            self.add_error("not_assessed_reason", "Say why this area was not assessed.")
        elif answer and answer != NOT_ASSESSED and reason:
            self.add_error(
                "not_assessed_reason",
                "You chose a score and also gave a reason for not assessing. Remove the reason, "
                "or choose “Not assessed”.",
            )
        elif not answer and reason:
            self.add_error(
                "not_assessed_reason",
                "Choose “Not assessed” to go with this reason, or remove the reason.",
            )
        what = cleaned.get("action_what", "")
        if not what and (cleaned.get("action_who") or cleaned.get("action_by")):
            self.add_error("action_what", "Say what will be done, as well as who and by when.")
        return cleaned

    def changes(self) -> dict:
        """What the person changed, as `services.responses_save` takes it; {} for nothing.

        Only what changed is sent, so saving a page leaves an action carried over from last year
        marked as carried over until someone changes it.
        """
        changed = set(self.changed_data)
        data = self.cleaned_data
        found: dict = {}
        if changed & {"answer", "not_assessed_reason"}:
            answer = data["answer"]
            found["score"] = int(answer) if answer and answer != NOT_ASSESSED else None
            found["not_assessed"] = answer == NOT_ASSESSED
            found["not_assessed_reason"] = data["not_assessed_reason"]
        if "evidence" in changed:
            found["evidence"] = data["evidence"]
        if changed & {"action_what", "action_who", "action_by"}:
            found.update({name: data[name] for name in ("action_what", "action_who", "action_by")})
        if changed & set(self.LAST_ACTION_FIELDS):
            found.update({name: data[name] for name in self.LAST_ACTION_FIELDS})
        return found

    def hidden_initials(self):
        """The values the person was shown, sent back beside what they typed."""
        return format_html_join("", "{}", ((bound.as_hidden(only_initial=True),) for bound in self))

    def has_changed(self) -> bool:
        return bool(self.changed_data)

    @property
    def changed_data(self) -> list[str]:
        names = []
        for name, bound in self._bound_items():
            field = bound.field
            if isinstance(field.widget, forms.Textarea):
                # A browser sends "\r\n" where the database keeps "\n": not a change.
                seen = self._widget_data_value(field.hidden_widget(), bound.html_initial_name)
                if _text(seen or "") != _text(bound.data or ""):
                    names.append(name)
            elif bound._has_changed():
                names.append(name)
        return names
