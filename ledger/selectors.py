"""Reads over the ledger: the answer engine behind every ledger indicator, and the
filtered activity list."""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db import connection
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Substr
from django.utils import timezone

from campaigns.indicators import month_end, months
from ledger.choices import ImportStatus
from ledger.models import Activity, ActivityKind, ActivityRollup, ImportJob
from orgs.models import Unit


class Summed(Protocol):
    """What the rollups' answer needs of an indicator (``ledger.indicators.LedgerIndicator``,
    which reads its figures from here): a sum of one count field over some families of
    kinds, narrowed by equality filters."""

    code: str
    families: tuple[str, ...]
    measure_field: str
    filters: dict[str, str]

    def condition(self, kind_ids: dict[str, list[int]] | None = None) -> Q: ...

    def kind_pks(self, kind_ids: dict[str, list[int]]) -> list[int]: ...


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


def _children(unit: Unit, known: list[Unit] | None) -> list[Unit]:
    """The unit's child units by code: ``known`` when the caller has them."""
    if known is not None:
        return known
    return list(Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1).order_by("code"))


def _rollup_rows(
    indicators: list[Summed],
    kind_ids: dict[str, list[int]],
    groups: list[tuple[list[int], list[bool]]],
    first: datetime.date,
    last: datetime.date,
) -> list[tuple[int, datetime.date, tuple]]:
    """Sums of each indicator per (unit, month) over the rollups, in one statement: for each
    group of units, those of the indicators it marks (the others read 0), over the rows of
    the kinds they count (the unique index holds the kind: the others are passed over
    without reading their row). Written in plain, portable SQL because compiling thirty-odd
    conditional sums through the ORM costs many times what the database needs to run them."""
    params: list[Any] = []
    table = connection.ops.quote_name(ActivityRollup._meta.db_table)
    selects = []
    for unit_ids, summed in groups:
        columns = []
        kinds: set[int] = set()
        for ind, wanted in zip(indicators, summed, strict=True):
            if not wanted:
                columns.append("0")
                continue
            ids = ind.kind_pks(kind_ids) or [0]
            kinds.update(ids)
            conds = [f"kind_id IN ({', '.join(['%s'] * len(ids))})"]
            params.extend(ids)
            for name, value in ind.filters.items():
                conds.append(f"{connection.ops.quote_name(name)} = %s")
                params.append(value)
            measure = connection.ops.quote_name(ind.measure_field)
            columns.append(f"SUM(CASE WHEN {' AND '.join(conds)} THEN {measure} ELSE 0 END)")
        selects.append(
            f"SELECT unit_id, month, {', '.join(columns)} FROM {table} "
            f"WHERE unit_id IN ({', '.join(['%s'] * len(unit_ids))}) AND month >= %s AND month <= %s "
            f"AND kind_id IN ({', '.join(['%s'] * len(kinds))}) GROUP BY unit_id, month"
        )
        params.extend(unit_ids)
        params.extend([connection.ops.adapt_datefield_value(first), connection.ops.adapt_datefield_value(last)])
        params.extend(sorted(kinds))
    out = []
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), params)
        for row in cursor.fetchall():
            month = row[1] if isinstance(row[1], datetime.date) else datetime.date.fromisoformat(str(row[1])[:10])
            # PostgreSQL sums bigint columns as numeric (Decimal); the figures are whole numbers.
            out.append((row[0], month, tuple(int(v or 0) for v in row[2:])))
    return out


def _measured(name: str) -> Any:
    """The count field of an activity; ``rows`` (the rollup's number of records) counts one
    per activity."""
    return Value(1) if name == "rows" else F(name)


