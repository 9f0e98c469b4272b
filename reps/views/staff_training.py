"""Staff screens for training: what each rep has done, and the spend per board per year."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from portal.core.access import staff_required
from reps import access as scoping
from reps import rules, selectors, services
from reps.forms_staff import TrainingFilterForm, TrainingForm, financial_years_to_offer
from reps.views.staff_common import paginate, require_manage_reps, show_errors


@staff_required
def training_list(request):
    boards = scoping.boards_for(request.user)
    years = financial_years_to_offer(timezone.localdate())
    form = TrainingFilterForm(request.GET or None, boards=boards, years=years)
    filters = form.cleaned_data if form.is_valid() else {}
    year = filters.get("year") or years[0]
    shown = [filters["board"]] if filters.get("board") else boards
    return render(
        request,
        "reps/staff/training_list.html",
        {
            "filter_form": form,
            "year_label": rules.financial_year_label(year),
            "totals": selectors.training_totals_by_board(shown, financial_year=year),
            "page_obj": paginate(request, selectors.training_list(shown, financial_year=year)),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def training_add(request, pk):
    rep = scoping.get_rep_for_staff(request.user, pk)
    require_manage_reps(request.user, rep.board)
    form = TrainingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.training_add(rep=rep, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "The training has been saved.")
            return redirect("reps:staff_rep_detail", pk=rep.pk)
    return render(request, "reps/staff/training_form.html", {"form": form, "rep": rep})
