"""The tallies: counts of the domain apps' rows per unit subtree and day, kept in the same
transaction as every write, and the figures answered from them.

Each domain app declares its sources in its ``indicators`` (``TALLIES``: a ``Source`` per
kind of row, with the ``Fact``s a row adds) and marks the indicators read from them
(``Tallied``, with ``Part``s). This module, below the domain apps, knows none of them by
name: ``connect`` (from ``CampaignsConfig.ready``) hooks the save and delete signals of
each source's model, so that a service, an import or the admin writing one row keeps the
tallies right without knowing they exist; a service that writes rows in bulk (where Django
sends no signals) calls ``created``; ``replace`` recomputes one key (a redefined count).
``rebuild`` recomputes them from the rows
(``manage.py rebuild_tallies``).

How a write is counted: the facts of the row as the database holds it when the write begins
(or, for a source ``as_read``, as the instance was read: no read inside the write) and as it
is saved (from the instance) make tallies whose difference is added (an upsert per tally
row). A distinct count (``Fact.who``) depends on the other facts of the same
person, which its tallies keep at the person's own unit (key ``"<key>#<who>"``).
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import DateField, F, Field, Model, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.db.models.signals import post_delete, post_init, post_save, pre_delete, pre_save
from django.utils import timezone

from campaigns.indicators import BEFORE, NEVER, Fact, Number, Part, Source, Tallied, declared_tallies, months
from campaigns.models import Tally
from orgs.models import Unit
from orgs.signals import unit_moved

# (unit path, source, day, key, until, due) -> [count, total]
Key = tuple[str, str, datetime.date, str, datetime.date, datetime.date]

_SOURCES: dict[str, Source] = {}
_BY_MODEL: dict[type[Model], list[Source]] = defaultdict(list)


# --- facts to tallies ---------------------------------------------------------------------------


def _ancestors(path: str) -> list[str]:
    step = Unit.steplen
    return [path[: i * step] for i in range(1, len(path) // step + 1)]


# A fact with a second date also counts under "<key>@m" with its dates to the month, which
# answers "done by the end" and "overdue on the end" for a range that ends on a month's last
# day (the pages' and reports' ranges) from far fewer tally rows: ``until`` moves to its
# month's last day (done by a month's end iff done in that month or before), ``due`` to its
# month's first day unless it is that month's last day (before a month's last day iff in an
# earlier month, or in that month and not its last day).
MONTHS = "@m"


def _month_last(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)


def _month_until(day: datetime.date) -> datetime.date:
    return day if day == NEVER else _month_last(day)


def _month_due(day: datetime.date) -> datetime.date:
    return day if day == NEVER or day == _month_last(day) else day.replace(day=1)


def _who_key(fact: Fact) -> str:
    return f"{fact.key}#{fact.who}"


def tallies_of(source: Source, facts: Iterable[Fact], within: str = "") -> Counter:
    """The tallies that ``facts`` (all the facts of whole groups) make, at every unit above
    each fact (only those whose path starts with ``within``, when it is given): key ->
    count, and key -> total under ``("total", key)``. A distinct fact also counts, at its own
    unit only, under the key ``"<key>#<who>"``: where a write finds the other facts of the
    same ``who`` without reading the rows."""
    out: Counter = Counter()
    distinct: dict[tuple[str, Any], dict[str, list[datetime.date]]] = defaultdict(lambda: defaultdict(list))
    for f in facts:
        if f.who is not None and f.path.startswith(within):
            out[(f.path, source.name, f.day, _who_key(f), NEVER, NEVER)] += 1
        for a in _ancestors(f.path):
            if not a.startswith(within):
                continue
            if f.who is None:
                key = (a, source.name, f.day, f.key, f.until, f.due)
                out[key] += 1
                if f.total:
                    out[("total", key)] += f.total
                if f.until != NEVER or f.due != NEVER:
                    out[(a, source.name, f.day, f"{f.key}{MONTHS}", _month_until(f.until), _month_due(f.due))] += 1
            else:
                distinct[(f.key, f.who)][a].append(f.day)
    for (k, _who), by_unit in distinct.items():
        for a, days in by_unit.items():
            days.sort()
            previous = BEFORE
            for day in days:
                out[(a, source.name, day, k, previous, NEVER)] += 1
                previous = day
    return out


def _facts(source: Source, rows: Iterable[dict[str, Any]]) -> list[Fact]:
    return [f for row in rows for f in source.facts(row)]


def _values(source: Source, qs) -> list[dict[str, Any]]:
    return list(qs.values(*dict.fromkeys(source.fields)))


# --- writing the differences ------------------------------------------------------------------


def _unit_ids(paths: Iterable[str]) -> dict[str, int]:
    paths = list(set(paths))
    out: dict[str, int] = {}
    for i in range(0, len(paths), 500):
        out.update(Unit.objects.filter(path__in=paths[i : i + 500]).values_list("path", "pk"))
    return out


def apply(change: Counter) -> None:
    """Add ``change`` (from ``tallies_of``, new less old) to the tallies: one update per
    tally row that exists, one insert for those that do not (for a large change, one upsert
    per thousand rows), and rows left counting nothing are deleted."""
    counts = {k: v for k, v in change.items() if k[0] != "total"}
    totals = {k[1]: v for k, v in change.items() if k[0] == "total"}
    keys = {k for k in (*counts, *totals) if counts.get(k, 0) or totals.get(k, 0)}
    if not keys:
        return
    ids = _unit_ids(k[0] for k in keys)
    if len(keys) > UPSERT_FROM:
        _upsert(keys, counts, totals, ids)
        return
    emptied = False
    for key in keys:
        path, source, day, k, until, due = key
        where = {"unit_id": ids[path], "source": source, "day": day, "key": k, "until": until, "due": due}
        dn, dt = counts.get(key, 0), totals.get(key, 0)
        if Tally.objects.filter(**where).update(n=F("n") + dn, total=F("total") + dt):
            emptied = emptied or dn < 0
            continue
        try:
            with transaction.atomic():
                Tally.objects.create(**where, n=dn, total=dt)
        except IntegrityError:  # written meanwhile by another transaction
            Tally.objects.filter(**where).update(n=F("n") + dn, total=F("total") + dt)
    if emptied:
        Tally.objects.filter(unit_id__in=set(ids.values()), n=0).delete()


# A change of more tally rows than this (a batch written in bulk) is added with one
# statement per thousand rows (an upsert) rather than one or two per row.
UPSERT_FROM = 200


def _upsert(keys: set, counts: dict, totals: dict, ids: dict[str, int]) -> None:
    ops = connection.ops
    table = ops.quote_name(Tally._meta.db_table)
    names = ["unit_id", "source", "day", "key", "until", "due", "n", "total"]
    sql = (
        f"INSERT INTO {table} ({', '.join(ops.quote_name(c) for c in names)}) VALUES ({', '.join(['%s'] * 8)}) "
        f"ON CONFLICT ({', '.join(ops.quote_name(c) for c in names[:6])}) DO UPDATE SET "
        f"{ops.quote_name('n')} = {table}.{ops.quote_name('n')} + excluded.{ops.quote_name('n')}, "
        f"{ops.quote_name('total')} = {table}.{ops.quote_name('total')} + excluded.{ops.quote_name('total')}"
    )
    day = ops.adapt_datefield_value
    rows = [
        (ids[path], source, day(d), k, day(until), day(due), counts.get(key, 0), totals.get(key, 0))
        for key in sorted(keys)
        for path, source, d, k, until, due in [key]
    ]
    with connection.cursor() as cursor:
        for i in range(0, len(rows), 1000):
            cursor.executemany(sql, rows[i : i + 1000])
    if any(counts.get(key, 0) < 0 for key in keys):
        Tally.objects.filter(unit_id__in=set(ids.values()), n=0).delete()


# --- a row's values without reading it again -----------------------------------------------------
#
# A write is counted from the values its instance holds: those it was read with (kept when
# Django builds the instance, ``post_init``) and those it is saved with. A source names its
# values as lookups: a field of the row ("date", "taker_id") or the path of a unit it points
# to ("unit__path"), which is read only when a fact asks for it (an open quiz attempt, which
# counts nothing, reads nothing).

_ATTNAMES: dict[type[Model], dict[str, str]] = {}


def _attnames(model: type[Model]) -> dict[str, str]:
    """lookup -> the attribute of the instance it is read from ("unit__path" -> "unit_id")."""
    out: dict[str, str] = {}
    for source in _BY_MODEL[model]:
        for lookup in source.fields:
            head, _sep, _rest = lookup.partition("__")
            field = model._meta.get_field(head)
            assert isinstance(field, Field), lookup  # a field of the row, or a key to a unit
            out[lookup] = field.attname
    return out


class _Row(dict):
    """A row's values by lookup; a unit's path is read when first asked for."""

    def __init__(self, model: type[Model], values: dict[str, Any], paths: dict[int, str]):
        self._links = {k: a for k, a in _ATTNAMES[model].items() if k.endswith("__path")}
        self._values, self._paths = values, paths
        super().__init__({k: values[a] for k, a in _ATTNAMES[model].items() if k not in self._links})

    def __missing__(self, lookup: str) -> Any:
        pk = self._values[self._links[lookup]]
        if pk not in self._paths:
            self._paths[pk] = Unit.objects.values_list("path", flat=True).get(pk=pk)
        self[lookup] = self._paths[pk]
        return self[lookup]


def _seen(instance: Any) -> dict[str, Any] | None:
    """The instance's values that the tallies read, or None when some were not loaded."""
    loaded = instance.__dict__
    names = set(_ATTNAMES[type(instance)].values())
    if any(name not in loaded for name in names):
        return None
    return {name: loaded[name] for name in names}


