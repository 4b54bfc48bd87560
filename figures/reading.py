"""Reading many indicators at once for one unit and range.

Each indicator is answered the fastest way it allows: those whose class an app answers from
its rollups (``catalogue.rollup_of``) together, one call per rollup answer; the grouped
indicators together, one query per queryset of rows for the totals, the children and the
months (``figures.engine``); any other with its own ``value`` / ``by_children`` /
``by_month`` (by default, from its rows).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from campaigns.indicators import GroupedIndicator, Indicator, Number, children_of, months
from figures import catalogue, engine
from figures.catalogue import RollupAnswer, RollupFigures
from orgs.models import Unit


def _rolled(indicators: Iterable[Indicator]) -> dict[RollupAnswer, list[Indicator]]:
    """The indicators answered from rollups, by the function that answers them."""
    out: dict[RollupAnswer, list[Indicator]] = {}
    for ind in indicators:
        answer = catalogue.rollup_of(ind)
        if answer is not None:
            out.setdefault(answer, []).append(ind)
    return out


def _grouped(indicators: Iterable[Indicator]) -> list[GroupedIndicator]:
    return [i for i in indicators if isinstance(i, GroupedIndicator) and catalogue.rollup_of(i) is None]


def _indicators(codes: Iterable[str]) -> list[Indicator]:
    return [catalogue.get(c) for c in catalogue.registered(codes)]


class Reader:
    """Reads indicators for one unit and range: those of each rollup together, the grouped
    indicators together, one query per kind of row."""

    def __init__(self, unit: Unit, start: datetime.date, end: datetime.date):
        self.unit, self.start, self.end = unit, start, end
        self._children: list[Unit] | None = None
        self._rollups: list[RollupFigures] = []
        self._answers = engine.Answers()

    def prefetch(self, codes: list[str], *, per_child: Sequence[str] = (), per_month: Sequence[str] = ()) -> None:
        """Answer at once, for the range, the total of every indicator in ``codes`` and the
        figures per child and per month of those in ``per_child`` and ``per_month``: each
        rollup's in one pass over it, the other grouped indicators in one query per kind of
        row (per child, per month, and for the totals that the groups do not give)."""
        everything = _indicators([*codes, *per_child, *per_month])
        for answer, batched in _rolled(everything).items():
            self._rollups.append(answer(self.unit, self.start, self.end, batched))
        grouped = _grouped(everything)
        if grouped:
            self._answers = engine.answer(
                grouped,
                self.unit,
                self.start,
                self.end,
                total=codes,
                per_child=per_child,
                per_month=per_month,
                child_units=self.children() if per_child else None,
            )

    def _prefetched(self, code: str, start: datetime.date, end: datetime.date) -> RollupFigures | None:
        if (start, end) != (self.start, self.end):
            return None
        return next((got for got in self._rollups if code in got.total), None)

    def children(self) -> list[Unit]:
        if self._children is None:
            self._children = children_of(self.unit)
        return self._children

    def totals(
        self,
        codes: Iterable[str],
        start: datetime.date | None = None,
        end: datetime.date | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> dict[str, Number]:
        """code -> the figure over the range (the reader's unless given); ``progress(done,
        of)`` is told as the figures come in."""
        start, end = start or self.start, end or self.end
        chosen = _indicators(codes)
        out: dict[str, Number] = {}
        for ind in chosen:
            got = self._prefetched(ind.code, start, end)
            if got is not None:
                out[ind.code] = got.total[ind.code]
        if (start, end) == (self.start, self.end):
            out.update({i.code: self._answers.total[i.code] for i in chosen if i.code in self._answers.total})

        def told() -> None:
            if progress:
                progress(len(out), len(chosen))

        for answer, batched in _rolled(i for i in chosen if i.code not in out).items():
            out.update(answer(self.unit, start, end, batched, by_children=False, by_month=False).total)
            told()
        grouped = [i for i in _grouped(chosen) if i.code not in out]
        if grouped:
            out.update(engine.answer(grouped, self.unit, start, end).total)
            told()
        for ind in chosen:
            if ind.code not in out:
                out[ind.code] = ind.value(self.unit, start, end)
                told()
        return {i.code: out[i.code] for i in chosen}

    def by_children(self, codes: Iterable[str]) -> dict[str, dict[int, Number]]:
        """code -> {child pk: value}."""
        chosen = _indicators(codes)
        out: dict[str, dict[int, Number]] = {}
        for answer, batched in _rolled(chosen).items():
            prefetched = [self._prefetched(i.code, self.start, self.end) for i in batched]
            got = prefetched[0] if prefetched[0] is not None and all(p is prefetched[0] for p in prefetched) else None
            if got is None:
                got = answer(self.unit, self.start, self.end, batched, by_month=False)
            wanted = {i.code for i in batched}
            for child, values in got.children:
                for code, v in values.items():
                    if code in wanted:
                        out.setdefault(code, {})[child.pk] = v
        grouped = [i for i in _grouped(chosen) if i.code not in self._answers.children]
        per_child = dict(self._answers.children)
        if grouped:
            per_child.update(
                engine.answer(
                    grouped,
                    self.unit,
                    self.start,
                    self.end,
                    total=False,
                    per_child=[i.code for i in grouped],
                    child_units=self.children(),
                ).children
            )
        for ind in chosen:
            if ind.code not in out and ind.code in per_child:
                out[ind.code] = {c.pk: v for c, v in per_child[ind.code]}
            elif ind.code not in out:
                out[ind.code] = {c.pk: v for c, v in ind.by_children(self.unit, self.start, self.end)}
        return out

    def by_month(self, codes: Iterable[str]) -> tuple[list[datetime.date], dict[str, list[Number]]]:
        chosen = _indicators(codes)
        first_days = months(self.start, self.end)
        out: dict[str, list[Number]] = {}
        for answer, batched in _rolled(chosen).items():
            prefetched = [self._prefetched(i.code, self.start, self.end) for i in batched]
            got = prefetched[0] if prefetched[0] is not None and all(p is prefetched[0] for p in prefetched) else None
            if got is None:
                got = answer(self.unit, self.start, self.end, batched, by_children=False)
            per_month = dict(got.months)
            for ind in batched:
                out[ind.code] = [per_month.get(m, {}).get(ind.code, 0) for m in first_days]
        grouped = [i for i in _grouped(chosen) if i.code not in self._answers.months]
        monthly = dict(self._answers.months)
        if grouped:
            monthly.update(
                engine.answer(
                    grouped, self.unit, self.start, self.end, total=False, per_month=[i.code for i in grouped]
                ).months
            )
        for ind in chosen:
            if ind.code not in out and ind.code in monthly:
                out[ind.code] = [v for _m, v in monthly[ind.code]]
            elif ind.code not in out:
                out[ind.code] = [v for _m, v in ind.by_month(self.unit, self.start, self.end)]
        return first_days, out


def values(
    codes: Iterable[str],
    unit: Unit,
    start: datetime.date,
    end: datetime.date,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Number]:
    """The figure of each registered indicator in ``codes`` (unknown codes are left out)."""
    return Reader(unit, start, end).totals(codes, progress=progress)


@dataclass
class Breakdown:
    """One indicator's figure for a unit and range, per child unit and per month."""

    indicator: Indicator
    value: Number
    children: list[tuple[Unit, Number]] = field(default_factory=list)
    months: list[tuple[datetime.date, Number]] = field(default_factory=list)


def breakdown(
    indicator: Indicator,
    unit: Unit,
    start: datetime.date,
    end: datetime.date,
    *,
    children: bool = True,
    by_month: bool = True,
) -> Breakdown:
    """The figure with, when asked, its value per child unit and per calendar month."""
    answer = catalogue.rollup_of(indicator)
    code = indicator.code
    if answer is not None:
        got = answer(unit, start, end, [indicator], by_children=children, by_month=by_month)
        return Breakdown(
            indicator,
            got.total[code],
            [(c, v[code]) for c, v in got.children] if children else [],
            [(m, v[code]) for m, v in got.months] if by_month else [],
        )
    if isinstance(indicator, GroupedIndicator):
        return Breakdown(
            indicator,
            engine.value(indicator, unit, start, end),
            engine.by_children(indicator, unit, start, end) if children else [],
            engine.by_month(indicator, unit, start, end) if by_month else [],
        )
    return Breakdown(
        indicator,
        indicator.value(unit, start, end),
        indicator.by_children(unit, start, end) if children else [],
        indicator.by_month(unit, start, end) if by_month else [],
    )
