"""On SQLite, Django's own backend with the settings' options: every transaction takes the
writers' lock at BEGIN (IMMEDIATE), and a writer that finds the database held waits for the
commit (the busy timeout) instead of failing with "database is locked"."""

from __future__ import annotations

import threading

import pytest
from django.db.utils import ConnectionHandler

from xuejiao import settings as production


@pytest.fixture(autouse=True)
def _own_database(django_db_blocker):
    # These tests open their own database files, not the test database.
    with django_db_blocker.unblock():
        yield


def _handler(path) -> ConnectionHandler:
    return ConnectionHandler(
        {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(path),
                "OPTIONS": {
                    "timeout": 10,
                    "transaction_mode": "IMMEDIATE",
                    "init_command": "PRAGMA journal_mode=WAL",
                },
            }
        }
    )


def test_the_settings_use_djangos_own_backend_with_immediate_transactions():
    if production.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("the settings point at another database")
    options = production.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 1
    assert "journal_mode=WAL" in options["init_command"]


def test_a_writer_waits_for_the_transaction_before_it_instead_of_failing(tmp_path):
    path = tmp_path / "queue.sqlite3"
    setup = _handler(path)["default"]
    setup.cursor().execute("CREATE TABLE t (n INTEGER)")
    setup.close()

    holding, release = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def first():
        db = _handler(path)["default"]
        db.set_autocommit(False)  # BEGIN IMMEDIATE with the first statement
        db.cursor().execute("INSERT INTO t VALUES (1)")
        holding.set()
        release.wait(10)
        db.commit()
        db.close()

    def second():
        db = _handler(path)["default"]
        holding.wait(10)
        try:
            with db.cursor() as cursor:
                cursor.execute("INSERT INTO t VALUES (2)")
                outcome["rows_seen"] = cursor.execute("SELECT COUNT(*) FROM t").fetchone()[0]
        except Exception as exc:  # "database is locked", had it not waited
            outcome["error"] = exc
        finally:
            db.close()

    a, b = threading.Thread(target=first), threading.Thread(target=second)
    a.start()
    b.start()
    b.join(0.5)
    assert b.is_alive(), f"the second writer did not wait: {outcome}"
    release.set()
    a.join(10)
    b.join(10)
    assert "error" not in outcome
    assert outcome["rows_seen"] == 2  # it wrote after the first transaction committed
