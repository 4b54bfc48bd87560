"""A cache of computed figures that is never stale with respect to the records.

Every write to a campaign row goes through a service and is recorded in the audit log
(docs/architecture.md, "Audit"), so the newest audit entry's id is a version of all the data:
a figure computed when the newest entry was N is still right while it is N. The key holds
that version, the day (some figures depend on "today": overdue items) and the definitions'
versions, so a cached dashboard or set of report figures is served only while nothing it
depends on has changed; the timeout bounds the rest (writes that bypass the audit log).
One ``MAX(id)`` on the audit table's primary key is the whole cost of a hit.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache

from figures import catalogue


def data_version() -> int:
    from auditlog.models import LogEntry

    return LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _definitions() -> str:
    signature = ",".join(f"{i.code}:{i.version}" for i in catalogue.all_indicators())
    return hashlib.sha1(signature.encode(), usedforsecurity=False).hexdigest()[:12]


def timeout() -> int:
    seconds: int = getattr(settings, "REPORTS_FIGURE_CACHE_SECONDS", 600)
    return seconds


def cached(name: str, parts: tuple, compute: Callable[[], Any]) -> Any:
    """``compute()``, or its result from the cache while the data has not changed."""
    seconds = timeout()
    if seconds <= 0:
        return compute()
    key = "figures:{}:{}".format(
        name,
        hashlib.sha1(
            repr((parts, data_version(), datetime.date.today().isoformat(), _definitions())).encode(),
            usedforsecurity=False,
        ).hexdigest(),
    )
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, seconds)
    return found
