"""The units reached: for each defined indicator that counts them (``DefinedIndicator``
with the measure ``reach``), the distinct units that recorded at least one activity of its
kinds (and ledger filters), kept in the tallies (``campaigns.tallies``) as a distinct count.

The tallies' source ``ledger.reach`` gives an activity one fact per such indicator whose
kinds hold the activity's kind and whose filters it meets: key ``reach.<the indicator's
id>`` (``key_of``), ``who`` the activity's unit. The tallies follow every activity saved or deleted (their signals), the
rows written in bulk (``added``, from ``services.insert_activity_rows``, only while some
indicator counts units), and a definition created or changed (``refresh``: its tallies
rebuilt from the activities in the same transaction).

Which indicators count units is read once per process and again whenever the definitions
change: at once in the process that changed them, within a second in the others (through a
stamp in the shared cache, as the figures app's catalogue does). An activity written in
another process within that second of a definition's change may be missed: ``manage.py
rebuild_tallies`` counts everything again from the rows.
"""

from __future__ import annotations

import datetime
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models import Count
from django.db.models.signals import post_delete

from campaigns import tallies
from campaigns.indicators import Fact, Source, indicators_changed
from ledger.models import Activity, DefinedIndicator

SOURCE_NAME = "ledger.reach"
FILTERS = ("venue_kind", "language", "outlet_level", "target")
REACH = DefinedIndicator.Measure.REACH


def key_of(pk: int | None) -> str:
    """The tallies' key of the indicator with this id (short: a tally's key has 40 characters,
    a code up to 60)."""
    return f"reach.{pk}"


@dataclass(frozen=True)
class Rule:
    key: str
    kinds: frozenset[int]
    filters: tuple[tuple[str, str], ...]

    def holds(self, row: Any) -> bool:
        return all(row[name] == value for name, value in self.filters)


# --- which indicators count units -----------------------------------------------------------

_STAMP_KEY = "ledger:reach-rules"
_state: dict[str, Any] = {"rules": None, "stamp": None, "checked": 0.0}


def _new_stamp() -> None:
    _state["stamp"] = uuid.uuid4().hex
    cache.set(_STAMP_KEY, _state["stamp"], timeout=None)


def forget(**kwargs: Any) -> None:
    """Read the definitions again, here and (through the stamp) in every process: now, and
    again once the change commits, so that no process keeps what it read before."""
    _state["rules"] = None
    _new_stamp()
    transaction.on_commit(_new_stamp)


indicators_changed.connect(forget, dispatch_uid="ledger.reach.forget")


def _deleted(sender: Any, instance: DefinedIndicator, **kwargs: Any) -> None:
    """A definition deleted takes its tallies along."""
    if instance.measure == REACH:
        forget()
        tallies.replace(SOURCE_NAME, key_of(instance.pk), [])


post_delete.connect(_deleted, sender=DefinedIndicator, dispatch_uid="ledger.reach.deleted")


def _read_rules() -> dict[int, list[Rule]]:
    by_kind: dict[int, list[Rule]] = {}
    rows = DefinedIndicator.objects.filter(measure=REACH).prefetch_related("kinds").order_by("code")
    for row in rows:
        rule = Rule(
            key_of(row.pk),
            frozenset(k.pk for k in row.kinds.all()),
            tuple((f, getattr(row, f)) for f in FILTERS if getattr(row, f)),
        )
        for kind in rule.kinds:
            by_kind.setdefault(kind, []).append(rule)
    return by_kind


def rules() -> dict[int, list[Rule]]:
    """kind id -> the indicators counting units that count that kind's activities."""
    now = time.monotonic()
    if _state["rules"] is not None and now - _state["checked"] >= 1:
        _state["checked"] = now
        stamp = cache.get(_STAMP_KEY)
        if stamp is not None and stamp != _state["stamp"]:
            _state["rules"] = None
    if _state["rules"] is None:
        _state["stamp"], _state["checked"] = cache.get(_STAMP_KEY), now
        try:
            _state["rules"] = _read_rules()
        except DatabaseError:  # before the tables exist (a fresh database being migrated)
            return {}
    return _state["rules"]


# --- the facts ----------------------------------------------------------------------------


def _facts(row: Any) -> list[Fact]:
    found = rules().get(row["kind_id"])
    if not found:
        return []
    return [Fact(row["unit__path"], row["date"], rule.key, who=row["unit_id"]) for rule in found if rule.holds(row)]


SOURCE = Source(
    SOURCE_NAME,
    Activity,
    ("unit__path", "unit_id", "kind_id", "date", *FILTERS),
    _facts,
    who_at_one_unit=True,  # the who is the activity's unit
)


class _Added:
    """An activity written in bulk, as the tallies read it (its values by attribute)."""

    __slots__ = ("unit_id", "kind_id", "date", *FILTERS)

    def __init__(self, values: dict[str, Any]) -> None:
        for name, value in values.items():
            setattr(self, name, value)


def added(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Count activities written without signals (plain tuples in the order of ``columns``,
    their dates as ``datetime.date``), in the caller's transaction. Only those of a kind some
    indicator counts are read."""
    kinds = rules()
    if not kinds:
        return
    at = {name: columns.index(name) for name in ("unit_id", "kind_id", "date", *FILTERS)}
    made = [_Added({n: r[i] for n, i in at.items()}) for r in rows if r[at["kind_id"]] in kinds]
    if made:
        tallies.created(Activity, made)


def refresh(row: DefinedIndicator) -> int:
    """Rebuild the tallies of the indicator ``row`` from the activities (none when it no
    longer counts units), in the caller's transaction: one grouped query over the
    activities. The number of tally rows written."""
    forget()
    key = key_of(row.pk)
    facts: list[Fact] = []
    if row.measure == REACH:
        kinds = list(row.kinds.values_list("pk", flat=True))
        filters = {f: getattr(row, f) for f in FILTERS if getattr(row, f)}
        groups = (
            Activity.objects.filter(kind_id__in=kinds or [0], **filters)
            .values_list("unit__path", "unit_id", "date")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for path, unit_id, day, n in groups:
            if not isinstance(day, datetime.date):
                day = datetime.date.fromisoformat(day)
            facts.extend([Fact(path, day, key, who=unit_id)] * n)
    return tallies.replace(SOURCE_NAME, key, facts)
