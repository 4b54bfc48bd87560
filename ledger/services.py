"""Writes to the ledger. Every function validates, checks the actor's scope, writes, keeps
the rollups right and is audited, all in one transaction; a refusal raises
``ValidationError`` keyed by the field at fault and leaves nothing behind."""

from __future__ import annotations

import contextlib
import datetime
import gc
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Count, F, Max, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.indicators import declared, indicators_changed
from campaigns.models import Campaign
from campaigns.selectors import campaign_for_unit, campaigns_covering
from core import uploads
from core.records import Refused, strip_control_characters, within
from ledger import reach
from ledger.choices import OPTIONAL_FIELD_NAMES, Family, ImportStatus, Section
from ledger.indicators import summed_by_code
from ledger.models import (
    Activity,
    ActivityKind,
    ActivityRollup,
    DefinedIndicator,
    Evidence,
    ImportJob,
    ReportingPeriod,
)
from ledger.records import ACTIVITY
from ledger.signals import activities_imported, import_refused
from orgs.choices import Role
from orgs.models import Unit
from orgs.scope import path_in_scope

WRITE_ROLES = (Role.OFFICE_ADMIN, Role.REPORTER)
KEY_DIMS = ("venue_kind", "language", "outlet_level", "target")
DEFAULTS: dict[str, Any] = {
    "title": "",
    "sessions": 1,
    "participants": 0,
    "venue_kind": "",
    "language": "",
    "copies": 0,
    "outlet_level": "",
    "target": "",
    "lecturers": "",
    "place": "",
    "notes": "",
}
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
PARSED_KEPT = 20_000  # values of a batch whose parsing is remembered (BatchCheck)


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


# --- who may write what ------------------------------------------------------------------


def is_office(actor: Any) -> bool:
    return bool(actor.is_superuser or actor.role == Role.OFFICE_ADMIN)


def _require_writer(actor: Any) -> None:
    if not (actor.is_superuser or actor.role in WRITE_ROLES):
        raise ValidationError({"unit": _("Your role may not record activities.")})


def _require_in_scope(actor: Any, unit: Unit) -> None:
    if not path_in_scope(actor, unit.path):
        raise ValidationError({"unit": _("No unit with this code in your scope.")})


def campaign_for(unit: Unit) -> Campaign | None:
    """The newest campaign whose root is the unit or a unit above it."""
    return campaign_for_unit(unit)


def kinds_of(campaigns: Iterable[Campaign]) -> Any:
    """The kinds in use that the campaigns record (``ActivityKind.campaigns``)."""
    return ActivityKind.objects.filter(active=True, campaigns__in=list(campaigns)).distinct()


def _outside(campaigns: list[Campaign]) -> str:
    """The refusal of a date in none of the unit's campaigns."""
    if len(campaigns) == 1:
        return _("The date must lie inside the campaign, from %(start)s to %(end)s.") % {
            "start": campaigns[0].start.isoformat(),
            "end": campaigns[0].end.isoformat(),
        }
    periods = "; ".join(f"{c.name} {c.start.isoformat()} – {c.end.isoformat()}" for c in campaigns)
    return _("The date must lie inside one of the unit's campaigns: %(periods)s.") % {"periods": periods}


def _not_recorded(kind: ActivityKind, campaigns: list[Campaign]) -> str:
    return _("%(kind)s is not recorded in %(campaign)s.") % {
        "kind": kind.name,
        "campaign": "、".join(c.name for c in campaigns),
    }


def _closed_months(campaign: Campaign) -> set[datetime.date]:
    return set(ReportingPeriod.objects.filter(campaign=campaign).values_list("month", flat=True))


def _check_date(
    actor: Any, unit: Unit, day: datetime.date, campaign: Campaign | None = None, kind: ActivityKind | None = None
) -> Campaign:
    """The campaign a row of ``unit`` on ``day`` belongs to (the newest of the unit's
    campaigns whose period holds the day and, given ``kind``, that records that kind);
    refused when there is none or its month is closed to the actor."""
    covering = [campaign] if campaign is not None else campaigns_covering(unit)
    if not covering:
        raise ValidationError({"unit": _("No campaign covers this unit.")})
    inside = [c for c in covering if c.start <= day <= c.end]
    if not inside:
        raise ValidationError({"date": _outside(covering)})
    if kind is not None:
        serving = set(kind.campaigns.filter(pk__in=[c.pk for c in inside]).values_list("pk", flat=True))
        if not serving:
            raise ValidationError({"kind": _not_recorded(kind, inside)})
        inside = [c for c in inside if c.pk in serving]
    campaign = inside[0]
    if not is_office(actor) and month_of(day) in _closed_months(campaign):
        raise ValidationError({"date": _("This month is closed; only the office may change its rows.")})
    return campaign


def clean_fields(kind: ActivityKind, data: dict[str, Any], *, parsed: bool = False) -> dict[str, Any]:
    """The activity's optional fields as the kind wants them, each parsed through the
    activity's definition (``ledger.records.ACTIVITY``): fields that do not apply are reset,
    required fields must be given (a required count must be more than zero). With
    ``parsed``, the values of ``data`` have been parsed already (a batch's check parses each
    cell once; parsing a parsed value gives it back) and only missing fields are parsed."""
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}
    for name in OPTIONAL_FIELD_NAMES:
        if not kind.applies(name):
            out[name] = DEFAULTS[name]
            continue
        value = data.get(name)
        if kind.requires(name) and (value is None or (isinstance(value, str) and not value.strip())):
            errors[name] = [_("This field is required.")]
            continue
        if not (parsed and name in data):
            try:
                value = ACTIVITY.parse(name, value)
            except Refused as exc:
                errors[name] = [exc.message]
                continue
        if kind.requires(name) and not value:
            errors[name] = [_("This field is required.")]
            continue
        out[name] = value
    if errors:
        raise ValidationError(errors)
    return out


