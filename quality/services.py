"""Writes of the quality app: running checks (on one saved row, over a batch, over a subtree),
deciding on flags (confirm, clear with a reason), tuning the catalogue, starting a run.

Flags are written with ``bulk_create`` and removed when the row they doubt no longer trips
the check (the row was corrected); a person's decision (confirmed, cleared) is kept for good
and is the only change to a flag that the audit log records."""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from core.quality import CampaignSpan, Ctx, Hit
from ledger.services import insert_rows
from orgs.choices import Role
from orgs.models import Unit
from orgs.scope import path_in_scope
from quality import checks as registry
from quality.choices import FlagStatus, RunStatus, Severity
from quality.enabled import enabled_checks
from quality.models import Check, Flag, Run

log = logging.getLogger(__name__)
DECIDE_ROLES = (Role.OFFICE_ADMIN, Role.SUPERVISOR)
CHUNK = 900


def _enabled() -> dict[str, Check]:
    """The enabled checks by code: what a run needs of them (the threshold; the row for
    its flags), not their names and descriptions."""
    return {c.code: c for c in Check.objects.filter(enabled=True).only("id", "code", "threshold")}


def campaign_spans() -> list[CampaignSpan]:
    """Every campaign as the checks see it: its root unit's path, its first and last day."""
    return list(Campaign.objects.values_list("root_unit__path", "start", "end"))


def _ctx(enabled: dict[str, Check], path: str | None = None) -> Ctx:
    return Ctx(
        thresholds={code: float(c.threshold) for code, c in enabled.items()}, path=path, campaign_source=campaign_spans
    )


def _apply(
    check: Check,
    ct: ContentType,
    hits: list[Hit],
    *,
    checked: set[int] | None,
    path: str | None,
    batch_flags: dict[int, dict[int, tuple[int, str]]] | None = None,
) -> int:
    """Make the flags of one check over the checked rows match ``hits``: raise the new ones,
    drop open flags whose row no longer trips the check, keep decided ones. Returns the
    number of flags raised. The checked rows are a subtree (``path``), a batch whose flags
    have been read for every check at once (``batch_flags``, by check: see ``_flags_of``)
    or a set of pks."""
    existing = Flag.objects.filter(check_item=check, content_type=ct)
    if path is not None:
        existing = existing.filter(unit__path__startswith=path)
        found = {obj: (pk, status) for pk, obj, status in existing.values_list("pk", "object_id", "status")}
    elif batch_flags is not None:
        found = batch_flags.get(check.pk, {})
    else:
        found = {}
        ids = sorted(checked or ())
        for i in range(0, len(ids), CHUNK):
            part = existing.filter(object_id__in=ids[i : i + CHUNK]).values_list("pk", "object_id", "status")
            found.update({obj: (pk, status) for pk, obj, status in part})
    hit_ids = {h.pk for h in hits}
    new = [
        (check.pk, ct.pk, h.pk, h.unit_id, h.region_code or "", h.detail.code, h.detail.params)
        for h in {h.pk: h for h in hits}.values()
        if h.pk not in found
    ]
    stale = [pk for obj, (pk, status) in found.items() if status == FlagStatus.OPEN and obj not in hit_ids]
    for i in range(0, len(stale), CHUNK):
        Flag.objects.filter(pk__in=stale[i : i + CHUNK]).delete()
    _insert_flags(new)
    return len(new)


