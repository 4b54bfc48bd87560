"""API endpoints of the ledger: activities (list with the page's filters, read, create,
update, delete, and a bulk create of up to 10,000 rows) and the indicator catalogue (values,
breakdowns and the rows behind a value), which the ledger's indicator pages also serve."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, Literal

from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.decorators import decorate_view

from campaigns import indicators as catalogue
from core.api import messages as m
from core.api.errors import InputErrors, refuse
from core.api.pagination import paginate
from core.api.schemas import COUNT_MAX, Names, Page, Scalar, Text, responses
from ledger import selectors, services
from ledger.choices import OPTIONAL_FIELD_NAMES
from ledger.indicators import LedgerIndicator
from ledger.models import Activity, ActivityKind
from ledger.records import ACTIVITY
from orgs.access import STAFF_ROLES
from orgs.api_auth import guard
from orgs.choices import Role
from orgs.models import Unit
from orgs.scope import get_visible_or_404, scope_paths

WRITERS = (Role.OFFICE_ADMIN, Role.REPORTER)
BULK_MAX = 10_000

activities = Router(tags=["activities"])
indicators = Router(tags=["indicators"])


# --- schemas ---------------------------------------------------------------------------------


class ActivityOut(Schema):
    id: int
    unit: str
    unit_name: str
    kind: str
    kind_name: str
    date: datetime.date
    title: str
    sessions: int
    participants: int
    venue_kind: str
    language: str
    copies: int
    outlet_level: str
    target: str
    lecturers: str
    place: str
    notes: str
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime


def activity_out(a: Activity) -> dict[str, Any]:
    return {
        "id": a.pk,
        "unit": a.unit.code,
        "unit_name": a.unit.name,
        "kind": a.kind.code,
        "kind_name": a.kind.name,
        "date": a.date,
        **{name: getattr(a, name) for name in OPTIONAL_FIELD_NAMES},
        "version": a.version,
        "created_at": a.created_at,
        "updated_at": a.updated_at,
    }


def _f(name: str) -> Any:
    return Scalar(ACTIVITY[name])


class ActivityFields(Schema):
    """The optional fields of an activity; which apply, and which are required, depends on
    its kind (see the kind catalogue). Fields that do not apply are ignored. Each is checked
    by the activity's definition (``ledger.records``), as in the form and the import."""

    title: _f("title") = None
    sessions: _f("sessions") = None
    participants: _f("participants") = None
    venue_kind: _f("venue_kind") = None
    language: _f("language") = None
    copies: _f("copies") = None
    outlet_level: _f("outlet_level") = None
    target: _f("target") = None
    lecturers: _f("lecturers") = None
    place: _f("place") = None
    notes: _f("notes") = None


class ActivityIn(ActivityFields):
    unit: Text(32) = Field(description="Code of the unit that held the activity.")
    kind: Text(40) = Field(description="Code of the kind of activity.")
    date: datetime.date


class ActivityPatch(ActivityFields):
    version: int = Field(ge=0, le=COUNT_MAX, description="The version you read; refused if it changed meanwhile.")
    unit: Text(32) | None = None
    date: datetime.date | None = None


class BulkRow(Schema):
    """One row of a bulk create. Typed loosely on purpose: every problem of every row is
    reported at once, by row and field, rather than the first type error stopping the rest."""

    unit: str | int | None = None
    kind: str | None = None
    date: str | None = None
    title: str | None = None
    sessions: int | float | str | None = None
    participants: int | float | str | None = None
    venue_kind: str | None = None
    language: str | None = None
    copies: int | float | str | None = None
    outlet_level: str | None = None
    target: str | None = None
    lecturers: str | None = None
    place: str | None = None
    notes: str | None = None


class BulkIn(Schema):
    rows: list[BulkRow] = Field(min_length=1, max_length=BULK_MAX)


class BulkOut(Schema):
    created: int


class ActivityFilter(Schema):
    unit: str | None = Field(None, description="A unit's code: its whole subtree.")
    section: Literal["learning", "lectures"] | None = None
    kind: str | None = Field(None, description="A kind's code.")
    start: datetime.date | None = None
    end: datetime.date | None = None
    venue_kind: str | None = None
    language: str | None = None
    sort: Literal[tuple(selectors.SORTS)] = "-date"  # type: ignore[valid-type]  (the schema lists the sort table)
    cursor: str | None = None
    limit: int = Field(50, ge=1, le=500)


# --- helpers ---------------------------------------------------------------------------------


