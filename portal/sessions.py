"""Sessions that bring their account with them, and that a process may remember.

Django reads the session in one query and the account it names in another, before a page has
done anything of its own. Here the session's row names its account in a column, so one
statement reads both. On PostgreSQL each process also remembers the sessions it read, with
their accounts, for as long as it hears of no change (`portal.core.change_notices`): a session
saved again or ended anywhere is forgotten at once, and so is every session at any change to
the records (an account's name, role or password among them). A busy page then asks the
database nothing at all.

Everything Django checks of a session still holds on every page: its expiry, that it names this
account, that the password has not changed since (`django.contrib.auth.get_user`), and that the
account may still sign in (`ModelBackend`).
"""

import contextlib
import json
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import SESSION_KEY, backends, get_user_model
from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

from portal.core import change_notices

# The most sessions one process remembers; the oldest are forgotten first.
REMEMBERED_MOST = 10_000

# The account the session just read named, taken by the lookup that follows it
# (`ModelBackend.get_user`) and then gone, so that it is never used twice.
_read_with_session: ContextVar[tuple[str, object] | None] = ContextVar(
    "read_with_session", default=None
)


@dataclass(frozen=True)
class _Remembered:
    token: str
    expires: datetime
    data: str
    account: tuple | None


# By digest of the session key (`change_notices.session_digest`), as the notices name them.
_remembered: dict[str, _Remembered] = {}


def _forget(digest: str | None) -> None:
    if digest is None:
        _remembered.clear()
    else:
        _remembered.pop(digest, None)


change_notices.listener.on_session_change(_forget)


class SessionStore(db.SessionStore):
    @classmethod
    def get_model_class(cls):
        from portal.models import Session

        return Session

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        session.user_id = data.get(SESSION_KEY)
        return session

    def load(self):
        _read_with_session.set(None)
        if not self._validate_session_key(self.session_key):
            self._session_key = None
            return {}
        digest = change_notices.session_digest(self.session_key)
        token = change_notices.token()
        remembered = _remembered.get(digest) if token is not None else None
        if remembered is None or remembered.token != token or remembered.expires <= timezone.now():
            remembered = self._read(token)
            if remembered is None:
                self._session_key = None
                return {}
            if token is not None:
                _remember(digest, remembered)
        if remembered.account is not None:
            user = get_user_model().from_db(
                router.db_for_read(self.model), _account_fields(), list(remembered.account)
            )
            _read_with_session.set((str(user.pk), user))
        return json.loads(remembered.data)

    def _read(self, token: str | None) -> _Remembered | None:
        connection = connections[router.db_for_read(self.model)]
        with connection.cursor() as cursor:
            cursor.execute(
                _statement(connection, self.model),
                [self.session_key, connection.ops.adapt_datetimefield_value(timezone.now())],
            )
            row = cursor.fetchone()
        if row is None:
            return None
        session_data, expires, *account = row
        expires = _converted(connection, [self.model._meta.get_field("expire_date")], [expires])
        return _Remembered(
            token=token or "",
            expires=expires[0],
            data=json.dumps(self.decode(session_data)),
            account=(
                tuple(_converted(connection, get_user_model()._meta.concrete_fields, account))
                if account[0] is not None
                else None
            ),
        )

    def save(self, must_create=False):
        super().save(must_create=must_create)
        _forget(change_notices.session_digest(self.session_key))

    def delete(self, session_key=None):
        key = session_key or self.session_key
        super().delete(session_key)
        if key:
            _forget(change_notices.session_digest(key))


def _remember(digest: str, remembered: _Remembered) -> None:
    if len(_remembered) >= REMEMBERED_MOST:
        # Another thread may have made room first.
        with contextlib.suppress(StopIteration, KeyError, RuntimeError):
            _remembered.pop(next(iter(_remembered)))
    _remembered[digest] = remembered


def _account_fields() -> list[str]:
    return [field.attname for field in get_user_model()._meta.concrete_fields]


def _statement(connection, session_model) -> str:
    quote = connection.ops.quote_name
    user = get_user_model()
    columns = ", ".join(f"u.{quote(field.column)}" for field in user._meta.concrete_fields)
    return (
        f"SELECT s.session_data, s.expire_date, {columns} "  # noqa: S608
        f"FROM {quote(session_model._meta.db_table)} s "
        f"LEFT JOIN {quote(user._meta.db_table)} u ON u.{quote(user._meta.pk.column)} = s.user_id "
        "WHERE s.session_key = %s AND s.expire_date > %s"
    )


def _converted(connection, fields, values) -> list:
    """The values of `fields` as the ORM gives them, from what the database sent."""
    values = list(values)
    for index, field in enumerate(fields):
        column = field.get_col(field.model._meta.db_table)
        for convert in connection.ops.get_db_converters(column) + field.get_db_converters(
            connection
        ):
            values[index] = convert(values[index], column, connection)
    return values


class ModelBackend(backends.ModelBackend):
    """Django's, taking the account the session's own query read where it can."""

    def get_user(self, user_id):
        read = _read_with_session.get()
        _read_with_session.set(None)
        if read is None or read[0] != str(user_id):
            return super().get_user(user_id)
        user = read[1]
        return user if self.user_can_authenticate(user) else None
