"""Who is calling the API: the logged-in browser session (the pages' own calls) or a
per-account API token (``Authorization: Bearer xj_…``, or ``X-Api-Key``). Either way the
caller is exactly one account, with its role and its scope, and the audit log records that
account for every write.

Token use is rate-limited per token by the one rate limiter (``core/ratelimit.py``: a fixed
window per minute). The limit holds per server process while the ``ratelimit`` cache is in
each process's memory (the default), and across processes and machines once it points at
Redis (docs/api.md).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja.security import APIKeyHeader, HttpBearer
from ninja.security.session import SessionAuth

from core.api.errors import RateLimited, answer
from core.ratelimit import hit
from orgs import lockout
from orgs.access import has_role
from orgs.models import ApiToken
from orgs.tokens import LAST_USED_EVERY, find_token, used_key


def rate_per_minute() -> int:
    return settings.API_TOKEN_RATE_PER_MINUTE


def _count_use(token: ApiToken) -> None:
    """One more call in this minute's window; refused past the limit."""
    count = hit(f"api:{token.pk}", rate_per_minute())
    if not count.allowed:
        raise RateLimited(wait=count.reset)


def _touch(token: ApiToken) -> None:
    """Remember the token's use in the cache: a call, even a GET, writes nothing to the
    database; ``orgs.tasks.record_token_use`` writes it to the token every minute."""
    now = time.time()
    if token.last_used is not None and now - token.last_used.timestamp() <= LAST_USED_EVERY:
        return
    key = used_key(token.pk)
    seen = cache.get(key)
    if seen is None or now - seen > LAST_USED_EVERY:
        cache.set(key, now, timeout=None)


def _act_as(request: HttpRequest, token: ApiToken) -> Any:
    """Make the token's account the request's user, for the handlers and for the audit log
    (which reads the request's user when an entry is saved: core.middleware)."""
    request.user = token.account
    return token.account


def account_from_token(request: HttpRequest, raw: str | None) -> Any:
    """The account of a valid, unrevoked token, counted against its rate limit; memoised on
    the request so that a guard and the operation do not count it twice."""
    memo = request.__dict__.setdefault("_api_token_accounts", {})
    if raw in memo:
        return memo[raw]
    token = find_token(raw or "")
    if token is not None and lockout.refuses(token.account.username, lockout.client_ip(request)):
        token = None  # the account is locked by failed log-ins: its tokens wait for the unlock
    account = None
    if token is not None:
        _count_use(token)
        _touch(token)
        account = _act_as(request, token)
    memo[raw] = account
    return account


class TokenAuth(HttpBearer):
    """``Authorization: Bearer xj_<prefix>_<secret>``."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return account_from_token(request, token)


class ApiKeyAuth(APIKeyHeader):
    """``X-Api-Key: xj_<prefix>_<secret>`` (for clients that cannot set a bearer token)."""

    param_name = "X-Api-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return account_from_token(request, key)


class BrowserSession(SessionAuth):
    """The logged-in browser session; unsafe methods need the CSRF token, as on the pages."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if user.is_authenticated and user.is_active:
            return user
        return None


AUTH = [TokenAuth(), ApiKeyAuth(), BrowserSession()]


def caller(request: HttpRequest) -> Any:
    """The authenticated account, found the way ninja's ``AUTH`` finds it (bearer token, then
    X-Api-Key, then the session), before ninja's own checks ran (used by ``guard``); None when
    nobody is authenticated (ninja then answers 401)."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        account = account_from_token(request, header[7:].strip())
        if account is not None:
            return account
    if request.headers.get("X-Api-Key"):
        account = account_from_token(request, request.headers["X-Api-Key"])
        if account is not None:
            return account
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_active:
        return user
    return None


def guard(*roles: str, lookup: Callable[..., Any] | None = None) -> Callable:
    """Checks that run before ninja reads the body: the role (403) and, for an operation on
    one object, that the object is in the caller's scope (``lookup(account, **path)`` raises
    Http404). So out of scope is 404 and a wrong role 403 whatever the body holds — bad
    input (422) is only ever reported about an object the caller may touch.

    A refusal is answered as the API answers it (``core.api.errors.answer``), since ninja's
    own handlers do not see what happens before the operation runs. Applied with
    ``@decorate_view(guard(...))``."""

    def decorator(run: Callable) -> Callable:
        @wraps(run)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any):
            try:
                account = caller(request)
            except RateLimited as exc:
                return answer(request, exc)
            if account is not None:
                if roles and not has_role(account, *roles):
                    return answer(request, PermissionDenied())
                if lookup is not None:
                    try:
                        lookup(account, **kwargs)
                    except (Http404, PermissionDenied) as exc:
                        return answer(request, exc)
                    except (ValueError, TypeError, ValidationError, OverflowError):
                        pass  # a malformed path parameter: ninja's own validation answers 422
            return run(request, *args, **kwargs)

        return wrapped

    return decorator
