from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from portal import scoping
from portal.access import rep_required


@rep_required
def rep_home(request):
    rep = scoping.rep_profile_for(request.user)
    if rep is None:
        # A rep account without a rep record: staff have not linked it yet.
        raise PermissionDenied
    return render(request, "portal/home_rep.html", {"rep": rep})
