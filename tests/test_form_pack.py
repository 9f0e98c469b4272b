"""The "sgds" crispy-forms pack draws every kind of field in accessible design-system markup.

Each test renders a form the way a page does and reads the HTML as a browser would: a label tied
to its input, hints and errors announced with the input, an error summary whose links lead to
fields that exist.
"""

import datetime
from html.parser import HTMLParser

import pytest
from crispy_forms.bootstrap import (
    Accordion,
    AccordionGroup,
    Alert,
    AppendedText,
    FieldWithButtons,
    FormActions,
    InlineCheckboxes,
    InlineField,
    InlineRadios,
    Modal,
    PrependedText,
    StrictButton,
    Tab,
    TabHolder,
    UneditableField,
)
from crispy_forms.helper import FormHelper
from crispy_forms.layout import (
    HTML,
    Button,
    ButtonHolder,
    Column,
    Div,
    Fieldset,
    Hidden,
    Layout,
    MultiField,
    Reset,
    Row,
    Submit,
)
from django import forms
from django.db.models import FileField
from django.db.models.fields.files import FieldFile
from django.template import RequestContext, Template
from django.template.loader import get_template
from django.test import RequestFactory
from django.utils.html import format_html

from portal.core.forms import DateField, DateInput, MoneyInput

# ---------------------------------------------------------------------------------------------
# Reading HTML


VOID_ELEMENTS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
}


def _attr(name):
    """for_ is the attribute "for"; data_module is "data-module"."""
    return name.rstrip("_").replace("_", "-")


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag = tag
        self.attrs = {name: ("" if value is None else value) for name, value in attrs}
        self.parent = parent
        self.children = []

    @property
    def classes(self):
        return self.attrs.get("class", "").split()

    def text(self):
        """The text a person reads, with runs of spaces and line breaks read as one space."""
        parts = (child if isinstance(child, str) else child.text() for child in self.children)
        return " ".join(" ".join(parts).split())

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def iter(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.iter()

    def find_all(self, tag=None, cls=None, **attrs):
        return [
            node
            for node in self.iter()
            if (tag is None or node.tag == tag)
            and (cls is None or cls in node.classes)
            and all(node.attrs.get(_attr(name)) == value for name, value in attrs.items())
        ]

    def find(self, tag=None, cls=None, **attrs):
        found = self.find_all(tag, cls, **attrs)
        assert found, f"no <{tag or '*'}> with class={cls} {attrs}"
        return found[0]

    def by_id(self, id_):
        found = [node for node in self.iter() if node.attrs.get("id") == id_]
        assert len(found) == 1, f"expected one element with id {id_!r}, found {len(found)}"
        return found[0]

    def ids(self):
        return [node.attrs["id"] for node in self.iter() if "id" in node.attrs]


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", [], None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.current)
        self.current.children.append(node)
        if tag not in VOID_ELEMENTS:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, attrs, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        assert node is not self.root, f"stray </{tag}>"
        self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html):
    builder = _TreeBuilder()
    builder.feed(str(html))
    builder.close()
    assert builder.current is builder.root, f"<{builder.current.tag}> is never closed"
    return builder.root


def render(form, source="{% load crispy_forms_tags %}{{ form|crispy }}", **context):
    request = RequestFactory().get("/")
    return Template(source).render(RequestContext(request, {"form": form, **context}))


def controls(page):
    """Every input a person fills in (not hidden ones, not buttons)."""
    return [
        node
        for node in page.iter()
        if node.tag in {"input", "select", "textarea"}
        and node.attrs.get("type") not in {"hidden", "submit", "button", "reset"}
    ]


# ---------------------------------------------------------------------------------------------
# A form with every kind of field the portal uses


class EveryFieldForm(forms.Form):
    full_name = forms.CharField(label="Full name", help_text="As it appears on your bank account.")
    email = forms.EmailField(label="Email address")
    nickname = forms.CharField(label="What should we call you?", required=False)
    miles = forms.IntegerField(label="Miles travelled")
    notes = forms.CharField(
        label="Anything else", widget=forms.Textarea, max_length=500, required=False
    )
    board = forms.ChoiceField(
        label="Board", choices=[("", "Choose a board"), ("fife", "Fife"), ("angus", "Angus")]
    )
    rep_type = forms.ChoiceField(
        label="What kind of rep are you?",
        widget=forms.RadioSelect,
        choices=[("carer", "Carer rep"), ("lived", "Lived experience rep")],
        help_text="Deputies choose the role they stand in for.",
    )
    needs = forms.MultipleChoiceField(
        label="Support you need",
        widget=forms.CheckboxSelectMultiple,
        choices=[("bsl", "British Sign Language"), ("large_print", "Large print")],
        required=False,
    )
    agree = forms.BooleanField(label="I have read the expenses policy")
    updates = forms.BooleanField(label="Send me news by email", required=False)
    meeting_date = DateField(label="Date of the meeting")
    receipt = forms.FileField(label="Receipt", required=False)
    amount = forms.DecimalField(label="Amount", widget=MoneyInput, decimal_places=2)
    token = forms.CharField(widget=forms.HiddenInput, required=False)


