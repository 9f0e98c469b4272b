"""What every page knows: the service's name and settings, and the menu of the person signed in.

The menu is decided here and nowhere else. A person sees only the pages they may open, so no link
in it leads to a refusal: what staff may do comes from their permissions board by board
(`portal.core.access.abilities`, the same answer as `has_board_permission` in one query a request),
everything else from the person's role. The home pages ask `abilities` the same question, so the
links they offer agree with the menu.
"""

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from portal.core.access import Permission, abilities
from portal.core.models import User


def service(request):
    return {
        "service_name": "IJB Rep Portal",
        "require_mfa": settings.REQUIRE_MFA,
        "demo_mode": settings.DEMO_MODE,
    }


@dataclass(frozen=True)
class MenuItem:
    label: str
    url: str
    # "page" on the item's own page, "true" on the pages below it, else empty: aria-current.
    current: str = ""


def _item(request: HttpRequest, label: str, name: str, *, home: bool = False) -> MenuItem:
    url = reverse(name)
    if request.path == url:
        return MenuItem(label, url, "page")
    # A home page is an item of its own, not the section every other page sits in.
    if not home and request.path.startswith(url):
        return MenuItem(label, url, "true")
    return MenuItem(label, url)


# Staff pages, each with the permission that opens it. Everything in the reps record is changed
# by staff who manage reps; those without it reach what they need from claims.
STAFF_PAGES: list[tuple[str, str, Permission | None]] = [
    ("What needs doing", "staff_home", None),
    ("Reps", "reps:staff_rep_list", Permission.MANAGE_REPS),
    ("Seats and vacancies", "reps:staff_seat_list", Permission.MANAGE_REPS),
    ("Interest and the pool", "reps:staff_interest_list", Permission.MANAGE_REPS),
    ("Terms and induction", "reps:staff_term_list", Permission.MANAGE_REPS),
    ("Meetings", "reps:staff_meeting_list", Permission.MANAGE_REPS),
    ("Training", "reps:staff_training_list", Permission.MANAGE_REPS),
    ("Documents", "reps:staff_document_list", Permission.MANAGE_REPS),
    ("Claims to approve", "expenses:staff_claims", Permission.APPROVE_CLAIMS),
    ("Pay claims", "expenses:staff_payments", Permission.PAY_CLAIMS),
    # Every staff member of a board sees its self-assessment; only its lead scores it.
    ("Self-assessment", "standards:assessment_list", None),
    # Every board's published scores side by side, theirs marked.
    ("National comparison", "standards:comparison", None),
    # Their boards' annual summaries, which name nobody.
    ("Reports", "reports:summary_list", None),
    ("Import", "reps:import_start", Permission.MANAGE_REPS),
    ("Export", "reps:export", Permission.MANAGE_REPS),
]

REP_PAGES = [
    ("Your home page", "rep_home"),
    ("Your expense claims", "expenses:my_claims"),
    ("Your meetings", "reps:my_meetings"),
    ("Your details", "reps:my_details"),
    ("Your documents", "reps:my_documents"),
    ("Your board's self-assessment", "standards:assessment_list"),
]


def menu_items(request: HttpRequest) -> list[MenuItem]:
    """The site navigation for the person signed in; empty for anyone signed out."""
    role = getattr(request.user, "role", "")
    if role == User.Role.STAFF:
        held = abilities(request)
        return [
            _item(request, label, name, home=name == "staff_home")
            for label, name, permission in STAFF_PAGES
            if permission is None or held.anywhere(permission)
        ]
    if role == User.Role.REP:
        return [_item(request, label, name, home=name == "rep_home") for label, name in REP_PAGES]
    if role == User.Role.NATIONAL_VIEWER:
        return [
            _item(request, "The national picture", "national_home", home=True),
            _item(request, "Self-assessment comparison", "standards:comparison"),
        ]
    if role == User.Role.ADMINISTRATOR:
        return [_item(request, "Administration", "admin:index", home=True)]
    return []


def menu(request: HttpRequest) -> dict[str, object]:
    # Lazy: a response that shows no menu (a file download) asks nothing of the database.
    return {"menu": SimpleLazyObject(lambda: menu_items(request))}
