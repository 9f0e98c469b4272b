"""Each person's menu and home page offer only what they may do: no link leads to a 403 or a 404.

Finance used to see "Claims to approve", "Import" and "Appoint a rep" and be turned away; approvers
saw "Payments". Now the menu is built from the person's permissions on their boards, and every
staff page carries it, with breadcrumbs.
"""

from datetime import date, timedelta
from html.parser import HTMLParser
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.core.access import Permission, has_board_permission, permissions_by_board
from portal.core.models import Board
from tests.access_matrix import ROUTES, route_url
from tests.access_policy import POLICY
from tests.conftest import sign_in
from tests.expenses_staff_fixtures import approved_claim, board_policy, submitted_claim
from tests.factories import GroupFactory, MeetingFactory, SeatFactory, TermFactory


class Links(HTMLParser):
    """The links of a page: every one, those in the site navigation, those in the main content."""

    def __init__(self):
        super().__init__()
        self.menu: list[tuple[str, str]] = []
        self.main: list[str] = []
        self.every: list[str] = []
        self.landmarks: list[str] = []
        self._in_menu = 0
        self._in_main = False
        self._href: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav":
            self.landmarks.append(attrs.get("aria-label", ""))
            if "ds_site-navigation" in (attrs.get("class") or "").split():
                self._in_menu += 1
        if tag == "main":
            self._in_main = True
        if tag == "a" and attrs.get("href"):
            self._href, self._text = attrs["href"], ""
            self.every.append(attrs["href"])
            if self._in_main:
                self.main.append(attrs["href"])

    def handle_data(self, data):
        if self._href is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            if self._in_menu:
                self.menu.append((self._text.strip(), self._href))
            self._href = None
        if tag == "nav" and self._in_menu:
            self._in_menu -= 1
        if tag == "main":
            self._in_main = False


def links_of(response) -> Links:
    parser = Links()
    parser.feed(response.content.decode())
    return parser


def menu_labels(client, url="/home/") -> list[str]:
    # The menu is on the page twice, for a phone and for a wider screen, with the same links.
    labels = [label for label, _ in links_of(client.get(url, follow=True)).menu]
    half = len(labels) // 2
    assert labels[:half] == labels[half:]
    return labels[:half]


@pytest.fixture
def busy_board(board_a, rep_a1, rep_a2, staff_a):
    """Board A with something on every part of the home pages: claims waiting for a decision
    and for payment, a term ending with nobody to follow, a vacancy and late papers."""
    board_policy(board_a)
    submitted_claim(rep_a1)
    approved_claim(rep_a2, staff_a)
    group = GroupFactory(board=board_a, name="Integration Joint Board")
    today = timezone.localdate()
    TermFactory(
        seat=SeatFactory(group=group), start=today - timedelta(days=1000), planned_end=today
    )
    SeatFactory(group=group, title="Empty seat")
    MeetingFactory(
        group=group, date=today - timedelta(days=5), papers_issued_on=today - timedelta(days=7)
    )
    return board_a


WALKERS = [
    "rep_a1",
    "staff_a",
    "staff_rep_a",
    "staff_a_rep_b",
    "finance_a",
    "approver_a",
    "manager_a",
    "national_viewer",
    "administrator",
]


def _internal(href: str) -> bool:
    parts = urlsplit(href)
    return not parts.scheme and not parts.netloc and parts.path.startswith("/")


@pytest.mark.parametrize("persona", WALKERS)
def test_no_link_in_the_menu_or_on_the_home_page_is_refused(client, busy_board, persona, request):
    user = request.getfixturevalue(persona)
    sign_in(client, user)
    # Administrators' home is the Django admin, which has a menu of its own; their site menu is
    # on every page of the portal, such as the password page.
    page = client.get("/account/password/" if persona == "administrator" else "/home/", follow=True)
    assert page.status_code == 200
    found = links_of(page)
    assert found.menu, f"{persona} has no menu"
    hrefs = {href for _, href in found.menu} | {href for href in found.main if _internal(href)}
    refused = {}
    for href in sorted(hrefs):
        status = client.get(href).status_code
        if status in (403, 404):
            refused[href] = status
    assert not refused, f"{persona} is offered links that refuse them: {refused}"


def test_finance_see_payments_and_nothing_they_would_be_refused(client, finance_a):
    sign_in(client, finance_a)
    assert menu_labels(client) == [
        "What needs doing",
        "Pay claims",
        "Self-assessment",
        "National comparison",
        "Reports",
    ]


def test_approvers_see_claims_to_approve_but_not_payments(client, approver_a):
    sign_in(client, approver_a)
    assert menu_labels(client) == [
        "What needs doing",
        "Claims to approve",
        "Self-assessment",
        "National comparison",
        "Reports",
    ]


def test_staff_who_manage_reps_see_the_reps_record_import_and_export(client, manager_a):
    sign_in(client, manager_a)
    assert menu_labels(client) == [
        "What needs doing",
        "Reps",
        "Seats and vacancies",
        "Interest and the pool",
        "Terms and induction",
        "Meetings",
        "Training",
        "Documents",
        "Self-assessment",
        "National comparison",
        "Reports",
        "Import",
        "Export",
    ]


