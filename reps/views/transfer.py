"""Staff bring spreadsheets in and take them out: seats, reps, terms, meetings and the rest.

Import is two steps. The first checks the file can be read and keeps it (`reps.transfer`); the
second shows what a trial run found (every new, changed and bad row) and, when the person
confirms, runs the import again for real from the kept file. Only boards where the person manages
reps are reached, in both directions (`access.boards_for_import`).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from portal.core import invitations
from portal.core.access import staff_required
from portal.core.spreadsheets import Choice, export_download
from reps import access, services, transfer
from reps.forms_transfer import ExportForm, ImportForm
from reps.resources import EXPORT_RESOURCES, STAFF_RESOURCES


def _boards(request) -> list:
    boards = list(access.boards_for_import(request.user).order_by("name"))
    if not boards:
        # Staff who do not manage reps on any board have nothing to bring in or take out.
        raise PermissionDenied
    return boards


def _guides() -> list[dict]:
    """For each kind of file, the columns it has, the ones it must have and what choices hold."""
    guides = []
    for name, resource_class in STAFF_RESOURCES.items():
        # Without a user a resource reaches no rows, which is all a list of columns needs.
        resource = resource_class()
        guides.append(
            {
                "name": name,
                "title": resource.title(),
                "required": resource.required_columns,
                "optional": [
                    column
                    for column in resource.import_columns()
                    if column not in resource.required_columns
                ],
                "choices": [
                    (field.column_name, [label for _, label in field.widget.choices])
                    for field in resource.fields.values()
                    if isinstance(field.widget, Choice) and not field.readonly
                ],
            }
        )
    return guides


@never_cache
@staff_required
@require_http_methods(["GET", "POST"])
def import_start(request):
    boards = _boards(request)
    form = ImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        transfer.keep_upload(
            request,
            what=form.cleaned_data["what"],
            file_format=form.file_format,
            filename=form.cleaned_data["file"].name,
            data=form.file_bytes,
        )
        return redirect("reps:import_preview")
    return render(
        request,
        "reps/transfer/import_start.html",
        {"form": form, "boards": boards, "guides": _guides()},
    )


@never_cache
@staff_required
@require_http_methods(["GET", "POST"])
def import_preview(request):
    _boards(request)
    try:
        pending, dataset, line_numbers = transfer.kept_file(request, what=STAFF_RESOURCES)
    except transfer.NothingKept as nothing:
        messages.info(request, str(nothing))
        return redirect("reps:import_start")

    resource = STAFF_RESOURCES[pending.what](user=request.user)
    confirming = request.method == "POST"
    # The trial run and the real one are the same import: the file is checked afresh either
    # way, and the real one writes nothing unless every row is still good.
    result = transfer.run(resource, dataset, dry_run=not confirming)
    preview = transfer.describe(resource, dataset, result, line_numbers)
    to_invite = transfer.reps_to_invite(result) if preview.is_good else []
    if confirming and preview.is_good:
        transfer.discard_pending(request)
        messages.success(
            request,
            f"{resource.title()} brought in: {len(preview.new)} new and "
            f"{len(preview.changed)} changed.",
        )
        if to_invite and request.POST.get("invite") == "yes":
            _invite(request, to_invite)
        return redirect("reps:import_start")
    return render(
        request,
        "reps/transfer/import_preview.html",
        {
            "pending": pending,
            "title": resource.title(),
            "preview": preview,
            "confirmed_but_refused": confirming,
            "invitable": len(to_invite),
            "start_url": reverse("reps:import_start"),
        },
    )


def _invite(request, reps) -> None:
    """Invite each rep the file brought in or matched who has an email address and no account."""
    base_url = invitations.site_url(request)
    sent, refused = 0, []
    for rep in reps:
        try:
            services.rep_invite(rep=rep, by=request.user, base_url=base_url)
        except ValidationError as error:
            refused.append(f"{rep.full_name}: {' '.join(error.messages)}")
        else:
            sent += 1
    if sent:
        messages.success(request, f"Invitations sent: {sent}.")
    for problem in refused:
        messages.warning(request, f"No invitation sent to {problem}")


@never_cache
@staff_required
@require_GET
def export(request):
    boards = _boards(request)
    form = ExportForm(request.GET or None, boards=boards)
    if form.is_bound and form.is_valid():
        resource = EXPORT_RESOURCES[form.cleaned_data["what"]](user=request.user)
        rows = resource.export_queryset()
        board = form.selected_board()
        if board is not None:
            rows = rows.filter(**{resource.board_path: board})
        where = board.slug if board is not None else "your-boards"
        return export_download(
            resource,
            rows,
            xlsx=form.cleaned_data["file_format"] == "xlsx",
            stem=f"{form.cleaned_data['what']}-{where}",
        )
    return render(request, "reps/transfer/export.html", {"form": form, "boards": boards})