GOOD_ANSWERS = {
    "full_name": "Alice Rep",
    "email": "alice@example.org",
    "miles": "12",
    "board": "fife",
    "rep_type": "carer",
    "agree": "on",
    "meeting_date": "25/11/2026",
    "amount": "12.50",
}


def bound(**changes):
    data = {**GOOD_ANSWERS, **changes}
    return EveryFieldForm(data={key: value for key, value in data.items() if value is not None})


# ---------------------------------------------------------------------------------------------
# Labels, hints and "(optional)"


def test_every_input_has_a_label_tied_to_it():
    page = parse(render(EveryFieldForm()))
    label_targets = {label.attrs.get("for") for label in page.find_all("label")}
    for control in controls(page):
        assert control.attrs["id"] in label_targets, f"{control.attrs['name']} has no label"


def test_optional_fields_say_so_and_required_ones_do_not():
    page = parse(render(EveryFieldForm()))
    assert page.find("label", for_="id_nickname").text() == "What should we call you? (optional)"
    assert page.find("label", for_="id_full_name").text() == "Full name"
    assert page.find("div", id="div_id_needs").find("legend").text() == (
        "Support you need (optional)"
    )
    assert page.find("div", id="div_id_rep_type").find("legend").text() == (
        "What kind of rep are you?"
    )
    # Not ticking a single tick box is itself an answer, so it is never marked optional.
    assert page.find("label", for_="id_updates").text() == "Send me news by email"


def test_a_hint_is_read_out_with_its_input():
    page = parse(render(EveryFieldForm()))
    field = page.by_id("id_full_name")
    assert field.attrs["aria-describedby"] == "id_full_name_helptext"
    hint = page.by_id("id_full_name_helptext")
    assert "ds_hint-text" in hint.classes
    assert hint.text() == "As it appears on your bank account."


MARKUP = "<img src=x onerror=alert(1)>"


class HintsForm(forms.Form):
    ticked = forms.BooleanField(label="Met the chair", required=False)
    policy = forms.CharField(label="Policy")

    def __init__(self, *args, name, **kwargs):
        super().__init__(*args, **kwargs)
        # A hint with someone's name in it, as the induction checklist builds one.
        self.fields["ticked"].help_text = f"Done on 10 January 2026 by {name}."
        self.fields["policy"].help_text = format_html(
            'Read <a href="{}">the policy</a> for {}.', "/policy/?board=a&year=2026", name
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset("About {{ who }}", "ticked"),
            MultiField(name, "policy", help_text=name),
            StrictButton(
                "Find",
                css_class="btn-primary portal-find",
                data_label=f'Find "{name}"',
                disabled=True,
            ),
        )


def test_hints_labels_and_legends_show_markup_as_text():
    html = render(
        HintsForm(name=MARKUP), "{% load crispy_forms_tags %}{% crispy form %}", who=MARKUP
    )
    page = parse(html)

    assert MARKUP not in html
    assert page.by_id("id_ticked_helptext").text() == f"Done on 10 January 2026 by {MARKUP}."
    assert [node.text() for node in page.find_all("legend")] == [f"About {MARKUP}", MARKUP]
    assert MARKUP in [node.text() for node in page.find_all("p", cls="ds_hint-text")]


def test_a_hint_built_with_format_html_keeps_its_link_and_escapes_the_rest():
    page = parse(render(HintsForm(name=MARKUP)))
    hint = page.by_id("id_policy_helptext")
    assert hint.text() == f"Read the policy for {MARKUP}."
    link = hint.find("a")
    assert link.attrs == {"href": "/policy/?board=a&year=2026"}
    assert not hint.find_all("img")


def test_a_buttons_attributes_are_escaped_when_its_classes_are_swapped():
    html = render(HintsForm(name=MARKUP), "{% load crispy_forms_tags %}{% crispy form %}", who="")
    button = parse(html).find("button")
    assert button.classes == ["ds_button", "portal-find"]
    assert button.attrs["data-label"] == f'Find "{MARKUP}"'
    assert "disabled" in button.attrs


def test_every_aria_describedby_points_at_something_on_the_page():
    for form in (EveryFieldForm(), bound(full_name="", rep_type=None, meeting_date="31/02/2025")):
        page = parse(render(form))
        ids = set(page.ids())
        for node in page.iter():
            for id_ in node.attrs.get("aria-describedby", "").split():
                assert id_ in ids, f"aria-describedby names {id_!r}, which is not on the page"


def test_ids_are_unique():
    page = parse(render(bound(full_name="", email="", rep_type=None)))
    ids = page.ids()
    assert len(ids) == len(set(ids))


