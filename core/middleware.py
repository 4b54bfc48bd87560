"""Middleware: response headers that keep pages from loading or running anything that is
not ours, that keep private answers out of every cache, and the request's context for the
audit log.

All assets are served by the app itself (nothing from a CDN), and no page needs inline
script, so the Content-Security-Policy can be strict."""

from __future__ import annotations

import ipaddress
from contextvars import ContextVar

from auditlog.cid import set_cid
from django.conf import settings

from core.http import client_address

DEFAULT_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


PRIVATE = "private, no-store"


class PrivateResponsesMiddleware:
    """``Cache-Control: private, no-store`` on every answer to someone signed in (a session
    or an API token: the account is read when the answer leaves, after the API has found
    the token's) and on every download, whoever asks, so that neither a shared proxy nor the
    browser's disk keeps a copy of a page, an export or an API answer once the session is
    over. Whatever the view said about caching is replaced: a private answer has no public
    lifetime. Static files never get here (WhiteNoise answers them first, with their own
    long caching)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if self.is_private(request, response):
            response["Cache-Control"] = PRIVATE
        return response

    @staticmethod
    def is_private(request, response) -> bool:
        if response.has_header("Content-Disposition"):
            return True
        if "Authorization" in request.headers or "X-Api-Key" in request.headers:
            return True
        user = getattr(request, "user", None)
        return user is not None and user.is_authenticated


_audited_request: ContextVar = ContextVar("audited_request", default=None)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "XUEJIAO_CSP", DEFAULT_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", self.policy)
        response.setdefault("Referrer-Policy", "same-origin")
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


class AuditContextMiddleware:
    """Who and from where, for the audit entries written while a request is served.

    In place of django-auditlog's middleware, which on every request connects a signal
    receiver and disconnects it afterwards — emptying Django's cache of receivers, so that
    every save of the next request looks its receivers up again — and reads the account up
    front whether or not anything is written. Here the request is kept in a context
    variable, and ``stamp_audit_entry`` (connected once) stamps each entry as it is saved,
    reading the account only then: an API token's account, set on the request after this
    middleware ran, is the one recorded.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        set_cid(request)
        token = _audited_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _audited_request.reset(token)


def stamp_audit_entry(sender, instance, **kwargs) -> None:
    """``pre_save`` of the audit log's entries: the request's account and address, unless
    the entry already has them (``auditlog.context.set_actor`` names its own actor)."""
    request = _audited_request.get()
    if request is None:
        return
    user = getattr(request, "user", None)
    if instance.actor_id is None and user is not None and user.is_authenticated:
        instance.actor = user
        instance.actor_email = getattr(user, "email", None)
    if instance.remote_addr is None:
        address = client_address(request)
        try:
            instance.remote_addr = str(ipaddress.ip_address(address))
        except ValueError:
            pass
