"""Who may reach which pages: one decorator per role, each turning the wrong role away.

Objects are scoped separately, in `portal.scoping`, so that an object outside a user's reach
answers 404 whatever the role.
"""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied

from portal.models import User


def role_required(*roles: str) -> Callable:
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.user.role not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


rep_required = role_required(User.Role.REP)
staff_required = role_required(User.Role.STAFF)
national_viewer_required = role_required(User.Role.NATIONAL_VIEWER)
administrator_required = role_required(User.Role.ADMINISTRATOR)
