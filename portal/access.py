"""The rows of a person's own account that the sign-in pages reach: their second-factor devices.

Kept here, beside the apps' own access modules, so every filter through a user relation sits in
one kind of module that a reader can check.
"""

from typing import Any

from django.db.models import QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.core.models import User


def devices_of(user: User, *, confirmed: bool | None = None) -> QuerySet[Any]:
    """The person's authenticator apps; `confirmed` narrows to those set up, or those not yet."""
    devices: QuerySet[Any] = TOTPDevice.objects.filter(user=user)
    return devices if confirmed is None else devices.filter(confirmed=confirmed)
