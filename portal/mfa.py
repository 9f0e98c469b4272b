"""The second factor (TOTP) for staff, national viewers and administrators.

A password alone is not enough for anyone who can see many people's records: until the session
is verified with a code from an authenticator app, every page but the second-factor pages and
sign out sends them to set up or enter their code. The Django admin is covered too.
"""

import base64
from functools import wraps

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal import enrolment
from portal.access import devices_of
from portal.core import second_factor

# Set once the set-up link has been emailed in this session, so that reloading the page does not
# send another each time.
LINK_SENT = "second_factor_link_sent"


def second_factor_not_required(view):
    """Mark a view that a signed-in but not yet verified user must still reach."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        return view(*args, **kwargs)

    wrapped.second_factor_required = False
    return wrapped


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not (settings.REQUIRE_MFA and user.is_authenticated and user.needs_second_factor):
            return None
        if user.is_verified():
            return None
        if not getattr(view_func, "second_factor_required", True):
            return None
        if not getattr(view_func, "login_required", True):
            return None  # public pages stay public
        has_device = devices_of(user, confirmed=True).exists()
        target = reverse("mfa_verify" if has_device else "mfa_setup")
        return redirect(f"{target}?next={request.get_full_path()}")


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code your app shows now. It changes every 30 seconds.",
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "class": "ds_input--fixed-10",
            }
        ),
    )

    def __init__(self, *args, device_check=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.device_check = device_check
        self.device = None

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code.isdigit():
            raise forms.ValidationError("Enter the 6 numbers from your authenticator app.")
        self.device = self.device_check(code)
        if self.device is None:
            raise forms.ValidationError(
                "That code did not match. Check the time on your phone is right, "
                "then try the new code."
            )
        return code


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or reverse("home")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("home")


def _verify_first_matching(devices, code):
    for device in devices:
        if device.verify_token(code):
            return device
    return None


@second_factor_not_required
def setup(request):
    if devices_of(request.user, confirmed=True).exists():
        return redirect(f"{reverse('mfa_verify')}?next={_next_url(request)}")
    if not enrolment.may_enrol(request):
        # The secret is shown only in a session that followed the emailed link.
        if request.method == "POST" or not request.session.get(LINK_SENT):
            enrolment.send_link(request, request.user)
            request.session[LINK_SENT] = True
            if request.method == "POST":
                messages.success(request, "We have sent the link again.")
        context = {"email": request.user.email, "next": _next_url(request)}
        return render(request, "portal/mfa_check_email.html", context)
    device, _ = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "Authenticator app"}
    )
    form = CodeForm(
        request.POST or None, device_check=lambda code: _verify_first_matching([device], code)
    )
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        request.user.mfa_enabled = True
        request.user.save(update_fields=["mfa_enabled"])
        otp_login(request, device)
        enrolment.enrolled(request)
        return redirect(_next_url(request))
    # An image rather than inline markup: nothing generated is put into the page unescaped.
    qr_image = segno.make(device.config_url, error="m").svg_data_uri(scale=5)
    secret = base64.b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "qr_image": qr_image,
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "next": _next_url(request),
    }
    return render(request, "portal/mfa_setup.html", context)


@second_factor_not_required
@require_GET
def enrol(request, uidb64, token):
    """The emailed link, opened in the browser signed in to the same account."""
    if not enrolment.follow(request, uidb64, token):
        return render(request, "portal/mfa_link_expired.html")
    return redirect("mfa_setup")


@second_factor_not_required
def verify(request):
    devices = list(devices_of(request.user, confirmed=True))
    if not devices:
        return redirect(f"{reverse('mfa_setup')}?next={_next_url(request)}")
    form = CodeForm(
        request.POST or None, device_check=lambda code: _verify_first_matching(devices, code)
    )
    if request.method == "POST" and form.is_valid():
        otp_login(request, form.device)
        return redirect(_next_url(request))
    return render(request, "portal/mfa_verify.html", {"form": form, "next": _next_url(request)})


@require_http_methods(["GET", "POST"])
def turn_off(request):
    """A rep turns their second step off again, with a code from the app to show it is them."""
    user = request.user
    if not user.second_factor_optional:
        raise PermissionDenied("Your account must keep its second sign-in step.")
    devices = list(devices_of(user, confirmed=True))
    if not user.mfa_enabled or not devices:
        return render(request, "portal/mfa_turn_off.html", {"form": None})
    form = CodeForm(
        request.POST or None, device_check=lambda code: _verify_first_matching(devices, code)
    )
    if request.method == "POST" and form.is_valid():
        second_factor.turn_off(user, by=user)
        messages.success(
            request, "The second sign-in step is off: signing in asks only for your password."
        )
        return redirect(_next_url(request))
    return render(request, "portal/mfa_turn_off.html", {"form": form, "next": _next_url(request)})
