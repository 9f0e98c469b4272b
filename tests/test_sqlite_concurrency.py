"""The embedded SQLite default takes several people writing at once without "database is locked".

Built from the settings' own options on a file-backed database, whatever database the rest of the
suite runs on, so that it runs in CI beside the PostgreSQL suite too.
"""

import threading
import time

from django.conf import settings
from django.db import connections, transaction

ALIAS = "concurrent_sqlite"
WRITERS = 6
EACH = 30


def test_several_people_writing_at_once_lose_nothing_and_see_no_error(tmp_path, django_db_blocker):
    config = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(tmp_path / "portal.sqlite3"),
        "OPTIONS": settings.SQLITE_OPTIONS,
    }
    configured = connections.configure_settings({"default": {}, ALIAS: config})
    connections.settings[ALIAS] = configured[ALIAS]
    errors = []
    try:
        with django_db_blocker.unblock():
            with connections[ALIAS].cursor() as cursor:
                cursor.execute("PRAGMA journal_mode")
                assert cursor.fetchone()[0] == "wal"
                cursor.execute("CREATE TABLE tally (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)")
                cursor.execute("INSERT INTO tally VALUES (1, 0)")

            def writer():
                # Read, then write on what was read: as sending a claim reads its items, then
                # saves. Without a lock taken at the start, two of these deadlock on SQLite.
                try:
                    for _ in range(EACH):
                        with (
                            transaction.atomic(using=ALIAS),
                            connections[ALIAS].cursor() as cursor,
                        ):
                            cursor.execute("SELECT n FROM tally WHERE id = 1")
                            seen = cursor.fetchone()[0]
                            time.sleep(0.002)  # the work a request does between the two
                            cursor.execute("UPDATE tally SET n = %s WHERE id = 1", [seen + 1])
                except Exception as error:  # every error is what the test looks for
                    errors.append(error)
                finally:
                    connections[ALIAS].close()

            threads = [threading.Thread(target=writer) for _ in range(WRITERS)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()

            with connections[ALIAS].cursor() as cursor:
                cursor.execute("SELECT n FROM tally WHERE id = 1")
                total = cursor.fetchone()[0]
    finally:
        connections[ALIAS].close()
        del connections.settings[ALIAS]

    assert errors == []
    assert total == WRITERS * EACH
