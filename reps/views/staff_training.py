"""Staff screens for training: what each rep has done, the spend per board per year, and the
budgets boards set aside for their reps."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from portal.core.access import Permission, abilities, staff_required
from portal.core.confirm import confirmed_action
from portal.core.forms import add_service_errors
from portal.core.pagination import paginate
from portal.core.periods import financial_year_label, financial_years_to_offer
from reps import access, rules, selectors, services
from reps.forms_staff import BudgetForm, TrainingFilterForm, TrainingForm
from reps.models import SupportRequest

# The reps due a conversation about their needs that the page lists, longest waiting first.
SHOWN = 10


@staff_required
def training_list(request):
    boards = access.boards_for(request.user)
    years = financial_years_to_offer(timezone.localdate())
    form = TrainingFilterForm(request.GET or None, boards=boards, years=years)
    filters = form.cleaned_data if form.is_valid() else {}
    year = filters.get("year") or years[0]
    shown = [filters["board"]] if filters.get("board") else boards
    # Requests, budgets and conversations are for those who manage the board's reps; others see
    # no link to them.
    held = abilities(request)
    managed = held.boards_with(Permission.MANAGE_REPS)
    return render(
        request,
        "reps/staff/training_list.html",
        {
            "filter_form": form,
            "managed": managed,
            "year": year,
            "waiting": managed
            and selectors.support_requests(managed, status=SupportRequest.Status.ASKED).count(),
            "to_talk_with": managed
            and selectors.reps_due_a_conversation(
                held.boards_with(Permission.MANAGE_REPS, among=shown),
                today=timezone.localdate(),
            ),
            "conversation_months": rules.NEEDS_CONVERSATION_MONTHS,
            "shown": SHOWN,
            "year_label": financial_year_label(year),
            "totals": selectors.training_totals_by_board(shown, financial_year=year),
            "page_obj": paginate(request, selectors.training_list(shown, financial_year=year)),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def training_add(request, pk):
    rep = access.get_rep_to_manage(request.user, pk)
    form = TrainingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.training_add(rep=rep, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The training has been saved.")
            return redirect("reps:staff_rep_detail", pk=rep.pk)
    return render(request, "reps/staff/training_form.html", {"form": form, "rep": rep})


@staff_required
@require_http_methods(["GET", "POST"])
def training_change(request, pk, training_pk):
    training = access.get_training_to_manage(request.user, pk, training_pk)
    rep = training.rep
    initial = {name: getattr(training, name) for name in TrainingForm.base_fields}
    form = TrainingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.training_update(
                training=training, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The training “{saved.course}” has been saved.")
            return redirect("reps:staff_rep_detail", pk=rep.pk)
    return render(
        request,
        "reps/staff/training_form.html",
        {"form": form, "rep": rep, "training": training},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def training_remove(request, pk, training_pk):
    training = access.get_training_to_manage(request.user, pk, training_pk)
    return confirmed_action(
        request,
        lambda: services.training_remove(training=training, by=request.user),
        done=f"The training “{training.course}” on {training.date:%-d %B %Y} has been removed.",
        then=reverse("reps:staff_rep_detail", args=[training.rep.pk]),
        template="reps/staff/training_remove.html",
        context={"rep": training.rep, "training": training},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def budget_edit(request, slug, year):
    """A board's budgets for its reps in one of the years the training page offers."""
    board = access.get_board_to_manage(request.user, slug)
    if year not in financial_years_to_offer(timezone.localdate()):
        raise Http404
    budget = selectors.budget_for(board, year)
    form = BudgetForm(
        request.POST if request.method == "POST" else None,
        initial={"training": budget.training, "expenses": budget.expenses},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_set(
                board=board, financial_year=year, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            label = financial_year_label(year)
            messages.success(request, f"{board.name}'s budgets for {label} are saved.")
            return redirect(f"{reverse('reps:staff_training_list')}?year={year}")
    return render(
        request,
        "reps/staff/budget_form.html",
        {"form": form, "board": board, "year_label": financial_year_label(year)},
    )
