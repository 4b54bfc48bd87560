"""Reads that may go to a PostgreSQL hot standby, and the rule that keeps them honest.

With ``XUEJIAO_REPLICA_URL`` set, ``DATABASES["replica"]`` is a streaming-replication standby
of the primary. A page that only reads figures (dashboards, indicator pages, reports, their
exports: ``settings.XUEJIAO_REPLICA_PATHS``) reads there; everything else — every write, every
read of a request that wrote, every background task — stays on the primary (``default``).

Three rules keep a reader from seeing a figure older than what they did:

- **Read your writes.** A request that writes (an ``INSERT``, ``UPDATE`` or ``DELETE`` on the
  primary, seen through Django's public ``execute_wrapper``; the session's own save on every
  request counts only when the session changed: a sign-in, a scope chosen) reads the primary
  for the rest of the request, and pins whoever sent it — their session, or their API token —
  to the primary for ``XUEJIAO_REPLICA_PIN_SECONDS``, in the shared cache (Redis across
  servers), so that their next request reads the primary on whichever server it lands. The
  pin is longer than the longest lag the replica may have and still be read, so once a pin
  ends the replica holds the write.
- **A lagging or absent replica is not read.** How far the standby's replay is behind is asked
  at most every ``CHECK_SECONDS`` per process; past ``XUEJIAO_REPLICA_MAX_LAG_SECONDS``, or
  when it does not answer, reads go to the primary, and ``/health/`` says so (``state()``).
- **A replica that fails during a read costs no failed page.** The view of a GET changes
  nothing, so it is run once more on the primary (``ReplicaMiddleware.process_exception``).

Each answer says where its reads went (``X-Read-From: replica`` or ``primary``). Without a
replica every function here is a no-op: ``ReplicaRouter`` answers None (Django's default
database) and the middleware passes requests through.
"""

from __future__ import annotations

import hashlib
import threading
import time
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections

REPLICA = "replica"
CHECK_SECONDS = 2.0
WRITES = ("INSERT", "UPDATE", "DELETE", "MERGE")
SESSION_TABLE = '"django_session"'

# Whether the current request's reads may go to the replica: set by the middleware.
_reading_replica: ContextVar[bool] = ContextVar("xuejiao_reads_replica", default=False)
# Whether one of them went there: the answer says so (``READ_FROM_HEADER``), for the operator.
_read_replica: ContextVar[bool] = ContextVar("xuejiao_read_replica", default=False)
READ_FROM_HEADER = "X-Read-From"


def configured() -> bool:
    return REPLICA in settings.DATABASES


@dataclass
class State:
    """The replica as last seen by this process: "ok", "lagging" or "down", and its lag."""

    name: str = "ok"
    lag_seconds: float | None = None
    checked_at: float = 0.0


_state = State()
_lock = threading.Lock()

LAG_SQL = (
    "SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
    "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
)


def _measure() -> State:
    connection = connections[REPLICA]
    try:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(LAG_SQL)
                lag = float(cursor.fetchone()[0] or 0)
            else:  # a test's mirror of the primary: no lag to ask about
                cursor.execute("SELECT 1")
                lag = 0.0
    except DatabaseError:
        connection.close()
        return State("down", None, time.monotonic())
    name = "ok" if lag <= settings.XUEJIAO_REPLICA_MAX_LAG_SECONDS else "lagging"
    return State(name, round(lag, 3), time.monotonic())


def state(*, fresh: bool = False) -> State:
    """The replica's state, asked again when the last answer is older than ``CHECK_SECONDS``."""
    global _state
    if fresh or time.monotonic() - _state.checked_at > CHECK_SECONDS:
        with _lock:
            if fresh or time.monotonic() - _state.checked_at > CHECK_SECONDS:
                _state = _measure()
    return _state


def mark_down() -> None:
    """The replica failed a query: read the primary until the next check finds it back."""
    global _state
    _state = State("down", None, time.monotonic())
    connections[REPLICA].close()


class ReplicaRouter:
    """Reads of a request that may read the replica go there while it is healthy; every
    other read and every write goes to the primary. Only the primary is migrated."""

    def db_for_read(self, model, **hints):
        if _reading_replica.get() and state().name == "ok":
            _read_replica.set(True)
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the primary's rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


def _pin_key(credential: str | None) -> str | None:
    """A session key or an API token's header as a cache key (hashed: the cache never holds a
    credential); None for a request that carries neither."""
    if not credential:
        return None
    return "replica-pin:" + hashlib.sha256(credential.encode()).hexdigest()[:32]


def _sender(request) -> str | None:
    return request.META.get("HTTP_AUTHORIZATION") or request.COOKIES.get(settings.SESSION_COOKIE_NAME)


def _may_read_replica(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if not request.path.startswith(tuple(settings.XUEJIAO_REPLICA_PATHS)):
        return False
    key = _pin_key(_sender(request))
    return key is None or cache.get(key) is None


class ReplicaMiddleware:
    """Decides, per request, whether its reads may go to the replica, watches the primary for
    writes, and pins whoever wrote to the primary for a while."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not configured():
            return self.get_response(request)
        wrote = False

        def watch(execute, sql, params, many, context):
            nonlocal wrote
            head = sql.lstrip()[:40]
            # The session's row is saved on every request (it times out after inactivity): that
            # save is not a write of the reader's; a changed session is (below).
            if not wrote and head[:6].upper().startswith(WRITES) and SESSION_TABLE not in head:
                wrote = True
                _reading_replica.set(False)  # read this request's own write
            return execute(sql, params, many, context)

        token = _reading_replica.set(_may_read_replica(request))
        used = _read_replica.set(False)
        try:
            with connections["default"].execute_wrapper(watch):
                response = self.get_response(request)
            response[READ_FROM_HEADER] = REPLICA if _read_replica.get() else "primary"
        finally:
            _reading_replica.reset(token)
            _read_replica.reset(used)
        session = getattr(request, "session", None)
        if wrote or (session is not None and session.modified):
            # The session the answer sets, if it made one (a sign-in), else the sender's.
            made = response.cookies.get(settings.SESSION_COOKIE_NAME)
            key = _pin_key(made.value if made is not None and made.value else _sender(request))
            if key is not None:
                cache.set(key, 1, settings.XUEJIAO_REPLICA_PIN_SECONDS)
        return response

    def process_exception(self, request, exception):
        """A read that failed on the replica: run the view again on the primary (a GET
        changes nothing, so running it twice is safe)."""
        if not (_reading_replica.get() and isinstance(exception, DatabaseError)):
            return None
        mark_down()
        _reading_replica.set(False)
        return self.get_response(request)
