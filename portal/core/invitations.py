"""Invitations: how a rep account gets its first password, from a link staff have emailed.

A link is single-use and expiring. It stops working when it is used to set a password, when a
newer invitation replaces it, when staff withdraw it, or after `INVITATION_VALID_DAYS` days.
Only a hash of its secret is stored; the secret is in the email and nowhere else (not in the task
queue, whose table keeps its arguments, and never in a log), so the email is sent at once.

Only rep accounts are made or touched this way. An account that is staff, a national viewer or
an administrator is refused, so an invitation can never set the password of someone who can see
other people's records. Who may invite which rep is for the caller (`reps.services`) to check.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from portal.core.models import Invitation, User

DEFAULT_VALID_DAYS = 14

Status = Invitation.Status

# The only moves an invitation makes: out of pending, once, and never back.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.PENDING: frozenset({Status.USED, Status.REPLACED, Status.WITHDRAWN}),
    Status.USED: frozenset(),
    Status.REPLACED: frozenset(),
    Status.WITHDRAWN: frozenset(),
}


class NotUsable(Exception):
    """A link that cannot be used; `reason` is one of the keys of `REASONS`."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# Why a link does not work, for the page that says so (and what to do instead).
REASONS = ("unknown", "used", "replaced", "withdrawn", "expired")


def valid_days() -> int:
    return int(getattr(settings, "INVITATION_VALID_DAYS", DEFAULT_VALID_DAYS))


def site_url(request: HttpRequest | None = None) -> str:
    """The address links in emails start with: `SITE_URL`, or else the address of this request."""
    configured = getattr(settings, "SITE_URL", "")
    if configured:
        return str(configured).rstrip("/")
    if request is None:
        raise ValueError("Without SITE_URL, a link needs the request it is made in.")
    return request.build_absolute_uri("/").rstrip("/")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _move(invitation: Invitation, status: str, now: datetime) -> None:
    if status not in TRANSITIONS[invitation.status]:
        raise ValidationError(
            f"This invitation is {invitation.get_status_display().lower()} and cannot change."
        )
    invitation.status = status
    invitation.ended_at = now
    invitation.save(update_fields=["status", "ended_at"])


def may_be_invited(user: User) -> bool:
    """Only plain rep accounts: never anyone who signs in to see other people's records."""
    return user.role == User.Role.REP and not user.is_staff and not user.is_superuser


@transaction.atomic
def issue(*, user: User, by: User | None, now: datetime | None = None) -> tuple[Invitation, str]:
    """A new invitation for `user`, replacing any that is still pending; returns it and its secret.

    A withdrawn account is opened again: inviting the rep anew is staff changing their mind.
    """
    if not may_be_invited(user):
        raise ValidationError("Only rep accounts can be given an invitation.")
    now = now or timezone.now()
    user = User.objects.select_for_update().get(pk=user.pk)
    for pending in user.invitations.select_for_update().filter(status=Status.PENDING):
        _move(pending, Status.REPLACED, now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        user=user,
        token_hash=_hash(token),
        created_at=now,
        expires_at=now + timedelta(days=valid_days()),
        invited_by=by,
    )
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    return invitation, token


def link_for(token: str, *, base_url: str) -> str:
    return base_url.rstrip("/") + reverse("invitation_open", kwargs={"token": token})


def send(
    invitation: Invitation, token: str, *, base_url: str, board_name: str = "", to: str = ""
) -> None:
    """Email the link. Sent at once (see the module's docstring); the body is never logged."""
    user = invitation.user
    context = {
        "name": user.full_name,
        "board_name": board_name,
        "link": link_for(token, base_url=base_url),
        "expires_at": invitation.expires_at,
        "sign_in": base_url.rstrip("/") + reverse("login"),
    }
    body = render_to_string("portal/email/invitation.txt", context)
    EmailMessage("Set your password for the IJB Rep Portal", body, to=[to or user.email]).send()


def find(token: str) -> Invitation | None:
    if not token or len(token) > 100:
        return None
    return Invitation.objects.select_related("user").filter(token_hash=_hash(token)).first()


def reason_not_usable(invitation: Invitation | None, now: datetime | None = None) -> str | None:
    """Why the link cannot be used now, or None when it can."""
    if invitation is None:
        return "unknown"
    if invitation.status == Status.USED:
        return "used"
    if invitation.status == Status.REPLACED:
        return "replaced"
    if invitation.status == Status.WITHDRAWN or not may_be_invited(invitation.user):
        return "withdrawn"
    if invitation.expires_at <= (now or timezone.now()):
        return "expired"
    return None


@transaction.atomic
def accept(*, invitation: Invitation, password: str, now: datetime | None = None) -> User:
    """Set the account's password from the link, which then stops working.

    The password must already have passed the password validators (the form checks them).
    """
    now = now or timezone.now()
    invitation = Invitation.objects.select_for_update().select_related("user").get(pk=invitation.pk)
    # Checked again under the lock: two tabs submitting at once cannot both use one link.
    reason = reason_not_usable(invitation, now)
    if reason is not None:
        raise NotUsable(reason)
    user = User.objects.select_for_update().get(pk=invitation.user_id)
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    _move(invitation, Status.USED, now)
    return user


@transaction.atomic
def withdraw(*, user: User, now: datetime | None = None) -> bool:
    """End the pending invitation and close the account; False when nothing was pending."""
    if not may_be_invited(user):
        raise ValidationError("Only rep accounts can be given an invitation.")
    now = now or timezone.now()
    user = User.objects.select_for_update().get(pk=user.pk)
    pending = user.invitations.select_for_update().filter(status=Status.PENDING)
    if not pending:
        return False
    for invitation in pending:
        _move(invitation, Status.WITHDRAWN, now)
    user.is_active = False
    user.set_unusable_password()
    user.save(update_fields=["is_active", "password"])
    return True


# What the rep's record shows about their account.


@dataclass(frozen=True)
class AccountStatus:
    state: str  # "none", "invited", "expired", "active" or "withdrawn"
    invited_at: datetime | None = None
    expires_at: datetime | None = None

    @property
    def may_invite(self) -> bool:
        return self.state in ("none", "expired", "withdrawn")

    @property
    def may_resend(self) -> bool:
        return self.state == "invited"

    @property
    def may_withdraw(self) -> bool:
        return self.state in ("invited", "expired")


def account_status(user: User | None, now: datetime | None = None) -> AccountStatus:
    """Where a rep's account stands: not invited, invited, expired, active or withdrawn."""
    if user is None:
        return AccountStatus("none")
    latest = user.invitations.order_by("-created_at", "-pk").first()
    if latest is not None and latest.status == Status.WITHDRAWN and not user.is_active:
        return AccountStatus("withdrawn", latest.created_at, latest.ended_at)
    if user.last_login is not None or user.has_usable_password():
        return AccountStatus("active")
    if latest is not None and latest.status == Status.PENDING:
        expired = latest.expires_at <= (now or timezone.now())
        return AccountStatus(
            "expired" if expired else "invited", latest.created_at, latest.expires_at
        )
    return AccountStatus("none")
