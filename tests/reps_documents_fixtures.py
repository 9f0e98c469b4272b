"""Documents for the tests, made directly rather than through a page."""

from itertools import count

from django.core.files.base import ContentFile

_numbers = count(1)


def make_document(board, *, public=False, title=None, text=b"Notes for reps.\n", **fields):
    """A plain text document of `board` (None: national), in private storage as uploads are."""
    from reps.models import Document

    return Document.objects.create(
        board=board,
        title=title or f"Document {next(_numbers)}",
        kind=fields.pop("kind", Document.Kind.OTHER),
        public=public,
        file=ContentFile(text, name="document.txt"),
        file_type=Document.FileType.TEXT,
        file_size=len(text),
        **fields,
    )
