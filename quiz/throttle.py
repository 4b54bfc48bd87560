"""Request rate limits for the taking pages, kept in Django's cache.

With the default cache (LocMemCache) each server process counts on its own, so the real
limit is the configured one times the number of processes; a shared cache (Redis,
Memcached) makes it exact. Limits are per minute and come from ``settings.QUIZ_RATE_LIMITS``
when set: ``{"taker": 120, "address": 3000}``. The per-address limit is generous because a
village office or a school puts many takers behind one address.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache

DEFAULT_LIMITS = {"taker": 120, "address": 3000}
WINDOW = 60


def limits() -> dict[str, int]:
    return {**DEFAULT_LIMITS, **getattr(settings, "QUIZ_RATE_LIMITS", {})}


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "-"


def _hit(key: str, limit: int) -> bool:
    """Count one request against ``key`` in the current window; False when over ``limit``."""
    if limit <= 0:
        return True
    bucket = f"quiz:rl:{key}:{int(time.time()) // WINDOW}"
    if cache.add(bucket, 1, WINDOW + 5):
        return True
    try:
        count = cache.incr(bucket)
    except ValueError:
        cache.set(bucket, 1, WINDOW + 5)
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
