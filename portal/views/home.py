from django.shortcuts import redirect, render
from django.utils import timezone

from portal.core import periods
from portal.core.access import national_viewer_required
from portal.core.models import Board, User
from reps import figures


def home(request):
    """Send each person to the home page of their role."""
    destinations = {
        User.Role.REP: "rep_home",
        User.Role.STAFF: "staff_home",
        User.Role.NATIONAL_VIEWER: "national_home",
        User.Role.ADMINISTRATOR: "admin:index",
    }
    return redirect(destinations[request.user.role])


@national_viewer_required
def national_home(request):
    """Every board's operational figures, as counts: in alphabetical order, never ranked.

    National viewers see no one's records, so the page reads counts only (`reps.figures`). They
    are not equality figures, so nothing here is suppressed: a count of seats names nobody.
    """
    today = timezone.localdate()
    rows = figures.operational_figures(Board.objects.order_by("name"), today=today)
    year = periods.financial_year_of(today)
    return render(
        request,
        "portal/home_national.html",
        {
            "rows": rows,
            "today": today,
            "year_label": periods.financial_year_label(year),
            "year_start": periods.financial_year_bounds(year)[0],
            "totals": {
                "seats": sum(row.seats for row in rows),
                "vacancies": sum(row.vacancies for row in rows),
                "meetings": sum(row.meetings for row in rows),
                "late": sum(row.meetings_with_late_papers for row in rows),
            },
        },
    )
