"""The SQLite backend queues writers on a kernel lock (xuejiao/db/sqlite3/base.py): a
writer that meets another's transaction waits for its commit instead of sleeping in SQLite's
busy handler and failing when the busy timeout runs out."""

from __future__ import annotations

import threading

import pytest
from django.db.utils import ConnectionHandler


@pytest.fixture(autouse=True)
def _own_database(django_db_blocker):
    # These tests open their own database files, not the test database.
    with django_db_blocker.unblock():
        yield


def _handler(path) -> ConnectionHandler:
    # SQLite's own busy timeout is cut to 50 ms: only the backend's lock can make the second
    # writer wait longer than that without failing.
    return ConnectionHandler(
        {
            "default": {
                "ENGINE": "xuejiao.db.sqlite3",
                "NAME": str(path),
                "OPTIONS": {
                    "timeout": 0.05,
                    "transaction_mode": "IMMEDIATE",
                    "init_command": "PRAGMA journal_mode=WAL",
                },
            }
        }
    )


def test_a_writer_waits_for_the_transaction_before_it_instead_of_failing(tmp_path):
    path = tmp_path / "queue.sqlite3"
    setup = _handler(path)["default"]
    setup.cursor().execute("CREATE TABLE t (n INTEGER)")
    setup.close()

    holding, release = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def first():
        db = _handler(path)["default"]
        db.ensure_connection()
        db._start_transaction_under_autocommit()
        db.cursor().execute("INSERT INTO t VALUES (1)")
        holding.set()
        release.wait(10)
        db.commit()
        db.close()

    def second():
        db = _handler(path)["default"]
        holding.wait(10)
        try:
            db.cursor().execute("INSERT INTO t VALUES (2)")  # a write outside a transaction
            outcome["rows_seen"] = db.cursor().execute("SELECT COUNT(*) FROM t").fetchone()[0]
        except Exception as exc:  # what SQLite would raise without the lock: "database is locked"
            outcome["error"] = exc
        finally:
            db.close()

    a, b = threading.Thread(target=first), threading.Thread(target=second)
    a.start()
    b.start()
    b.join(0.5)  # ten times SQLite's busy timeout
    assert b.is_alive(), f"the second writer did not wait: {outcome}"
    release.set()
    a.join(10)
    b.join(10)
    assert "error" not in outcome
    assert outcome["rows_seen"] == 2  # it wrote after the first transaction committed


def test_the_lock_is_let_go_at_rollback_and_at_close(tmp_path):
    path = tmp_path / "release.sqlite3"
    db = _handler(path)["default"]
    db.cursor().execute("CREATE TABLE t (n INTEGER)")
    db._start_transaction_under_autocommit()
    assert db._write_locked
    db.rollback()
    assert not db._write_locked
    db._start_transaction_under_autocommit()
    db.close()
    other = _handler(path)["default"]
    other.cursor().execute("INSERT INTO t VALUES (1)")  # would wait forever if still held
    assert other.cursor().execute("SELECT COUNT(*) FROM t").fetchone()[0] == 1
    other.close()
