from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from portal.core.access import rep_required
from reps import access as scoping
from reps import selectors


@never_cache
@rep_required
def rep_home(request):
    """A rep's own home: their term and induction, meetings either side of today, training."""
    rep = scoping.rep_profile_for(request.user)
    if rep is None:
        # A rep account without a rep record: staff have not linked it yet.
        raise PermissionDenied
    today = timezone.localdate()
    return render(
        request,
        "portal/home_rep.html",
        {"rep": rep, "overview": selectors.rep_overview(rep, today=today), "today": today},
    )
