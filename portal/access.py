"""The rows of a person's own account that the sign-in pages reach: their second-factor devices,
and the permissions their staff memberships give them, which the menu is built from.

Kept here, beside the apps' own access modules, so every filter through a user relation sits in
one kind of module that a reader can check.
"""

from typing import Any

from django.db.models import QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.core.access import Permission
from portal.core.models import Board, StaffMembership, User


def devices_of(user: User, *, confirmed: bool | None = None) -> QuerySet[Any]:
    """The person's authenticator apps; `confirmed` narrows to those set up, or those not yet."""
    devices: QuerySet[Any] = TOTPDevice.objects.filter(user=user)
    return devices if confirmed is None else devices.filter(confirmed=confirmed)


def permissions_by_board(user: User) -> dict[Board, frozenset[Permission]]:
    """For each of a staff member's boards, by name, the permissions they hold there.

    The same answer as `has_board_permission` for every board and permission (a test holds them
    together), in one query rather than one per board and permission: the menu needs it on
    every page.
    """
    if user.role != User.Role.STAFF:
        return {}
    memberships = (
        StaffMembership.objects.filter(user=user).select_related("board").order_by("board__name")
    )
    return {
        membership.board: frozenset(
            permission for permission in Permission if getattr(membership, permission.value)
        )
        for membership in memberships
    }
