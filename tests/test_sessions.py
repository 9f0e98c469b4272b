"""A signed-in page reads its session and account in one query, and on PostgreSQL none at all once
the process remembers them; anything done elsewhere (a sign-out, an account switched off, a
password changed) counts on the very next page (`portal.sessions`, `portal.core.change_notices`).

"Elsewhere" is another connection to the database, as another process of the portal has: it
writes behind this process's back, so only the database's notice can tell it.
"""

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import HASH_SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from psycopg import sql

from portal import sessions
from portal.core import change_notices
from portal.models import Session
from portal.sessions import SessionStore
from standards.states import AssessmentStatus
from tests.conftest import sign_in
from tests.factories import UserFactory
from tests.state_machines import run_machines
from tests.test_standards_comparison import make_assessment


def signed_in(client: Client) -> bool:
    """Whether the client's session still opens a page only a signed-in rep may see."""
    response = client.get(reverse("rep_home"))
    assert response.status_code in (200, 302)
    return response.status_code == 200


def needs_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("Only PostgreSQL sends notices of changes; SQLite is asked every time.")


@pytest.fixture
def elsewhere():
    """A connection of another process, writing straight to the database."""
    other = connection.get_new_connection(connection.get_connection_params())
    other.autocommit = True
    yield other
    other.close()


def heard(news) -> bool:
    """Whether `news()` is true once this process has heard of every change committed so far."""
    change_notices.listener.catch_up()
    return news()


def test_a_signed_in_page_reads_the_session_and_its_account_in_one_query(client, rep_a1):
    sign_in(client, rep_a1)
    client.get(reverse("accessibility"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("accessibility"))
    assert response.context["user"] == rep_a1
    assert len(queries) == 1
    assert "portal_session" in queries[0]["sql"] and "portal_user" in queries[0]["sql"]


def test_each_session_names_its_account_and_ends_with_it(client, db):
    person = UserFactory()
    sign_in(client, person)
    assert Session.objects.get().user == person
    person.delete()
    assert not Session.objects.exists()


def test_signing_out_ends_the_session(client, rep_a1):
    sign_in(client, rep_a1)
    assert signed_in(client)
    client.post(reverse("logout"))
    assert not signed_in(client)


def test_an_account_switched_off_is_signed_out(client, rep_a1):
    sign_in(client, rep_a1)
    assert signed_in(client)
    rep_a1.is_active = False
    rep_a1.save()
    assert not signed_in(client)


@pytest.mark.django_db(transaction=True)
def test_a_remembered_session_costs_no_query(rep_a1):
    needs_postgresql()
    client = sign_in(Client(), rep_a1)
    # What signing in wrote, heard of now rather than between the two pages.
    change_notices.listener.catch_up()
    client.get(reverse("accessibility"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("accessibility"))
    assert response.context["user"] == rep_a1
    assert response.context["user"] is not rep_a1
    assert len(queries) == 0


@pytest.mark.django_db(transaction=True)
def test_each_page_has_its_own_copy_of_the_account(rep_a1):
    needs_postgresql()
    client = sign_in(Client(), rep_a1)
    first = client.get(reverse("accessibility")).context["user"]
    first.full_name = "Changed in memory only"
    again = client.get(reverse("accessibility")).context["user"]
    assert again.full_name == rep_a1.full_name


@pytest.mark.django_db(transaction=True)
def test_a_session_ended_elsewhere_is_forgotten_as_soon_as_the_news_arrives(rep_a1, elsewhere):
    needs_postgresql()
    client = sign_in(Client(), rep_a1)
    change_notices.listener.catch_up()
    assert signed_in(client)
    key = client.cookies["sessionid"].value
    digest = change_notices.session_digest(key)
    assert digest in sessions._remembered

    elsewhere.execute("DELETE FROM portal_session WHERE session_key = %s", [key])
    assert heard(lambda: digest not in sessions._remembered)
    assert not signed_in(client)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("column", "value"),
    [("is_active", False), ("password", make_password("a new one"))],
    ids=["switched off", "password changed"],
)
def test_an_account_changed_elsewhere_is_read_again(rep_a1, elsewhere, column, value):
    needs_postgresql()
    client = sign_in(Client(), rep_a1)
    assert signed_in(client)
    before = change_notices.token()

    elsewhere.execute(
        sql.SQL("UPDATE portal_user SET {} = %s WHERE id = %s").format(sql.Identifier(column)),
        [value, rep_a1.pk],
    )
    assert heard(lambda: change_notices.token() != before)
    assert not signed_in(client)


@pytest.mark.django_db(transaction=True)
def test_a_process_that_stops_hearing_trusts_nothing_it_remembered(rep_a1, elsewhere):
    needs_postgresql()
    client = sign_in(Client(), rep_a1)
    assert signed_in(client)
    key = client.cookies["sessionid"].value

    # The connection is cut; the session then ends elsewhere, and nobody can say so.
    change_notices.listener._connection.pgconn.finish()
    elsewhere.execute("DELETE FROM portal_session WHERE session_key = %s", [key])
    assert not signed_in(client)
    # It listens again from the next page on.
    assert change_notices.token() is not None


@pytest.mark.django_db(transaction=True)
def test_nothing_is_remembered_without_notices(rep_a1, settings):
    needs_postgresql()
    settings.CHANGE_NOTICES = False
    client = sign_in(Client(), rep_a1)
    client.get(reverse("accessibility"))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("accessibility"))
    assert len(queries) == 1


