from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render

from portal.core.models import Board


@login_not_required
def start(request):
    """The front door: signed-in people go to their own home page; everyone else sees the boards."""
    if request.user.is_authenticated:
        return redirect("home")
    boards = Board.objects.only("name", "hscp_name", "website")
    return render(request, "portal/start.html", {"boards": boards})


@login_not_required
def accessibility(request):
    return render(request, "portal/accessibility.html", {"support_email": settings.SUPPORT_EMAIL})


@login_not_required
def privacy(request):
    # The periods `anonymise_personal_data` acts on, so the notice cannot promise otherwise.
    return render(
        request,
        "portal/privacy.html",
        {
            "rep_years": settings.REP_RETENTION_YEARS,
            "interest_months": settings.INTEREST_RETENTION_MONTHS,
            "pool_check_months": settings.POOL_CHECK_MONTHS,
        },
    )