def _read(model: type[Model], pk: Any) -> dict[str, Any] | None:
    names = sorted(set(_ATTNAMES[model].values()))
    return model._base_manager.filter(pk=pk).values(*names).first()


# --- writing the differences ----------------------------------------------------------------------


def _changed(source: Source, before: list[Fact], after: list[Fact]) -> None:
    """Count the facts ``before`` (of the rows as they were) becoming ``after``. A distinct
    count's other facts of the same ``who`` are read from its own units' tallies."""
    if before == after:
        return
    change = tallies_of(source, [f for f in after if f.who is None])
    change.subtract(tallies_of(source, [f for f in before if f.who is None]))
    chains = {_who_key(f) for f in (*before, *after) if f.who is not None}
    if chains:
        who_of = {_who_key(f): (f.key, f.who) for f in (*before, *after) if f.who is not None}
        group: list[Fact] = []
        names = sorted(chains)
        at = Q()
        paths = {f.path for f in (*before, *after) if f.who is not None}
        if source.who_at_one_unit and len(paths) <= 500:
            at = Q(unit__path__in=sorted(paths))
        for i in range(0, len(names), 500):
            rows = Tally.objects.filter(at, source=source.name, key__in=names[i : i + 500]).values_list(
                "unit__path", "day", "key", "n"
            )
            for path, day, key, n in rows:
                k, who = who_of[key]
                group += [Fact(path, day, k, who=who)] * n
        now = Counter(group)
        now.subtract(Counter(f for f in before if f.who is not None))
        now.update(Counter(f for f in after if f.who is not None))
        change.update(tallies_of(source, now.elements()))
        change.subtract(tallies_of(source, group))
    apply(change)


