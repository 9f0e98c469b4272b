"""What a board sets for itself: the named contact on its public page; the standards it holds
its staff to (how many days' notice reps get of meeting papers, how long before a term ends staff
look for a successor); and the items of its own on every new term's induction checklist."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from portal.core.access import staff_required
from portal.core.forms import add_service_errors
from reps import access, selectors, services
from reps.forms_recruitment import BoardContactForm
from reps.forms_staff import BoardStandardsForm, InductionTemplateForm


def _settings_page(request, slug, form_class, *, template: str, done: str, then: str):
    """A form of the board's settings, saved through `services.board_settings_update`."""
    board = access.get_board_to_manage(request.user, slug)
    posted = request.POST if request.method == "POST" else None
    form = form_class(posted, settings=selectors.board_settings(board))
    if posted is not None and form.is_valid():
        try:
            services.board_settings_update(board=board, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done.format(board=board.name))
            return redirect(then)
    return render(request, template, {"board": board, "form": form})


@staff_required
@require_http_methods(["GET", "POST"])
def board_contact(request, slug):
    """The named contact shown on the board's public page."""
    return _settings_page(
        request,
        slug,
        BoardContactForm,
        template="reps/staff/interest_contact.html",
        done="The contact on {board}'s public page is saved.",
        then="reps:staff_interest_list",
    )


@staff_required
@require_http_methods(["GET", "POST"])
def board_standards(request, slug):
    return _settings_page(
        request,
        slug,
        BoardStandardsForm,
        template="reps/staff/board_standards.html",
        done="{board}'s standards are saved.",
        then="reps:staff_meeting_list",
    )


@staff_required
@require_http_methods(["GET", "POST"])
def board_induction(request, slug):
    """Every new term's induction checklist on the board: the national items, then the board's
    own, with a form to add one."""
    board = access.get_board_to_manage(request.user, slug)
    documents = access.documents_for_board(board)
    form = InductionTemplateForm(request.POST or None, documents=documents, adding=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.induction_template_add(board=board, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"“{form.cleaned_data['title']}” goes on every new term's checklist."
            )
            return redirect("reps:staff_board_induction", slug=board.slug)
    national, own = selectors.induction_templates(board)
    return render(
        request,
        "reps/staff/board_induction.html",
        {"board": board, "national": national, "own": own, "form": form},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def board_induction_item(request, slug, pk):
    template = access.get_induction_template_to_manage(request.user, slug, pk)
    board = template.board
    initial = {name: getattr(template, name) for name in InductionTemplateForm.base_fields}
    form = InductionTemplateForm(
        request.POST or None,
        initial=initial,
        documents=access.documents_for_board(board),
        adding=False,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.induction_template_update(
                template=template, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"“{form.cleaned_data['title']}” is saved.")
            return redirect("reps:staff_board_induction", slug=board.slug)
    return render(
        request,
        "reps/staff/board_induction_item.html",
        {"board": board, "template": template, "form": form},
    )