def _insert_flags(flags: list[tuple]) -> None:
    """Write new flags, each ``(check_id, content_type_id, object_id, unit_id, region_code,
    detail_code, detail_params)``, several hundred to a statement (``ledger.services.insert_rows``):
    model instances and ``bulk_create`` cost more time and memory than the database's work
    when an import of a hundred thousand rows raises a flag on each. The other columns get
    the model's defaults (open, no decision, raised now)."""
    if not flags:
        return
    columns = ("check_id", "content_type_id", "object_id", "unit_id", "region_code", "detail_code", "detail_params",
               "created", "status", "reason", "cleared_by_id", "cleared_at")  # fmt: skip
    field = Flag._meta.get_field("detail_params")
    prepared: dict[tuple, Any] = {}
    by_object: dict[int, tuple[Any, Any]] = {}

    def params(values: Any) -> Any:
        # The flags of one check mostly share their values (the same number of days, the
        # same moment of entry), often as one object: each set of values is made ready for
        # the database once.
        seen = by_object.get(id(values))
        if seen is not None and seen[0] is values:
            return seen[1]
        key = tuple(values.items())
        try:
            ready = prepared[key]
        except KeyError:
            ready = prepared[key] = field.get_db_prep_save(dict(values), connection)
        except TypeError:  # a value that is not hashable
            return field.get_db_prep_save(dict(values), connection)
        by_object[id(values)] = (values, ready)
        return ready

    tail = (connection.ops.adapt_datetimefield_value(timezone.now()), FlagStatus.OPEN.value, "", None, None)
    insert_rows(Flag._meta.db_table, columns, ((*f[:6], params(f[6]), *tail) for f in flags))


class _Thresholds(Mapping):
    """The enabled checks' thresholds, as the process knows them (``quality.enabled``),
    looked up on first use: when no check needs one — a quiz attempt not yet submitted — the
    checks are not even looked up."""

    def __init__(self) -> None:
        self._enabled: dict[str, Check] | None = None

    @property
    def enabled(self) -> dict[str, Check]:
        if self._enabled is None:
            self._enabled = enabled_checks()
        return self._enabled

    def __getitem__(self, code: str) -> float:
        return float(self.enabled[code].threshold)

    def __iter__(self) -> Iterator[str]:
        return iter(self.enabled)

    def __len__(self) -> int:
        return len(self.enabled)


def check_object(obj: Model, *, created: bool = False, update_fields: Iterable[str] | None = None) -> int:
    """Run the cheap checks of the row's model on one saved row, inline (the flags land in
    the same transaction as the row). Called from ``post_save`` (with its ``created`` and
    ``update_fields``); returns flags raised.

    The checks that decide from the row alone (``hit``) run first. A row just ``created``
    has no flags yet, nor has a row saved for the first time in a state the checks look at
    (a save of a field every check lists in ``first_flaggable_on``: a quiz attempt's
    submission). So when none of them trips and the model has no other cheap check, there is
    nothing more to read or write. What reads or writes the database runs in a savepoint: a
    failing check rolls back alone, never the caller's transaction."""
    found = [c for c in registry.for_model(type(obj)) if c.cheap]
    if not found or obj.pk is None:
        return 0
    saved = frozenset(update_fields or ())
    unflagged = created or (bool(saved) and all(c.first_flaggable_on & saved for c in found))
    thresholds = _Thresholds()
    ctx = Ctx(thresholds=thresholds, campaign_source=campaign_spans)
    details = {check.code: hit(obj, ctx) for check in found if (hit := check.hit) is not None}
    if unflagged and len(details) == len(found) and not any(details.values()):
        return 0
    with transaction.atomic():
        enabled = thresholds.enabled
        ct = ContentType.objects.get_for_model(type(obj))
        existing = (
            {}
            if unflagged
            else {
                code: (pk, status)
                for code, pk, status in Flag.objects.filter(content_type=ct, object_id=obj.pk).values_list(
                    "check_item__code", "pk", "status"
                )
            }
        )
        new: list[Flag] = []
        stale: list[int] = []
        for check in found:
            row = enabled.get(check.code)
            if row is None:
                continue
            if check.code in details:
                detail = details[check.code]
            else:
                hits = list(check.find(type(obj)._default_manager.filter(pk=obj.pk), ctx))
                detail = hits[0].detail if hits else None
            if detail and check.code not in existing:
                new.append(
                    Flag(
                        check_item=row,
                        content_type=ct,
                        object_id=obj.pk,
                        unit_id=getattr(obj, "unit_id"),  # noqa: B009 (every checked model has a unit)
                        region_code=getattr(obj, "region_code", "") or "",
                        detail_code=detail.code,
                        detail_params=dict(detail.params),
                    )
                )
            elif not detail and check.code in existing and existing[check.code][1] == FlagStatus.OPEN:
                stale.append(existing[check.code][0])
        if stale:
            Flag.objects.filter(pk__in=stale).delete()
        if new:
            Flag.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def check_rows(model: type[Model], rows: QuerySet | Iterable[Any], *, cheap_only: bool = False) -> int:
    """Run the checks of ``model`` over a batch of rows (a queryset, model instances or
    pks): what a bulk writer (an import, the demo) calls after inserting rows, since bulk
    inserts send no signals. Set-based: a bounded number of queries per check. Returns the
    number of flags raised."""
    enabled = _enabled()
    ctx = _ctx(enabled)
    ct = ContentType.objects.get_for_model(model)
    raised = 0
    batch = rows.order_by() if isinstance(rows, QuerySet) else None
    if batch is not None:
        # Read through its own query by every check: its pks are never listed.
        pks: set[int] = set()
        if not batch.exists():
            return 0
    else:
        pks = {r if isinstance(r, int) else r.pk for r in rows}
        if not pks:
            return 0
    ids = sorted(pks)
    batch_flags = _flags_of(ct, batch) if batch is not None else None
    for check in registry.for_model(model):
        if check.code not in enabled or (cheap_only and not check.cheap):
            continue
        hits: list[Hit] = []
        if batch is not None:
            # The batch as the writer described it (an import's rows): every check reads it
            # with one short query instead of lists of thousands of pks.
            hits.extend(check.find(batch, ctx))
        else:
            for i in range(0, len(ids), 20000):
                hits.extend(check.find(model._default_manager.filter(pk__in=ids[i : i + 20000]), ctx))
        raised += _apply(enabled[check.code], ct, hits, checked=pks, path=None, batch_flags=batch_flags)
    return raised


