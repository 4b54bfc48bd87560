"""Request rate limits for the taking pages: a fixed window per minute, counted in the cache
named by ``settings.QUIZ_RATE_LIMIT_CACHE`` (``"ratelimit"``).

That cache is in each server process's memory by default, because an answer must cost less
than a trivial request and a file or database counter costs more than the whole answer. The
limits then hold per process: a taker whose requests spread over N server processes may make
up to N times the limit before being refused, which still stops a flood. For exact limits
across processes and machines, point the ``ratelimit`` cache at a cache server
(``XUEJIAO_RATELIMIT_CACHE_BACKEND``, ``XUEJIAO_RATELIMIT_CACHE_LOCATION``), or let the proxy
limit addresses (``limit_req`` in deploy/nginx.conf).

Limits come from ``settings.QUIZ_RATE_LIMITS`` when set: ``{"taker": 120, "address": 3000}``;
0 lifts a limit. The per-address limit is generous because a village office or a school puts
many takers behind one address.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import caches

from core.http import client_address

DEFAULT_LIMITS = {"taker": 120, "address": 3000}
WINDOW = 60


def limits() -> dict[str, int]:
    return {**DEFAULT_LIMITS, **getattr(settings, "QUIZ_RATE_LIMITS", {})}


def _hit(key: str, limit: int) -> bool:
    """Count one request against ``key`` in the current window; False when over ``limit``."""
    if limit <= 0:
        return True
    counter = caches[getattr(settings, "QUIZ_RATE_LIMIT_CACHE", "default")]
    bucket = f"quiz:rl:{key}:{int(time.time()) // WINDOW}"
    if counter.add(bucket, 1, WINDOW + 5):
        return True
    try:
        count = counter.incr(bucket)
    except ValueError:
        counter.set(bucket, 1, WINDOW + 5)
        return True
    return count <= limit


def allow(request, taker_id: int | None) -> bool:
    """Whether this request is within the limits of its address and of its taker."""
    conf = limits()
    if not _hit(f"ip:{client_address(request)}", conf["address"]):
        return False
    if taker_id is not None and not _hit(f"t:{taker_id}", conf["taker"]):
        return False
    return True
