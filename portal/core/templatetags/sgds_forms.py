"""Small helpers for the "sgds" crispy-forms pack (templates/sgds/).

The templates decide the markup; these helpers work out what a template cannot easily say: which
design-system pattern a widget needs, the ids that tie a hint and an error to their input, and the
widget's own attributes with the design system's classes merged in.
"""

import html
import re

from django import forms, template
from django.db.models.fields.files import FieldFile
from django.forms.utils import flatatt

from portal.core.forms import DateInput, MoneyInput

register = template.Library()

# Inputs that hold a short value get a narrow box, so its width hints at the answer expected.
_FIXED_WIDTH_TYPES = {"number"}
_WIDTH_CLASS = re.compile(r"\bds_input--(fixed|fluid)-")


@register.filter
def sgds_kind(field):
    """The pattern a bound field is drawn with: one template in templates/sgds/fields/ each."""
    widget = field.field.widget
    if field.is_hidden:
        return "hidden"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.FileInput):
        return "file"
    if isinstance(widget, forms.DateInput) and widget.input_type == "text":
        return "date"
    if isinstance(widget, forms.MultiWidget | forms.SelectDateWidget):
        return "multi"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    return "input"


@register.filter
def sgds_is_money(field):
    return isinstance(field.field.widget, MoneyInput)


@register.filter
def sgds_is_multiple(field):
    return getattr(field.field.widget, "allow_multiple_selected", False)


@register.filter
def sgds_hint_id(field):
    return f"{field.auto_id}_helptext"


@register.filter
def sgds_error_id(field):
    return f"{field.auto_id}_error"


@register.filter
def sgds_date_example(field):
    """The example date shown under a date box, or "" for a widget that has none."""
    widget = field.field.widget
    if isinstance(widget, DateInput):
        return widget.example
    if sgds_kind(field) == "date":
        return DateInput().example
    return ""


@register.filter
def sgds_has_hint(field):
    return bool(field.help_text or sgds_date_example(field))


def _errors_shown(context, field):
    # A helper may hide errors (form_show_errors=False); then nothing may point at them.
    return bool(field.errors) and context.get("form_show_errors") is not False


def _describedby(field, errors_shown):
    ids = []
    own = field.field.widget.attrs.get("aria-describedby")
    if own:
        ids.append(own)
    if field.auto_id and sgds_has_hint(field):
        ids.append(sgds_hint_id(field))
    if field.auto_id and errors_shown:
        ids.append(sgds_error_id(field))
    return " ".join(ids)


@register.simple_tag(takes_context=True)
def sgds_describedby(context, field):
    """The ids of the hint and the error message, in reading order, for aria-describedby."""
    return _describedby(field, _errors_shown(context, field))


def _in_a_sentence(label):
    # "Email address" reads "email address" mid-sentence; "NHS number" keeps its capitals.
    if len(label) > 1 and label[0].isupper() and not label[1].isupper():
        return label[0].lower() + label[1:]
    return label


def _required_message(field):
    label = str(field.label or "").strip()
    kind = sgds_kind(field)
    if kind == "checkbox":
        return f"Tick “{label}” to continue"
    if label.endswith("?"):
        return f"Answer “{label}”"
    subject = _in_a_sentence(label)
    if kind == "checkboxes":
        return f"Choose at least one option for {subject}"
    if kind in {"select", "radios"}:
        return f"Choose {subject}"
    if kind == "file":
        return f"Choose a file for {subject}"
    return f"Enter {subject}"


@register.filter
def sgds_errors(field):
    """The field's error messages as the page shows them.

    Django's own "This field is required." names no field, so in the error summary a list of
    them says nothing; it becomes "Enter email address", "Choose board" and so on. A form that
    sets its own message keeps it.
    """
    generic = str(forms.Field.default_error_messages["required"])
    if field.is_hidden or not field.label:
        return list(field.errors)
    return [_required_message(field) if error == generic else error for error in field.errors]


@register.filter
def sgds_anchor(field):
    """The id an error summary link points at: the input itself, or the first radio or checkbox."""
    if isinstance(field.field.widget, forms.MultiWidget):
        return f"{field.auto_id}_0"
    if field.id_for_label:
        return field.id_for_label
    for subwidget in field.subwidgets:
        option_id = subwidget.data.get("attrs", {}).get("id")
        if option_id:
            return option_id
    return field.auto_id


def _classes(*groups):
    names = []
    for group in groups:
        for name in (group or "").split():
            if name not in names:
                names.append(name)
    return " ".join(names)


