"""The indicator engine: reads many grouped indicators at once, with one query per queryset
of rows for the totals, the figures per child unit and per month.

A ``GroupedIndicator`` (``campaigns.indicators``) names its rows (``facts``), how they group
by child unit (``path_field``) and by month (``date_field``), and its measures; ``answer``
folds the measures of every indicator over the same rows out of the same grouped queries.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import DateTimeField, QuerySet
from django.db.models.functions import Substr, TruncMonth
from django.utils import timezone

from campaigns.indicators import GroupedIndicator, Number, children_of, months
from orgs.models import Unit


@dataclass
class Answers:
    """Figures of some grouped indicators for one unit and range: code -> total, code ->
    [(child, value)], code -> [(first day of month, value)]."""

    total: dict[str, Number] = field(default_factory=dict)
    children: dict[str, list[tuple[Unit, Number]]] = field(default_factory=dict)
    months: dict[str, list[tuple[datetime.date, Number]]] = field(default_factory=dict)


def _month_of(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.date().replace(day=1)
    return value.replace(day=1)


def _grouped(qs: QuerySet, key: Any, aggregates: dict[str, Any]) -> dict[Any, dict[str, Any]]:
    rows = qs.annotate(group_key=key).values("group_key").annotate(**aggregates).order_by()
    return {row.pop("group_key"): row for row in rows}


def _summed_by_child(qs: QuerySet, path_field: str, width: int, aggregates: dict[str, Any]) -> dict[str, dict]:
    """Summable measures per child, grouped by the unit's path and added up here: in the
    order of the path index the database groups without sorting every row, while a group
    by the child's path prefix would."""
    rows = qs.values(path_field).annotate(**aggregates).order_by().values_list(path_field, *aggregates)
    groups: dict[str, dict] = {}
    for path, *values in rows:
        into = groups.setdefault(path[:width], dict.fromkeys(aggregates, 0))
        for name, value in zip(aggregates, values, strict=True):
            into[name] += value or 0
    return groups


def _sum_totals(out: Answers, groups: dict, chosen: list[tuple[int, GroupedIndicator]], pending: set[str]) -> None:
    """The totals of the pending summable indicators among ``chosen``: the sums of their
    measures over all groups (every row of the facts falls in exactly one)."""
    for n, ind in chosen:
        if ind.code in pending and ind.summable():
            parts = [_own(got, n) for got in groups.values()]
            sums = {name: sum(p[name] or 0 for p in parts) for name in parts[0]} if parts else {}
            out.total[ind.code] = ind.figure(sums)
            pending.discard(ind.code)


def _aggregates(chosen: list[tuple[int, GroupedIndicator]], start: datetime.date, end: datetime.date) -> dict:
    """The measures of the chosen indicators of a batch, each named after its place in it."""
    return {f"i{n}_{name}": agg for n, ind in chosen for name, agg in ind.measures(start, end).items()}


def _own(got: dict[str, Any], n: int) -> dict[str, Any]:
    """The measures of the ``n``-th indicator among the aggregates of a batch."""
    prefix = f"i{n}_"
    return {name[len(prefix) :]: v for name, v in got.items() if name.startswith(prefix)}


class FirstOfMonth(TruncMonth):
    """The first day of a date's month. On SQLite, where a date is stored as 'YYYY-MM-DD'
    text, it is cut from the text by the database itself: Django's own ``TruncMonth`` there
    calls back into Python for every row."""

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.lhs)
        return f"SUBSTR({sql}, 1, 8) || '01'", params


def _month_trunc(qs: QuerySet, date_field: str) -> TruncMonth:
    if isinstance(qs.model._meta.get_field(date_field), DateTimeField):
        return TruncMonth(date_field, tzinfo=timezone.get_current_timezone())
    return FirstOfMonth(date_field)


