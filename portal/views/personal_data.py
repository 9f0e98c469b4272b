"""A rep's own data: a page saying what the portal holds about them, and all of it as one ZIP file;
and the same file for staff answering a rep's request for their data (a subject access request).

Each app says what it holds about a rep in its own `personal_data.py`; this is the one place
that puts them together, so no app needs to import another to describe its records. The page
reads nothing but the rep; the download reads each kind of record once, however many there are.
"""

import shutil
import tempfile
import zipfile
from dataclasses import replace
from datetime import date
from typing import IO

from django.http import FileResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from expenses import personal_data as expenses_data
from portal.core.access import staff_required
from portal.core.links import absolute_url
from portal.core.personal_data import Held
from reps import personal_data as reps_data
from reps.access import get_rep_to_manage, own_rep_required
from reps.models import Rep
from standards import personal_data as standards_data

KINDS = (*reps_data.KINDS, *expenses_data.KINDS, *standards_data.KINDS)
README = "README.txt"


def held_about(rep: Rep) -> list[Held]:
    """Everything the portal holds about the rep, kind by kind, in the order of `KINDS`."""
    return [
        *reps_data.held_about(rep),
        *expenses_data.held_about(rep),
        *standards_data.held_about(rep),
    ]


@never_cache
@own_rep_required
@require_safe
def my_data(request, rep):
    return render(
        request,
        "portal/your_data.html",
        {"rep": rep, "kinds": KINDS, "receipts_folder": expenses_data.RECEIPTS_FOLDER},
    )


@never_cache
@own_rep_required
@require_safe
def my_data_download(request, rep):
    """Everything the portal holds about the rep, as a ZIP file of CSV files and receipts."""
    return _download(rep, held_about(rep), name="your-data")


# Staff never see a rep's equality monitoring answers, not even to answer the rep's request.
EQUALITY_LEFT_OUT = replace(
    reps_data.EQUALITY,
    when_none="Your equality monitoring answers are not in this copy: the staff who made it never "
    "see them. You can download them yourself from Your data in the portal, or ask the "
    "portal's administrators.",
)


@never_cache
@staff_required
@require_safe
def rep_data_download(request, rep_pk):
    """The rep's download, made by staff who manage reps on the rep's board for a rep who asked
    for their data (one without a portal account, say), less their equality answers."""
    rep = get_rep_to_manage(request.user, rep_pk)
    holdings = [
        Held(EQUALITY_LEFT_OUT, ()) if held.kind == reps_data.EQUALITY else held
        for held in held_about(rep)
    ]
    return _download(rep, holdings, name=f"data-of-rep-{rep.pk}")


def _download(rep: Rep, holdings: list[Held], *, name: str) -> FileResponse:
    made_on = timezone.localdate()
    return FileResponse(
        data_archive(rep, holdings, made_on=made_on),
        as_attachment=True,
        filename=f"{name}-{made_on.isoformat()}.zip",
        content_type="application/zip",
    )


def data_archive(rep: Rep, holdings: list[Held], *, made_on: date) -> IO[bytes]:
    """A ZIP file of a CSV file for each kind, the files that go with them and a README saying
    what each is; open, at its start.

    Written to a temporary file rather than memory: a rep with years of claims may have many
    receipts, each up to a few megabytes.
    """
    archive = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it once sent
    missing = []
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        for held in holdings:
            if held.left_out:
                continue
            zipped.writestr(held.kind.file_name, held.csv())
            for kept in held.files:
                try:
                    with kept.file.open("rb") as source, zipped.open(kept.name, "w") as target:
                        shutil.copyfileobj(source, target)
                except FileNotFoundError:
                    missing.append(kept.name)
        zipped.writestr(README, readme(rep, holdings, missing=missing, made_on=made_on))
    archive.seek(0)
    return archive


def readme(rep: Rep, holdings: list[Held], *, missing: list[str], made_on: date) -> str:
    return render_to_string(
        "portal/your_data_readme.txt",
        {
            "rep": rep,
            "holdings": holdings,
            "receipts": [kept.name for held in holdings for kept in held.files],
            "receipts_folder": expenses_data.RECEIPTS_FOLDER,
            "items_file": expenses_data.ITEMS.file_name,
            "missing": missing,
            "made_on": made_on,
            "privacy_url": absolute_url(reverse("privacy")),
        },
    )
