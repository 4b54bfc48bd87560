"""Reads over the ledger: the answer engine behind every ledger indicator, and the
filtered activity list."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Case, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Substr

from campaigns.indicators import month_end, months
from ledger.indicators import LedgerIndicator
from ledger.models import Activity, ActivityKind, ActivityRollup, ImportJob
from orgs.models import Unit


@dataclass
class Figures:
    """Values of some indicators for a unit's subtree and a date range: the total, one row
    per child unit and one per month (each a mapping code -> value)."""

    total: dict[str, int]
    children: list[tuple[Unit, dict[str, int]]] = field(default_factory=list)
    months: list[tuple[datetime.date, dict[str, int]]] = field(default_factory=list)


def _kind_ids() -> dict[str, list[int]]:
    """The kinds of each family (one small query; the catalogue can change at any time)."""
    kind_ids: dict[str, list[int]] = {}
    for pk, family in ActivityKind.objects.values_list("pk", "family"):
        kind_ids.setdefault(family, []).append(pk)
    return kind_ids


def _rollup_rows(
    indicators: list[LedgerIndicator],
    kind_ids: dict[str, list[int]],
    unit_ids: list[int],
    first: datetime.date,
    last: datetime.date,
) -> list[tuple[int, datetime.date, tuple]]:
    """Sums of each indicator per (unit, month) over the rollups, in one statement. Written
    in plain, portable SQL because compiling thirty-odd conditional sums through the ORM
    costs many times what the database needs to run them."""
    params: list[Any] = []
    columns = []
    for ind in indicators:
        ids = [pk for f in ind.families for pk in kind_ids.get(f, [])] or [0]
        conds = [f"kind_id IN ({', '.join(['%s'] * len(ids))})"]
        params.extend(ids)
        for name, value in ind.filters.items():
            conds.append(f"{connection.ops.quote_name(name)} = %s")
            params.append(value)
        measure = connection.ops.quote_name(ind.measure_field)
        columns.append(f"SUM(CASE WHEN {' AND '.join(conds)} THEN {measure} ELSE 0 END)")
    table = connection.ops.quote_name(ActivityRollup._meta.db_table)
    sql = (
        f"SELECT unit_id, month, {', '.join(columns)} FROM {table} "
        f"WHERE unit_id IN ({', '.join(['%s'] * len(unit_ids))}) AND month >= %s AND month <= %s "
        "GROUP BY unit_id, month"
    )
    params.extend(unit_ids)
    params.extend([connection.ops.adapt_datefield_value(first), connection.ops.adapt_datefield_value(last)])
    out = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            month = row[1] if isinstance(row[1], datetime.date) else datetime.date.fromisoformat(str(row[1])[:10])
            # PostgreSQL sums bigint columns as numeric (Decimal); the figures are whole numbers.
            out.append((row[0], month, tuple(int(v or 0) for v in row[2:])))
    return out


def _sums(indicators: list[LedgerIndicator], kind_ids: dict[str, list[int]]) -> dict[str, Any]:
    return {
        f"i{n}": Sum(
            Case(
                When(ind.condition(kind_ids), then=F(ind.measure_field)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        for n, ind in enumerate(indicators)
    }


def answer(
    unit: Unit,
    start: datetime.date,
    end: datetime.date,
    indicators: list[LedgerIndicator],
    *,
    by_children: bool = True,
    by_month: bool = True,
) -> Figures:
    """The figures in one grouped query over the rollups of ``unit`` and its children for the
    whole months of the range, plus one over the rows for a month the range cuts."""
    codes = [i.code for i in indicators]
    width = len(codes)
    touched = months(start, end) if start <= end else []
    full = [m for m in touched if m >= start and month_end(m) <= end]
    edges = [(max(m, start), min(month_end(m), end), m) for m in touched if m not in full]
    kids = (
        list(Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1).order_by("code"))
        if by_children
        else []
    )
    # Values are kept as lists in the order of ``indicators`` and summed column-wise.
    rows_of_total: list[tuple] = []
    rows_by_month: dict[datetime.date, list[tuple]] = {m: [] for m in touched}
    rows_by_child: dict[int, list[tuple]] = {c.pk: [] for c in kids}
    child_by_prefix = {c.path: c.pk for c in kids}
    kind_ids = _kind_ids()
    if full and indicators:
        for unit_id, month, values in _rollup_rows(indicators, kind_ids, [unit.pk, *rows_by_child], full[0], full[-1]):
            if unit_id == unit.pk:
                rows_of_total.append(values)
                rows_by_month[month].append(values)
            else:
                rows_by_child[unit_id].append(values)
    if edges and indicators:
        cut = Q()
        for first, last, _m in edges:
            cut |= Q(date__gte=first, date__lte=last)
        step = Unit.steplen
        qs = (
            Activity.objects.filter(cut, unit__path__startswith=unit.path)
            .annotate(prefix=Substr("unit__path", 1, (unit.depth + 1) * step))
            .values("prefix", "date__month", "date__year")
            .annotate(**_sums(indicators, kind_ids))
            .order_by()
        )
        for row in qs:
            values = tuple(row[f"i{n}"] or 0 for n in range(width))
            rows_of_total.append(values)
            rows_by_month[datetime.date(row["date__year"], row["date__month"], 1)].append(values)
            if row["prefix"] in child_by_prefix:
                rows_by_child[child_by_prefix[row["prefix"]]].append(values)

    def summed(rows: list[tuple]) -> dict[str, int]:
        if not rows:
            return dict.fromkeys(codes, 0)
        return dict(zip(codes, [sum(column) for column in zip(*rows, strict=True)], strict=True))

    return Figures(
        total=summed(rows_of_total),
        children=[(c, summed(rows_by_child[c.pk])) for c in kids],
        months=[(m, summed(rows_by_month[m])) for m in touched] if by_month else [],
    )


SORTS = {
    "date": ("date", "pk"),
    "-date": ("-date", "-pk"),
    "unit": ("unit__code", "date", "pk"),
    "-unit": ("-unit__code", "-date", "-pk"),
    "kind": ("kind__order", "kind__code", "date", "pk"),
    "-kind": ("-kind__order", "-kind__code", "-date", "-pk"),
    "sessions": ("sessions", "pk"),
    "-sessions": ("-sessions", "-pk"),
    "participants": ("participants", "pk"),
    "-participants": ("-participants", "-pk"),
    "copies": ("copies", "pk"),
    "-copies": ("-copies", "-pk"),
}


def activities_for(
    user: Any,
    *,
    unit: Unit | None = None,
    section: str = "",
    kind: ActivityKind | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    venue_kind: str = "",
    language: str = "",
    sort: str = "-date",
) -> QuerySet[Activity]:
    """Activities the user may see, narrowed by the list's filters."""
    qs = Activity.objects.visible_to(user).select_related("unit", "kind")
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if section:
        qs = qs.filter(kind__section=section)
    if kind is not None:
        qs = qs.filter(kind=kind)
    if start:
        qs = qs.filter(date__gte=start)
    if end:
        qs = qs.filter(date__lte=end)
    if venue_kind:
        qs = qs.filter(venue_kind=venue_kind)
    if language:
        qs = qs.filter(language=language)
    return qs.order_by(*SORTS.get(sort, SORTS["-date"]))


def imports_of(user: Any) -> QuerySet[ImportJob]:
    return ImportJob.objects.filter(created_by=user).select_related("kind")[:10]