def _activity(account: Any, activity_id: int) -> Activity:
    return get_visible_or_404(Activity.objects.select_related("unit", "kind"), account, pk=activity_id)


def _unit_for_write(account: Any, code: str) -> Unit:
    unit = Unit.objects.visible_to(account).filter(code=(code or "").strip()).first()
    if unit is None:
        raise ValidationError({"unit": _("No unit with this code in your scope.")})
    return unit


def _kind(code: str) -> ActivityKind:
    kind = ActivityKind.objects.filter(code=(code or "").strip()).first()
    if kind is None:
        raise ValidationError({"kind": _("Unknown kind of activity.")})
    return kind


# --- activities --------------------------------------------------------------------------------


@activities.get("", response=responses(Page[ActivityOut]), summary="Activities, with the list page's filters")
@decorate_view(guard(*STAFF_ROLES))
def list_activities(request: HttpRequest, q: Query[ActivityFilter]):
    unit = get_visible_or_404(Unit.objects.all(), request.auth, code=q.unit) if q.unit else None
    kind = None
    if q.kind:
        kind = ActivityKind.objects.filter(code=q.kind).first()
        if kind is None:
            raise refuse(["query", "kind"], _("Unknown kind of activity."))
    qs = selectors.activities_for(
        request.auth,
        unit=unit,
        section=q.section or "",
        kind=kind,
        start=q.start,
        end=q.end,
        venue_kind=q.venue_kind or "",
        language=q.language or "",
        sort=q.sort,
    )
    rows, following = paginate(qs, ordering=selectors.SORTS[q.sort], cursor=q.cursor, limit=q.limit)
    return {"items": [activity_out(a) for a in rows], "next": following}


# The bulk route comes before /{activity_id}, which would otherwise take "bulk" for an id.


def _check_row(batch: services.BatchCheck, index: int, row: BulkRow, out: list[tuple]) -> list[dict[str, Any]]:
    """One row through the batch check the xlsx import also uses; refusals by location."""
    cells = {name: value for name, value in row.dict().items() if value is not None}
    good, errors = batch.check(cells)
    if good is not None:
        out.append(good)
    return [
        {"loc": ["body", "rows", index, name], "msg": str(msg), "type": "value_error"} for name, msg in errors.items()
    ]


@activities.post("/bulk", response=responses(BulkOut, 201), summary="Record up to 10,000 activities at once")
@decorate_view(guard(*WRITERS))
def bulk_create(request: HttpRequest, payload: BulkIn):
    """Every row is checked first and every problem is returned at once, each with its row
    (``loc``: ``["body", "rows", <index from 0>, <field>]``); nothing is written unless no row
    has a problem. Then one transaction writes all rows, their rollups and one audit entry."""
    codes = [services.BatchCheck.code(r.unit) for r in payload.rows if r.unit not in (None, "")]
    batch = services.BatchCheck(request.auth, codes=codes)
    found: list[dict[str, Any]] = []
    good: list[tuple] = []
    for index, row in enumerate(payload.rows):
        found.extend(_check_row(batch, index, row, good))
    if found:
        raise InputErrors(found)
    created = services.import_activities(actor=request.auth, rows=good)
    subject = getattr(request, "api_token", None) or request.auth
    LogEntry.objects.log_create(
        subject,
        force_log=True,
        action=LogEntry.Action.CREATE,
        changes={"activities created through the API": ["0", str(created)]},
        actor=request.auth,
    )
    return Status(201, {"created": created})


@activities.get("/{activity_id}", response=responses(ActivityOut), summary="One activity")
@decorate_view(guard(*STAFF_ROLES, lookup=_activity))
def get_activity(request: HttpRequest, activity_id: int):
    return activity_out(_activity(request.auth, activity_id))


@activities.post("", response=responses(ActivityOut, 201), summary="Record an activity")
@decorate_view(guard(*WRITERS))
def create_activity(request: HttpRequest, payload: ActivityIn):
    data = payload.dict(exclude_unset=True)
    unit = _unit_for_write(request.auth, data.pop("unit"))
    kind = _kind(data.pop("kind"))
    day = data.pop("date")
    activity = services.record_activity(actor=request.auth, unit=unit, kind=kind, date=day, **data)
    return Status(201, activity_out(_activity(request.auth, activity.pk)))


