"""PostgreSQL, with a reused connection checked without a round trip.

Django checks a persistent connection at the start of each request (``CONN_HEALTH_CHECKS``)
with ``SELECT 1``: a round trip to the server, which on a busy quiz costs as much as the
answer the request saves. A server that ends a connection — a restart, a failover, an
administrator's ``pg_terminate_backend`` — first sends the client its reason or closes the
socket, and either makes the idle socket readable. So the socket is asked first (``poll``
with no wait, a system call): when the server has said nothing since the last query the
connection is taken as it is; when it has, Django's ``SELECT 1`` decides. A connection the
client already knows to be broken is never usable.

What this cannot see is what ``SELECT 1`` would only see after its timeout: a network path
gone silently. The first query then fails the request, as it would have failed the check.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        conn = self.connection
        if conn is None or conn.closed:
            return False
        try:
            poller = select.poll()
            poller.register(conn.fileno(), select.POLLIN | select.POLLPRI)
            said_something = bool(poller.poll(0))
        except (OSError, ValueError):
            return False
        return super().is_usable() if said_something else True
