"""The standards a board holds its staff to: how many days' notice reps get of meeting papers,
and how long before a term ends staff look for a successor. Both feed the late-papers and
succession figures everywhere they are shown."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from portal.core.access import staff_required
from portal.core.forms import add_service_errors
from reps import access, selectors, services
from reps.forms_staff import BoardStandardsForm


@staff_required
@require_http_methods(["GET", "POST"])
def board_standards(request, slug):
    board = access.get_board_to_manage(request.user, slug)
    form = BoardStandardsForm(request.POST or None, settings=selectors.board_settings(board))
    if request.method == "POST" and form.is_valid():
        try:
            services.board_settings_update(board=board, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{board.name}'s standards are saved.")
            return redirect("reps:staff_meeting_list")
    return render(request, "reps/staff/board_standards.html", {"board": board, "form": form})