@activities.patch("/{activity_id}", response=responses(ActivityOut), summary="Change an activity")
@decorate_view(guard(*WRITERS, lookup=_activity))
def update_activity(request: HttpRequest, activity_id: int, payload: ActivityPatch):
    activity = _activity(request.auth, activity_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    code = data.pop("unit", None)
    unit = _unit_for_write(request.auth, code) if code else None
    services.update_activity(actor=request.auth, activity=activity, version=version, unit=unit, **data)
    return activity_out(_activity(request.auth, activity_id))


@activities.delete("/{activity_id}", response=responses(None, 204), summary="Delete an activity")
@decorate_view(guard(*WRITERS, lookup=_activity))
def delete_activity(request: HttpRequest, activity_id: int):
    services.delete_activity(actor=request.auth, activity=_activity(request.auth, activity_id))
    return Status(204, None)


# --- indicators --------------------------------------------------------------------------------


class MonthValue(Schema):
    month: datetime.date
    value: int | float | None


class ChildValue(Schema):
    unit: str
    name: str
    value: int | float | None


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
    unit: str | None = Field(None, description="A unit's code (default: the top of your scope).")
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


def _home_unit(account: Any) -> Unit:
    paths = scope_paths(account)
    qs = Unit.objects.all() if paths is None else Unit.objects.filter(path__in=paths or [])
    unit = qs.order_by("path").first()
    if unit is None:
        from django.http import Http404

        raise Http404
    return unit


def _range(account: Any, q: RangeQuery) -> tuple[Unit, datetime.date, datetime.date]:
    unit = get_visible_or_404(Unit.objects.all(), account, code=q.unit) if q.unit else _home_unit(account)
    campaign = services.campaign_for(unit)
    today = datetime.date.today()
    start = q.start or (campaign.start.replace(day=1) if campaign else datetime.date(today.year, 1, 1))
    end = q.end or (campaign.end if campaign else today)
    if start > end:
        raise refuse(["query", "from"], m.FIRST_AFTER_LAST)
    if (end - start).days > 366 * 20:
        raise refuse(["query", "to"], m.RANGE_TOO_LONG)
    return unit, start, end


def _indicator(code: str) -> catalogue.Indicator:
    try:
        return catalogue.get(code)
    except KeyError as exc:
        from django.http import Http404

        raise Http404 from exc


@indicators.get(
    "", response=responses(IndicatorsOut), summary="Indicator values for a unit and a period", by_alias=True
)
@decorate_view(guard(*STAFF_ROLES))
def indicator_values(request: HttpRequest, q: Query[IndicatorsQuery]):
    """For each code: the value over the unit's subtree and the inclusive date range, its
    unit of measure and names; ``breakdown=children`` adds the value of each unit directly
    below, ``breakdown=month`` the value of each calendar month."""
    unit, start, end = _range(request.auth, q)
    chosen = catalogue.all_indicators()
    if q.codes:
        wanted = [c.strip() for c in q.codes.split(",") if c.strip()]
        unknown = [c for c in wanted if c not in set(catalogue.codes())]
        if unknown:
            raise refuse(["query", "codes"], m.UNKNOWN_INDICATOR % {"codes": ", ".join(unknown)[:200]})
        chosen = [catalogue.get(c) for c in dict.fromkeys(wanted)]
    ours = [i for i in chosen if isinstance(i, LedgerIndicator)]
    figures = (
        selectors.answer(unit, start, end, ours, by_children=q.breakdown == "children", by_month=q.breakdown == "month")
        if ours
        else None
    )
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
        }
        if figures is not None and ind.code in figures.total:
            item["value"] = _number(figures.total[ind.code])
            if q.breakdown == "children":
                item["children"] = [
                    {"unit": c.code, "name": c.name, "value": _number(v[ind.code])} for c, v in figures.children
                ]
            elif q.breakdown == "month":
                item["months"] = [{"month": m, "value": _number(v[ind.code])} for m, v in figures.months]
        else:
            item["value"] = _number(ind.value(unit, start, end))
            if q.breakdown == "children":
                item["children"] = [
                    {"unit": c.code, "name": c.name, "value": _number(v)} for c, v in ind.by_children(unit, start, end)
                ]
            elif q.breakdown == "month":
                item["months"] = [{"month": m, "value": _number(v)} for m, v in ind.by_month(unit, start, end)]
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


@indicators.get("/{indicator}/rows", response=responses(RowsOut), summary="The rows behind an indicator's value")
@decorate_view(guard(*STAFF_ROLES))
def indicator_rows(request: HttpRequest, indicator: str, q: Query[RowsQuery]):
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
