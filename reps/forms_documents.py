"""Forms for a board's documents: adding one, and renaming, changing or replacing it.

The file is judged by `reps.documents.check_upload`, by what its bytes are. A form that comes
back with a problem keeps everything else that was typed; only the file must be chosen again, as
browsers never fill a file box in.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.core.files.uploadedfile import UploadedFile

from reps import documents
from reps.models import Document

ACCEPT = (
    "application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
    "text/plain,.pdf,.docx,.txt"
)
FILE_HINT = (
    f"A PDF, a Word document (.docx) or a plain text file, up to {documents.MAX_SIZE_LABEL}. "
    "Word documents with macros are not accepted."
)


class DocumentFileField(forms.FileField):
    """A document's file, checked by its content; cleans to a `documents.CheckedFile`."""

    widget = forms.FileInput(attrs={"accept": ACCEPT})
    default_error_messages = {
        "empty": documents.MESSAGES["empty"],
        "invalid": "Choose the document's file.",
        "missing": "Choose the document's file.",
        "required": "Choose the document's file.",
    }

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if isinstance(value, UploadedFile):
            return documents.check_upload(value)
        return None


class DocumentForm(forms.Form):
    """A new document (`boards`: where it may go), or changes to one (`document`)."""

    title = forms.CharField(
        label="Title",
        max_length=150,
        help_text="What reps see in the list, such as Role description for carer representatives.",
        error_messages={
            "required": "Enter the document's title.",
            "max_length": "The title must be 150 characters or fewer.",
        },
    )
    kind = forms.ChoiceField(
        label="What kind of document is it?",
        choices=Document.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of document it is."},
    )
    public = forms.BooleanField(
        label="Show it on the board's public page",
        required=False,
        help_text=(
            "Anyone can then read it, without signing in: for a role description or the expenses "
            "policy. Leave it unticked for anything only the board's reps should read."
        ),
    )
    file = DocumentFileField(label="File", help_text=FILE_HINT)

    def __init__(self, *args, boards=None, document: Document | None = None, **kwargs):
        if document is not None:
            kwargs.setdefault(
                "initial",
                {"title": document.title, "kind": document.kind, "public": document.public},
            )
        super().__init__(*args, **kwargs)
        names = ["title", "kind", "public", "file"]
        if document is not None:
            self.fields["file"].required = False
            self.fields["file"].label = "Replace the file (optional)"
            self.fields["file"].help_text = f"Leave empty to keep the present file. {FILE_HINT}"
        if boards is not None:
            self.fields["board"] = forms.ModelChoiceField(
                label="Board",
                queryset=boards,
                empty_label=None,
                error_messages={"invalid_choice": "Choose one of your boards."},
            )
            names.insert(0, "board")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*names)

    def changes(self) -> dict:
        """What to pass to `services.document_update`: the fields, and a new file if one came."""
        data = {name: self.cleaned_data[name] for name in ("title", "kind", "public")}
        if self.cleaned_data.get("file") is not None:
            data["checked"] = self.cleaned_data["file"]
        return data
