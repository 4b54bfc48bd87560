"""How refusals look: 404 for anything outside the caller's scope (exactly as for what does
not exist), 403 for a role that may not use the operation, 422 with one entry per field
for bad input — including a service's ``ValidationError`` keyed by field — and 429 when a
token has used up its calls for the minute."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI

from api.auth import RateLimited


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


def install(api: NinjaAPI) -> None:
    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Exception):
        return api.create_response(request, {"detail": _("Not found.")}, status=404)

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: Exception):
        return api.create_response(request, {"detail": _("Your role may not do this.")}, status=403)

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError):
        return api.create_response(request, {"detail": problems(exc)}, status=422)

    @api.exception_handler(RateLimited)
    def too_many(request: HttpRequest, exc: RateLimited):
        response = api.create_response(
            request, {"detail": _("Too many calls with this token; wait a minute.")}, status=429
        )
        response["Retry-After"] = str(exc.wait)
        return response


class InputErrors(Exception):
    """Bad input found by an endpoint itself (a bulk of rows, a query parameter): each item is
    {loc, msg, type}, all reported at once with 422."""

    def __init__(self, items: list[dict[str, Any]]) -> None:
        super().__init__(items)
        self.items = items


def refuse(loc: list[str | int], message: str) -> InputErrors:
    return InputErrors([{"loc": loc, "msg": str(message), "type": "value_error"}])


def install_input_errors(api: NinjaAPI) -> None:
    @api.exception_handler(InputErrors)
    def input_errors(request: HttpRequest, exc: InputErrors):
        return api.create_response(request, {"detail": exc.items}, status=422)