# ---------------------------------------------------------------------------------------------
# Errors


def test_a_blank_form_has_no_error_summary_and_nothing_marked_invalid():
    page = parse(render(EveryFieldForm()))
    assert page.find_all(cls="ds_error-summary") == []
    assert [node for node in page.iter() if "aria-invalid" in node.attrs] == []
    assert page.find_all(cls="ds_question--error") == []


def test_only_the_fields_in_error_are_marked_invalid():
    form = bound(email="not an email", meeting_date="31/02/2025")
    page = parse(render(form))
    invalid = {node.attrs["name"] for node in page.iter() if node.attrs.get("aria-invalid")}
    assert invalid == {"email", "meeting_date"}
    assert {node.attrs["id"] for node in page.find_all(cls="ds_question--error")} == {
        "div_id_email",
        "div_id_meeting_date",
    }


def test_an_error_message_is_shown_above_its_input_and_read_out_with_it():
    page = parse(render(bound(email="not an email")))
    email = page.by_id("id_email")
    assert email.attrs["aria-invalid"] == "true"
    assert "ds_input--error" in email.classes
    assert email.attrs["aria-describedby"].split() == ["id_email_error"]
    message = page.by_id("id_email_error")
    assert "ds_question__error-message" in message.classes
    assert message.text() == "Error: Enter a valid email address."
    question = page.by_id("div_id_email")
    assert question.children.index(message) < question.children.index(email)


def test_the_error_summary_lists_each_problem_and_links_to_its_field():
    page = parse(render(bound(full_name="", rep_type=None, agree=None, meeting_date="31/02/2025")))
    summary = page.find(cls="ds_error-summary")
    assert summary.attrs["role"] == "alert"
    assert summary.attrs["tabindex"] == "-1"
    assert summary.attrs["data-module"] == "portal-error-summary"
    title = page.by_id(summary.attrs["aria-labelledby"])
    assert title.text() == "There is a problem"

    links = {link.attrs["href"]: link.text() for link in summary.find_all("a")}
    assert links == {
        "#id_full_name": "Enter full name",
        "#id_rep_type_0": "Answer “What kind of rep are you?”",
        "#id_agree": "Tick “I have read the expenses policy” to continue",
        "#id_meeting_date": "31/02/2025 is not a real date. Check the day and the month.",
    }
    for href in links:
        target = page.by_id(href[1:])
        assert target.tag == "input"


def test_a_missing_answer_is_named_rather_than_called_this_field():
    class ClaimForm(forms.Form):
        email = forms.EmailField(label="Email address")
        board = forms.ChoiceField(label="Board", choices=[("", "Choose"), ("fife", "Fife")])
        rep_type = forms.ChoiceField(
            label="Rep type", widget=forms.RadioSelect, choices=[("carer", "Carer")]
        )
        needs = forms.MultipleChoiceField(
            label="Support needs", widget=forms.CheckboxSelectMultiple, choices=[("bsl", "BSL")]
        )
        receipt = forms.FileField(label="Receipt")
        nhs = forms.CharField(label="NHS number")
        why = forms.CharField(
            label="Reason", error_messages={"required": "Tell us why you missed the meeting"}
        )

    page = parse(render(ClaimForm(data={}, files={})))
    summary = [link.text() for link in page.find(cls="ds_error-summary").find_all("a")]
    assert summary == [
        "Enter email address",
        "Choose board",
        "Choose rep type",
        "Choose at least one option for support needs",
        "Choose a file for receipt",
        "Enter NHS number",
        "Tell us why you missed the meeting",
    ]
    # The message beside the field says the same as the summary.
    assert page.by_id("id_email_error").text() == "Error: Enter email address"


def test_errors_that_belong_to_no_field_are_listed_in_the_summary():
    form = bound()
    form.is_valid()
    form.add_error(None, "This meeting has already been claimed for.")
    page = parse(render(form))
    items = [item.text() for item in page.find(cls="ds_error-summary").find_all("li")]
    assert items == ["This meeting has already been claimed for."]


def test_an_autofocused_field_gives_way_to_the_error_summary():
    class SignIn(forms.Form):
        email = forms.EmailField(widget=forms.EmailInput(attrs={"autofocus": True}))

    assert "autofocus" in parse(render(SignIn())).by_id("id_email").attrs
    assert "autofocus" not in parse(render(SignIn(data={}))).by_id("id_email").attrs


# ---------------------------------------------------------------------------------------------
# Each kind of field


