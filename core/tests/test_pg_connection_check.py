"""PostgreSQL's connection check (xuejiao/db/postgresql/base.py): a quiet connection is taken
without a query; one the server has ended is found and replaced before the request uses it."""

import select

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="tests the PostgreSQL backend's socket check (xuejiao/db/postgresql); SQLite has no server connection",
    ),
]


def _last_query_of(backend_pid: int) -> str:
    """What the server last ran for that backend, asked over a connection of its own."""
    other = connection.copy()
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [backend_pid])
            return cursor.fetchone()[0]
    finally:
        other.close()


def _wait_until_readable(fileno: int, seconds: float = 10) -> None:
    poller = select.poll()
    poller.register(fileno, select.POLLIN)
    assert poller.poll(seconds * 1000), "the server never told the client"


def test_a_quiet_connection_is_usable_without_a_round_trip():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'marker-quiet'")
    pid = connection.connection.info.backend_pid
    assert connection.is_usable()
    assert _last_query_of(pid) == "SELECT 'marker-quiet'"  # no SELECT 1 reached the server


def test_a_connection_the_server_ended_is_replaced_at_the_start_of_a_request():
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    other = connection.copy()
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()
    _wait_until_readable(connection.connection.fileno())
    assert not connection.is_usable()
    # What Django does when a request starts with health checks on:
    assert connection.health_check_enabled
    connection.health_check_done = False
    connection.close_if_health_check_failed()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid
