"""How refusals look: 404 for anything outside the caller's scope (exactly as for what does
not exist), 403 for a role that may not use the operation, 422 with one entry per field
for bad input — including a service's ``ValidationError`` keyed by field — and 429 when a
token has used up its calls for the minute.

``install`` makes these the answers of a NinjaAPI; ``answer`` gives the same answer where
no NinjaAPI handles the exception (a check that runs before ninja, such as the API's guard)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.renderers import JSONRenderer


class RateLimited(Exception):
    """A caller has used up its calls for the minute; ``wait`` is how many seconds remain."""

    def __init__(self, wait: int) -> None:
        super().__init__(wait)
        self.wait = wait


class InputErrors(Exception):
    """Bad input found by an endpoint itself (a bulk of rows, a query parameter): each item is
    {loc, msg, type}, all reported at once with 422."""

    def __init__(self, items: list[dict[str, Any]]) -> None:
        super().__init__(items)
        self.items = items


def problems(exc: ValidationError, prefix: tuple[str | int, ...] = ("body",)) -> list[dict[str, Any]]:
    """A service's ValidationError as a list of {loc, msg, type}, one per message."""
    out: list[dict[str, Any]] = []
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            loc = list(prefix) if field == NON_FIELD_ERRORS else [*prefix, field]
            for message in errors:
                out.append({"loc": loc, "msg": str(message), "type": "value_error"})
    else:
        for message in exc.messages:
            out.append({"loc": list(prefix), "msg": str(message), "type": "value_error"})
    return out


def refuse(loc: list[str | int], message: str) -> InputErrors:
    return InputErrors([{"loc": loc, "msg": str(message), "type": "value_error"}])


_RENDERER = JSONRenderer()  # ninja's default renderer, the one the API answers with


def respond(request: HttpRequest, data: Any, *, status: int) -> HttpResponse:
    """``data`` as the API renders it (what ``NinjaAPI.create_response`` gives with ninja's
    default renderer)."""
    content = _RENDERER.render(request, data, response_status=status)
    return HttpResponse(content, status=status, content_type=f"{_RENDERER.media_type}; charset={_RENDERER.charset}")


REFUSALS = (Http404, PermissionDenied, ValidationError, RateLimited, InputErrors)


def answer(request: HttpRequest, exc: Exception, respond: Callable[..., HttpResponse] = respond) -> HttpResponse:
    """The API's answer to one of ``REFUSALS``."""
    if isinstance(exc, Http404):
        return respond(request, {"detail": _("Not found.")}, status=404)
    if isinstance(exc, PermissionDenied):
        return respond(request, {"detail": _("Your role may not do this.")}, status=403)
    if isinstance(exc, ValidationError):
        return respond(request, {"detail": problems(exc)}, status=422)
    if isinstance(exc, RateLimited):
        response = respond(request, {"detail": _("Too many calls with this token; wait a minute.")}, status=429)
        response["Retry-After"] = str(exc.wait)
        return response
    if isinstance(exc, InputErrors):
        return respond(request, {"detail": exc.items}, status=422)
    raise exc


def install(api: NinjaAPI) -> None:
    """Answer every refusal of ``api``'s operations as ``answer`` does."""
    handler = partial(answer, respond=api.create_response)
    for kind in REFUSALS:
        api.add_exception_handler(kind, handler)
