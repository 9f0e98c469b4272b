"""The people every test can call on, as in the user's story.

Board A is East Dunbartonshire, board B is Fife (both loaded by the boards migration).
Reps A1 and A2 sit on board A, rep B1 on board B; staff A and staff B support one board each.
"""

import importlib
import os
from contextlib import contextmanager
from dataclasses import dataclass, fields

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django_otp import DEVICE_ID_SESSION_KEY
from pytest_django.plugin import blocking_manager_key

from portal.core import change_notices
from portal.core.boards import ensure_integration_authorities
from portal.core.models import Board, User
from tests.browser import browser, page  # noqa: F401 - fixtures for browser tests
from tests.expenses_staff_fixtures import board_policy, staff_member
from tests.factories import (
    RepFactory,
    StaffMembershipFactory,
    UserFactory,
    confirmed_totp_device,
)


def pytest_configure(config):
    # CI asks for PostgreSQL: a run that quietly fell back to SQLite would prove less.
    required = os.environ.get("REQUIRE_DATABASE")
    if required:
        from django.conf import settings

        engine = settings.DATABASES["default"]["ENGINE"]
        if required not in engine:
            raise pytest.UsageError(f"This run needs {required}, but the database is {engine}.")


@contextmanager
def rolled_back_afterwards(django_db_blocker, seed):
    """Data shared by a module's or class's tests (the demo, say), made by `seed` and rolled back
    when they are done; the context gives what `seed` returns.

    Each test's own transaction is a savepoint inside this one. On PostgreSQL the tables are
    analysed once the data is in (inside the transaction, so the planner knows how full they
    are: planned for empty tables, a join over the demo's responses took minutes), and the dead
    rows the demo leaves behind are vacuumed away and the tables analysed again afterwards.
    """
    postgresql = connection.vendor == "postgresql"
    with django_db_blocker.unblock():
        with transaction.atomic():
            made = seed()
            if postgresql:
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            yield made
            transaction.set_rollback(True)
        if postgresql:
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")


def restore_migration_data():
    """Put back the rows the migrations load (the 31 boards, the national induction items and
    the first edition of the framework) where a flush has emptied them."""
    from django.apps import apps

    from reps.models import InductionItemTemplate
    from standards import loading
    from standards.models import AreaForDevelopment, Framework, Recommendation

    ensure_integration_authorities(Board)
    if not InductionItemTemplate.objects.filter(board=None).exists():
        importlib.import_module("reps.migrations.0003_national_induction_items").add_national_items(
            apps, None
        )
    loading.install(
        loading.read(loading.FIRST_EDITION),
        Framework=Framework,
        Recommendation=Recommendation,
        AreaForDevelopment=AreaForDevelopment,
    )


def pytest_xdist_make_scheduler(config, log):
    """Workers take the tests a file at a time (`--dist loadfile`), so that a file's shared
    fixtures are made once, and the files of `tests/demo/` as one, so that the demo is loaded
    once."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class TheDemoAsOneFile(LoadFileScheduling):
        def _split_scope(self, nodeid):
            if nodeid.startswith("tests/demo/"):
                return "tests/demo/"
            return super()._split_scope(nodeid)

    return TheDemoAsOneFile(config, log)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A test on real transactions (a browser test's live server) ends with every table emptied,
    the migrations' own rows too. Once its fixtures are torn down they are put back, so that the
    tests after it, in whatever order they run, find the database as migrated."""
    result = yield
    marker = item.get_closest_marker("django_db")
    flushed = {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())) or (
        marker is not None and marker.kwargs.get("transaction")
    )
    # After the last test the test database itself is gone.
    if flushed and nextitem is not None:
        with item.config.stash[blocking_manager_key].unblock():
            restore_migration_data()
    return result


