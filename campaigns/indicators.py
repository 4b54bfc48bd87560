"""The indicator catalogue: every figure the office needs, defined over rows.

An indicator is a named definition over the records that apps keep (ledger activities,
visits, concerns, meetings, quiz attempts ...). Reports and dashboards read indicators;
indicators read rollups where an app keeps them, rows otherwise; drill-downs read rows.

Each app registers its indicators at start-up (in its AppConfig.ready, from its own
``indicators.py``) with ``register(...)``. An indicator answers, for a unit's subtree and an
inclusive date range:

- ``value(unit, start, end)``: the figure;
- ``by_children(unit, start, end)``: the figure for each child unit of ``unit``;
- ``by_month(unit, start, end)``: the figure for each calendar month in the range;
- ``rows(unit, start, end)``: the queryset of exactly the rows that make the figure (for a
  count or a sum, summing ``rows`` gives ``value``); ``row_columns`` says how to show them.

The defaults of ``by_children`` and ``by_month`` call ``value`` once per child or month;
an app with a rollup overrides them with one grouped query. A figure folded from
aggregates over one queryset of rows (a count, a rate ...) is a ``GroupedIndicator``: it
answers ``by_children`` and ``by_month`` with one grouped query each, and ``answer``
reads many of them together, one query per queryset of rows. Names, units of measure and
definitions exist in Chinese, Tibetan and English. ``version`` changes whenever the
definition changes, so that a published report can say which definition it used.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, DateTimeField, Q, QuerySet
from django.db.models.functions import Substr, TruncMonth
from django.utils import timezone
from django.utils.translation import get_language

from orgs.models import Unit

Number = int | Decimal
Facts = Callable[[Unit, datetime.date, datetime.date], QuerySet]


class Section:
    """The seed's sections, in its order; an indicator belongs to one."""

    ORGANISATION = "organisation"
    LEARNING = "learning"
    LECTURES = "lectures"
    SERVING = "serving"
    ORGLIFE = "orglife"
    SUPERVISION = "supervision"
    QUIZ = "quiz"
    ORDER = [ORGANISATION, LEARNING, LECTURES, SERVING, ORGLIFE, SUPERVISION, QUIZ]


def _pick(texts: dict[str, str]) -> str:
    lang = get_language() or "zh-hans"
    return texts.get(lang) or texts.get("zh-hans") or next(iter(texts.values()), "")


def months(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """First days of the calendar months that the inclusive range touches."""
    out = []
    current = start.replace(day=1)
    while current <= end:
        out.append(current)
        current = (current + datetime.timedelta(days=32)).replace(day=1)
    return out


def month_end(first: datetime.date) -> datetime.date:
    return (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)


@dataclass(frozen=True)
class Column:
    """One column of a drill-down table: a heading (already translated lazily) and how to
    read the cell from a row."""

    label: Any
    value: Callable[[Any], Any]


@dataclass
class Indicator:
    code: str
    section: str
    name: dict[str, str]
    measure: dict[str, str]
    definition: dict[str, str]
    kind: str = "count"  # "count", "sum", "rate" (percent, 0..100) or "average"
    version: int = 1
    row_columns: list[Column] = field(default_factory=list)

    # --- names in the reader's language -------------------------------------------------
    @property
    def label(self) -> str:
        return _pick(self.name)

    @property
    def measure_label(self) -> str:
        return _pick(self.measure)

    @property
    def definition_text(self) -> str:
        return _pick(self.definition)

    # --- behaviour: apps override ----------------------------------------------------------
    def value(self, unit: Unit, start: datetime.date, end: datetime.date) -> Number:
        raise NotImplementedError

    def rows(self, unit: Unit, start: datetime.date, end: datetime.date) -> QuerySet:
        raise NotImplementedError

    def by_children(self, unit: Unit, start: datetime.date, end: datetime.date) -> list[tuple[Unit, Number]]:
        children = Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1).order_by("code")
        return [(child, self.value(child, start, end)) for child in children]

    def by_month(self, unit: Unit, start: datetime.date, end: datetime.date) -> list[tuple[datetime.date, Number]]:
        return [
            (first, self.value(unit, max(first, start), min(month_end(first), end))) for first in months(start, end)
        ]


def children_of(unit: Unit) -> list[Unit]:
    """The unit's child units, in the order the breakdowns list them."""
    return list(Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1).order_by("code"))


def percent(numerator: int, denominator: int, rounding: str = ROUND_HALF_UP) -> Decimal:
    """``numerator`` of ``denominator`` in percent, to one decimal; 0.0 of nothing."""
    if not denominator:
        return Decimal("0.0")
    return (Decimal(100) * numerator / denominator).quantize(Decimal("0.1"), rounding=rounding)


