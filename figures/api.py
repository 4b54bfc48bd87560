"""The indicators in the API: the values of the catalogue's indicators for a unit and a
period, with their breakdowns by child unit or by month, and the rows behind a value; the
same figures as the indicator pages. Mounted at /api/v1/indicators."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, Literal

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.decorators import decorate_view

from campaigns.indicators import Indicator
from core.api import messages as m
from core.api.errors import refuse
from core.api.pagination import paginate
from core.api.schemas import Names, responses
from figures import catalogue, reading
from figures.selectors import campaign_named
from orgs.access import STAFF_ROLES
from orgs.api_auth import guard
from orgs.models import Unit
from orgs.selectors import unit_in_scope

router = Router(tags=["indicators"])


class AuthedRequest(HttpRequest):
    """A request that passed the API's authentication: ``auth`` is the calling account."""

    auth: Any


class MonthValue(Schema):
    month: datetime.date
    value: int | float | None


class ChildValue(Schema):
    unit: str
    name: str
    value: int | float | None
    own: bool = Field(
        False,
        description="The unit's own records (its own level), which lie in none of its children: the first row, so that the "
        "rows of a count or a sum add up to the value.",
    )


class IndicatorValue(Schema):
    code: str
    section: str
    kind: str
    version: int
    name: str
    names: Names
    measure: Names
    definition: Names
    value: int | float | None
    children: list[ChildValue] | None = None
    months: list[MonthValue] | None = None


class IndicatorsOut(Schema):
    unit: str
    unit_name: str
    start: datetime.date = Field(alias="from")
    end: datetime.date = Field(alias="to")
    items: list[IndicatorValue]


class RangeQuery(Schema):
    unit: str | None = Field(None, description="A unit's code (default: the largest subtree of your scope).")
    campaign: int | None = Field(
        None, description="A campaign's number, whose period is the default range (default: the unit's newest)."
    )
    start: datetime.date | None = Field(None, alias="from", description="First day (default: the campaign's start).")
    end: datetime.date | None = Field(
        None, alias="to", description="Last day, inclusive (default: the campaign's end)."
    )


class IndicatorsQuery(RangeQuery):
    codes: str | None = Field(None, description="Comma-separated indicator codes (default: all).")
    breakdown: Literal["children", "month"] | None = None


def _names(texts: dict[str, str]) -> dict[str, str]:
    return {"zh": texts.get("zh-hans", ""), "bo": texts.get("bo", ""), "en": texts.get("en", "")}


def _number(value: Any) -> int | float | None:
    if isinstance(value, Decimal):
        return float(value)
    return value


def _range(account: Any, q: RangeQuery) -> tuple[Unit, datetime.date, datetime.date]:
    unit = unit_in_scope(account, q.unit)
    assert unit is not None  # the reader's home unit by default, else 404
    try:
        campaign = campaign_named(account, unit, q.campaign)
    except LookupError:
        raise refuse(["query", "campaign"], str(m.NO_CAMPAIGN)) from None
    today = datetime.date.today()
    start = q.start or (campaign.start.replace(day=1) if campaign else datetime.date(today.year, 1, 1))
    end = q.end or (campaign.end if campaign else today)
    if start > end:
        raise refuse(["query", "from"], str(m.FIRST_AFTER_LAST))
    if (end - start).days > 366 * 20:
        raise refuse(["query", "to"], str(m.RANGE_TOO_LONG))
    return unit, start, end


def _indicator(code: str) -> Indicator:
    try:
        return catalogue.get(code)
    except KeyError as exc:
        raise Http404 from exc


@router.get("", response=responses(IndicatorsOut), summary="Indicator values for a unit and a period", by_alias=True)
@decorate_view(guard(*STAFF_ROLES))
def indicator_values(request: AuthedRequest, q: Query[IndicatorsQuery]):
    """For each code: the value over the unit's subtree and the inclusive date range, its
    unit of measure and names; ``breakdown=children`` adds the value of the unit's own records
    (``own``, first) and of each unit directly below, ``breakdown=month`` the value of each calendar month."""
    unit, start, end = _range(request.auth, q)
    chosen = catalogue.all_indicators()
    if q.codes:
        wanted = [c.strip() for c in q.codes.split(",") if c.strip()]
        unknown = [c for c in wanted if c not in set(catalogue.codes())]
        if unknown:
            raise refuse(["query", "codes"], m.UNKNOWN_INDICATOR % {"codes": ", ".join(unknown)[:200]})
        chosen = [catalogue.get(c) for c in dict.fromkeys(wanted)]
    reader = reading.Reader(unit, start, end)
    codes = [i.code for i in chosen]
    totals = reader.totals(codes)
    per_child = reader.by_children(codes) if q.breakdown == "children" else {}
    own = reader.own(codes, totals, per_child) if q.breakdown == "children" and reader.children() else {}
    first_days, per_month = reader.by_month(codes) if q.breakdown == "month" else ([], {})
    items = []
    for ind in chosen:
        item: dict[str, Any] = {
            "code": ind.code,
            "section": ind.section,
            "kind": ind.kind,
            "version": ind.version,
            "name": ind.label,
            "names": _names(ind.name),
            "measure": _names(ind.measure),
            "definition": _names(ind.definition),
            "value": _number(totals[ind.code]),
        }
        if q.breakdown == "children":
            item["children"] = [
                {"unit": c.code, "name": c.name, "value": _number(per_child[ind.code].get(c.pk, 0))}
                for c in reader.children()
            ]
            if own:
                mine = {"unit": unit.code, "name": str(reading.OWN_LEVEL), "value": _number(own[ind.code]), "own": True}
                item["children"].insert(0, mine)
        elif q.breakdown == "month":
            item["months"] = [
                {"month": first, "value": _number(v)} for first, v in zip(first_days, per_month[ind.code], strict=True)
            ]
        items.append(item)
    return {"unit": unit.code, "unit_name": unit.name, "from": start, "to": end, "items": items}


class RowsQuery(RangeQuery):
    cursor: str | None = None
    limit: int = Field(50, ge=1, le=500)


Cell = str | int | float | bool | None


class RowOut(Schema):
    id: int
    cells: list[Cell]


class RowsOut(Schema):
    indicator: str
    model: str
    columns: list[str]
    items: list[RowOut]
    next: str | None = None


def _cell(value: Any) -> Cell:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


@router.get("/{indicator}/rows", response=responses(RowsOut), summary="The rows behind an indicator's value")
@decorate_view(guard(*STAFF_ROLES))
def indicator_rows(request: AuthedRequest, indicator: str, q: Query[RowsQuery]):
    """Exactly the rows that make the value for the unit and the range (for a count or a
    sum, summing them gives the value), with the indicator's columns."""
    ind = _indicator(indicator)
    unit, start, end = _range(request.auth, q)
    qs = ind.rows(unit, start, end)
    if hasattr(qs, "visible_to"):
        qs = qs.visible_to(request.auth)
    rows, following = paginate(qs, ordering=("pk",), cursor=q.cursor, limit=q.limit)
    return {
        "indicator": ind.code,
        "model": qs.model._meta.label_lower,
        "columns": [str(c.label) for c in ind.row_columns],
        "items": [{"id": r.pk, "cells": [_cell(c.value(r)) for c in ind.row_columns]} for r in rows],
        "next": following,
    }