@pytest.fixture(autouse=True)
def fresh_cache():
    """Pages keep what they worked out (the national comparison, the annual summary) under keys
    made of ids and the day; two tests can make the same ids on the same frozen day with other
    figures, so no test sees what another kept."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def working_everything_out(monkeypatch):
    """Pages work out everything they show on each request, as on the first request after a
    change: what the query counts measure, whichever database the tests run on (on PostgreSQL a
    test's own open transaction already keeps pages from keeping anything)."""
    monkeypatch.setattr("portal.core.record_changes.records_version", lambda using="default": None)


@pytest.fixture(autouse=True)
def site_url_is_the_live_server(request):
    """Emails link to SITE_URL: in a browser test, that is the test server the browser talks to."""
    if "live_server" in request.fixturenames:
        settings = request.getfixturevalue("settings")
        settings.SITE_URL = request.getfixturevalue("live_server").url


@pytest.fixture
def board_a(db):
    ensure_integration_authorities(Board)
    return Board.objects.get(slug="east-dunbartonshire-ijb")


@pytest.fixture
def board_b(db):
    ensure_integration_authorities(Board)
    return Board.objects.get(slug="fife-ijb")


@pytest.fixture
def rep_a1(board_a):
    return RepFactory(board=board_a, user__email="rep.a1@example.org", full_name="Alice Rep").user


@pytest.fixture
def rep_a2(board_a):
    return RepFactory(board=board_a, user__email="rep.a2@example.org", full_name="Amir Rep").user


@pytest.fixture
def rep_b1(board_b):
    return RepFactory(board=board_b, user__email="rep.b1@example.org", full_name="Beth Rep").user


def _staff(board, email):
    membership = StaffMembershipFactory(board=board, user__email=email)
    confirmed_totp_device(membership.user)
    return membership.user


@pytest.fixture
def staff_a(board_a):
    return _staff(board_a, "staff.a@example.org")


@pytest.fixture
def staff_b(board_b):
    return _staff(board_b, "staff.b@example.org")


@pytest.fixture
def staff_rep_a(board_a):
    """Staff of board A who also hold a rep's seat on board A, with a rep record of their own."""
    user = _staff(board_a, "staff.rep.a@example.org")
    RepFactory(board=board_a, user=user, full_name="Sam Staff-Rep")
    return user


@pytest.fixture
def staff_a_rep_b(board_a, board_b):
    """Staff of board A whose account is also linked to a rep record of board B: a rep on their
    home board who works for a neighbouring partnership. Board B's records stay out of reach."""
    user = _staff(board_a, "staff.a.rep.b@example.org")
    RepFactory(board=board_b, user=user, full_name="Kit Neighbour")
    return user


@pytest.fixture
def finance_a(board_a):
    """HSCP finance for board A: they pay approved claims and do nothing else."""
    return staff_member(board_a, "finance.a@example.org", can_pay_claims=True)


@pytest.fixture
def approver_a(board_a):
    """Staff of board A who approve claims and do nothing else."""
    return staff_member(board_a, "approver.a@example.org", can_approve_claims=True)


@pytest.fixture
def manager_a(board_a):
    """Staff of board A who manage the reps record and do nothing else."""
    return staff_member(board_a, "manager.a@example.org", can_manage_reps=True)


@pytest.fixture
def policies_a_and_b(board_a, board_b):
    """Boards A and B each with an expenses policy, as reps need before they can claim."""
    board_policy(board_a)
    board_policy(board_b)


@pytest.fixture
def national_viewer(db):
    user = UserFactory(email="national@example.org", role=User.Role.NATIONAL_VIEWER)
    confirmed_totp_device(user)
    return user


@pytest.fixture
def administrator(db):
    user = UserFactory(
        email="admin@example.org",
        role=User.Role.ADMINISTRATOR,
        is_staff=True,
        is_superuser=True,
    )
    confirmed_totp_device(user)
    return user


def sign_in(client, user):
    """Sign the test client in as `user`, second factor verified where their role needs one."""
    client.force_login(user)
    device = user.totpdevice_set.filter(confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def staff_client(client, staff_a):
    """The test client signed in as staff of board A, second factor verified."""
    return sign_in(client, staff_a)


@pytest.fixture
def ijb(board_a):
    """Board A's Integration Joint Board itself, as a group that seats and meetings belong to."""
    from tests.factories import GroupFactory

    return GroupFactory(board=board_a, name="Integration Joint Board", kind="board")


@dataclass
class Personas:
    anonymous: None
    rep_a1: User
    rep_a2: User
    rep_b1: User
    staff_a: User
    staff_b: User
    national_viewer: User
    administrator: User
    staff_rep_a: User
    staff_a_rep_b: User

    def items(self):
        return vars(self).items()


@pytest.fixture
def personas(request, db):
    """Every persona of the access matrix, each made by the fixture of its name."""
    return Personas(
        **{
            persona.name: None
            if persona.name == "anonymous"
            else request.getfixturevalue(persona.name)
            for persona in fields(Personas)
        }
    )


@pytest.fixture(scope="session", autouse=True)
def change_notices_stop_listening(django_db_setup, django_db_blocker):
    """A process that heard of changes holds a connection of its own to the test database, which
    would keep it from being dropped at the end."""
    yield
    change_notices.listener.close()