@pytest.mark.django_db(transaction=True)
def test_the_comparison_is_sent_again_as_kept_until_a_board_publishes_elsewhere(
    board_a, board_b, national_viewer, elsewhere
):
    needs_postgresql()
    make_assessment(board_a, staff=3, reps=3)
    draft = make_assessment(board_b, staff=2, reps=1, status=AssessmentStatus.DRAFT)
    client = sign_in(Client(), national_viewer)
    url = reverse("standards:comparison")
    client.get(url)  # a browser holds the CSRF cookie from its first page on
    change_notices.listener.catch_up()
    first = client.get(url).content.decode()
    with CaptureQueriesContext(connection) as queries:
        kept = client.get(url).content.decode()
    assert kept == first
    # Only the second factor is read: the page, the session and the account are remembered.
    assert all("otp_totp" in query["sql"] for query in queries)

    before = change_notices.token()
    elsewhere.execute(
        "UPDATE standards_assessment SET status = %s, published_at = now() WHERE id = %s",
        [AssessmentStatus.PUBLISHED, draft.pk],
    )
    assert heard(lambda: change_notices.token() != before)
    assert client.get(url).content.decode() != kept


# Whatever happens to sessions and accounts, here or elsewhere, the next page knows


class SessionsEverywhere(RuleBasedStateMachine):
    """People sign in from several browsers; sessions end and accounts are switched off and on
    and get new passwords, in this process or in another. After every step, each browser's next
    page is signed in exactly when the database says it should be."""

    def __init__(self, *, people, elsewhere):
        super().__init__()
        self.people, self.elsewhere = people, elsewhere
        self.browsers: list[Client] = []
        self.remembered = 0

    def teardown(self):
        for person in self.people:
            person.refresh_from_db()
            person.is_active = True
            person.save()
        Session.objects.all().delete()

    @rule(who=st.integers(0, 1))
    def signs_in(self, who):
        self.browsers.append(sign_in(Client(), self.people[who]))

    @rule(data=st.data())
    def signs_out(self, data):
        if self.browsers:
            data.draw(st.sampled_from(self.browsers)).post(reverse("logout"))

    @rule(data=st.data())
    def session_ends_elsewhere(self, data):
        if self.browsers:
            key = _session_key(data.draw(st.sampled_from(self.browsers)))
            self.elsewhere.execute("DELETE FROM portal_session WHERE session_key = %s", [key])

    @rule(data=st.data())
    def session_runs_out_elsewhere(self, data):
        if self.browsers:
            key = _session_key(data.draw(st.sampled_from(self.browsers)))
            self.elsewhere.execute(
                "UPDATE portal_session SET expire_date = now() WHERE session_key = %s", [key]
            )

    @rule(who=st.integers(0, 1), active=st.booleans())
    def account_switched_elsewhere(self, who, active):
        self.elsewhere.execute(
            "UPDATE portal_user SET is_active = %s WHERE id = %s", [active, self.people[who].pk]
        )

    @rule(who=st.integers(0, 1))
    def password_changed_elsewhere(self, who):
        self.elsewhere.execute(
            "UPDATE portal_user SET password = %s WHERE id = %s",
            [make_password(f"another {len(self.browsers)}"), self.people[who].pk],
        )

    @invariant()
    def each_browser_is_signed_in_exactly_when_the_database_says(self):
        change_notices.listener.catch_up()
        for browser in self.browsers:
            expected = _signed_in_by_the_database(browser)
            assert _signed_in_as(browser) == expected
            if expected is not None:
                with CaptureQueriesContext(connection) as queries:
                    assert _signed_in_as(browser) == expected
                self.remembered += not queries


def _session_key(browser: Client) -> str:
    cookie = browser.cookies.get(django_settings.SESSION_COOKIE_NAME)
    return cookie.value if cookie else ""


def _signed_in_as(browser: Client) -> int | None:
    user = browser.get(reverse("accessibility")).context["user"]
    return user.pk if user.is_authenticated else None


def _signed_in_by_the_database(browser: Client) -> int | None:
    """Who the browser's session signs in, read straight from the tables."""
    session = Session.objects.filter(
        session_key=_session_key(browser), expire_date__gt=timezone.now()
    ).first()
    if session is None or session.user is None:
        return None
    data = SessionStore().decode(session.session_data)
    account = session.user
    if not account.is_active or data.get(HASH_SESSION_KEY) != account.get_session_auth_hash():
        return None
    return account.pk


@pytest.mark.django_db(transaction=True)
def test_every_page_knows_what_happened_to_its_session_wherever_it_happened(
    rep_a1, rep_a2, elsewhere
):
    needs_postgresql()
    machines = run_machines(
        lambda: SessionsEverywhere(people=[rep_a1, rep_a2], elsewhere=elsewhere),
        examples=15,
        steps=12,
    )
    # Remembered sessions were tried, not only sessions read afresh.
    assert sum(machine.remembered for machine in machines) > 0
