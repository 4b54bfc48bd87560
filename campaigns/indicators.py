"""How an app declares an indicator: the vocabulary, with no engine behind it.

An indicator is a named definition over the records that apps keep (ledger activities,
visits, concerns, meetings, quiz attempts ...). Each domain app lists its indicators as data
in its own ``indicators.py`` (``INDICATORS``), and, where it keeps rollups, names the
function that answers from them (``ROLLUPS``: indicator class -> "module.function"). The
``figures`` app gathers them into the catalogue, reads them (many at once, from the rollups
or with grouped queries over the rows) and shows them; no domain app imports ``figures``.

An indicator answers, for a unit's subtree and an inclusive date range:

- ``rows(unit, start, end)``: the queryset of exactly the rows that make the figure (for a
  count or a sum, summing ``rows`` gives ``value``); ``row_columns`` says how to show them;
- ``value(unit, start, end)``: the figure, read straight from its rows (one query; the
  ``figures`` app answers the same figure faster where a rollup is registered);
- ``by_children`` and ``by_month``: the figure per child unit and per calendar month, by
  default one ``value`` each (``figures.reading`` groups them into one query).

A figure folded from aggregates over one queryset of rows (a count, a rate ...) is a
``GroupedIndicator``: it names its rows (``facts``), how they group by child and by month,
and its measures, so that ``figures.engine`` reads many of them together, one query per
queryset of rows. Names, units of measure and definitions exist in Chinese, Tibetan and
English. ``version`` changes whenever the definition changes, so that a published report can
say which definition it used.
"""

from __future__ import annotations

import datetime
import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.apps import apps
from django.db.models import Count, Q, QuerySet, Sum
from django.dispatch import Signal
from django.utils.module_loading import module_has_submodule

from core.languages import pick
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
    """``core.languages.pick`` over texts keyed by language code."""
    chinese = texts.get("zh-hans") or next(iter(texts.values()), "")
    return pick(chinese, texts.get("bo", ""), texts.get("en", ""))


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
        """The figure read straight from its rows: the sum of ``measure_field`` where the
        indicator names one, else the number of rows."""
        rows = self.rows(unit, start, end)
        measure = getattr(self, "measure_field", None)
        if measure:
            return rows.aggregate(n=Sum(measure))["n"] or 0
        return rows.count()

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
    Indicators over the same ``facts`` are answered together (``figures.engine``), except one
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
        return self.figure(self.facts(unit, start, end).aggregate(**self.measures(start, end)))

    def by_month(self, unit: Unit, start: datetime.date, end: datetime.date) -> list[tuple[datetime.date, Number]]:
        """Per month, the figure groups the range's facts by their ``date_field`` (a measure
        that depends on the range, such as "overdue at its end", keeps the whole range's
        end), which the figures app reads in one grouped query (``figures.engine``)."""
        if not self.date_field:
            return super().by_month(unit, start, end)
        raise NotImplementedError("A grouped indicator's months are read by figures.reading.")


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


# --- tallies: figures kept as counts in the write's transaction ---------------------------

NEVER = datetime.date(9999, 12, 31)  # ``until`` / ``due`` of a row not done, with no deadline
BEFORE = datetime.date(1, 1, 1)  # ``until`` of a distinct count's first row: no previous one


@dataclass(frozen=True)
class Fact:
    """What one row adds to the tallies of its source: one count (and ``total``) on ``day``
    under ``key``, at the unit with ``path`` and each unit above it. A fact with ``who``
    (a person, a place) counts once per ``who`` within a subtree and range: its tally keeps,
    in ``until``, the day of the same ``who``'s previous fact under that unit."""

    path: str
    day: datetime.date
    key: str = ""
    until: datetime.date = NEVER
    due: datetime.date = NEVER
    total: int = 0
    who: Any = None


@dataclass(frozen=True)
class State:
    """A state of a source's rows that an indicator defined as data may count: the rows
    tallied under ``key`` (read as a ``Part`` with ``when``), named (zh, bo, en); ``total``:
    its facts carry the value the source's ``total_names`` name."""

    code: str
    names: tuple[str, str, str]
    key: str = ""
    when: str = ""
    total: bool = False

    @property
    def label(self) -> str:
        return pick(*self.names)