def _sums(indicators: list[Summed], kind_ids: dict[str, list[int]]) -> dict[str, Any]:
    return {
        f"i{n}": Sum(
            Case(
                When(ind.condition(kind_ids), then=_measured(ind.measure_field)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        for n, ind in enumerate(indicators)
    }


# Below this many rows, counting the rows of some days by the date index is cheap; a cut
# month's side with fewer rows is read when one side stays below it.
_PROBE = 5000


def _probe(first: datetime.date, last: datetime.date) -> int:
    """The number of activities dated from ``first`` to ``last`` (anywhere), up to ``_PROBE``."""
    return Activity.objects.filter(date__gte=first, date__lte=last).order_by()[:_PROBE].count()


def _left_out(first: datetime.date, last: datetime.date, month: datetime.date) -> list[tuple]:
    """The days of ``month`` outside ``first``..``last``, as (first, last) ranges."""
    out = []
    if first > month:
        out.append((month, first - datetime.timedelta(days=1)))
    if last < month_end(month):
        out.append((last + datetime.timedelta(days=1), month_end(month)))
    return out


def _read_left_out(first: datetime.date, last: datetime.date, month: datetime.date) -> bool:
    """Whether a month that the range cuts is best read as its rollup less the rows of the days
    the range leaves out (fewer rows than the days it keeps), rather than from the rows of
    the days it keeps. Either way gives the same figures."""
    left_out = sum(_probe(a, b) for a, b in _left_out(first, last, month))
    return left_out < _PROBE and left_out < _probe(first, last)


def answer(
    unit: Unit,
    start: datetime.date,
    end: datetime.date,
    indicators: list[Summed],
    *,
    by_children: bool | Collection[str] = True,
    by_month: bool | Collection[str] = True,
    children: list[Unit] | None = None,
) -> Figures:
    """The total of each indicator, and the figures per child unit and per month of those
    that ``by_children`` and ``by_month`` ask for (all when True, none when False, or those
    whose code the collection holds), in one grouped query over the rollups of ``unit`` (every
    indicator) and of its children (those asked for per child) for the whole months of the
    range, plus one over the rows for the months the range cuts: the rows of the days it
    keeps, or, where the days it leaves out hold fewer rows (the range starts on the
    campaign's first day, late in its month), the month's rollup less the rows of the days
    left out. ``children`` spares the query of the unit's children when the caller has them."""
    codes = [i.code for i in indicators]
    width = len(codes)
    child_codes = [c for c in codes if (c in by_children if not isinstance(by_children, bool) else by_children)]
    month_codes = [c for c in codes if (c in by_month if not isinstance(by_month, bool) else by_month)]
    touched = months(start, end) if start <= end else []
    full = [m for m in touched if m >= start and month_end(m) <= end]
    edges = [(max(m, start), min(month_end(m), end), m) for m in touched if m not in full]
    kids = _children(unit, children) if child_codes or by_children is True else []
    # Values are kept as lists in the order of ``indicators`` and summed column-wise.
    rows_of_total: list[tuple] = []
    rows_by_month: dict[datetime.date, list[tuple]] = {m: [] for m in touched}
    rows_by_child: dict[int, list[tuple]] = {c.pk: [] for c in kids}
    child_by_prefix = {c.path: c.pk for c in kids}
    kind_ids = _kind_ids()
    # (first, last, sign) of the rows to read: +1 for kept days, -1 for days left out of a
    # month read from its rollup.
    spans: list[tuple[datetime.date, datetime.date, int]] = []
    from_rollup = set(full)
    for first, last, month in edges if indicators else []:
        if _read_left_out(first, last, month):
            from_rollup.add(month)
            spans += [(a, b, -1) for a, b in _left_out(first, last, month)]
        else:
            spans.append((first, last, 1))
    if from_rollup and indicators:
        read = sorted(from_rollup)
        wanted = [c in child_codes for c in codes]
        if all(wanted):
            groups = [([unit.pk, *rows_by_child], wanted)]
        else:
            groups = [([unit.pk], [True] * width), *([([c.pk for c in kids], wanted)] if kids else [])]
        for unit_id, month, values in _rollup_rows(indicators, kind_ids, groups, read[0], read[-1]):
            if month not in from_rollup:
                continue
            if unit_id == unit.pk:
                rows_of_total.append(values)
                rows_by_month[month].append(values)
            else:
                rows_by_child[unit_id].append(values)
    if spans:
        cut = Q()
        for first, last, _sign in spans:
            cut |= Q(date__gte=first, date__lte=last)
        step = Unit.steplen
        qs = (
            Activity.objects.filter(cut, unit__path__startswith=unit.path)
            .annotate(prefix=Substr("unit__path", 1, (unit.depth + 1) * step))
            .values("prefix", "date")
            .annotate(**_sums(indicators, kind_ids))
            .order_by()
        )
        # Grouped by the day, not by the month: a cut month holds at most 30 days, and SQLite
        # extracts a month through Python for every row.
        for row in qs:
            sign = next(sign for first, last, sign in spans if first <= row["date"] <= last)
            values = tuple(sign * (row[f"i{n}"] or 0) for n in range(width))
            rows_of_total.append(values)
            rows_by_month[row["date"].replace(day=1)].append(values)
            if row["prefix"] in child_by_prefix:
                rows_by_child[child_by_prefix[row["prefix"]]].append(values)

    def summed(rows: list[tuple], wanted: list[str]) -> dict[str, int]:
        if not rows:
            return dict.fromkeys(wanted, 0)
        sums = dict(zip(codes, [sum(column) for column in zip(*rows, strict=True)], strict=True))
        return {c: sums[c] for c in wanted}

    return Figures(
        total=summed(rows_of_total, codes),
        children=[(c, summed(rows_by_child[c.pk], child_codes)) for c in kids],
        months=[(m, summed(rows_by_month[m], month_codes)) for m in touched] if month_codes or by_month is True else [],
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


# --- work waiting ---------------------------------------------------------------------------
def refused_imports(user: Any, *, days: int = 14) -> QuerySet:
    """The user's own imports refused in the last ``days`` days and not followed by a
    successful import of the same kind into the same unit: files to correct and upload
    again."""
    if not user.is_authenticated:
        return ImportJob.objects.none()
    later = ImportJob.objects.filter(
        created_by=OuterRef("created_by"),
        unit=OuterRef("unit"),
        kind=OuterRef("kind"),
        status=ImportStatus.DONE,
        created_at__gt=OuterRef("created_at"),
    )
    since = timezone.now() - datetime.timedelta(days=days)
    return (
        ImportJob.objects.visible_to(user)
        .filter(created_by=user, status=ImportStatus.FAILED, created_at__gte=since)
        .exclude(Exists(later))
        .select_related("unit", "kind")
        .order_by("-created_at")
    )
