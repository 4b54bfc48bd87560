"""Cursor (keyset) pagination for every list of the API.

A list is ordered by a few fields that end with the primary key, so the order is total. The
cursor is the last row's values of those fields, base64url-encoded; the next page is "rows
after these values" — one indexed range condition, stable while rows are added or removed,
with no OFFSET that grows with the page number.
"""

from __future__ import annotations

import base64
import datetime
import json
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


def _read(obj: Any, lookup: str) -> Any:
    for part in lookup.split("__"):
        obj = getattr(obj, part)
    return obj


def _encode(values: list[Any]) -> str:
    plain = []
    for v in values:
        if isinstance(v, datetime.datetime):
            plain.append({"dt": v.isoformat()})
        elif isinstance(v, datetime.date):
            plain.append({"d": v.isoformat()})
        elif isinstance(v, Decimal):
            plain.append({"n": str(v)})
        else:
            plain.append(v)
    return base64.urlsafe_b64encode(json.dumps(plain, separators=(",", ":")).encode()).decode().rstrip("=")


def _decode(cursor: str, width: int) -> list[Any]:
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode())
        if not isinstance(raw, list) or len(raw) != width:
            raise ValueError
        out: list[Any] = []
        for v in raw:
            if isinstance(v, dict) and "dt" in v:
                out.append(datetime.datetime.fromisoformat(v["dt"]))
            elif isinstance(v, dict) and "d" in v:
                out.append(datetime.date.fromisoformat(v["d"]))
            elif isinstance(v, dict) and "n" in v:
                out.append(Decimal(v["n"]))
            elif v is None or isinstance(v, str | int | float | bool):
                out.append(v)
            else:
                raise ValueError
        return out
    except (ValueError, TypeError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError({"cursor": _("This cursor is not valid; start again from the first page.")}) from exc


def _after(ordering: tuple[str, ...], values: list[Any]) -> Q:
    """Rows that come after ``values`` in ``ordering`` (fields may be descending: "-date")."""
    condition = Q()
    for i, field in enumerate(ordering):
        name = field.lstrip("-")
        step = Q(**{f"{name}__{'lt' if field.startswith('-') else 'gt'}": values[i]})
        for earlier, value in zip(ordering[:i], values[:i], strict=False):
            step &= Q(**{earlier.lstrip("-"): value})
        condition |= step
    return condition


def paginate(
    queryset: QuerySet, *, ordering: tuple[str, ...], cursor: str | None, limit: int | None
) -> tuple[list[Any], str | None]:
    """One page of ``queryset`` in ``ordering`` (which must end with ``pk`` or ``-pk``),
    starting after ``cursor``; returns the rows and the next page's cursor."""
    limit = min(max(limit or DEFAULT_LIMIT, 1), MAX_LIMIT)
    qs = queryset.order_by(*ordering)
    try:
        if cursor:
            qs = qs.filter(_after(ordering, _decode(cursor, len(ordering))))
        rows = list(qs[: limit + 1])
    except (ValueError, TypeError, ValidationError) as exc:  # a cursor with values of the wrong type
        if isinstance(exc, ValidationError) and getattr(exc, "error_dict", None) and "cursor" in exc.error_dict:
            raise
        raise ValidationError({"cursor": _("This cursor is not valid; start again from the first page.")}) from exc
    more = len(rows) > limit
    rows = rows[:limit]
    following = _encode([_read(rows[-1], f.lstrip("-")) for f in ordering]) if more and rows else None
    return rows, following