def _flags_of(ct: ContentType, batch: QuerySet) -> dict[int, dict[int, tuple[int, str]]]:
    """The flags of a batch's rows, by check, then by row: ``(flag pk, status)``. One query
    for every check (the batch's own query inside), not one per check."""
    out: dict[int, dict[int, tuple[int, str]]] = defaultdict(dict)
    rows = Flag.objects.filter(content_type=ct, object_id__in=batch.order_by().values("pk"))
    for check_id, pk, obj, status in rows.values_list("check_item_id", "pk", "object_id", "status").iterator(
        chunk_size=10000
    ):
        out[check_id][obj] = (pk, status)
    return out


def run_checks(unit: Unit, *, codes: Iterable[str] | None = None, log_to: Any = None) -> tuple[int, int, float]:
    """Run every enabled check (or those named) over the unit's subtree, each in its own
    transaction. Returns (rows checked, flags raised, seconds)."""
    started = time.monotonic()
    enabled = _enabled()
    wanted = set(codes) if codes else None
    ctx = _ctx(enabled, path=unit.path)
    rows_checked = 0
    raised = 0
    counted: set[str] = set()
    for code, check in registry.REGISTRY.items():
        if code not in enabled or (wanted is not None and code not in wanted):
            continue
        t0 = time.monotonic()
        with transaction.atomic():
            candidates = check.candidates(unit.path)
            hits = list(check.find(candidates, ctx))
            n = _apply(
                enabled[code], ContentType.objects.get_for_model(check.model), hits, checked=None, path=unit.path
            )
        if check.model_label not in counted:
            counted.add(check.model_label)
            rows_checked += candidates.count()
        raised += n
        if log_to:
            log_to(f"  {code}: {len(hits)} rows doubted, {n} new flags ({time.monotonic() - t0:.2f} s)")
    return rows_checked, raised, time.monotonic() - started


# --- decisions on flags ---------------------------------------------------------------------


def may_decide(actor: Any) -> bool:
    return bool(actor.is_superuser or actor.role in DECIDE_ROLES)


