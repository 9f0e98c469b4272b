"""What a busy page works out, kept until the portal's records change.

Database triggers on every table of the portal's own apps note each change in
`RecordsChange`, however it was made: a form, an import's bulk statements, the admin, a data
migration or a command. A page keeps what it worked out under the version those notes give, so
the next request reads one small row instead of building its queries again (on PostgreSQL, not
even that: the process hears of each change, `change_notices`), and the first request after any
change works everything out afresh. Staff and reps therefore never see
records older than their last save; only pages that read many records at once and ask for
nothing from the person's own request (see `figures_cache`) accept figures a few minutes old.

On PostgreSQL each statement that changes the records takes the next number, and the version is
the highest number committed. It is only given while no other transaction that has taken a
number is still running: such a transaction could commit later with a lower number than one
already seen, and what was worked out before it would be kept as if it were new. Transactions
that change nothing of the portal's records (a session, a sign-in attempt) never hold it up. On
SQLite, whose writers take turns, a single counter is enough.

Values are kept in the server's own cache under keys that hold who may see them (a rep's id, a
staff member's boards), and are only read after the page has checked that person's access.
"""

from collections.abc import Callable, Hashable, Iterable

from django.apps import apps
from django.core.cache import cache
from django.db import connections
from django.utils import timezone

from portal.core import change_notices
from portal.core.models import RecordsChange

# The apps whose tables the triggers watch: the portal's own.
WATCHED_APPS = ("portal", "reps", "expenses", "standards", "reports")
TRIGGER = "portal_records_changed"
# Kept values of an older version are never read again; they leave the cache after this long.
KEEP_SECONDS = 3600
_MISSING = object()

_POSTGRES_FUNCTION = """
CREATE SEQUENCE IF NOT EXISTS {sequence};
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    this bigint;
BEGIN
    -- Every statement that changes records takes a new number, so that a transaction's own
    -- later reads see its own changes as a newer version too.
    this := nextval('{sequence}');
    INSERT INTO {table} (number) VALUES (this);
    -- Listeners hear of it when the transaction commits, once however many statements it made.
    PERFORM pg_notify('{channel}', '');
    -- Only the newest change is ever read: now and then the older ones go, skipping any row
    -- another transaction holds, so that this never waits.
    IF this % 1000 = 0 THEN
        DELETE FROM {table} WHERE number IN (
            SELECT number FROM {table} WHERE number < this FOR UPDATE SKIP LOCKED
        );
    END IF;
    RETURN NULL;
END $$
"""
# A transaction that has noted a change holds this lock on the table until it ends.
_POSTGRES_VERSION = """
SELECT max(number), EXISTS (
    SELECT 1 FROM pg_locks
    WHERE locktype = 'relation' AND mode = 'RowExclusiveLock' AND pid <> pg_backend_pid()
    AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
    AND relation = '{table}'::regclass
)
FROM {table}
"""
_POSTGRES_TRIGGER = (
    "CREATE OR REPLACE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
    "FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
)
_SQLITE_TRIGGER = (
    "CREATE TRIGGER IF NOT EXISTS {name} AFTER {event} ON {table} "
    "BEGIN UPDATE {changes} SET number = number + 1; END"
)


def watched_tables() -> list[str]:
    """The tables of the portal's own apps, their audit history left out (it is only ever
    written beside a table that is watched; its models carry `instance_type`)."""
    return sorted(
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in WATCHED_APPS
        and model._meta.managed
        and not model._meta.proxy
        and not hasattr(model, "instance_type")
        and model is not RecordsChange
    )


def install_triggers(using: str = "default", **kwargs: object) -> None:
    """Put a trigger on every watched table that has none; run after every `migrate`, so that a
    table a new migration makes is watched too."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    changes = RecordsChange._meta.db_table
    if changes not in existing:
        return
    quote = connection.ops.quote_name
    tables = [table for table in watched_tables() if table in existing]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                _POSTGRES_FUNCTION.format(  # noqa: S608
                    name=TRIGGER,
                    table=quote(changes),
                    sequence=quote(f"{changes}_number"),
                    channel=change_notices.RECORDS,
                )
            )
            for table in tables:
                cursor.execute(_POSTGRES_TRIGGER.format(name=TRIGGER, table=quote(table)))
        elif connection.vendor == "sqlite":
            cursor.execute(
                f"INSERT INTO {quote(changes)} (number) SELECT 0 "  # noqa: S608
                f"WHERE NOT EXISTS (SELECT 1 FROM {quote(changes)})"
            )
            for table in tables:
                for event in ("INSERT", "UPDATE", "DELETE"):
                    name = quote(f"{TRIGGER}_{table}_{event.lower()}")
                    cursor.execute(
                        _SQLITE_TRIGGER.format(
                            name=name, event=event, table=quote(table), changes=quote(changes)
                        )
                    )


def records_version(using: str = "default") -> int | str | None:
    """The version of the records as they stand, or None when none can be given: on another
    database, while another transaction that changed records is still running, or before any
    change has been noted. Where this process hears of every change as it is made
    (`change_notices`), the version is what it has heard, and asking costs no query."""
    heard = change_notices.token() if using == change_notices.listener.using else None
    if heard is not None:
        return heard
    connection = connections[using]
    changes = connection.ops.quote_name(RecordsChange._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_POSTGRES_VERSION.format(table=changes))  # noqa: S608
            newest, still_running = cursor.fetchone()
            return None if still_running else newest
        if connection.vendor == "sqlite":
            cursor.execute(f"SELECT max(number) FROM {changes}")  # noqa: S608
            return cursor.fetchone()[0]
    return None


def _prefix(version: int | str) -> str:
    # The day too: what a page works out often depends on today (terms current, claims late).
    return f"records:{version}:{timezone.localdate().isoformat()}"


def kept_until_changed[T](key: str, work: Callable[[], T]) -> T:
    """What `work()` returns, kept under `key` until the records change."""
    version = records_version()
    if version is None:
        return work()
    full_key = f"{_prefix(version)}:{key}"
    found = cache.get(full_key, _MISSING)
    if found is _MISSING:
        found = work()
        cache.set(full_key, found, KEEP_SECONDS)
    return found  # type: ignore[return-value]


def kept_each_until_changed[K: Hashable, T](
    key: str, ids: Iterable[K], work: Callable[[list[K]], dict[K, T]]
) -> dict[K, T]:
    """For each id, what `work(ids)` returns for it, kept under `key` and the id until the
    records change; `work` is called once, with the ids not kept yet."""
    ids = list(ids)
    version = records_version() if ids else None
    if version is None:
        return work(ids) if ids else {}
    prefix = f"{_prefix(version)}:{key}"
    found = cache.get_many([f"{prefix}:{id_}" for id_ in ids])
    kept = {id_: found[f"{prefix}:{id_}"] for id_ in ids if f"{prefix}:{id_}" in found}
    missing = [id_ for id_ in ids if id_ not in kept]
    if missing:
        worked_out = work(missing)
        cache.set_many({f"{prefix}:{id_}": worked_out[id_] for id_ in missing}, KEEP_SECONDS)
        kept.update(worked_out)
    return kept
