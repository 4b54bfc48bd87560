"""SQLite, with writers queued by the kernel instead of by SQLite's busy handler.

Kept for the benchmark's comparison only (``bench/quiz_load.py --sqlite-backend flock``,
``bench/sqlite_backends.sh``): the platform runs on Django's own backend, because this one
overrides private methods of Django's (``_start_transaction_under_autocommit``, ``_commit``,
``_rollback``, ``_close``, the cursor class) and did not win the quiz's load benchmark by
enough to carry that risk across upgrades (bench/README.md, "SQLite backends").

SQLite lets one writer at a time hold the database. A writer that finds it taken waits in
SQLite's busy handler, which sleeps 1, 2, 5, 10, 15, 20, 25… ms between tries: under many
short writes (a quiz's answers) the processor idles while writers sleep past the moment the
database came free. Here every write first takes an exclusive ``flock`` on a file next to the
database (``<database>.writelock``): a waiting writer sleeps in the kernel and wakes the
moment the holder lets go, in the order they came.

The lock is taken when a transaction begins (``BEGIN IMMEDIATE``, as the settings ask) and
let go at its commit or rollback; a statement that writes outside a transaction takes it for
that statement alone. Readers never take it (WAL lets them read during a write). The lock is
the kernel's, so a process that dies lets go of it. Writers outside the application (the
``sqlite3`` shell, ``manage.py restore``) still meet SQLite's own lock and busy timeout.
In-memory databases (the test suite's default) have no file to lock beside and go unlocked.
"""

from __future__ import annotations

import fcntl

from django.db.backends.sqlite3 import base

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLAC", "CREATE", "DROP", "ALTER")


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._write_lock = None  # the open lock file, per connection
        self._write_locked = False
        self._cursor_class = type("WriteQueuedCursor", (WriteQueuedCursor,), {"db": self})

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        if not self.is_in_memory_db():
            self._write_lock = open(f"{self.settings_dict['NAME']}.writelock", "a+b")  # noqa: SIM115 (open while the connection is)
        return connection

    def create_cursor(self, name=None):
        return self.connection.cursor(factory=self._cursor_class)

    # the lock ----------------------------------------------------------------------------
    def lock_writes(self) -> None:
        if self._write_lock is not None and not self._write_locked:
            fcntl.flock(self._write_lock.fileno(), fcntl.LOCK_EX)
            self._write_locked = True

    def unlock_writes(self) -> None:
        if self._write_locked:
            self._write_locked = False
            fcntl.flock(self._write_lock.fileno(), fcntl.LOCK_UN)

    # transactions hold it from BEGIN to COMMIT or ROLLBACK -------------------------------
    def _start_transaction_under_autocommit(self):
        self.lock_writes()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self.unlock_writes()
            raise

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self.unlock_writes()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self.unlock_writes()

    def _close(self):
        try:
            return super()._close()
        finally:
            self.unlock_writes()
            if self._write_lock is not None:
                self._write_lock.close()
                self._write_lock = None


class WriteQueuedCursor(base.SQLiteCursorWrapper):
    """A statement that writes outside a transaction holds the lock while it runs."""

    db: DatabaseWrapper

    def _alone(self, query: str) -> bool:
        db = self.db
        return (
            db._write_lock is not None
            and not db._write_locked
            and not db.connection.in_transaction
            and query.lstrip()[:6].upper() in WRITES
        )

    def execute(self, query, params=None):
        if not self._alone(query):
            return super().execute(query, params)
        self.db.lock_writes()
        try:
            return super().execute(query, params)
        finally:
            self.db.unlock_writes()

    def executemany(self, query, param_list):
        if not self._alone(query):
            return super().executemany(query, param_list)
        self.db.lock_writes()
        try:
            return super().executemany(query, param_list)
        finally:
            self.db.unlock_writes()