def test_staff_with_every_permission_see_every_staff_page(client, staff_a):
    sign_in(client, staff_a)
    labels = menu_labels(client)
    assert {"Claims to approve", "Pay claims", "Import", "Reps"} <= set(labels)


def test_a_rep_sees_their_own_pages(client, rep_a1):
    sign_in(client, rep_a1)
    assert menu_labels(client) == [
        "Your home page",
        "Your expense claims",
        "Your meetings",
        "Your details",
        "Your documents",
        "Your board's self-assessment",
    ]


def test_a_national_viewer_sees_the_national_picture(client, national_viewer):
    sign_in(client, national_viewer)
    assert menu_labels(client) == ["The national picture", "Self-assessment comparison"]


def test_nobody_signed_out_has_a_menu(client, db):
    assert not links_of(client.get("/")).menu


def test_finance_home_offers_no_appointing_and_no_approving(client, busy_board, finance_a):
    sign_in(client, finance_a)
    page = client.get(reverse("staff_home")).content.decode()
    assert "Appoint" not in page
    assert reverse("expenses:staff_claims") not in page
    assert reverse("reps:import_start") not in page


def test_the_current_page_is_marked_in_the_menu(client, staff_a):
    sign_in(client, staff_a)
    page = client.get(reverse("expenses:staff_claims")).content.decode()
    assert (
        'class="ds_site-navigation__link ds_current" href="/staff/claims/" aria-current="page"'
        in page
    )


def test_the_menu_opens_on_a_phone_without_javascript(client, staff_a):
    """The design system's checkbox opens the menu before (or without) its script."""
    sign_in(client, staff_a)
    page = client.get(reverse("staff_home")).content.decode()
    assert '<input class="ds_site-navigation__toggle" id="menu" type="checkbox">' in page
    assert 'for="menu"' in page
    assert 'id="mobile-navigation"' in page


@pytest.mark.parametrize(
    "persona", ["staff_a", "staff_b", "staff_rep_a", "staff_a_rep_b", "finance_a", "approver_a"]
)
def test_the_menus_permissions_are_has_board_permission(board_a, board_b, persona, request):
    user = request.getfixturevalue(persona)
    held = permissions_by_board(user)
    for board in Board.objects.all():
        for permission in Permission:
            assert (permission in held.get(board, frozenset())) == has_board_permission(
                user, board, permission
            ), (board, permission)


def test_someone_not_staff_holds_no_board_permissions(rep_a1, national_viewer, administrator):
    for user in (rep_a1, national_viewer, administrator):
        assert permissions_by_board(user) == {}


# Every staff page carries the menu and breadcrumbs.


def _staff_pages():
    for name, rule in POLICY.items():
        route = ROUTES.get(name)
        staff_may_open = rule.method == "get" and rule.expected.get("staff_a") == 200
        if route and route.startswith("staff/") and staff_may_open:
            yield name


STAFF_PAGES = sorted(_staff_pages())


def test_the_walk_reaches_the_pages_that_had_no_navigation():
    for name in ("expenses:staff_claims", "reps:import_start", "reps:export", "staff_board"):
        assert name in STAFF_PAGES


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_every_staff_page_has_the_menu_and_breadcrumbs(client, personas, board_a, board_b, name):
    rule = POLICY[name]
    context = SimpleNamespace(board_a=board_a, board_b=board_b, personas=personas)
    url = route_url(ROUTES[name], rule.kwargs(context) if rule.kwargs else None)
    sign_in(client, personas.staff_a)
    response = client.get(url)
    assert response.status_code == 200, url
    if not response["Content-Type"].startswith("text/html"):
        return  # a download
    found = links_of(response)
    assert "Menu" in found.landmarks, url
    assert ("What needs doing", reverse("staff_home")) in found.menu, url
    if name != "staff_home":
        assert "Breadcrumb" in found.landmarks, url


def test_the_staff_home_has_no_breadcrumbs_of_its_own(client, staff_a):
    # It is where every trail starts.
    sign_in(client, staff_a)
    assert "Breadcrumb" not in links_of(client.get(reverse("staff_home"))).landmarks


def test_a_staff_page_below_a_menu_item_marks_its_section(client, staff_a, board_a):
    sign_in(client, staff_a)
    seat = SeatFactory(group=GroupFactory(board=board_a), created_on=date(2024, 1, 1))
    page = client.get(reverse("reps:staff_term_appoint", args=[seat.pk])).content.decode()
    assert 'href="/staff/seats/" aria-current="true"' in page


def test_finance_opening_a_claim_to_pay_are_offered_no_link_that_refuses_them(
    client, busy_board, finance_a
):
    sign_in(client, finance_a)
    payments = client.get(reverse("expenses:staff_board_payments", args=[busy_board.slug]))
    claim_links = [href for href in links_of(payments).main if href.startswith("/staff/claims/")]
    assert claim_links
    claim_page = client.get(claim_links[0])
    assert claim_page.status_code == 200
    refused = {
        href: status
        for href in links_of(claim_page).every
        if _internal(href) and (status := client.get(href).status_code) in (403, 404)
    }
    assert not refused
