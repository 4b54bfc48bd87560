"""Facts about a request that more than one app needs."""

from __future__ import annotations

from django.conf import settings


def client_address(request) -> str:
    """The client's address. Behind the proxy (``XUEJIAO_BEHIND_TLS_PROXY``) every request
    comes from the proxy, so the address is the one the proxy appended to X-Forwarded-For
    (the last; earlier ones are whatever the client sent). Otherwise X-Forwarded-For is not
    trusted. ``"-"`` when there is none."""
    if getattr(settings, "BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.rsplit(",", 1)[-1].strip() or "-"
    return request.META.get("REMOTE_ADDR", "") or "-"
