"""The catalogue of every indicator, gathered from the domain apps' declarations.

Each domain app lists its indicators as data in its ``indicators.py`` (``INDICATORS``) and,
where it keeps rollups, says which function answers indicators of a class from them
(``ROLLUPS = {LedgerIndicator: "ledger.selectors.answer"}``); see ``campaigns.indicators``.
``discover`` reads them when the figures app is ready. A rollup answer takes
``(unit, start, end, indicators, *, by_children, by_month, children)`` (``children``: the
unit's child units when the caller has them) and gives an object with
``total`` (code -> value), ``children`` ([(child, {code: value})]) and ``months``
([(first day, {code: value})]): the total of every indicator, and per child and per month
those that ``by_children`` / ``by_month`` ask for (all when True, none when False, or the
codes of a collection; an answer may give more); an indicator whose class has none is read from its rows.
An app that keeps indicators as data (the office's definitions) names the function that
builds them (``DEFINED``); they join the catalogue under codes no declared indicator uses.
"""

from __future__ import annotations

import datetime
import time
import uuid
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import Any, Protocol

from django.core.cache import cache
from django.db import DatabaseError
from django.utils.module_loading import import_string

from campaigns.indicators import (
    Indicator,
    Number,
    declared,
    declared_rollups,
    declared_sources,
    indicators_changed,
    ordered,
)
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
        by_children: bool | Collection[str] = ...,
        by_month: bool | Collection[str] = ...,
        children: list[Unit] | None = ...,
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
    _SOURCES[:] = [import_string(s) for s in declared_sources()]
    indicators_changed.connect(forget_defined, dispatch_uid="figures.catalogue.forget_defined")


# --- indicators kept as data (``DEFINED``): read when first asked for, and again whenever
# they change: at once in the process that changed them, within a second in the others
# (through a stamp in the shared cache).
_SOURCES: list[Callable[[], list[Indicator]]] = []
_DEFINED: dict[str, Indicator] | None = None
_STAMP_KEY = "figures:defined-indicators"
_state: dict[str, Any] = {"stamp": None, "checked": 0.0}


def forget_defined(**kwargs: Any) -> None:
    """Read the defined indicators again, here and (through the stamp) in every process."""
    global _DEFINED
    _DEFINED = None
    _state["stamp"] = uuid.uuid4().hex
    cache.set(_STAMP_KEY, _state["stamp"], timeout=None)


def _defined() -> dict[str, Indicator]:
    global _DEFINED
    now = time.monotonic()
    if _DEFINED is not None and now - _state["checked"] >= 1:
        _state["checked"] = now
        stamp = cache.get(_STAMP_KEY)
        if stamp is None:
            cache.set(_STAMP_KEY, _state["stamp"] or uuid.uuid4().hex, timeout=None)
        elif stamp != _state["stamp"]:
            _DEFINED = None
    if _DEFINED is None:
        _state["stamp"], _state["checked"] = cache.get(_STAMP_KEY), now
        found: dict[str, Indicator] = {}
        try:
            for source in _SOURCES:
                found.update((i.code, i) for i in source() if i.code not in _REGISTRY)
        except DatabaseError:  # before the tables exist (a fresh database being migrated)
            return {}
        _DEFINED = found
    return _DEFINED


def rollup_of(indicator: Indicator) -> RollupAnswer | None:
    """The function that answers the indicator from an app's rollups, or None."""
    for kind in type(indicator).__mro__:
        if kind in _ROLLUPS:
            return _ROLLUPS[kind]
    return None


def get(code: str) -> Indicator:
    """The indicator with this code; KeyError when there is none."""
    if code in _REGISTRY:
        return _REGISTRY[code]
    return _defined()[code]


def _everything() -> dict[str, Indicator]:
    return {**_REGISTRY, **_defined()}


def all_indicators(section: str | None = None) -> list[Indicator]:
    return ordered(i for i in _everything().values() if section is None or i.section == section)


def codes() -> Iterable[str]:
    return _everything().keys()


def registered(codes: Iterable[str]) -> list[str]:
    """The registered codes among ``codes``, each once, in order."""
    known = _everything()
    return [c for c in dict.fromkeys(codes) if c in known]