@dataclass(frozen=True)
class Source:
    """One kind of row that apps tally (``TALLIES`` in an app's ``indicators``): its model,
    the values a row's facts are made from (``fields``: fields of the row, or ``<fk>__path``,
    the path of the unit a row points to), and ``facts(values) -> [Fact]``. A write is counted
    against the row as the database holds it when the write begins; ``as_read`` counts it
    against the values the instance was read with instead (no read inside the write's
    transaction), for rows whose writes check under lock that they are unchanged."""

    name: str
    model: Any
    fields: tuple[str, ...]
    facts: Callable[[dict[str, Any]], list[Fact]]
    as_read: bool = False
    # Every fact of one ``who`` is at one unit (the who is that unit): a write reads the
    # other facts of its who at that unit only.
    who_at_one_unit: bool = False
    # What the office may define indicators over (``ledger.indicators``): the kind of row's
    # name (zh, bo, en; none: not offered), its states (the first: every row), and the name
    # of what ``total`` sums, where the facts carry one.
    names: tuple[str, str, str] | tuple[()] = ()
    states: tuple[State, ...] = ()
    total_names: tuple[str, str, str] | tuple[()] = ()

    @property
    def label(self) -> str:
        return pick(*self.names) if self.names else self.name

    def state(self, code: str) -> State | None:
        return next((s for s in self.states if s.code == code), None)


@dataclass(frozen=True)
class Part:
    """One measure of a tallied indicator: the sum of ``field`` ("n" or "total") over the
    tallies of ``source`` under one of ``keys`` dated in the range, limited by ``when``:

    - "": all of them;
    - "by_end": done (``until``) by the range's end;
    - "overdue": past the deadline (``due``) and not done (``until``) on the range's end or
      today, whichever is earlier;
    - "first": a distinct count's first fact in the range (per month, in the month): its
      ``who`` had no fact under the unit since the range's (the month's) first day."""

    source: str
    keys: tuple[str, ...] = ("",)
    field: str = "n"
    when: str = ""


@dataclass
class Tallied(GroupedIndicator):
    """A grouped indicator that the figures app answers from the tallies
    (``campaigns.tallies.answer``): ``tally`` names its measures as ``Part``s, folded by
    ``from_tally`` (by default ``figure``). ``facts`` and the measures over the rows stay:
    they are the definition, which the drill-down and the tests read."""

    tally: dict[str, Part] = field(default_factory=dict)

    def from_tally(self, got: dict[str, Any]) -> Number:
        return self.figure(got)


@dataclass
class TalliedCount(Tallied, CountIndicator):
    pass


@dataclass
class TalliedRate(Tallied, RateIndicator):
    pass


ROLLUPS = {Tallied: "campaigns.tallies.answer"}


def ordered(indicators: Iterable[Indicator]) -> list[Indicator]:
    """Indicators in the catalogue's order: by the seed's sections, then by code."""
    return sorted(indicators, key=lambda i: (Section.ORDER.index(i.section), i.code))


def declared_tallies() -> list[Source]:
    """Every source of tallies the installed apps declare: the ``TALLIES`` of each app's
    ``indicators`` module."""
    found: list[Source] = []
    for config in apps.get_app_configs():
        if config.module is not None and module_has_submodule(config.module, "indicators"):
            found.extend(getattr(importlib.import_module(f"{config.name}.indicators"), "TALLIES", ()))
    return found


def declared() -> list[Indicator]:
    """Every indicator the installed apps declare, in ``INSTALLED_APPS`` order: the
    ``INDICATORS`` of each app's ``indicators`` module."""
    found: list[Indicator] = []
    for config in apps.get_app_configs():
        if config.module is not None and module_has_submodule(config.module, "indicators"):
            module = importlib.import_module(f"{config.name}.indicators")
            found.extend(getattr(module, "INDICATORS", ()))
    return found


# Sent (with no arguments) by an app whose indicators defined as data (``DEFINED``) changed,
# so that the catalogue reads them again.
indicators_changed = Signal()


def declared_sources() -> list[str]:
    """The dotted paths of the functions that give the indicators apps keep as data (the
    office's definitions): the ``DEFINED`` of each app's ``indicators``."""
    found: list[str] = []
    for config in apps.get_app_configs():
        if config.module is not None and module_has_submodule(config.module, "indicators"):
            source = getattr(importlib.import_module(f"{config.name}.indicators"), "DEFINED", None)
            if source:
                found.append(source)
    return found


def declared_rollups() -> dict[type, str]:
    """Indicator class -> the dotted path of the function that answers indicators of that
    class from the rollups an app keeps: the ``ROLLUPS`` of each app's ``indicators``."""
    found: dict[type, str] = {}
    for config in apps.get_app_configs():
        if config.module is not None and module_has_submodule(config.module, "indicators"):
            found.update(getattr(importlib.import_module(f"{config.name}.indicators"), "ROLLUPS", {}))
    return found
