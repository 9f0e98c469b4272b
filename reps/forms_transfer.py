"""Forms for the staff import and export pages."""

from django import forms
from django.core.exceptions import ValidationError

from portal.core.models import User
from reps import transfer
from reps.resources import EXPORT_RESOURCES, STAFF_RESOURCES

WHAT_CHOICES = [(name, resource.title()) for name, resource in STAFF_RESOURCES.items()]
EXPORT_CHOICES = [(name, resource.title()) for name, resource in EXPORT_RESOURCES.items()]


class UploadForm(forms.Form):
    """A spreadsheet to bring in: read once here, so that a file that cannot be read is
    refused with the reason before it is kept."""

    file = forms.FileField(
        label="File to bring in",
        help_text=(
            f"A CSV or Excel (XLSX) file, smaller than "
            f"{transfer.MAX_UPLOAD_BYTES // (1024 * 1024)} MB and with at most "
            f"{transfer.MAX_ROWS:,} rows. The first row holds the column headings."
        ),
        error_messages={
            "required": "Choose a file to bring in.",
            "empty": "The file is empty.",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > transfer.MAX_UPLOAD_BYTES:
            raise ValidationError(transfer.too_large_message())
        file_format = transfer.format_of(uploaded.name)
        if file_format is None:
            raise ValidationError("The file must be a CSV or an Excel (XLSX) file.")
        data = uploaded.read(transfer.MAX_UPLOAD_BYTES + 1)
        try:
            dataset, _ = transfer.read_table(data, file_format)
        except transfer.UnreadableFile as problem:
            raise ValidationError(str(problem)) from None
        self.file_format, self.file_bytes, self.headers = file_format, data, list(dataset.headers)
        return uploaded

    def refuse_missing(self, missing: list[str], advice: str) -> None:
        """Name the columns the file lacks, if any, and what to do about it."""
        if missing:
            names = ", ".join(f"“{name}”" for name in missing)
            self.add_error("file", f"The file has no column {names}{advice}")


class ImportForm(UploadForm):
    what = forms.ChoiceField(
        label="What does the file hold?",
        choices=WHAT_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the file holds."},
    )
    field_order = ["what", "file"]

    def __init__(self, data=None, files=None, *, user: User, **kwargs):
        self.user = user
        super().__init__(data, files, **kwargs)

    def clean(self):
        cleaned = super().clean()
        what, uploaded = cleaned.get("what"), cleaned.get("file")
        if what and uploaded:
            resource = STAFF_RESOURCES[what](user=self.user)
            self.refuse_missing(
                transfer.missing_columns(resource, self.headers),
                f", which {resource.title().lower()} need. Check the headings in its first "
                "row, or what you chose the file holds.",
            )
        return cleaned


class ExportForm(forms.Form):
    what = forms.ChoiceField(
        label="What do you want to download?",
        choices=WHAT_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what to download."},
    )
    board = forms.ChoiceField(label="Which board?", error_messages={"required": "Choose a board."})
    file_format = forms.ChoiceField(
        label="File type",
        choices=[
            ("xlsx", "Excel (XLSX), to open in a spreadsheet"),
            ("csv", "CSV, for other systems"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a file type."},
    )

    def __init__(self, data=None, *, boards, what=EXPORT_CHOICES, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["what"].choices = what
        self.boards = {str(board.pk): board for board in boards}
        choices = [(pk, board.name) for pk, board in self.boards.items()]
        if len(choices) > 1:
            choices.insert(0, ("all", "All your boards"))
        else:
            # Nothing to choose: the one board is the answer.
            self.fields["board"].widget = forms.HiddenInput()
            self.fields["board"].required = False
        self.fields["board"].choices = choices

    def selected_board(self):
        """The one board chosen, or None for all of them."""
        if len(self.boards) == 1:
            return next(iter(self.boards.values()))
        return self.boards.get(self.cleaned_data["board"])
