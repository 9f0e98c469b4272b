"""Turning a rep's second sign-in step off: by the rep, or by staff when the rep lost their phone.

Only for accounts whose role does not need it (`User.second_factor_optional`); staff, national
viewers and administrators keep theirs, and an administrator resets those in the admin site.
"""

from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string

from portal.core.models import User


@transaction.atomic
def turn_off(user: User, *, by: User) -> None:
    """Remove the account's authenticator apps and stop asking it for a code.

    When staff do it for the rep, the rep is told by email: if it was not at their asking, they
    should know at once.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.second_factor_optional:
        raise PermissionDenied("This account must keep its second sign-in step.")
    user.totpdevice_set.all().delete()
    user.mfa_enabled = False
    user.save(update_fields=["mfa_enabled"])
    if by.pk != user.pk and user.email:
        body = render_to_string("portal/email/second_factor_off.txt", {"user": user})
        message = EmailMessage("Your second sign-in step was turned off", body, to=[user.email])
        transaction.on_commit(message.send)
