"""The page an invited rep reaches from their email, to set a password and sign in.

The link carries the invitation's secret. It is moved from the address into the session at once
and the browser sent on to a page without it, so the secret does not stay in the history or reach
another site in a Referer header (as Django's own password reset does).
"""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from portal.core import invitations
from portal.password_forms import InvitedPasswordForm

SESSION_KEY = "invitation_token"
INVALID_TEMPLATE = "portal/invitation_invalid.html"


def _refuse(request, reason: str):
    request.session.pop(SESSION_KEY, None)
    return render(request, INVALID_TEMPLATE, {"reason": reason})


@never_cache
@login_not_required
@require_GET
def invitation_open(request, token):
    invitation = invitations.find(token)
    reason = invitations.reason_not_usable(invitation)
    if reason is not None:
        return _refuse(request, reason)
    request.session[SESSION_KEY] = token
    return redirect("invitation_set_password")


@never_cache
@login_not_required
@sensitive_post_parameters("new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def invitation_set_password(request):
    invitation = invitations.find(request.session.get(SESSION_KEY, ""))
    reason = invitations.reason_not_usable(invitation)
    if reason is not None or invitation is None:
        return _refuse(request, reason or "unknown")
    form = InvitedPasswordForm(invitation.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitations.accept(
                invitation=invitation, password=form.cleaned_data["new_password1"]
            )
        except invitations.NotUsable as refused:
            return _refuse(request, refused.reason)
        request.session.pop(SESSION_KEY, None)
        login(request, user, backend="portal.sessions.ModelBackend")
        messages.success(request, "Your password is set and you are signed in.")
        return redirect("home")
    return render(
        request,
        "portal/invitation_set_password.html",
        {"form": form, "invited": invitation.user},
    )
