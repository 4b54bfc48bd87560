"""Audit entries a write records itself, through django-auditlog's public API.

django-auditlog records an update by reading the row again before it is saved, to compare.
A write that has read the row itself passes that reading instead (``save_changed``), and
the row is not read twice: the save runs with auditlog's receivers off
(``auditlog.context.disable_auditlog``) and the entry is written with
``LogEntry.objects.log_create``, the changes computed by ``auditlog.diff.model_instance_diff``
as auditlog's own receiver computes them. Everything else auditlog fills in (content type,
representation, serialized data, correlation id, additional data) and the entry's own
``pre_save`` receivers (the request's account and address: ``core.middleware``;
``auditlog.context.set_actor``) happen inside ``log_create`` as for auditlog's own entries.

New rows need nothing of this: their ``save()`` is recorded by auditlog as registered
(``auditlog.registry``)."""

from __future__ import annotations

from collections.abc import Sequence

from auditlog.context import disable_auditlog
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from django.conf import settings
from django.db.models import Model, Q


def _json_changes() -> bool:
    """Whether auditlog keeps changes as JSON values or as text, as its own entries do."""
    return getattr(settings, "AUDITLOG_STORE_JSON_CHANGES", False)


def save_changed(instance: Model, *, before: Model, update_fields: Sequence[str], where: Q | None = None) -> bool:
    """Save ``update_fields`` of ``instance`` and record what changed since ``before`` (a
    copy of the row as the caller read it) in one audit entry, as auditlog's own update entry
    would. The save is an ordinary ``save(update_fields=...)``: its signals reach their
    receivers (the quality checks) as usual.

    With ``where``, in the caller's transaction, the row is written only while it still
    matches it, checked under the row's lock (PostgreSQL ``SELECT … FOR UPDATE``; SQLite's
    ``BEGIN IMMEDIATE`` already holds the database): False, and nothing written or recorded,
    when it no longer does. True otherwise."""
    fields = list(update_fields)
    if where is not None:
        model = type(instance)
        if not model._base_manager.select_for_update().filter(where, pk=instance.pk).exists():
            return False
    with disable_auditlog():
        instance.save(update_fields=fields)
    changes = model_instance_diff(before, instance, fields_to_check=fields, use_json_for_changes=_json_changes())
    if changes:
        LogEntry.objects.log_create(instance, action=LogEntry.Action.UPDATE, changes=changes)
    return True