def test_radios_are_a_fieldset_whose_legend_asks_the_question():
    page = parse(render(bound(rep_type=None)))
    question = page.by_id("div_id_rep_type")
    fieldset = question.find("fieldset")
    assert fieldset.find("legend").text() == "What kind of rep are you?"
    radios = fieldset.find_all("input", type="radio")
    assert [radio.attrs["id"] for radio in radios] == ["id_rep_type_0", "id_rep_type_1"]
    for radio in radios:
        assert "ds_radio__input" in radio.classes
        assert "ds_radio" in radio.parent.classes
        label = radio.parent.find("label", for_=radio.attrs["id"])
        assert "ds_radio__label" in label.classes
    # The hint and the error are inside the fieldset, and read out with the question.
    error = page.by_id("id_rep_type_error")
    assert fieldset in error.ancestors()
    assert fieldset.attrs["aria-describedby"].split() == [
        "id_rep_type_helptext",
        "id_rep_type_error",
    ]


def test_a_chosen_radio_stays_chosen_after_an_error_elsewhere():
    page = parse(render(bound(email="", rep_type="lived")))
    assert "checked" in page.by_id("id_rep_type_1").attrs
    assert "checked" not in page.by_id("id_rep_type_0").attrs


def test_checkboxes_are_a_fieldset_of_design_system_checkboxes():
    page = parse(render(EveryFieldForm(data={**GOOD_ANSWERS, "needs": "large_print"})))
    fieldset = page.by_id("div_id_needs").find("fieldset")
    group = fieldset.find(cls="ds_field-group")
    assert group.attrs["data-module"] == "ds-checkboxes"
    boxes = group.find_all("input", type="checkbox")
    assert [box.attrs["value"] for box in boxes] == ["bsl", "large_print"]
    assert all("ds_checkbox__input" in box.classes for box in boxes)
    assert "checked" in boxes[1].attrs and "checked" not in boxes[0].attrs


def test_a_single_checkbox_is_a_design_system_checkbox():
    page = parse(render(bound(agree=None)))
    box = page.by_id("id_agree")
    assert box.attrs["type"] == "checkbox"
    assert "ds_checkbox__input" in box.classes
    assert "ds_checkbox" in box.parent.classes
    assert box.parent.find("label", for_="id_agree").text() == "I have read the expenses policy"
    assert box.attrs["aria-describedby"] == "id_agree_error"


def test_a_select_has_the_design_system_wrapper_and_arrow():
    page = parse(render(bound(board="")))
    select = page.by_id("id_board")
    assert select.classes == ["ds_select", "ds_select--error"]
    wrapper = select.parent
    assert "ds_select-wrapper" in wrapper.classes
    assert wrapper.find("span", cls="ds_select-arrow").attrs["aria-hidden"] == "true"
    assert [option.text() for option in select.find_all("option")] == [
        "Choose a board",
        "Fife",
        "Angus",
    ]


def test_a_long_answer_box_counts_the_characters_left():
    page = parse(render(EveryFieldForm()))
    notes = page.by_id("id_notes")
    assert notes.tag == "textarea"
    assert "ds_input" in notes.classes
    counter = next(node for node in notes.ancestors() if "ds_character-count" in node.classes)
    assert counter.attrs["data-module"] == "ds-character-count"
    assert notes.attrs["maxlength"] == "500"


def test_number_and_email_inputs_keep_their_types():
    page = parse(render(EveryFieldForm()))
    miles = page.by_id("id_miles")
    assert miles.attrs["type"] == "number"
    assert miles.classes == ["ds_input", "ds_input--fixed-10"]
    email = page.by_id("id_email")
    assert email.attrs["type"] == "email"
    assert email.classes == ["ds_input"]


def test_an_amount_of_money_has_a_pound_sign_and_a_decimal_keypad():
    page = parse(render(EveryFieldForm()))
    amount = page.by_id("id_amount")
    assert amount.attrs["inputmode"] == "decimal"
    assert amount.attrs["type"] == "text"
    assert amount.parent.attrs == {"class": "ds_currency-wrapper", "data-symbol": "£"}


def test_a_hidden_field_is_drawn_without_label_or_wrapper():
    page = parse(render(EveryFieldForm()))
    token = page.by_id("id_token")
    assert token.attrs["type"] == "hidden"
    assert page.find_all("label", for_="id_token") == []
    assert token.parent.tag == "#document"


def test_a_field_of_several_inputs_is_a_fieldset_and_its_error_links_to_the_first():
    class ArrivalForm(forms.Form):
        arrived = forms.SplitDateTimeField(label="When did you arrive?")
        born = forms.DateField(label="Date of birth", widget=forms.SelectDateWidget(years=[1960]))

    page = parse(render(ArrivalForm(data={})))
    # Day, month, year: the British order, so the first box is the day.
    for name, first in (("arrived", "id_arrived_0"), ("born", "id_born_day")):
        fieldset = page.by_id(f"div_id_{name}").find("fieldset")
        assert fieldset.attrs["aria-describedby"] == f"id_{name}_error"
        assert controls(fieldset)[0].attrs["id"] == first
    links = [link.attrs["href"] for link in page.find(cls="ds_error-summary").find_all("a")]
    assert links == ["#id_arrived_0", "#id_born_day"]


