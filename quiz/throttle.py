"""Request rate limits for the taking pages, per address and per taker, on the one rate
limiter (``core/ratelimit.py``: a fixed window per minute, in each process's memory unless
the ``ratelimit`` cache points at a cache server).

Limits come from ``settings.QUIZ_RATE_LIMITS`` when set: ``{"taker": 120, "address": 3000}``;
0 lifts a limit. The per-address limit is generous because a village office or a school puts
many takers behind one address.
"""

from __future__ import annotations

from django.conf import settings

from core.http import client_address
from core.ratelimit import hit

DEFAULT_LIMITS = {"taker": 120, "address": 3000}


def limits() -> dict[str, int]:
    return {**DEFAULT_LIMITS, **getattr(settings, "QUIZ_RATE_LIMITS", {})}


def allow(request, taker_id: int | None) -> bool:
    """Whether this request is within the limits of its address and of its taker."""
    conf = limits()
    if not hit(f"quiz:ip:{client_address(request)}", conf["address"]).allowed:
        return False
    if taker_id is not None and not hit(f"quiz:t:{taker_id}", conf["taker"]).allowed:
        return False
    return True