class BatchCheck:
    """The check of the rows of one batch — an xlsx import or a bulk API call — with what
    they are checked against (units in the actor's scope, kinds, campaigns, closed months)
    loaded once. Both doors give ``check`` a row's raw values by field and report its
    refusals at their own place (a cell, a JSON location)."""

    def __init__(
        self,
        actor: Any,
        *,
        codes: Iterable[str] | None = None,
        default_kind: ActivityKind | None = None,
        kinds_by_name: bool = False,
    ) -> None:
        self.actor = actor
        self.default_kind = default_kind
        visible = Unit.objects.visible_to(actor)
        self.units: dict[str, tuple[int, str]] = {}
        if codes is None:
            for code, pk, path in visible.values_list("code", "pk", "path").iterator(chunk_size=5000):
                self.units[code] = (pk, path)
        else:
            wanted = sorted(set(codes))
            for i in range(0, len(wanted), 500):
                for code, pk, path in visible.filter(code__in=wanted[i : i + 500]).values_list("code", "pk", "path"):
                    self.units[code] = (pk, path)
        self.kinds: dict[str, ActivityKind] = {}
        for k in ActivityKind.objects.filter(active=True):
            keys = (k.code, k.name_zh, k.name_bo, k.name_en) if kinds_by_name else (k.code,)
            for key in keys:
                self.kinds.setdefault(key.strip(), k)
        self.campaigns = [
            (c.root_unit.path, c) for c in Campaign.objects.select_related("root_unit").order_by("-start", "-pk")
        ]
        # The campaigns that record each kind (``ActivityKind.campaigns``).
        self.kind_campaigns: dict[int, set[int]] = defaultdict(set)
        for kind_id, campaign_id in ActivityKind.campaigns.through.objects.values_list(
            "activitykind_id", "campaign_id"
        ):
            self.kind_campaigns[kind_id].add(campaign_id)
        self.closed: dict[int, set[datetime.date]] = {}
        if not is_office(actor):
            for campaign_id, month in ReportingPeriod.objects.values_list("campaign_id", "month"):
                self.closed.setdefault(campaign_id, set()).add(month)
        # What the rows of a batch share is worked out once: the campaigns over a unit, the
        # refusal (or none) of a day of a kind under them, a parsed value, a kind's fields.
        self._covering: dict[str, list[Campaign]] = {}
        self._date_refusals: dict[tuple, tuple[str, str] | None] = {}
        self._parsed: dict[tuple, Any] = {}
        self._plans: dict[int, tuple[tuple[str, bool, bool], ...]] = {}

    def campaign(self, path: str) -> Campaign | None:
        for root, c in self.campaigns:
            if path.startswith(root):
                return c
        return None

    def _parse(self, name: str, value: Any) -> Any:
        """``ACTIVITY.parse``, remembered for values seen before (a refusal is never kept: it
        is raised again, in the words of the moment)."""
        key = (name, value.__class__, value)
        try:
            return self._parsed[key]
        except KeyError:
            pass
        except TypeError:  # a value that cannot be remembered
            return ACTIVITY.parse(name, value)
        parsed = ACTIVITY.parse(name, value)
        if len(self._parsed) < PARSED_KEPT:
            self._parsed[key] = parsed
        return parsed

    def _date_refusal(
        self, covering: list[Campaign], kind: ActivityKind | None, day: datetime.date
    ) -> tuple[str, str] | None:
        """The refusal ``(field, message)`` of a day for a row of ``kind`` in a unit under the
        campaigns ``covering`` it, or None: outside all of them, in none that records the
        kind, or in a closed month of the one that does."""
        key = (tuple(c.pk for c in covering), kind.pk if kind else None, day)
        try:
            return self._date_refusals[key]
        except KeyError:
            pass
        refusal: tuple[str, str] | None = None
        inside = [c for c in covering if not within(day, c)]
        serving = [c for c in inside if kind is None or c.pk in self.kind_campaigns[kind.pk]]
        if not inside:
            refusal = ("date", _outside(covering))
        elif not serving and kind is not None:
            refusal = ("kind", _not_recorded(kind, inside))
        elif month_of(day) in self.closed.get(serving[0].pk, ()):
            refusal = ("date", _("This month is closed; only the office may change its rows."))
        self._date_refusals[key] = refusal
        return refusal

    def _cleaned(self, kind: ActivityKind, fields: dict[str, Any]) -> list[Any] | None:
        """What ``clean_fields(kind, fields, parsed=True)`` gives, in OPTIONAL_FIELD_NAMES
        order, or None where it would refuse (it is then asked for its refusals)."""
        plan = self._plans.get(kind.pk)
        if plan is None:
            plan = self._plans[kind.pk] = tuple((n, kind.applies(n), kind.requires(n)) for n in OPTIONAL_FIELD_NAMES)
        out = []
        for name, applies, requires in plan:
            if not applies:
                out.append(DEFAULTS[name])
                continue
            given = name in fields
            value = fields[name] if given else None
            if requires and (value is None or (isinstance(value, str) and not value.strip())):
                return None
            if not given:
                try:
                    value = self._parse(name, None)
                except Refused:
                    return None
            if requires and not value:
                return None
            out.append(value)
        return out

    def covering(self, path: str) -> list[Campaign]:
        """The campaigns whose subtree holds the unit of this path, newest first."""
        found = self._covering.get(path)
        if found is None:
            found = self._covering[path] = [c for root, c in self.campaigns if path.startswith(root)]
        return found

    @staticmethod
    def code(value: Any) -> str:
        """A unit's code from a cell or a JSON value (a number typed into a cell included)."""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return "" if value is None else str(value).strip()

    def check(self, cells: dict[str, Any], errors: dict[str, str] | None = None) -> tuple[tuple | None, dict[str, str]]:
        """One row's values by field (``unit``, ``kind``, ``date`` and the optional fields)
        -> the row to write ``(unit_id, kind_id, date, *optional fields)`` and no refusals,
        or None and the refusals by field. Fields already in ``errors`` are not looked at."""
        errors = dict(errors or {})
        unit = None
        if "unit" not in errors:
            code = self.code(cells.get("unit"))
            if not code:
                errors["unit"] = _("The unit code is required.")
            else:
                unit = self.units.get(code)
                if unit is None:
                    shown = strip_control_characters(code)[:32]
                    errors["unit"] = _("No unit with code %(code)s in your scope.") % {"code": shown}
        kind = None
        if "kind" not in errors:
            raw = cells.get("kind")
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                kind = self.default_kind
                if kind is None:
                    errors["kind"] = _("This field is required.")
            else:
                kind = self.kinds.get(str(raw).strip())
                if kind is None:
                    errors["kind"] = _("Unknown kind of activity.")
        day = None
        if "date" not in errors:
            try:
                day = self._parse("date", cells.get("date"))
            except Refused as exc:
                errors["date"] = exc.message
        if unit and day:
            covering = self.covering(unit[1])
            if not covering:
                errors["unit"] = _("No campaign covers this unit.")
            elif refusal := self._date_refusal(covering, kind, day):
                errors[refusal[0]] = refusal[1]
        fields: dict[str, Any] = {}
        for name in OPTIONAL_FIELD_NAMES:
            if name in errors or name not in cells:
                continue
            try:
                fields[name] = self._parse(name, cells[name])
            except Refused as exc:
                errors[name] = exc.message
        if kind is not None:
            given = {n: v for n, v in fields.items() if n not in errors}
            values = self._cleaned(kind, given)
            if values is None:
                try:
                    cleaned = clean_fields(kind, given, parsed=True)
                except ValidationError as exc:
                    for name, messages in exc.message_dict.items():
                        errors.setdefault(name, messages[0])
                    return None, errors
                values = [cleaned[n] for n in OPTIONAL_FIELD_NAMES]
            if not errors and unit and day:
                return (unit[0], kind.pk, day, *values), errors
        return None, errors


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a batch is checked or written (usable as
    a decorator). A batch of a hundred thousand rows keeps hundreds of thousands of tuples
    alive at once, none of them in a cycle, and the collector would walk all of them again
    each time their number grows by a quarter: a sixth of an import's time. What reference
    counting frees is freed as usual; a cycle made meanwhile waits for the collector's return."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