# ---------------------------------------------------------------------------------------------
# Dates


def test_a_date_has_the_date_picker_and_an_example_to_copy():
    page = parse(render(EveryFieldForm()))
    date = page.by_id("id_meeting_date")
    assert date.attrs["type"] == "text"
    assert date.classes == ["ds_input", "ds_input--fixed-10"]
    assert "ds_input__wrapper" in date.parent.classes
    picker = date.parent.parent
    assert picker.classes == ["ds_datepicker"]
    assert picker.attrs["data-module"] == "ds-datepicker"
    assert picker.find("label", for_="id_meeting_date").text() == "Date of the meeting"
    assert date.attrs["aria-describedby"] == "id_meeting_date_helptext"
    assert page.by_id("id_meeting_date_helptext").text() == "For example, 25/11/2026"


def test_a_saved_date_is_shown_as_day_month_year():
    form = EveryFieldForm(initial={"meeting_date": datetime.date(2026, 3, 5)})
    assert parse(render(form)).by_id("id_meeting_date").attrs["value"] == "05/03/2026"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("25/11/2026", datetime.date(2026, 11, 25)),
        ("5/3/2026", datetime.date(2026, 3, 5)),
        (" 05-03-2026 ", datetime.date(2026, 3, 5)),
        ("29/02/2028", datetime.date(2028, 2, 29)),
    ],
)
def test_dates_typed_day_first_are_accepted(typed, expected):
    form = bound(meeting_date=typed)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["meeting_date"] == expected


def test_a_date_that_does_not_exist_is_refused_with_a_clear_message():
    form = bound(meeting_date="31/02/2025")
    assert not form.is_valid()
    assert form.errors["meeting_date"] == [
        "31/02/2025 is not a real date. Check the day and the month."
    ]


@pytest.mark.parametrize("typed", ["2026-11-25", "25/11/26", "next Tuesday", "25 November 2026"])
def test_a_date_in_another_format_is_refused_with_the_format_to_use(typed):
    form = bound(meeting_date=typed)
    assert not form.is_valid()
    assert form.errors["meeting_date"] == ["Enter the date as DD/MM/YYYY, for example 25/11/2026."]


def test_a_plain_date_field_gets_the_same_picker_and_format():
    class MeetingForm(forms.Form):
        held_on = forms.DateField(label="Meeting date")

    page = parse(render(MeetingForm(initial={"held_on": datetime.date(2026, 3, 5)})))
    held_on = page.by_id("id_held_on")
    assert held_on.attrs["value"] == "05/03/2026"
    assert held_on.parent.parent.attrs["data-module"] == "ds-datepicker"
    assert page.by_id("id_held_on_helptext").text() == "For example, 25/11/2026"


def test_the_date_picker_can_be_limited_to_a_range():
    class MeetingForm(forms.Form):
        held_on = DateField(
            label="Meeting date",
            help_text="The date the board met.",
            widget=DateInput(
                min_date=datetime.date(2026, 4, 1), max_date=datetime.date(2027, 3, 31)
            ),
        )

    page = parse(render(MeetingForm()))
    held_on = page.by_id("id_held_on")
    assert held_on.attrs["data-mindate"] == "01/04/2026"
    assert held_on.attrs["data-maxdate"] == "31/03/2027"
    assert page.by_id("id_held_on_helptext").text() == (
        "The date the board met. For example, 25/11/2026"
    )


# ---------------------------------------------------------------------------------------------
# File upload


def test_a_file_upload_uses_the_design_system_drop_zone():
    page = parse(render(bound(agree=None)))
    receipt = page.by_id("id_receipt")
    assert receipt.attrs["type"] == "file"
    assert "ds_file-upload__input" in receipt.classes
    upload = receipt.parent
    assert upload.classes == ["ds_file-upload"]
    assert upload.attrs["data-module"] == "ds-file-upload"
    # The drop zone the design system draws is labelled by this label, so it must be inside.
    assert upload.find("label", for_="id_receipt").text() == "Receipt (optional)"


def test_a_file_upload_in_error_is_marked_for_the_drop_zone():
    class ReceiptForm(forms.Form):
        receipt = forms.FileField(label="Receipt")

    page = parse(render(ReceiptForm(data={}, files={})))
    receipt = page.by_id("id_receipt")
    assert receipt.classes == ["ds_file-upload__input", "ds_file-upload__input--error"]
    assert receipt.attrs["aria-invalid"] == "true"
    assert receipt.attrs["aria-describedby"] == "id_receipt_error"


