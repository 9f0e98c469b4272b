"""Word from PostgreSQL that records or sessions changed, so that a process may keep what it read
in its own memory and never use it after a change.

Asking the database whether anything changed costs a round trip on every page. Instead, when a
transaction that changed the portal's records commits, the triggers of `record_changes` send a
notice on `RECORDS`; when a session is saved again or ends, its table sends a digest of its key
on `SESSIONS`. Each process listens on a connection of its own and reads what has arrived before
it trusts anything it kept, which costs a system call and no round trip.

`token()` names the state of the records as this process knows it: it changes with every notice
of a change, every write the process makes itself (without waiting for its own notice), and
every time it starts or stops hearing. It is None, and nothing kept in memory may be used, when:
- the database is not PostgreSQL (SQLite has no notices; `record_changes` asks it instead), or
  `settings.CHANGE_NOTICES` is off;
- the listening connection is lost, or has not answered its check within `CHECK_SECONDS`
  (a connection cut without a word would otherwise leave the process deaf);
- the portal's own connection is inside a transaction, whose changes nobody has heard of yet.

The process that made a change counts it at once. The others hear of it a moment after the
commit (well under a millisecond on one network): a page one of them serves in that moment is
the page from before the change, as it would be had the request come a moment earlier.
"""

import contextlib
import hashlib
import os
import re
import threading
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.signals import connection_created

RECORDS = "portal_records"
SESSIONS = "portal_sessions"
# How often the listening connection is asked to answer, and so the longest a process can
# go on trusting a connection that was cut without a word.
CHECK_SECONDS = 1.0
# A statement that may change something. The sessions' own table is left out: a session
# that changes tells its own listeners (`SESSIONS`), and is no change to the records.
_WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE|TRUNCATE|MERGE)\b", re.IGNORECASE)


def session_digest(session_key: str) -> str:
    """What a session's notice carries in place of its key (the trigger's `md5`)."""
    return hashlib.md5(session_key.encode(), usedforsecurity=False).hexdigest()


class Listener:
    """The notices one process has heard, on a connection of its own."""

    def __init__(self, using: str = DEFAULT_DB_ALIAS):
        self.using = using
        self._lock = threading.RLock()
        self._connection = None
        self._pid: int | None = None
        # The database listened to: the tests' own, once they have made it, is another.
        self._database: tuple = ()
        self._checked = 0.0
        self._generation = 0
        self._boot = uuid.uuid4().hex[:12]
        self._on_session: list[Callable[[str | None], None]] = []
        # The statements of the portal's own sessions table, which `wrote` passes over.
        self.sessions_table = ""

    def on_session_change(self, forget: Callable[[str | None], None]) -> None:
        """Call `forget(digest)` when a session changes or ends, `forget(None)` when any may
        have (all sessions ended at once, or the process stopped hearing)."""
        self._on_session.append(forget)

    def token(self) -> str | None:
        if not self._can_hear() or connections[self.using].in_atomic_block:
            return None
        with self._lock:
            if not self._listening():
                return None
            return f"{self._boot}:{self._generation}"

    def wrote(self, sql: str) -> None:
        """This process sent a statement that may change records: what it kept is old now."""
        # A statement built with psycopg's `sql` module is taken for a write, unread.
        text = sql if isinstance(sql, str) else "UPDATE"
        if _WRITE.match(text) and not (self.sessions_table and self.sessions_table in text):
            with self._lock:
                self._generation += 1

    def _listening(self) -> bool:
        now = time.monotonic()
        try:
            if (
                self._connection is None
                or self._pid != os.getpid()
                or self._database != _name_of(connections[self.using])
            ):
                self._connect()
            elif now - self._checked >= CHECK_SECONDS:
                self._connection.execute("SELECT 1")
            else:
                self._read()
                return True
            self._checked = now
            return True
        except Exception:  # noqa: BLE001 - whatever went wrong, this process stops trusting
            self._deaf()
            return False

    def _connect(self) -> None:
        self._deaf()
        database = connections[self.using]
        connection = database.get_new_connection(database.get_connection_params())
        connection.autocommit = True
        connection.add_notify_handler(lambda notice: self._heard(notice.channel, notice.payload))
        connection.execute(f"LISTEN {RECORDS}")
        connection.execute(f"LISTEN {SESSIONS}")
        self._connection, self._pid = connection, os.getpid()
        self._database = _name_of(database)

    def _read(self) -> None:
        """Take in whatever has arrived, without waiting."""
        pgconn = self._connection.pgconn
        pgconn.consume_input()
        while (notice := pgconn.notifies()) is not None:
            self._heard(notice.relname.decode(), notice.extra.decode())

    def _heard(self, channel: str, payload: str) -> None:
        # A change this process made itself was counted as it was sent (`wrote`) and is counted
        # again as its notice arrives: that only works something out once more.
        if channel == RECORDS:
            self._generation += 1
        elif channel == SESSIONS:
            for forget in self._on_session:
                forget(payload or None)

    def catch_up(self) -> None:
        """Hear of every change committed before now: the server sends what is waiting before it
        answers, so one round trip is enough."""
        if self._can_hear():
            with self._lock:
                self._checked = 0.0
                self._listening()

    def _can_hear(self) -> bool:
        return settings.CHANGE_NOTICES and connections[self.using].vendor == "postgresql"

    def close(self) -> None:
        """Stop listening (before the database goes, say); the next `token()` listens again."""
        with self._lock:
            self._deaf()

    def _deaf(self) -> None:
        """Forget everything heard, and the connection heard on."""
        if self._connection is not None and self._pid == os.getpid():
            # It is being let go either way.
            with contextlib.suppress(Exception):
                self._connection.close()
        self._connection = None
        self._generation += 1
        for forget in self._on_session:
            forget(None)


def _name_of(database) -> tuple:
    settings_dict = database.settings_dict
    return (settings_dict["NAME"], settings_dict["HOST"], settings_dict["PORT"])


listener = Listener()


def token() -> str | None:
    return listener.token()


def _note_writes(execute, sql, params, many, context):
    listener.wrote(sql)
    return execute(sql, params, many, context)


def _watch_writes(sender, connection, **kwargs) -> None:
    if connection.alias == listener.using and _note_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_note_writes)


connection_created.connect(_watch_writes, dispatch_uid="portal-change-notices")


SESSION_TRIGGER = "portal_session_notice"
_POSTGRES_SESSION_FUNCTION = """
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM pg_notify('{channel}', '');
    ELSE
        PERFORM pg_notify('{channel}', md5(OLD.session_key));
    END IF;
    RETURN NULL;
END $$
"""
_POSTGRES_SESSION_TRIGGERS = (
    "CREATE OR REPLACE TRIGGER {name} AFTER UPDATE OR DELETE ON {table} "
    "FOR EACH ROW EXECUTE FUNCTION {name}()",
    "CREATE OR REPLACE TRIGGER {name}_all AFTER TRUNCATE ON {table} "
    "FOR EACH STATEMENT EXECUTE FUNCTION {name}()",
)


def install_session_notices(connection, table: str) -> None:
    """Have the sessions table tell every listener which session changed or ended."""
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(_POSTGRES_SESSION_FUNCTION.format(name=SESSION_TRIGGER, channel=SESSIONS))
        for statement in _POSTGRES_SESSION_TRIGGERS:
            cursor.execute(statement.format(name=SESSION_TRIGGER, table=quote(table)))
