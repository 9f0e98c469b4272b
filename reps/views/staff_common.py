"""What every staff screen for reps, seats, terms and meetings shares.

Objects come from `reps.access` (404 outside the staff member's boards); changing anything
also needs `can_manage_reps` on the object's board. A staff member who can see a board's records
but not change them is refused with 403: they already know the object exists, so 404 would hide
nothing and only confuse.
"""

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import Paginator

from portal.core.access import Permission
from reps import access as scoping

PER_PAGE = 25


def require_manage_reps(user, board) -> None:
    if not scoping.can_manage_reps(user, board):
        raise PermissionDenied


def managed_boards(user):
    """Boards where the staff member may change records; 403 when there are none."""
    boards = scoping.boards_with_permission(user, Permission.MANAGE_REPS)
    if not boards.exists():
        raise PermissionDenied
    return boards


def show_errors(form, error: ValidationError, *, rename: dict[str, str] | None = None) -> None:
    """Put a service's validation errors on the form, so the page says what to change.

    An error about a field the form does not show (the seat, say) goes to the top of the form,
    in the error summary, rather than being lost.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        field = (rename or {}).get(field, field)
        target = field if field in form.fields else None
        if field == NON_FIELD_ERRORS:
            target = None
        for message in messages:
            form.add_error(target, message)


def paginate(request, items):
    """The page of `items` the query string asks for; a page out of range gives the last."""
    return Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
