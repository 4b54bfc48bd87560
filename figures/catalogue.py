"""The catalogue of every indicator, gathered from the domain apps' declarations.

Each domain app lists its indicators as data in its ``indicators.py`` (``INDICATORS``) and,
where it keeps rollups, says which function answers indicators of a class from them
(``ROLLUPS = {LedgerIndicator: "ledger.selectors.answer"}``); see ``campaigns.indicators``.
``discover`` reads them when the figures app is ready. A rollup answer takes
``(unit, start, end, indicators, *, by_children, by_month)`` and gives an object with
``total`` (code -> value), ``children`` ([(child, {code: value})]) and ``months``
([(first day, {code: value})]); an indicator whose class has none is read from its rows.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from django.utils.module_loading import import_string

from campaigns.indicators import Indicator, Number, declared, declared_rollups, ordered
from orgs.models import Unit


class RollupFigures(Protocol):
    total: dict[str, Number]
    children: Sequence[tuple[Unit, dict[str, Number]]]
    months: Sequence[tuple[datetime.date, dict[str, Number]]]


class RollupAnswer(Protocol):
    def __call__(
        self,
        unit: Unit,
        start: datetime.date,
        end: datetime.date,
        indicators: list[Any],
        *,
        by_children: bool = ...,
        by_month: bool = ...,
    ) -> RollupFigures: ...


_REGISTRY: dict[str, Indicator] = {}
_ROLLUPS: dict[type, RollupAnswer] = {}


def register(*indicators: Indicator) -> None:
    for indicator in indicators:
        if indicator.code in _REGISTRY and _REGISTRY[indicator.code] is not indicator:
            raise ValueError(f"Indicator {indicator.code} is registered twice.")
        _REGISTRY[indicator.code] = indicator


def register_rollup(kind: type, answer: RollupAnswer | str) -> None:
    """Indicators of class ``kind`` (and its subclasses) are answered by ``answer``."""
    _ROLLUPS[kind] = import_string(answer) if isinstance(answer, str) else answer


def unregister_rollup(kind: type) -> None:
    _ROLLUPS.pop(kind, None)


def discover() -> None:
    """Register what every installed app declares (from ``FiguresConfig.ready``)."""
    register(*declared())
    for kind, answer in declared_rollups().items():
        register_rollup(kind, answer)


def rollup_of(indicator: Indicator) -> RollupAnswer | None:
    """The function that answers the indicator from an app's rollups, or None."""
    for kind in type(indicator).__mro__:
        if kind in _ROLLUPS:
            return _ROLLUPS[kind]
    return None


def get(code: str) -> Indicator:
    """The indicator with this code; KeyError when there is none."""
    return _REGISTRY[code]


def all_indicators(section: str | None = None) -> list[Indicator]:
    return ordered(i for i in _REGISTRY.values() if section is None or i.section == section)


def codes() -> Iterable[str]:
    return _REGISTRY.keys()


def registered(codes: Iterable[str]) -> list[str]:
    """The registered codes among ``codes``, each once, in order."""
    return [c for c in dict.fromkeys(codes) if c in _REGISTRY]
