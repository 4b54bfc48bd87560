"""Reading many indicators at once for one unit and range.

Each indicator is answered the fastest way it allows: those whose class an app answers from
its rollups (``catalogue.rollup_of``) together, one call per rollup answer; the grouped
indicators together, one query per queryset of rows for the totals, the children and the
months (``figures.engine``); any other with its own ``value`` / ``by_children`` /
``by_month`` (by default, from its rows).

A breakdown by child unit also gives the unit's own figure, from the records of the unit
itself, which lie in none of its children (``own``, shown as the row "本级"): for a figure
whose parts add up (a plain count or sum) the total less the children's, so that the rows
always add up to the total; for another figure of grouped rows, read from the unit's own
rows; none for an indicator that is not read from rows of units.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

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


# The label of a breakdown's row of the unit's own records.
OWN_LEVEL: Promise = pgettext_lazy("breakdown by unit", "Own level")


def adds_up(indicator: Indicator) -> bool:
    """Whether the indicator's figure of a subtree is the sum of its parts' figures."""
    if indicator.kind not in ("count", "sum"):
        return False
    if isinstance(indicator, GroupedIndicator) and not indicator.summable():
        return False  # a distinct count, even one answered from aggregates
    if catalogue.rollup_of(indicator) is not None:
        return True
    return isinstance(indicator, GroupedIndicator) and indicator.summable()


def own_figure(
    indicator: Indicator,
    unit: Unit,
    start: datetime.date,
    end: datetime.date,
    total: Number,
    children: Iterable[Number],
) -> Number | None:
    """The figure of the unit's own records (those of no child unit), given the total and
    the children's figures; None for an indicator not read from rows of units."""
    if adds_up(indicator):
        return total - sum(children)
    if isinstance(indicator, GroupedIndicator) and indicator.facts is not None:
        own = indicator.facts(unit, start, end).filter(**{indicator.path_field: unit.path})
        return indicator.figure(own.aggregate(**indicator.measures(start, end)))
    return None


def has_own_rows(indicator: Indicator) -> bool:
    """Whether the indicator's rows are records of units, so that a unit's own can be listed."""
    if isinstance(indicator, GroupedIndicator):
        return indicator.drill is None
    return catalogue.rollup_of(indicator) is not None


def own_rows(indicator: Indicator, unit: Unit, start: datetime.date, end: datetime.date) -> QuerySet | None:
    """The rows behind the unit's own figure (those of the unit itself), or None where the
    indicator's rows are not records of units (people, places, groups)."""
    if not has_own_rows(indicator):
        return None
    path_field = getattr(indicator, "path_field", "unit__path")
    return indicator.rows(unit, start, end).filter(**{path_field: unit.path})


@dataclass(frozen=True)
class OwnLevel:
    """The row of a breakdown by child unit that holds the unit's own records; it reads as
    a unit ("本级" for its name, the unit's code, path and key)."""

    unit: Unit
    own = True

    @property
    def name(self) -> str:
        return str(OWN_LEVEL)

    @property
    def code(self) -> str:
        return self.unit.code

    @property
    def pk(self) -> int:
        return self.unit.pk

    @property
    def path(self) -> str:
        return self.unit.path


@dataclass
class _Prefetched:
    """A rollup answer's figures for the reader's range, and the codes it was asked for per
    child and per month (it gives every total)."""

    figures: RollupFigures
    per_child: frozenset[str]
    per_month: frozenset[str]