def answer(
    indicators: list[GroupedIndicator],
    unit: Unit,
    start: datetime.date,
    end: datetime.date,
    *,
    total: bool | Iterable[str] = True,
    per_child: Iterable[str] = (),
    per_month: Iterable[str] = (),
    child_units: list[Unit] | None = None,
) -> Answers:
    """The total of each indicator (when ``total`` is true; of the codes in it when it is a
    collection of codes), and for the codes in ``per_child`` and ``per_month`` their figure
    for each child unit and each calendar month of the range.

    Indicators over the same rows share their queries: for each ``facts`` one query grouped
    by child unit (when one of them is wanted per child), one grouped by month (likewise) and
    one aggregate for the totals that the groups do not give (the total of a summable figure
    is the sum over the groups of either, the unit's own rows making a child group of their
    own). ``child_units`` spares the query of the unit's children when the caller has them."""
    per_child, per_month = set(per_child), set(per_month)
    totals = {i.code for i in indicators} if total is True else set(total or ())
    out = Answers()
    kids = child_units
    sources: dict[tuple, list[tuple[int, GroupedIndicator]]] = {}
    for n, ind in enumerate(indicators):
        key = (ind.facts, ind.path_field, ind.date_field, ind.code if ind.alone else "")
        sources.setdefault(key, []).append((n, ind))
    for (facts, path_field, date_field, _alone), members in sources.items():
        if not any(ind.code in totals or ind.code in per_child or ind.code in per_month for _n, ind in members):
            continue
        qs = facts(unit, start, end)
        # Totals still to find; a summable one comes out of the first grouped query.
        pending = {ind.code for _n, ind in members if ind.code in totals}
        if any(ind.code in per_child for _n, ind in members):
            if kids is None:
                kids = children_of(unit)
            chosen = [(n, i) for n, i in members if i.code in per_child or (i.code in pending and i.summable())]
            width = (unit.depth + 1) * Unit.steplen
            if all(ind.summable() for _n, ind in chosen):
                groups = _summed_by_child(qs, path_field, width, _aggregates(chosen, start, end))
            else:
                groups = _grouped(qs, Substr(path_field, 1, width), _aggregates(chosen, start, end))
            for n, ind in chosen:
                if ind.code in per_child:
                    out.children[ind.code] = [(kid, ind.figure(_own(groups.get(kid.path, {}), n))) for kid in kids]
            _sum_totals(out, groups, chosen, pending)
        if date_field and any(ind.code in per_month for _n, ind in members):
            chosen = [(n, i) for n, i in members if i.code in per_month or (i.code in pending and i.summable())]
            groups = _grouped(qs, _month_trunc(qs, date_field), _aggregates(chosen, start, end))
            by_first = {_month_of(key): got for key, got in groups.items()}
            for n, ind in chosen:
                if ind.code in per_month:
                    out.months[ind.code] = [
                        (first, ind.figure(_own(by_first.get(first, {}), n))) for first in months(start, end)
                    ]
            _sum_totals(out, groups, chosen, pending)
        rest = [(n, ind) for n, ind in members if ind.code in pending]
        if rest:
            got = qs.aggregate(**_aggregates(rest, start, end))
            for n, ind in rest:
                out.total[ind.code] = ind.figure(_own(got, n))
    return out


def value(indicator: GroupedIndicator, unit: Unit, start: datetime.date, end: datetime.date) -> Number:
    return answer([indicator], unit, start, end).total[indicator.code]


def by_children(
    indicator: GroupedIndicator, unit: Unit, start: datetime.date, end: datetime.date
) -> list[tuple[Unit, Number]]:
    return answer([indicator], unit, start, end, per_child=[indicator.code], total=False).children[indicator.code]


def by_month(
    indicator: GroupedIndicator, unit: Unit, start: datetime.date, end: datetime.date
) -> list[tuple[datetime.date, Number]]:
    if not indicator.date_field:
        return indicator.by_month(unit, start, end)
    return answer([indicator], unit, start, end, per_month=[indicator.code], total=False).months[indicator.code]
