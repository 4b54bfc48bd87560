"""The one rate limiter: a fixed window, counted in the cache named by
``settings.RATE_LIMIT_CACHE`` (``"ratelimit"``) with ``cache.add`` and ``cache.incr``, which
count exactly under concurrency on the caches that increment atomically: Redis, memcached
and the process's memory (``LocMemCache``, under its lock).

The ``ratelimit`` cache is in each server process's memory by default, because a count must
cost less than the request it counts (a quiz's answer), and a file or database counter costs
more than the whole answer. The limits then hold per process: calls spread over N server
processes may reach N times the limit before being refused, which still stops a flood. For
exact limits across processes and machines, point the ``ratelimit`` cache at Redis
(``XUEJIAO_RATELIMIT_CACHE_BACKEND=django.core.cache.backends.redis.RedisCache``,
``XUEJIAO_RATELIMIT_CACHE_LOCATION=redis://host:6379/1``, with the ``redis`` package), or let
the proxy limit addresses (``limit_req`` in deploy/nginx.conf).

Users: the quiz's taking pages (``quiz/throttle.py``: per address and per taker) and the API's
tokens (``orgs/api_auth.py``: per token).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches


@dataclass(frozen=True)
class Count:
    """One call counted: how many the window has seen with it, the limit, and the seconds
    until the window ends."""

    used: int
    limit: int
    reset: int

    @property
    def allowed(self) -> bool:
        return self.limit <= 0 or self.used <= self.limit


def counter():
    return caches[getattr(settings, "RATE_LIMIT_CACHE", "ratelimit")]


def hit(key: str, limit: int, *, window: int = 60, now: float | None = None) -> Count:
    """Count one call against ``key`` in the current window of ``window`` seconds. A limit of
    0 or less counts nothing and allows everything."""
    now = time.time() if now is None else now
    reset = max(1, window - int(now % window))
    if limit <= 0:
        return Count(0, limit, reset)
    cache = counter()
    bucket = f"rl:{key}:{int(now // window)}"
    for _attempt in range(3):
        cache.add(bucket, 0, window + 5)
        try:
            return Count(cache.incr(bucket), limit, reset)
        except ValueError:  # the bucket expired between add and incr: add it again
            continue
    return Count(1, limit, reset)