def test_a_file_already_saved_is_named_and_can_be_removed():
    class ReceiptForm(forms.Form):
        receipt = forms.FileField(label="Receipt", required=False)

    saved = FieldFile(instance=None, field=FileField(), name="receipts/2026/bus-ticket.pdf")
    page = parse(render(ReceiptForm(initial={"receipt": saved})))
    assert page.find("p", cls="portal-current-file").text() == "Current file: bus-ticket.pdf"
    remove = page.by_id("receipt-clear_id")
    assert remove.attrs["name"] == "receipt-clear"
    assert page.find("label", for_="receipt-clear_id").text() == "Remove bus-ticket.pdf"
    # The file box itself is only the file box: no second copy of Django's own clear checkbox.
    assert len(page.find_all("input", type="checkbox")) == 1


# ---------------------------------------------------------------------------------------------
# {% crispy %} with a FormHelper and the layout objects pages use


class ClaimForm(forms.Form):
    journey_from = forms.CharField(label="From")
    journey_to = forms.CharField(label="To")
    miles = forms.IntegerField(label="Miles")
    notes = forms.CharField(label="Notes", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "claim-form"
        self.helper.form_action = "/claims/new/"
        self.helper.layout = Layout(
            Fieldset("Your journey", "journey_from", "journey_to", "miles"),
            Div("notes", css_class="portal-extra"),
            HTML("<p class='portal-note'>We pay 45p a mile.</p>"),
            ButtonHolder(
                Submit("save", "Send claim"),
                Button("draft", "Save as draft", css_class="portal-draft"),
            ),
        )


def test_the_crispy_tag_draws_the_whole_form():
    page = parse(render(ClaimForm(), "{% load crispy_forms_tags %}{% crispy form %}"))
    form = page.find("form")
    assert form.attrs["id"] == "claim-form"
    assert form.attrs["action"] == "/claims/new/"
    assert form.attrs["method"] == "post"
    # The portal explains problems itself, in words, rather than in browsers' pop-ups.
    assert "novalidate" in form.attrs
    assert form.find("input", type="hidden", name="csrfmiddlewaretoken")

    fieldset = form.find("fieldset")
    assert fieldset.find("legend").text() == "Your journey"
    assert [control.attrs["name"] for control in controls(fieldset)] == [
        "journey_from",
        "journey_to",
        "miles",
    ]
    assert "div_id_notes" in form.find("div", cls="portal-extra").ids()
    assert form.find("p", cls="portal-note").text() == "We pay 45p a mile."

    buttons = form.find(cls="ds_button-group")
    send = buttons.find("input", type="submit")
    assert send.attrs["value"] == "Send claim"
    assert send.classes == ["ds_button"]
    draft = buttons.find("input", type="button")
    assert draft.classes == ["ds_button", "ds_button--secondary", "portal-draft"]


def test_the_crispy_tag_shows_the_error_summary_inside_the_form():
    page = parse(
        render(ClaimForm(data={"miles": "lots"}), "{% load crispy_forms_tags %}{% crispy form %}")
    )
    summary = page.find("form").find(cls="ds_error-summary")
    assert [link.attrs["href"] for link in summary.find_all("a")] == [
        "#id_journey_from",
        "#id_journey_to",
        "#id_miles",
    ]


def test_helper_inputs_are_design_system_buttons():
    form = ClaimForm()
    form.helper.layout = None
    form.helper.add_input(Submit("submit", "Save"))
    form.helper.add_input(Reset("reset", "Start again"))
    form.helper.add_input(Hidden("step", "2"))
    page = parse(render(form, "{% load crispy_forms_tags %}{% crispy form %}"))
    group = page.find(cls="ds_button-group")
    assert group.find("input", type="submit").classes == ["ds_button"]
    assert group.find("input", type="reset").classes == ["ds_button", "ds_button--secondary"]
    assert group.find("input", type="hidden", name="step").attrs["value"] == "2"


class EverythingLayoutForm(forms.Form):
    rep_type = forms.ChoiceField(
        label="Rep type", widget=forms.RadioSelect, choices=[("carer", "Carer"), ("lived", "Lived")]
    )
    needs = forms.MultipleChoiceField(
        label="Needs",
        widget=forms.CheckboxSelectMultiple,
        choices=[("bsl", "BSL"), ("print", "Large print")],
        required=False,
    )
    cost = forms.DecimalField(label="Cost", decimal_places=2)
    distance = forms.IntegerField(label="Distance")
    postcode = forms.CharField(label="Postcode")
    reference = forms.CharField(label="Reference", required=False)
    search = forms.CharField(label="Search", required=False)
    first = forms.CharField(label="First name")
    last = forms.CharField(label="Last name")
    extra = forms.CharField(label="Extra", required=False)
    more = forms.CharField(label="More", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            TabHolder(
                Tab("About you", InlineRadios("rep_type")), Tab("Needs", InlineCheckboxes("needs"))
            ),
            Accordion(
                AccordionGroup(
                    "Costs", PrependedText("cost", "£"), AppendedText("distance", "miles")
                )
            ),
            Alert("Check the postcode before you send the claim.", dismiss=False),
            UneditableField("reference"),
            InlineField("postcode"),
            FieldWithButtons("search", StrictButton("Find", css_class="btn-primary portal-find")),
            Row(Column("first"), Column("last")),
            MultiField("Anything else", "extra"),
            Modal("more", title="More details", css_id="more-details"),
            FormActions(Submit("send", "Send")),
        )


def test_every_layout_object_renders_in_design_system_markup():
    html = render(
        EverythingLayoutForm(initial={"reference": "CL-0042"}),
        "{% load crispy_forms_tags %}{% crispy form %}",
    )
    page = parse(html)
    assert "btn" not in html.replace("ds_button", "")

    tabs = page.find(cls="ds_tabs")
    assert tabs.attrs["data-module"] == "ds-tabs"
    links = [link.attrs["href"] for link in tabs.find_all("a", cls="ds_tabs__tab-link")]
    assert links == ["#about-you", "#needs"]
    assert {panel.attrs["id"] for panel in tabs.find_all(cls="ds_tabs__content")} == {
        "about-you",
        "needs",
    }
    assert (
        "ds_field-group--inline" in page.by_id("div_id_rep_type").find(cls="ds_field-group").classes
    )

    accordion = page.find(cls="ds_accordion")
    assert accordion.attrs["data-module"] == "ds-accordion"
    assert accordion.find("h3", cls="ds_accordion-item__title").text() == "Costs"
    assert page.by_id("id_cost").parent.attrs == {
        "class": "ds_currency-wrapper",
        "data-symbol": "£",
    }
    assert page.find(cls="portal-input-suffix").text() == "miles"

    assert page.find(cls="ds_inset-text").text() == "Check the postcode before you send the claim."
    assert page.by_id("div_id_reference").text() == "Reference CL-0042"
    postcode_label = page.find("label", for_="id_postcode")
    assert "visually-hidden" in postcode_label.classes
    find_button = page.find("button", type="button")
    assert find_button.classes == ["ds_button", "portal-find"]
    assert find_button.text() == "Find"
    assert {"div_id_first", "div_id_last"} <= set(page.find(cls="portal-form-row").ids())
    for fieldset in page.find_all("fieldset"):
        assert fieldset.find("legend").text(), "a fieldset without a legend names no question"
    assert page.by_id("more-details").find("h2").text() == "More details"
    actions = page.find_all(cls="ds_button-group")[-1]
    assert actions.find("input", type="submit").attrs["value"] == "Send"

    label_targets = {label.attrs.get("for") for label in page.find_all("label")}
    for control in controls(page):
        assert control.attrs["id"] in label_targets, f"{control.attrs['name']} has no label"


# ---------------------------------------------------------------------------------------------
# Formsets


class ItemForm(forms.Form):
    description = forms.CharField(label="What it was for")
    amount = forms.DecimalField(label="Amount", widget=MoneyInput, decimal_places=2)
    spent_on = DateField(label="Date")


class BaseItemFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        total = sum(form.cleaned_data.get("amount", 0) for form in self.forms if form.cleaned_data)
        if total > 100:
            raise forms.ValidationError("A claim can be for no more than £100 without a receipt.")


ItemFormSet = forms.formset_factory(ItemForm, formset=BaseItemFormSet, extra=2)


def formset_data(rows):
    data = {"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"form-{index}-{key}"] = value
    return data


def test_a_formset_draws_its_management_form_and_every_item():
    page = parse(render(ItemFormSet(), "{% load crispy_forms_tags %}{{ form|crispy }}"))
    assert page.by_id("id_form-TOTAL_FORMS").attrs["value"] == "2"
    assert page.by_id("id_form-INITIAL_FORMS").attrs["type"] == "hidden"
    items = page.find_all("fieldset", cls="portal-formset-item")
    # Each item is a group of its own, named as the error summary names it.
    assert [item.find("legend").text() for item in items] == ["Item 1", "Item 2"]
    assert {"id_form-0-description", "id_form-0-amount", "id_form-0-spent_on"} <= set(
        items[0].ids()
    )
    assert {"id_form-1-description", "id_form-1-amount", "id_form-1-spent_on"} <= set(
        items[1].ids()
    )
    assert page.find_all(cls="ds_error-summary") == []


def test_a_formset_has_one_error_summary_naming_the_item_of_each_error():
    formset = ItemFormSet(
        data=formset_data(
            [
                {"description": "Bus", "amount": "4.20", "spent_on": "01/04/2026"},
                {"description": "", "amount": "3.00", "spent_on": "31/02/2026"},
            ]
        )
    )
    page = parse(render(formset, "{% load crispy_forms_tags %}{{ form|crispy }}"))
    summaries = page.find_all(cls="ds_error-summary")
    assert len(summaries) == 1
    links = {link.attrs["href"]: link.text() for link in summaries[0].find_all("a")}
    assert links == {
        "#id_form-1-description": "Item 2: Enter what it was for",
        "#id_form-1-spent_on": (
            "Item 2: 31/02/2026 is not a real date. Check the day and the month."
        ),
    }
    for href in links:
        assert page.by_id(href[1:]).tag == "input"
    ids = page.ids()
    assert len(ids) == len(set(ids))


def test_a_formset_lists_its_own_errors_in_the_summary():
    formset = ItemFormSet(
        data=formset_data(
            [
                {"description": "Taxi", "amount": "80.00", "spent_on": "01/04/2026"},
                {"description": "Hotel", "amount": "60.00", "spent_on": "01/04/2026"},
            ]
        )
    )
    page = parse(render(formset, "{% load crispy_forms_tags %}{{ form|crispy }}"))
    items = [item.text() for item in page.find(cls="ds_error-summary").find_all("li")]
    assert items == ["A claim can be for no more than £100 without a receipt."]


def test_a_formset_as_a_table_keeps_a_label_on_every_input():
    helper = FormHelper()
    helper.template = "sgds/table_inline_formset.html"
    helper.form_id = "items"
    helper.add_input(Submit("save", "Save items"))
    formset = ItemFormSet(
        data=formset_data([{"description": "", "amount": "4.20", "spent_on": "01/04/2026"}])
    )
    html = render(formset, "{% load crispy_forms_tags %}{% crispy form helper %}", helper=helper)
    page = parse(html)
    form = page.find("form")
    assert form.find("input", name="csrfmiddlewaretoken")
    table = form.find("table", cls="ds_table")
    assert [th.text() for th in table.find_all("th")] == ["What it was for", "Amount", "Date"]
    assert [th.attrs["scope"] for th in table.find_all("th")] == ["col", "col", "col"]
    label = table.find("label", for_="id_form-0-description")
    assert "visually-hidden" in label.classes
    assert page.find(cls="ds_error-summary").find("a").attrs["href"] == "#id_form-0-description"
    # The blank row that pages copy to add an item is inert until copied.
    assert "<template" in html and "id_form-__prefix__-description" in html
    assert form.find("input", type="submit").attrs["value"] == "Save items"


# ---------------------------------------------------------------------------------------------
# Every template crispy may look for


CRISPY_TEMPLATES = [
    "whole_uni_form.html",
    "whole_uni_formset.html",
    "uni_form.html",
    "uni_formset.html",
    "display_form.html",
    "errors.html",
    "errors_formset.html",
    "field.html",
    "inputs.html",
    "multifield.html",
    "table_inline_formset.html",
    "accordion.html",
    "accordion-group.html",
    "layout/alert.html",
    "layout/baseinput.html",
    "layout/button.html",
    "layout/buttonholder.html",
    "layout/checkboxselectmultiple_inline.html",
    "layout/column.html",
    "layout/div.html",
    "layout/field_with_buttons.html",
    "layout/fieldset.html",
    "layout/formactions.html",
    "layout/inline_field.html",
    "layout/modal.html",
    "layout/multifield.html",
    "layout/prepended_appended_text.html",
    "layout/radioselect_inline.html",
    "layout/row.html",
    "layout/tab-link.html",
    "layout/tab.html",
    "layout/uneditable_input.html",
]


@pytest.mark.parametrize("name", CRISPY_TEMPLATES)
def test_the_pack_has_every_template_crispy_may_ask_for(name):
    assert get_template(f"sgds/{name}")


# ---------------------------------------------------------------------------------------------
# The sign-in page, the first form everyone meets


def test_signing_in_with_nothing_typed_links_each_problem_to_its_field(client, db):
    response = client.post("/account/sign-in/", {"username": "", "password": ""})
    page = parse(response.content.decode())
    summary = page.find(cls="ds_error-summary")
    hrefs = [link.attrs["href"] for link in summary.find_all("a")]
    assert hrefs == ["#id_username", "#id_password"]
    assert page.by_id("id_username").attrs["aria-invalid"] == "true"
    assert page.by_id("id_password").attrs["aria-invalid"] == "true"


def test_a_wrong_password_is_explained_in_the_error_summary(client, rep_a1):
    response = client.post(
        "/account/sign-in/", {"username": rep_a1.email, "password": "not my password"}
    )
    summary = parse(response.content.decode()).find(cls="ds_error-summary")
    assert summary.find("li").text() == (
        "The email address or password is not right. Check them and try again."
    )


def test_the_password_rules_stay_a_list_now_that_hints_are_escaped(client, rep_a1):
    # Django builds this hint with format_html, so it is still drawn as markup.
    client.force_login(rep_a1)
    page = client.get("/account/password/").content.decode()
    assert "&lt;" not in page
    rules = parse(page).by_id("id_new_password1_helptext").find("ul").find_all("li")
    assert len(rules) == 4