class Reader:
    """Reads indicators for one unit and range: those of each rollup together, the grouped
    indicators together, one query per kind of row."""

    def __init__(self, unit: Unit, start: datetime.date, end: datetime.date):
        self.unit, self.start, self.end = unit, start, end
        self._children: list[Unit] | None = None
        self._rollups: list[_Prefetched] = []
        self._answers = engine.Answers()

    def prefetch(self, codes: list[str], *, per_child: Sequence[str] = (), per_month: Sequence[str] = ()) -> None:
        """Answer at once, for the range, the total of every indicator in ``codes``,
        ``per_child`` and ``per_month``, and the figures per child and per month of those in
        ``per_child`` and ``per_month`` only: each rollup's in one pass over it (its children
        and months for the codes asked for so), the other grouped indicators in one query per
        kind of row (per child, per month, and for the totals that the groups do not give)."""
        everything = _indicators([*codes, *per_child, *per_month])
        for answer, batched in _rolled(everything).items():
            mine = {i.code for i in batched}
            children, monthly = frozenset(mine.intersection(per_child)), frozenset(mine.intersection(per_month))
            kids = self.children() if children else None
            got = answer(
                self.unit, self.start, self.end, batched, by_children=children, by_month=monthly, children=kids
            )
            self._rollups.append(_Prefetched(got, children, monthly))
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
        return next((got.figures for got in self._rollups if code in got.figures.total), None)

    def _prefetched_children(self, code: str) -> RollupFigures | None:
        return next((got.figures for got in self._rollups if code in got.per_child), None)

    def _prefetched_months(self, code: str) -> RollupFigures | None:
        return next((got.figures for got in self._rollups if code in got.per_month), None)

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
            sources = {i.code: self._prefetched_children(i.code) for i in batched}
            rest = [i for i in batched if sources[i.code] is None]
            if rest:
                asked = answer(
                    self.unit, self.start, self.end, rest, by_children=True, by_month=False, children=self.children()
                )
                sources.update(dict.fromkeys((i.code for i in rest), asked))
            for ind in batched:
                got = sources[ind.code]
                assert got is not None
                out[ind.code] = {child.pk: values[ind.code] for child, values in got.children}
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

    def own(
        self,
        codes: Iterable[str],
        totals: dict[str, Number] | None = None,
        per_child: dict[str, dict[int, Number]] | None = None,
    ) -> dict[str, Number | None]:
        """code -> the figure of the unit's own records (see ``own_figure``), from the
        totals and the figures per child when the caller has them already; the figures
        that do not add up are read from the unit's own rows, one query per kind of row."""
        chosen = _indicators(codes)
        summed = [i.code for i in chosen if adds_up(i)]
        if summed and (totals is None or any(c not in totals for c in summed)):
            totals = self.totals(summed)
        if summed and (per_child is None or any(c not in per_child for c in summed)):
            per_child = self.by_children(summed)
        kids = self.children()
        out: dict[str, Number | None] = {}
        for code in summed:
            assert totals is not None and per_child is not None
            out[code] = totals[code] - sum(per_child[code].get(c.pk, 0) for c in kids)
        sources: dict[tuple, list[GroupedIndicator]] = {}
        for ind in chosen:
            if ind.code not in out and isinstance(ind, GroupedIndicator) and ind.facts is not None:
                key = (ind.facts, ind.path_field, ind.code if ind.alone else "")
                sources.setdefault(key, []).append(ind)
        for (facts, path_field, _alone), members in sources.items():
            measures = {
                f"i{n}_{k}": agg
                for n, ind in enumerate(members)
                for k, agg in ind.measures(self.start, self.end).items()
            }
            got = facts(self.unit, self.start, self.end).filter(**{path_field: self.unit.path}).aggregate(**measures)
            for n, ind in enumerate(members):
                prefix = f"i{n}_"
                out[ind.code] = ind.figure({k[len(prefix) :]: v for k, v in got.items() if k.startswith(prefix)})
        return {i.code: out.get(i.code) for i in chosen}

    def by_month(self, codes: Iterable[str]) -> tuple[list[datetime.date], dict[str, list[Number]]]:
        chosen = _indicators(codes)
        first_days = months(self.start, self.end)
        out: dict[str, list[Number]] = {}
        for answer, batched in _rolled(chosen).items():
            sources = {i.code: self._prefetched_months(i.code) for i in batched}
            rest = [i for i in batched if sources[i.code] is None]
            if rest:
                asked = answer(self.unit, self.start, self.end, rest, by_children=False, by_month=True)
                sources.update(dict.fromkeys((i.code for i in rest), asked))
            for ind in batched:
                got = sources[ind.code]
                assert got is not None
                per_month = dict(got.months)
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
    own: tuple[OwnLevel, Number | None] | None = None

    @property
    def rows(self) -> list[tuple[Unit | OwnLevel, Number | None]]:
        """The breakdown by unit: the unit's own records ("本级") first, then each child."""
        return [self.own, *self.children] if self.own is not None and self.children else list(self.children)


def breakdown(
    indicator: Indicator,
    unit: Unit,
    start: datetime.date,
    end: datetime.date,
    *,
    children: bool = True,
    by_month: bool = True,
) -> Breakdown:
    """The figure with, when asked, its value per child unit (and the unit's own records',
    ``own``) and per calendar month."""
    got = _breakdown(indicator, unit, start, end, children=children, by_month=by_month)
    if children and got.children:
        figure = own_figure(indicator, unit, start, end, got.value, [v for _c, v in got.children])
        got.own = (OwnLevel(unit), figure)
    return got


def _breakdown(
    indicator: Indicator, unit: Unit, start: datetime.date, end: datetime.date, *, children: bool, by_month: bool
) -> Breakdown:
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