def created(model: type[Model], rows: Iterable[Any]) -> None:
    """Count rows that were written without signals (``bulk_create``), from the instances,
    in the caller's transaction."""
    paths: dict[int, str] = {}
    made = [_Row(model, {a: getattr(r, a) for a in set(_ATTNAMES[model].values())}, paths) for r in rows]
    for source in _BY_MODEL.get(model, []):
        _changed(source, [], _facts(source, made))


# --- the signals ----------------------------------------------------------------------------------


def _loaded(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    instance._tally_seen = _seen(instance)


def _before(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    if instance._state.adding or instance.pk is None:
        instance._tally_old = None
        return
    seen = getattr(instance, "_tally_seen", None)
    if seen is None or not all(source.as_read for source in _BY_MODEL[sender]):
        seen = _read(sender, instance.pk)
    instance._tally_old = seen


def _after_save(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    old = getattr(instance, "_tally_old", None)
    new = _seen(instance)
    if new is None:
        new = _read(sender, instance.pk)
    paths: dict[int, str] = {}
    for source in _BY_MODEL[sender]:
        before = source.facts(_Row(sender, old, paths)) if old else []
        after = source.facts(_Row(sender, new, paths)) if new else []
        _changed(source, before, after)
    instance._tally_seen, instance._tally_old = new, None


def _after_delete(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    old = getattr(instance, "_tally_old", None)
    if old:
        paths: dict[int, str] = {}
        for source in _BY_MODEL[sender]:
            _changed(source, source.facts(_Row(sender, old, paths)), [])
    instance._tally_old = None


def _follow_move(sender: Any, unit: Unit, old_ancestor_ids: list[int], **kwargs: Any) -> None:
    """A moved subtree leaves the tallies of its old ancestors and joins its new ones'."""
    new_ids = set(Unit.objects.filter(path__in=unit.ancestor_paths()[:-1]).values_list("pk", flat=True))
    rebuild(Unit.objects.filter(pk__in=set(old_ancestor_ids) ^ new_ids))


def connect() -> None:
    """Register every declared source and hook its model's signals (from ``ready``)."""
    for source in declared_tallies():
        _SOURCES[source.name] = source
        if source not in _BY_MODEL[source.model]:
            _BY_MODEL[source.model].append(source)
    for model in _BY_MODEL:
        _ATTNAMES[model] = _attnames(model)
        uid = f"campaigns.tallies.{model._meta.label_lower}"
        post_init.connect(_loaded, sender=model, weak=False, dispatch_uid=f"{uid}.post_init")
        pre_save.connect(_before, sender=model, weak=False, dispatch_uid=f"{uid}.pre_save")
        pre_delete.connect(_before, sender=model, weak=False, dispatch_uid=f"{uid}.pre_delete")
        post_save.connect(_after_save, sender=model, weak=False, dispatch_uid=f"{uid}.post_save")
        post_delete.connect(_after_delete, sender=model, weak=False, dispatch_uid=f"{uid}.post_delete")
    unit_moved.connect(_follow_move, weak=False, dispatch_uid="campaigns.tallies_after_move")


def sources() -> list[Source]:
    return list(_SOURCES.values())


# --- rebuilding -----------------------------------------------------------------------------------


def computed(source: Source, unit: Unit | None = None) -> Counter:
    """The tallies of ``source`` computed from its rows: of every unit, or of ``unit`` and
    the units below it."""
    qs = source.model._base_manager.all()
    if unit is not None:
        path_field = next(f for f in source.fields if f.endswith("__path"))
        qs = qs.filter(**{f"{path_field}__startswith": unit.path})
    return tallies_of(source, _facts(source, _values(source, qs)), within=unit.path if unit else "")


@transaction.atomic
def rebuild(units: Iterable[Unit] | None = None) -> int:
    """Recompute the tallies from the rows: all of them, or those of ``units`` (each from the
    rows of its subtree). The number of tally rows written."""
    written = 0
    targets = None if units is None else list(units)
    if targets is None:
        Tally.objects.all().delete()
    for source in _SOURCES.values():
        for unit in targets if targets is not None else [None]:
            got = computed(source, unit)
            if unit is not None:
                Tally.objects.filter(unit=unit, source=source.name).delete()
                got = Counter({k: v for k, v in got.items() if (k[1] if k[0] == "total" else k)[0] == unit.path})
            written += _insert(got)
    return written


@transaction.atomic
def recount(*models: type[Model]) -> int:
    """Recompute the tallies of the sources over ``models`` from all their rows: after rows
    were written in bulk without ``created`` (the demo's builders). The number written."""
    written = 0
    for source in _SOURCES.values():
        if source.model in models:
            Tally.objects.filter(source=source.name).delete()
            written += _insert(computed(source))
    return written


@transaction.atomic
def replace(name: str, key: str, facts: Iterable[Fact]) -> int:
    """Replace the tallies of the source ``name`` under ``key`` (with its distinct count's
    keys ``"<key>#<who>"``) by those ``facts`` make: when what a key counts is redefined.
    The number of tally rows written."""
    Tally.objects.filter(source=name).filter(Q(key__in=[key, f"{key}{MONTHS}"]) | Q(key__startswith=f"{key}#")).delete()
    return _insert(tallies_of(_SOURCES[name], facts))


def _insert(got: Counter) -> int:
    """Write new tally rows: plain tuples with one prepared statement (the ORM's per-object
    work costs more than the database's for hundreds of thousands of rows)."""
    counts = {k: v for k, v in got.items() if k[0] != "total" and v}
    ids = _unit_ids(k[0] for k in counts)
    ops = connection.ops
    day = ops.adapt_datefield_value
    names = ["unit_id", "source", "day", "key", "until", "due", "n", "total"]
    sql = (
        f"INSERT INTO {ops.quote_name(Tally._meta.db_table)} ({', '.join(ops.quote_name(c) for c in names)}) "
        f"VALUES ({', '.join(['%s'] * len(names))})"
    )
    rows = [
        (ids[path], source, day(d), k, day(until), day(due), n, got.get(("total", (path, source, d, k, until, due)), 0))
        for (path, source, d, k, until, due), n in counts.items()
    ]
    with connection.cursor() as cursor:
        for i in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[i : i + 5000])
    return len(rows)


# --- reading --------------------------------------------------------------------------------------


class _FirstOfMonth(TruncMonth):
    """The first day of a date's month; on SQLite cut from the date's text by the database."""

    output_field = DateField()

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.lhs)
        return f"SUBSTR({sql}, 1, 8) || '01'", params


@dataclass
class Figures:
    total: dict[str, Number] = field(default_factory=dict)
    children: list[tuple[Unit, dict[str, Number]]] = field(default_factory=list)
    months: list[tuple[datetime.date, dict[str, Number]]] = field(default_factory=list)


def _column(part: Part) -> str:
    """The sum (of ``_measures``) that a part reads."""
    return part.when or f"all_{part.field}"


def _measures(start: datetime.date, end: datetime.date, month: bool, of: list[Tallied]) -> dict[str, Any]:
    """The sums that the parts of ``of`` read, per source and key, among: all rows (their
    number, their total), those done by the end, those overdue on the end (or today), a
    distinct count's first rows."""
    day = min(end, timezone.localdate())
    first = Q(until__lt=start) | Q(until__lt=F("month")) if month else Q(until__lt=start)
    every = {
        "all_n": Sum("n"),
        "all_total": Sum("total"),
        "by_end": Sum("n", filter=Q(until__lte=end)),
        "overdue": Sum("n", filter=Q(due__lt=day, until__gt=day)),
        "first": Sum("n", filter=first),
    }
    read = {_column(part) for ind in of for part in ind.tally.values()}
    return {name: got for name, got in every.items() if name in read}


def _keys(part: Part, by_month_ends: bool) -> tuple[str, ...]:
    if by_month_ends and part.when in ("by_end", "overdue"):
        return tuple(f"{k}{MONTHS}" for k in part.keys)
    return part.keys


def _month_ends(end: datetime.date) -> bool:
    """Whether the range's end and the day "overdue" is counted on are a month's last day."""
    return end == _month_last(end) and end <= timezone.localdate()


def _fold(
    indicators: list[Tallied], sums: dict[tuple[str, str], dict[str, Any]], by_month_ends: bool
) -> dict[str, Number]:
    """Each indicator's figure from the sums per (source, key) of one unit or month."""
    out = {}
    for ind in indicators:
        got = {}
        for name, part in ind.tally.items():
            column = _column(part)
            got[name] = sum((sums.get((part.source, k), {}).get(column) or 0) for k in _keys(part, by_month_ends))
        out[ind.code] = ind.from_tally(got)
    return out


def _wanted(indicators: list[Tallied], asked: bool | Collection[str]) -> list[Tallied]:
    """The indicators among ``indicators`` that ``asked`` names: all (True), none (False) or
    those whose code it holds."""
    if isinstance(asked, bool):
        return list(indicators) if asked else []
    return [i for i in indicators if i.code in asked]


def _keys_of(indicators: list[Tallied], coarse: bool) -> set[str]:
    return {k for ind in indicators for part in ind.tally.values() for k in _keys(part, coarse)}


def answer(
    unit: Unit,
    start: datetime.date,
    end: datetime.date,
    indicators: list[Tallied],
    *,
    by_children: bool | Collection[str] = True,
    by_month: bool | Collection[str] = True,
    children: list[Unit] | None = None,
) -> Figures:
    """The figures of tallied indicators for ``unit``'s subtree and the inclusive range: the
    total of each, and the figures per child unit and per month of those that ``by_children``
    and ``by_month`` ask for (all of them when True, none when False, or those whose code
    the collection holds). One statement over the tallies of the unit (every key asked) and
    of its children (the keys of the indicators asked for per child) grouped by unit, source
    and key, and one over the unit's grouped by month, source and key, for the keys of the
    indicators asked for per month (when any). ``children`` spares the query of the unit's
    children when the caller has them."""
    per_child, per_month = _wanted(indicators, by_children), _wanted(indicators, by_month)
    if not per_child and by_children is not True:
        kids: list[Unit] = []
    elif children is not None:
        kids = children
    else:
        kids = list(Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1).order_by("code"))
    coarse = _month_ends(end)

    # The sums that the indicators read (the same for both parts of the statement below).
    measures = _measures(start, end, False, indicators)

    def sums(of: list[Tallied], units: Q) -> QuerySet:
        names = sorted({part.source for ind in of for part in ind.tally.values()})
        return (
            Tally.objects.filter(units, source__in=names, key__in=sorted(_keys_of(of, coarse)))
            .filter(day__gte=start, day__lte=end)
            .values("unit_id", "source", "key")
            .annotate(**measures)
            .order_by()
        )

    # The unit's sums of every key, its children's of the keys asked for per child: each
    # part grouped in the order of the index, without sorting.
    rows = sums(indicators, Q(unit_id=unit.pk))
    if kids and per_child:
        rows = rows.union(sums(per_child, Q(unit_id__in=[k.pk for k in kids])), all=True)
    per_unit: dict[int, dict[tuple[str, str], dict]] = defaultdict(dict)
    for row in rows:
        per_unit[row.pop("unit_id")][(row.pop("source"), row.pop("key"))] = row
    out = Figures(total=_fold(indicators, per_unit.get(unit.pk, {}), coarse))
    out.children = [(kid, _fold(per_child, per_unit.get(kid.pk, {}), coarse)) for kid in kids]
    if per_month or by_month is True:
        month_sums: dict[datetime.date, dict[tuple[str, str], dict]] = defaultdict(dict)
        names = sorted({part.source for ind in per_month for part in ind.tally.values()})
        for row in (
            Tally.objects.filter(unit=unit, source__in=names, key__in=sorted(_keys_of(per_month, coarse)))
            .filter(day__gte=start, day__lte=end)
            .annotate(month=_FirstOfMonth("day"))
            .values("month", "source", "key")
            .annotate(**_measures(start, end, True, per_month))
            .order_by()
        ):
            m = row.pop("month")
            m = m if isinstance(m, datetime.date) else datetime.date.fromisoformat(m)
            month_sums[m][(row.pop("source"), row.pop("key"))] = row
        out.months = [(m, _fold(per_month, month_sums.get(m, {}), coarse)) for m in months(start, end)]
    return out


def tenths_average(total: int, count: int) -> Decimal:
    """The mean of values kept in tenths, to one decimal, as the database's average gives it
    (to fifteen significant digits, then rounded half to even)."""
    if not count:
        return Decimal("0.0")
    from decimal import Context

    mean = Context(prec=15).divide(Decimal(total), Decimal(count) * 10)
    return Decimal(str(mean)).quantize(Decimal("0.1"))