@dataclass
class GroupedIndicator(Indicator):
    """A figure folded from named aggregates over one queryset of rows.

    ``facts(unit, start, end)`` gives the rows of the subtree and range (it filters on
    ``path_field`` with a prefix, so the unit path index serves it); ``measures(start, end)``
    names the aggregates; ``figure`` folds one set of them into the figure (a name missing
    from it stands for no rows). ``path_field`` and ``date_field`` say how the rows group by
    child unit and by month (without a ``date_field``, by month asks ``value`` per month).
    Indicators over the same ``facts`` are answered together by ``answer``, except one
    whose measures join a multi-valued relation (``alone``: the people of a visit), since the
    join would repeat the rows that the others count. ``summable`` says whether the figure
    of a whole equals the figure of the sums of its parts' measures (true of plain counts,
    false of distinct counts and averages)."""

    facts: Facts | None = None
    path_field: str = "unit__path"
    date_field: str = "date"
    related: tuple[str, ...] = ()
    ordering: tuple[str, ...] = ()
    drill: Facts | None = None
    alone: bool = False

    def measures(self, start: datetime.date, end: datetime.date) -> dict[str, Any]:
        raise NotImplementedError

    def figure(self, got: dict[str, Any]) -> Number:
        raise NotImplementedError

    def summable(self) -> bool:
        return True

    def selected(self, start: datetime.date, end: datetime.date) -> Q | None:
        """Which of the facts are the figure's rows (None: all of them)."""
        return None

    def rows(self, unit: Unit, start: datetime.date, end: datetime.date) -> QuerySet:
        if self.drill is not None:
            return self.drill(unit, start, end)
        qs = self.facts(unit, start, end)
        where = self.selected(start, end)
        if where is not None:
            qs = qs.filter(where)
        if self.related:
            qs = qs.select_related(*self.related)
        return qs.order_by(*self.ordering) if self.ordering else qs

    def value(self, unit: Unit, start: datetime.date, end: datetime.date) -> Number:
        return answer([self], unit, start, end).total[self.code]

    def by_children(self, unit: Unit, start: datetime.date, end: datetime.date) -> list[tuple[Unit, Number]]:
        return answer([self], unit, start, end, per_child=[self.code], total=False).children[self.code]

    def by_month(self, unit: Unit, start: datetime.date, end: datetime.date) -> list[tuple[datetime.date, Number]]:
        if not self.date_field:
            return super().by_month(unit, start, end)
        return answer([self], unit, start, end, per_month=[self.code], total=False).months[self.code]


@dataclass
class CountIndicator(GroupedIndicator):
    """How many of the facts there are: ``Count(counted)`` (``distinct`` for people or
    places), limited to the rows that ``where(start, end)`` selects when it is given."""

    counted: str = "pk"
    distinct: bool = False
    where: Callable[[datetime.date, datetime.date], Q] | None = None

    def selected(self, start: datetime.date, end: datetime.date) -> Q | None:
        return self.where(start, end) if self.where is not None else None

    def measures(self, start: datetime.date, end: datetime.date) -> dict[str, Any]:
        return {"n": Count(self.counted, distinct=self.distinct, filter=self.selected(start, end))}

    def figure(self, got: dict[str, Any]) -> Number:
        return got.get("n") or 0

    def summable(self) -> bool:
        return not self.distinct


@dataclass
class RateIndicator(GroupedIndicator):
    """A percentage of the facts: those matching ``numerator`` of those matching
    ``denominator`` (None: all). The rows are the denominator's."""

    numerator: Q | None = None
    denominator: Q | None = None
    rounding: str = ROUND_HALF_UP

    def selected(self, start: datetime.date, end: datetime.date) -> Q | None:
        return self.denominator

    def measures(self, start: datetime.date, end: datetime.date) -> dict[str, Any]:
        return {"n": Count("pk", filter=self.numerator), "d": Count("pk", filter=self.denominator)}

    def figure(self, got: dict[str, Any]) -> Number:
        return percent(got.get("n") or 0, got.get("d") or 0, self.rounding)

    def parts(self, unit: Unit, start: datetime.date, end: datetime.date) -> tuple[int, int]:
        got = self.facts(unit, start, end).aggregate(**self.measures(start, end))
        return got["n"] or 0, got["d"] or 0


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


_REGISTRY: dict[str, Indicator] = {}


def register(*indicators: Indicator) -> None:
    for indicator in indicators:
        if indicator.code in _REGISTRY and _REGISTRY[indicator.code] is not indicator:
            raise ValueError(f"Indicator {indicator.code} is registered twice.")
        _REGISTRY[indicator.code] = indicator


def get(code: str) -> Indicator:
    """The indicator with this code; KeyError when there is none."""
    return _REGISTRY[code]


def all_indicators(section: str | None = None) -> list[Indicator]:
    found = [i for i in _REGISTRY.values() if section is None or i.section == section]
    return sorted(found, key=lambda i: (Section.ORDER.index(i.section), i.code))


def codes() -> Iterable[str]:
    return _REGISTRY.keys()
