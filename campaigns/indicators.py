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
an app with a rollup overrides them with one grouped query. Names, units of measure and
definitions exist in Chinese, Tibetan and English. ``version`` changes whenever the
definition changes, so that a published report can say which definition it used.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import get_language

from orgs.models import Unit

Number = int | Decimal


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