BULK_CACHE_KIB = 64 * 1024


@contextlib.contextmanager
def bulk_write_cache() -> Iterator[None]:
    """On SQLite, a page cache of 64 MB while a batch is written (usable as a decorator), the
    usual 2 MB again afterwards: a hundred thousand rows, their flags and rollups touch tens
    of megabytes of table and index pages in one transaction, and a small cache writes them
    out to the log and reads them back again and again. PostgreSQL keeps its own buffers."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {before}")
        except DatabaseError:  # the connection is gone; the next one starts with the usual cache
            pass


# --- rollups -------------------------------------------------------------------------------

RollupKey = tuple  # (unit_id, kind_id, month, venue_kind, language, outlet_level, target)


def _key_fields(activity: Activity) -> dict[str, Any]:
    return {
        "kind_id": activity.kind_id,
        "month": month_of(activity.date),
        **{d: getattr(activity, d) for d in KEY_DIMS},
    }


def _ancestor_ids(unit: Unit) -> list[int]:
    return list(Unit.objects.filter(path__in=unit.ancestor_paths()).values_list("pk", flat=True))


def _bump(activity: Activity, unit_ids: list[int], sign: int) -> None:
    """Add (sign=1) or take away (sign=-1) one activity in the rollups of its unit and of
    every unit above it."""
    key = _key_fields(activity)
    deltas = {
        "sessions": F("sessions") + sign * activity.sessions,
        "participants": F("participants") + sign * activity.participants,
        "copies": F("copies") + sign * activity.copies,
        "rows": F("rows") + sign,
    }
    qs = ActivityRollup.objects.filter(unit_id__in=unit_ids, **key)
    if qs.update(**deltas) < len(unit_ids):
        present = set(qs.values_list("unit_id", flat=True))
        for unit_id in unit_ids:
            if unit_id in present:
                continue
            if sign < 0:
                raise RuntimeError("rollup missing for a row being removed; run rebuild_rollups")
            try:
                with transaction.atomic():
                    ActivityRollup.objects.create(
                        unit_id=unit_id,
                        sessions=activity.sessions,
                        participants=activity.participants,
                        copies=activity.copies,
                        rows=1,
                        **key,
                    )
            except IntegrityError:  # written meanwhile by a concurrent transaction
                ActivityRollup.objects.filter(unit_id=unit_id, **key).update(**deltas)
    if sign < 0:
        ActivityRollup.objects.filter(unit_id__in=unit_ids, rows__lte=0, **key).delete()


def _path_ids() -> dict[str, int]:
    return dict(Unit.objects.values_list("path", "pk"))


def _expand(groups: Iterable[tuple], path_ids: dict[str, int]) -> dict[RollupKey, list[int]]:
    """Own-unit totals ``(path, kind_id, month, dims..., sessions, participants, copies,
    rows)`` spread over every ancestor's rollup key."""
    step = Unit.steplen
    out: dict[RollupKey, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for path, kind_id, month, venue, language, outlet, target, s, p, c, r in groups:
        if isinstance(month, datetime.datetime):
            month = month.date()
        for end in range(step, len(path) + 1, step):
            acc = out[(path_ids[path[:end]], kind_id, month, venue, language, outlet, target)]
            acc[0] += s
            acc[1] += p
            acc[2] += c
            acc[3] += r
    return out


def _apply_bulk(expanded: dict[RollupKey, list[int]], sign: int = 1) -> None:
    """Merge many deltas at once (imports, the demo): read the rollup rows they touch, then
    replace them with the merged totals."""
    if not expanded:
        return
    unit_ids = {k[0] for k in expanded}
    months = {k[2] for k in expanded}
    existing: dict[RollupKey, tuple] = {}
    qs = ActivityRollup.objects.select_for_update().filter(unit_id__in=unit_ids, month__in=months)
    # Plain tuples, not model instances: an import of many units reads a hundred thousand.
    columns = ("unit_id", "kind_id", "month", *KEY_DIMS, "pk", "sessions", "participants", "copies", "rows")
    for r in qs.values_list(*columns).iterator(chunk_size=5000):
        key = r[:7]
        if key in expanded:
            existing[key] = r[7:]
    merged = {}
    for key, (s, p, c, n) in expanded.items():
        old = existing.get(key)
        base = old[1:] if old else (0, 0, 0, 0)
        merged[key] = [base[0] + sign * s, base[1] + sign * p, base[2] + sign * c, base[3] + sign * n]
    pks = [r[0] for r in existing.values()]
    for i in range(0, len(pks), 900):
        ActivityRollup.objects.filter(pk__in=pks[i : i + 900]).delete()
    _insert_rollups(merged)


def _max_depth() -> int:
    return Activity.objects.aggregate(d=Max("unit__depth"))["d"] or 0


def _own_groups() -> list[tuple]:
    """Every unit's own totals per rollup key, in one grouped query over the rows."""
    qs = (
        Activity.objects.annotate(m=TruncMonth("date"))
        .values_list("unit__path", "kind_id", "m", *KEY_DIMS)
        .annotate(Sum("sessions"), Sum("participants"), Sum("copies"), Count("pk"))
        .order_by()
    )
    out = []
    for row in qs.iterator(chunk_size=10000):
        if isinstance(row[2], datetime.datetime):
            row = (row[0], row[1], row[2].date(), *row[3:])
        out.append(row)
    return out


def _expected_at_depth(depth: int, own: list[tuple], path_ids: dict[str, int]) -> dict[RollupKey, list[int]]:
    """The rollup rows of the units at ``depth``, summed from their subtrees' own totals, so
    memory holds one level of the tree at a time."""
    end = depth * Unit.steplen
    out: dict[RollupKey, list[int]] = {}
    for path, kind_id, month, venue, language, outlet, target, s, p, c, r in own:
        if len(path) < end:
            continue
        key = (path_ids[path[:end]], kind_id, month, venue, language, outlet, target)
        acc = out.get(key)
        if acc is None:
            out[key] = [s, p, c, r]
        else:
            acc[0] += s
            acc[1] += p
            acc[2] += c
            acc[3] += r
    return out


def expected_rollups() -> dict[RollupKey, list[int]]:
    """Every rollup row recomputed from the rows."""
    path_ids, own = _path_ids(), _own_groups()
    out: dict[RollupKey, list[int]] = {}
    for depth in range(1, _max_depth() + 1):
        out.update(_expected_at_depth(depth, own, path_ids))
    return out


@transaction.atomic
def rebuild_rollups() -> int:
    """Recompute every rollup row from the activities, one level of the tree at a time;
    returns the number of rollup rows."""
    path_ids, own = _path_ids(), _own_groups()
    ActivityRollup.objects.all().delete()
    n = 0
    for depth in range(1, _max_depth() + 1):
        level = _expected_at_depth(depth, own, path_ids)
        _insert_rollups(level)
        n += len(level)
    return n


def rollup_differences(limit: int = 20) -> list[str]:
    """Where the rollup table and a recomputation from the rows disagree (empty when right)."""
    path_ids, own = _path_ids(), _own_groups()
    problems: list[str] = []
    columns = ("unit_id", "kind_id", "month", *KEY_DIMS, "sessions", "participants", "copies", "rows")
    deepest = max(_max_depth(), ActivityRollup.objects.aggregate(d=Max("unit__depth"))["d"] or 0)
    for depth in range(1, deepest + 1):
        expected = _expected_at_depth(depth, own, path_ids)
        found = {}
        for r in ActivityRollup.objects.filter(unit__depth=depth).values_list(*columns).iterator(chunk_size=10000):
            found[r[:7]] = list(r[7:])
        for key in sorted(set(expected) | set(found), key=str):
            if expected.get(key) != found.get(key):
                problems.append(f"{key}: rows say {expected.get(key)}, rollup says {found.get(key)}")
                if len(problems) >= limit:
                    return problems
    return problems


# --- fast inserts (imports, the demo, rebuilds) --------------------------------------------

ACTIVITY_COLUMNS = (
    "unit_id",
    "region_code",
    "kind_id",
    "date",
    *OPTIONAL_FIELD_NAMES,
)


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], *, chunk: int = 5000) -> int:
    """Insert plain tuples, their values ready for the database, into ``table`` with one
    prepared statement: the ORM's per-object work costs more than the database's own for a
    hundred thousand rows. (Several hundred rows to a statement cost more on SQLite, not
    less: the long statement is compiled again each time.) Returns the rows written."""
    ops = connection.ops
    sql = (
        f"INSERT INTO {ops.quote_name(table)} ({', '.join(ops.quote_name(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    n = 0
    with connection.cursor() as cursor:
        for part in _batched(rows, chunk):
            cursor.executemany(sql, part)
            n += len(part)
    return n


def _batched(rows: Iterable[Sequence[Any]], size: int) -> Iterator[list[Sequence[Any]]]:
    part: list[Sequence[Any]] = []
    for row in rows:
        part.append(row)
        if len(part) >= size:
            yield part
            part = []
    if part:
        yield part


def insert_activity_rows(rows: Iterable[tuple], *, created_by_id: int | None = None) -> int:
    """Insert plain tuples in ACTIVITY_COLUMNS order (``insert_rows``), entered now by
    ``created_by_id``: the rows of one call share their moment of entry; the units they
    reach join the tallies of the indicators that count them (``reach.added``)."""
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    columns = [*ACTIVITY_COLUMNS, "created_by_id", "created_at", "updated_at", "version"]
    date_at = ACTIVITY_COLUMNS.index("date")
    tail = (created_by_id, now, now, 1)
    days: dict[datetime.date, Any] = {}

    def ready(row: tuple) -> tuple:
        day = row[date_at]
        if day not in days:
            days[day] = ops.adapt_datefield_value(day)
        return (*row[:date_at], days[day], *row[date_at + 1 :], *tail)

    counting = bool(reach.rules())  # an indicator counts the units reached: they follow
    rows = list(rows) if counting else rows
    written = insert_rows(Activity._meta.db_table, columns, map(ready, rows))
    if counting:
        reach.added(ACTIVITY_COLUMNS, rows)
    return written


def _insert_rollups(expanded: dict[RollupKey, list[int]]) -> None:
    ops = connection.ops
    columns = [
        "unit_id",
        "kind_id",
        "month",
        "venue_kind",
        "language",
        "outlet_level",
        "target",
        "sessions",
        "participants",
        "copies",
        "rows",
    ]
    months: dict[datetime.date, Any] = {}
    for month in {k[2] for k in expanded}:
        months[month] = ops.adapt_datefield_value(month)
    insert_rows(
        ActivityRollup._meta.db_table,
        columns,
        (
            (k[0], k[1], months[k[2]], k[3], k[4], k[5], k[6], v[0], v[1], v[2], v[3])
            for k, v in expanded.items()
            if v[3] > 0
        ),
    )


# --- activities ----------------------------------------------------------------------------


@transaction.atomic
def record_activity(*, actor: Any, unit: Unit, kind: ActivityKind, date: datetime.date, **fields: Any) -> Activity:
    """Record one activity of ``unit``; the rollups of the unit and every unit above it
    follow in the same transaction."""
    _require_writer(actor)
    _require_in_scope(actor, unit)
    if not kind.active:
        raise ValidationError({"kind": _("This kind of activity is no longer in use.")})
    unknown = set(fields) - set(OPTIONAL_FIELD_NAMES)
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    if date is None:
        raise ValidationError({"date": _("This field is required.")})
    _check_date(actor, unit, date, kind=kind)
    values = clean_fields(kind, fields)
    activity = Activity.objects.create(
        unit=unit,
        region_code=unit.region_code,
        kind=kind,
        date=date,
        created_by=actor if getattr(actor, "pk", None) else None,
        **values,
    )
    _bump(activity, _ancestor_ids(unit), +1)
    return activity


@transaction.atomic
def update_activity(
    *, actor: Any, activity: Activity, version: int, unit: Unit | None = None, **fields: Any
) -> Activity:
    """Change an activity seen at ``version``; refused when someone changed it meanwhile, or
    when its month (old or new) is closed and the actor is not the office."""
    _require_writer(actor)
    current = Activity.objects.select_for_update().select_related("unit", "kind").get(pk=activity.pk)
    _require_in_scope(actor, current.unit)
    if current.version != version:
        raise ValidationError({"version": _("Someone changed this activity meanwhile; reload it and try again.")})
    _check_date(actor, current.unit, current.date)
    new_unit = unit or current.unit
    if new_unit.pk != current.unit_id:
        _require_in_scope(actor, new_unit)
    date = fields.pop("date", current.date)
    if date is None:
        raise ValidationError({"date": _("This field is required.")})
    _check_date(actor, new_unit, date, kind=current.kind if (new_unit, date) != (current.unit, current.date) else None)
    merged = {name: fields.get(name, getattr(current, name)) for name in OPTIONAL_FIELD_NAMES}
    values = clean_fields(current.kind, merged)
    old_unit_id = current.unit_id
    old_ids = _ancestor_ids(current.unit)
    _bump(current, old_ids, -1)
    current.unit = new_unit
    current.region_code = new_unit.region_code
    current.date = date
    for name, value in values.items():
        setattr(current, name, value)
    current.version += 1
    current.save()
    _bump(current, old_ids if new_unit.pk == old_unit_id else _ancestor_ids(new_unit), +1)
    return current


@transaction.atomic
def delete_activity(*, actor: Any, activity: Activity) -> None:
    _require_writer(actor)
    current = Activity.objects.select_for_update().select_related("unit").get(pk=activity.pk)
    _require_in_scope(actor, current.unit)
    _check_date(actor, current.unit, current.date)
    _bump(current, _ancestor_ids(current.unit), -1)
    for evidence in current.evidence.all():
        evidence.file.delete(save=False)
    current.delete()


@transaction.atomic
def add_evidence(*, actor: Any, activity: Activity, upload: Any) -> Evidence:
    """Attach a photo, scanned sheet, PDF or office document to an activity; its type is
    told by its content (``core.uploads``), its size by the upload."""
    _require_writer(actor)
    _require_in_scope(actor, activity.unit)
    _check_date(actor, activity.unit, activity.date)
    name = (getattr(upload, "name", "") or "").rsplit("/", 1)[-1][:200]
    if upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError({"file": _("The file is larger than 10 MB.")})
    checked = uploads.check_evidence(upload)
    content_type, suffix = checked.content_type, checked.extension
    evidence = Evidence(
        activity=activity,
        original_name=name,
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    evidence.file.save(f"{activity.pk}{suffix}", upload, save=False)
    evidence.save()
    return evidence


# --- reporting periods ---------------------------------------------------------------------


def _require_campaign_office(actor: Any, campaign: Campaign) -> None:
    if not (actor.is_superuser or (actor.role == Role.OFFICE_ADMIN and actor.unit_id == campaign.root_unit_id)):
        raise ValidationError({"month": _("Only the campaign office may close or reopen a month.")})


@transaction.atomic
def close_period(*, actor: Any, campaign: Campaign, month: datetime.date) -> ReportingPeriod:
    _require_campaign_office(actor, campaign)
    month = month_of(month)
    if not month_of(campaign.start) <= month <= campaign.end:
        raise ValidationError({"month": _("This month is outside the campaign.")})
    period, _created = ReportingPeriod.objects.get_or_create(
        campaign=campaign, month=month, defaults={"closed_by": actor}
    )
    return period


@transaction.atomic
def reopen_period(*, actor: Any, campaign: Campaign, month: datetime.date) -> None:
    _require_campaign_office(actor, campaign)
    for period in ReportingPeriod.objects.filter(campaign=campaign, month=month_of(month)):
        period.delete()


# --- the catalogue of kinds ----------------------------------------------------------------

KIND_FIELDS = (
    "name_zh",
    "name_bo",
    "name_en",
    "section",
    "family",
    "measure_zh",
    "measure_bo",
    "measure_en",
    "fields",
    "required",
    "requires_evidence",
    "active",
)


def may_edit_kinds(actor: Any) -> bool:
    """The catalogue is shared by the whole campaign: only a campaign root's office edits it."""
    if actor.is_superuser:
        return True
    return actor.role == Role.OFFICE_ADMIN and Campaign.objects.filter(root_unit_id=actor.unit_id).exists()


def _check_kind(data: dict[str, Any]) -> None:
    errors = {}
    for name in ("name_zh", "name_bo", "name_en"):
        if not (data.get(name) or "").strip():
            errors[name] = _("This field is required.")
    if data.get("section") not in Section.values:
        errors["section"] = _("Not one of the choices.")
    if data.get("family") not in Family.values:
        errors["family"] = _("Not one of the choices.")
    fields = data.get("fields") or []
    if any(f not in OPTIONAL_FIELD_NAMES for f in fields):
        errors["fields"] = _("Not one of the choices.")
    if any(f not in fields for f in data.get("required") or []):
        errors["required"] = _("A required field must also apply.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_kind(*, actor: Any, code: str, campaigns: Iterable[Campaign] = (), **data: Any) -> ActivityKind:
    """A new kind in the catalogue, recorded in ``campaigns`` (the campaign the office works
    in, from the kind page; a set-up's import links its own)."""
    if not may_edit_kinds(actor):
        raise ValidationError({"code": _("Only the campaign office may change the catalogue.")})
    code = (code or "").strip()
    if not code:
        raise ValidationError({"code": _("This field is required.")})
    if ActivityKind.objects.filter(code=code).exists():
        raise ValidationError({"code": _("Code %(code)s is already used.") % {"code": code}})
    _check_kind(data)
    kind = ActivityKind.objects.create(code=code, **{k: v for k, v in data.items() if k in KIND_FIELDS})
    for campaign in campaigns:
        _require_in_scope(actor, campaign.root_unit)
    kind.campaigns.set(list(campaigns))
    return kind


@transaction.atomic
def update_kind(*, actor: Any, kind: ActivityKind, **data: Any) -> ActivityKind:
    """Change a kind's names, fields or flags. Its family is kept once rows exist, so that no
    figure already reported changes meaning."""
    if not may_edit_kinds(actor):
        raise ValidationError({"code": _("Only the campaign office may change the catalogue.")})
    merged = {k: data.get(k, getattr(kind, k)) for k in KIND_FIELDS}
    _check_kind(merged)
    if merged["family"] != kind.family and kind.activities.exists():
        raise ValidationError({"family": _("Rows of this kind exist; what it counts towards cannot change.")})
    for k, v in merged.items():
        setattr(kind, k, v)
    kind.save()
    return kind


# --- bulk writes (imports, the demo) -------------------------------------------------------


@collector_paused()
@bulk_write_cache()
@transaction.atomic
def import_activities(*, actor: Any, rows: list[tuple], job: ImportJob | None = None) -> int:
    """Write checked rows ``(unit_id, kind_id, date, *optional fields in
    OPTIONAL_FIELD_NAMES order)`` in one transaction, with their rollups and one audit entry
    for the batch. Scope and closed months are checked again for the whole batch."""
    _require_writer(actor)
    units = {u.pk: u for u in Unit.objects.filter(pk__in={r[0] for r in rows})}
    if len(units) != len({r[0] for r in rows}):
        raise ValidationError({"unit": _("No unit with this code in your scope.")})
    for unit in units.values():
        _require_in_scope(actor, unit)
    if not is_office(actor):
        campaigns = {uid: campaigns_covering(u) for uid, u in units.items()}
        closed = {c.pk: _closed_months(c) for cs in campaigns.values() for c in cs}
        for r in rows:
            c = next((c for c in campaigns[r[0]] if c.start <= r[2] <= c.end), None)
            if c and month_of(r[2]) in closed[c.pk]:
                raise ValidationError({"date": _("This month is closed; only the office may change its rows.")})
    paths = {uid: u.path for uid, u in units.items()}
    regions = {uid: u.region_code for uid, u in units.items()}
    groups: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    names = OPTIONAL_FIELD_NAMES
    at = {n: 3 + i for i, n in enumerate(names)}
    for r in rows:
        acc = groups[
            (
                paths[r[0]],
                r[1],
                month_of(r[2]),
                r[at["venue_kind"]],
                r[at["language"]],
                r[at["outlet_level"]],
                r[at["target"]],
            )
        ]
        acc[0] += r[at["sessions"]]
        acc[1] += r[at["participants"]]
        acc[2] += r[at["copies"]]
        acc[3] += 1
    last_before = Activity.objects.aggregate(last=Max("pk"))["last"] or 0
    insert_activity_rows(
        ((r[0], regions[r[0]], r[1], r[2], *r[3:]) for r in rows),
        created_by_id=getattr(actor, "pk", None),
    )
    activities_imported.send(
        sender=Activity,
        rows=Activity.objects.filter(pk__gt=last_before, created_by_id=getattr(actor, "pk", None)),
    )
    if job is not None:
        ImportJob.objects.filter(pk=job.pk).update(created=len(rows))
    ancestor_paths = {p[:end] for p in paths.values() for end in range(Unit.steplen, len(p) + 1, Unit.steplen)}
    path_ids = dict(Unit.objects.filter(path__in=ancestor_paths).values_list("path", "pk"))
    _apply_bulk(_expand(((*k, *v) for k, v in groups.items()), path_ids))
    if job is not None:
        LogEntry.objects.log_create(
            job,
            force_log=True,
            action=LogEntry.Action.CREATE,
            changes={"activities imported": ["0", str(len(rows))]},
            actor=actor,
        )
    return len(rows)


@transaction.atomic
def rollups_after_move(*, unit: Unit, old_ancestor_ids: list[int]) -> None:
    """Keep the rollups right when ``unit`` (with everything below it) has moved in the
    tree: its totals leave the units it used to stand under and join the ones it stands
    under now. Rollups of the moved units themselves do not change (their subtrees did not).
    ``old_ancestor_ids`` are the units above it before the move, itself excluded."""
    unit.refresh_from_db()
    totals = list(
        ActivityRollup.objects.filter(unit=unit).values_list(
            "kind_id", "month", *KEY_DIMS, "sessions", "participants", "copies", "rows"
        )
    )
    new_ancestor_ids = [pk for pk in _ancestor_ids(unit) if pk != unit.pk]

    def spread(unit_ids: list[int]) -> dict[RollupKey, list[int]]:
        return {(uid, *row[:6]): list(row[6:]) for uid in unit_ids for row in totals}

    _apply_bulk(spread(old_ancestor_ids), sign=-1)
    _apply_bulk(spread(new_ancestor_ids), sign=+1)


@transaction.atomic
def open_import(
    *, actor: Any, unit: Unit, kind: ActivityKind, name: str, language: str, upload: Any = None, refused: str = ""
) -> ImportJob:
    """The record of an uploaded file of activities: waiting to be checked, with its file,
    or, when the upload guard refused the file (``refused``, its reason), failed at once and
    without it."""
    _require_writer(actor)
    _require_in_scope(actor, unit)
    job = ImportJob(unit=unit, kind=kind, created_by=actor, original_name=name[:200], language=language)
    if refused:
        job.status = ImportStatus.FAILED
        job.message = refused
        job.finished_at = timezone.now()
    else:
        job.file.save(f"upload-{actor.pk}.xlsx", upload, save=False)
    job.save()
    if refused:
        import_refused.send(sender=ImportJob, job=job)
    return job


@transaction.atomic
def retry_import(*, actor: Any, job: ImportJob) -> ImportJob:
    """Put an import that was interrupted (its worker died while checking or writing) back in
    the queue. Its rows were written in one transaction that never committed, so nothing of
    it is in the ledger and running it again cannot write anything twice."""
    _require_writer(actor)
    _require_in_scope(actor, job.unit)
    if not (is_office(actor) or job.created_by_id == actor.pk):
        raise ValidationError({"job": _("Only the office or the person who uploaded the file may retry it.")})
    if job.status not in (ImportStatus.CHECKING, ImportStatus.WRITING):
        raise ValidationError({"job": _("Only an import that stopped while checking or writing can be retried.")})
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.PENDING, processed=0, created=0, message="")
    job.refresh_from_db()
    return job


# --- indicators the office defines ------------------------------------------------------------

INDICATOR_FIELDS = (
    "name_zh",
    "name_bo",
    "name_en",
    "measure_zh",
    "measure_bo",
    "measure_en",
    "definition_zh",
    "definition_bo",
    "definition_en",
    "section",
    "measure",
    "venue_kind",
    "language",
    "outlet_level",
    "target",
    "numerator",
    "denominator",
)
INDICATOR_CODE = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")


def check_indicator(*, code: str, kinds: Iterable[ActivityKind], data: dict[str, Any], pk: int | None = None) -> None:
    """Refuse a definition that the rollups cannot answer or whose code is taken: by an
    indicator declared in code, or by another definition. A rate names two ledger indicators
    (declared, or defined sums), neither of them itself."""
    errors: dict[str, str] = {}
    if not INDICATOR_CODE.match(code or ""):
        errors["code"] = _("Use lower-case letters, digits, underscores and dots, e.g. lecture.monastery_audience.")
    elif code in {i.code for i in declared()}:
        errors["code"] = _("Code %(code)s is already used by an indicator of the platform.") % {"code": code}
    elif DefinedIndicator.objects.filter(code=code).exclude(pk=pk or 0).exists():
        errors["code"] = _("Code %(code)s is already used.") % {"code": code}
    for name in ("name_zh", "name_bo", "name_en", "measure_zh", "measure_bo", "measure_en"):
        if not (data.get(name) or "").strip():
            errors[name] = _("This field is required.")
    if data.get("section") not in Section.values:
        errors["section"] = _("Not one of the choices.")
    measure = data.get("measure")
    if measure not in DefinedIndicator.Measure.values:
        errors["measure"] = _("Not one of the choices.")
    elif measure == DefinedIndicator.Measure.RATE:
        known = summed_by_code()
        for part in ("numerator", "denominator"):
            value = (data.get(part) or "").strip()
            if not value:
                errors[part] = _("This field is required.")
            elif value == code:
                errors[part] = _("A rate cannot be a rate of itself.")
            elif value not in known:
                errors[part] = _("No ledger indicator has the code %(code)s.") % {"code": value}
        if not errors.get("numerator") and data.get("numerator") == data.get("denominator"):
            errors["denominator"] = _("The numerator and the denominator must differ.")
    elif not list(kinds):
        errors["kinds"] = _("Choose at least one kind of activity.")
    if errors:
        raise ValidationError(errors)


def indicator_values(data: dict[str, Any]) -> dict[str, Any]:
    values = {k: (data.get(k) or "") for k in INDICATOR_FIELDS}
    if values["measure"] == DefinedIndicator.Measure.RATE:
        for name in ("venue_kind", "language", "outlet_level", "target"):
            values[name] = ""
    else:
        values["numerator"] = values["denominator"] = ""
    return values


def _indicators_changed() -> None:
    indicators_changed.send(sender=DefinedIndicator)


@transaction.atomic
def create_indicator(*, actor: Any, code: str, kinds: Iterable[ActivityKind], **data: Any) -> DefinedIndicator:
    if not may_edit_kinds(actor):
        raise ValidationError({"code": _("Only the campaign office may change the catalogue.")})
    code = (code or "").strip()
    kinds = list(kinds)
    check_indicator(code=code, kinds=kinds, data=data)
    values = indicator_values(data)
    row = DefinedIndicator.objects.create(code=code, changed_by=actor, **values)
    if values["measure"] != DefinedIndicator.Measure.RATE:
        row.kinds.set(kinds)
    _indicators_changed()
    return row


@transaction.atomic
def update_indicator(
    *, actor: Any, indicator: DefinedIndicator, kinds: Iterable[ActivityKind], expected_version: int | None, **data: Any
) -> DefinedIndicator:
    """Change a definition; its version rises by one, so a report built before says which
    definition it used. Refused when someone else saved it since the editor loaded it."""
    if not may_edit_kinds(actor):
        raise ValidationError({"code": _("Only the campaign office may change the catalogue.")})
    row = DefinedIndicator.objects.select_for_update().get(pk=indicator.pk)
    if expected_version is not None and row.version != expected_version:
        raise ValidationError(
            _(
                "Someone else changed this record while you were editing it. Reload it to see their changes, then edit again."
            ),
            code="conflict",
        )
    kinds = list(kinds)
    check_indicator(code=row.code, kinds=kinds, data=data, pk=row.pk)
    for k, v in indicator_values(data).items():
        setattr(row, k, v)
    row.version += 1
    row.changed_by = actor
    row.save()
    row.kinds.set(kinds if row.measure != DefinedIndicator.Measure.RATE else [])
    _indicators_changed()
    return row