def _widget_classes(field, kind):
    widget = field.field.widget
    own = widget.attrs.get("class", "")
    error = bool(field.errors)
    if kind == "select":
        return _classes("ds_select", own, "ds_select--error" if error else "")
    if kind == "file":
        return _classes(
            "ds_file-upload__input", own, "ds_file-upload__input--error" if error else ""
        )
    if kind == "checkbox":
        return _classes("ds_checkbox__input", own)
    width = ""
    if not _WIDTH_CLASS.search(own) and getattr(widget, "input_type", "") in _FIXED_WIDTH_TYPES:
        width = "ds_input--fixed-10"
    return _classes("ds_input", own, width, "ds_input--error" if error else "")


@register.simple_tag(takes_context=True)
def sgds_widget(context, field):
    """The field's input with the design system's classes, its hint and error tied to it by
    aria-describedby, and aria-invalid while it is in error."""
    kind = sgds_kind(field)
    widget = field.field.widget
    attrs = {"class": _widget_classes(field, kind)}
    describedby = _describedby(field, _errors_shown(context, field))
    if describedby and not widget.use_fieldset:
        attrs["aria-describedby"] = describedby
    if field.errors:
        attrs["aria-invalid"] = "true"
        # The error summary takes focus when the page loads; an autofocused field would take
        # it away again, and screen reader users would not hear what went wrong.
        attrs["autofocus"] = False
    if kind == "file":
        # The "clear" checkbox and current file of ClearableFileInput are drawn by the template;
        # here only the file box itself.
        return field.as_widget(widget=forms.FileInput(attrs=widget.attrs), attrs=attrs)
    return field.as_widget(attrs=attrs)


@register.filter
def sgds_options(field):
    """The radios or checkboxes of a choice field, grouped as its choices are grouped.

    Each option carries its id, its label and its input's attributes (already escaped), so the
    template draws the design system's markup around Django's own values and checked state.
    """
    widget = field.field.widget
    id_ = widget.attrs.get("id") or field.auto_id
    base_attrs = field.build_widget_attrs({"id": id_} if id_ else {})
    if field.errors:
        base_attrs["aria-invalid"] = "true"
    base_attrs.pop("class", None)
    values = widget.format_value(field.value())
    groups = []
    for group_name, options, _index in widget.optgroups(field.html_name, values, base_attrs):
        drawn = []
        for option in options:
            option_attrs = {key: value for key, value in option["attrs"].items() if key != "class"}
            option_attrs = {
                "type": option["type"],
                "name": option["name"],
                "value": "" if option["value"] is None else str(option["value"]),
                **option_attrs,
            }
            drawn.append(
                {
                    "id": option_attrs.get("id", ""),
                    "label": option["label"],
                    "attrs": flatatt(option_attrs),
                }
            )
        groups.append({"label": group_name, "options": drawn})
    return groups


@register.filter
def sgds_current_file(field):
    """The name of the file already saved in a file field, or "" when there is none."""
    value = field.value()
    if isinstance(value, FieldFile) and value.name:
        return value.name.rsplit("/", 1)[-1]
    return ""


@register.filter
def sgds_clear_name(field):
    return f"{field.html_name}-clear"


@register.filter
def sgds_clear_id(field):
    return f"{field.html_name}-clear_id"


@register.filter
def sgds_button_classes(button):
    """Design-system classes for a crispy Submit, Button or Reset.

    A submit is the primary button, anything else secondary; extra classes given to the layout
    object are kept, and crispy's own "btn" classes (meant for Bootstrap) are dropped.
    """
    own = " ".join(
        name for name in (button.field_classes or "").split() if not name.startswith("btn")
    )
    base = "ds_button" if button.input_type == "submit" else "ds_button ds_button--secondary"
    return _classes(base, own)


# An attribute as flatatt writes it: ` name="escaped value"`, or ` name` alone when boolean.
_ATTRIBUTE = re.compile(r' ([^\s="]+)(?:="([^"]*)")?')


@register.filter
def sgds_button_attrs(flat_attrs):
    """A StrictButton's attributes with its Bootstrap classes swapped for the design system's.

    The attributes are taken apart and written again by flatatt, which escapes every value, so
    nothing here is marked safe by hand.
    """
    attrs = {
        match.group(1): True if match.group(2) is None else html.unescape(match.group(2))
        for match in _ATTRIBUTE.finditer(str(flat_attrs))
    }
    own = " ".join(
        name for name in str(attrs.get("class", "")).split() if not name.startswith("btn")
    )
    attrs["class"] = _classes("ds_button", own)
    return flatatt(attrs)