def _require_decider(actor: Any, flag: Flag) -> None:
    if not may_decide(actor):
        raise ValidationError({"reason": _("Your role may not decide on flags.")})
    if not path_in_scope(actor, flag.unit.path):
        raise ValidationError({"reason": _("This flag is outside your scope.")})


@transaction.atomic
def clear_flag(*, actor: Any, flag: Flag, reason: str) -> Flag:
    """A person finds the row right after all: the flag is cleared, with the reason, and is
    not raised again on this row by this check. Audited."""
    _require_decider(actor, flag)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for clearing the flag.")})
    flag = Flag.objects.select_for_update().get(pk=flag.pk)
    flag.status = FlagStatus.CLEARED
    flag.reason = reason
    flag.cleared_by = actor
    flag.cleared_at = timezone.now()
    flag.save(update_fields=["status", "reason", "cleared_by", "cleared_at"])
    return flag


@transaction.atomic
def confirm_flag(*, actor: Any, flag: Flag, reason: str = "") -> Flag:
    """A person confirms the row is wrong: it still counts (flags never change figures) until
    its unit corrects it, and the figure without flagged rows leaves it out. Audited."""
    _require_decider(actor, flag)
    flag = Flag.objects.select_for_update().get(pk=flag.pk)
    flag.status = FlagStatus.CONFIRMED
    flag.reason = (reason or "").strip()
    flag.cleared_by = actor
    flag.cleared_at = timezone.now()
    flag.save(update_fields=["status", "reason", "cleared_by", "cleared_at"])
    return flag


# --- the catalogue ----------------------------------------------------------------------------


def may_tune(actor: Any) -> bool:
    """The catalogue is shared by the whole campaign: only a campaign root's office tunes it."""
    if actor.is_superuser:
        return True
    return actor.role == Role.OFFICE_ADMIN and Campaign.objects.filter(root_unit_id=actor.unit_id).exists()


@transaction.atomic
def update_check(*, actor: Any, check: Check, threshold: Any, severity: str, enabled: bool) -> Check:
    if not may_tune(actor):
        raise ValidationError({"threshold": _("Only the campaign office may tune the checks.")})
    try:
        value = Decimal(str(threshold))
    except (InvalidOperation, ValueError):
        raise ValidationError({"threshold": _("Enter a number of zero or more.")}) from None
    if value < 0 or not value.is_finite():
        raise ValidationError({"threshold": _("Enter a number of zero or more.")})
    if severity not in Severity.values:
        raise ValidationError({"severity": _("Not one of the choices.")})
    check.threshold = value
    check.severity = severity
    check.enabled = bool(enabled)
    check.save(update_fields=["threshold", "severity", "enabled"])
    return check


# --- runs -------------------------------------------------------------------------------------


def may_run(actor: Any) -> bool:
    return bool(actor.is_superuser or actor.role == Role.OFFICE_ADMIN)


def start_run(*, actor: Any, unit: Unit) -> Run:
    """Record a run of every check over the unit's subtree; the caller executes it (in the
    request or in the background)."""
    if not may_run(actor):
        raise ValidationError({"unit": _("Only the office may run the checks.")})
    if not path_in_scope(actor, unit.path):
        raise ValidationError({"unit": _("No unit with this code in your scope.")})
    return Run.objects.create(unit=unit, started_by=actor)


def execute_run(run_id: int) -> Run:
    run = Run.objects.select_related("unit").get(pk=run_id)
    if run.status != RunStatus.PENDING:
        return run
    Run.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
    try:
        rows, raised, seconds = run_checks(run.unit)
    except Exception as exc:  # a run must never stay "running" forever
        log.exception("quality run %s failed", run.pk)
        Run.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, finished_at=timezone.now(), message=str(exc)[:500]
        )
        return Run.objects.get(pk=run.pk)
    Run.objects.filter(pk=run.pk).update(
        status=RunStatus.DONE,
        finished_at=timezone.now(),
        rows_checked=rows,
        flags_raised=raised,
        seconds=Decimal(f"{seconds:.2f}"),
    )
    return Run.objects.get(pk=run.pk)
