"""Saving the indicators the office defines over any kind of record: the ledger's
activities or the records counted in the tallies (concerns, meetings, measures, quiz
attempts ...). The checks are the ledger's (``services.check_indicator``) and, for the
tallies, a kind of record they declare, states among those it declares, no kinds of
activity and no ledger filters; the sections are those of every kind of record."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from campaigns.indicators import indicators_changed
from ledger import reach, services
from ledger.models import DEFINED_SECTIONS, ActivityKind, DefinedIndicator

LEDGER = DefinedIndicator.LEDGER
SECTIONS = {value for value, _label in DEFINED_SECTIONS}
FILTERS = ("venue_kind", "language", "outlet_level", "target")


def _tallied(source: str, data: dict[str, Any]) -> bool:
    return source != LEDGER and data.get("measure") != DefinedIndicator.Measure.RATE


def check(
    *,
    code: str,
    kinds: Iterable[ActivityKind],
    source: str,
    keys: Iterable[str],
    data: dict[str, Any],
    pk: int | None = None,
) -> None:
    """Refuse a definition that neither the ledger's rollups nor the tallies can answer."""
    kinds = list(kinds)
    errors: dict[str, list[str]] = {}
    try:
        services.check_indicator(code=code, kinds=kinds, data=data, pk=pk)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if data.get("section") in SECTIONS:
        errors.pop("section", None)  # a section of the records outside the ledger
    if _tallied(source, data):
        errors.pop("kinds", None)  # a tallied source has no kinds of activity
    probe = DefinedIndicator(
        source=source or LEDGER,
        keys=list(keys),
        measure=data.get("measure") or "",
        **{f: data.get(f) or "" for f in FILTERS},
    )
    for field, message in probe.source_errors(kinds).items():
        errors.setdefault(field, []).append(message)
    if errors:
        raise ValidationError(errors)


REACH = DefinedIndicator.Measure.REACH


def _reach_counts(row: DefinedIndicator) -> tuple | None:
    """What a "units reached" definition counts (None for another measure): a change
    rebuilds its tallies."""
    if row.measure != REACH:
        return None
    return (sorted(row.kinds.values_list("pk", flat=True)), [getattr(row, f) for f in FILTERS])


def _may_edit(actor: Any) -> None:
    if not services.may_edit_kinds(actor):
        raise ValidationError({"code": _("Only the campaign office may change the catalogue.")})


@transaction.atomic
def create(
    *, actor: Any, code: str, kinds: Iterable[ActivityKind], source: str = LEDGER, keys: Iterable[str] = (), **data: Any
) -> DefinedIndicator:
    _may_edit(actor)
    code, kinds, keys = (code or "").strip(), list(kinds), list(keys)
    source = source or LEDGER
    check(code=code, kinds=kinds, source=source, keys=keys, data=data)
    values = services.indicator_values(data)
    if _tallied(source, data):
        values.update(source=source, keys=keys)
    row = DefinedIndicator.objects.create(code=code, changed_by=actor, **values)
    if values["measure"] != DefinedIndicator.Measure.RATE and not _tallied(source, data):
        row.kinds.set(kinds)
    indicators_changed.send(sender=DefinedIndicator)
    if row.measure == REACH:
        reach.refresh(row)  # the units its activities reached already
    return row


@transaction.atomic
def update(
    *,
    actor: Any,
    indicator: DefinedIndicator,
    kinds: Iterable[ActivityKind],
    expected_version: int | None,
    source: str = LEDGER,
    keys: Iterable[str] = (),
    **data: Any,
) -> DefinedIndicator:
    """Change a definition (its version rises by one); refused when someone else saved it
    since the editor loaded it."""
    _may_edit(actor)
    kinds, keys = list(kinds), list(keys)
    source = source or LEDGER
    row = DefinedIndicator.objects.select_for_update().get(pk=indicator.pk)
    if expected_version is not None and row.version != expected_version:
        raise ValidationError(
            _(
                "Someone else changed this record while you were editing it. Reload it to see their changes, then edit again."
            ),
            code="conflict",
        )
    check(code=row.code, kinds=kinds, source=source, keys=keys, data=data, pk=row.pk)
    counted = _reach_counts(row)
    for k, v in services.indicator_values(data).items():
        setattr(row, k, v)
    tallied = _tallied(source, data)
    row.source, row.keys = (source, keys) if tallied else (LEDGER, [])
    row.version += 1
    row.changed_by = actor
    row.save()
    row.kinds.set(kinds if row.measure != DefinedIndicator.Measure.RATE and not tallied else [])
    indicators_changed.send(sender=DefinedIndicator)
    if counted != _reach_counts(row):
        reach.refresh(row)  # counted again from the activities, or its tallies dropped
    return row
