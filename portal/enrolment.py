"""A first authenticator app is set up only from a link sent to the account's email address.

Knowing the password is not enough to see the authenticator's secret: someone who had stolen a
password could otherwise enrol their own phone and pass the second step for good. The link shows
that the person also reads the account's email. It works once, in a browser signed in to the
same account, and for as long as a password reset link does; an administrator resets a person's
second step by deleting their devices in the admin, after which the same link is sent again. A
rep's own account may also turn it off, or ask staff to (`portal.core.second_factor`).
"""

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.access import devices_of
from portal.core.links import absolute_url

# The session holds the account whose link was followed in it: only then is the secret shown.
SESSION_KEY = "second_factor_enrolment"


class EnrolmentTokens(PasswordResetTokenGenerator):
    key_salt = "portal.enrolment.EnrolmentTokens"

    def _make_hash_value(self, user, timestamp):
        # Following the link replaces the unconfirmed device, and confirming one adds a confirmed
        # device: either way the hash changes and the link stops working.
        devices = devices_of(user).order_by("pk").values_list("pk", "confirmed")
        return f"{user.pk}{user.password}{user.email}{timestamp}{list(devices)}"


tokens = EnrolmentTokens()


def send_link(request, user) -> None:
    """Email the account a link to set up its authenticator app.

    Sent at once rather than through the task queue: the link is a credential, and the queue is a
    database table that keeps its arguments.
    """
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse("mfa_enrol", kwargs={"uidb64": uidb64, "token": tokens.make_token(user)})
    link = absolute_url(path)
    body = render_to_string("portal/email/second_factor_link.txt", {"user": user, "link": link})
    EmailMessage("Set up your second sign-in step", body, to=[user.email]).send()


def may_enrol(request) -> bool:
    return request.session.get(SESSION_KEY) == request.user.pk


def enrolled(request) -> None:
    request.session.pop(SESSION_KEY, None)


def follow(request, uidb64: str, token: str) -> bool:
    """Whether the link is good for the account signed in; if so, open the set-up once."""
    try:
        uid = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return False
    user = request.user
    if uid != user.pk or not tokens.check_token(user, token):
        return False
    # Single use: a fresh unconfirmed device changes the token's hash.
    devices_of(user, confirmed=False).delete()
    TOTPDevice.objects.create(user=user, confirmed=False, name="Authenticator app")
    request.session[SESSION_KEY] = user.pk
    return True
