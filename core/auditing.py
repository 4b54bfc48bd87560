"""Audit entries for changes whose former state the caller already holds.

django-auditlog records an update by reading the row again before it is saved, to compare.
A write that has just read the row itself — under lock, in the same transaction — passes
that reading instead, and the row is not read twice."""

from __future__ import annotations

from collections.abc import Sequence

from auditlog.context import disable_auditlog
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from django.conf import settings
from django.db.models import Model


def save_changed(instance: Model, *, before: Model, update_fields: Sequence[str]) -> LogEntry | None:
    """Save ``update_fields`` of ``instance`` and record what changed since ``before`` (a
    copy of the row as read in the caller's transaction) in one audit entry, as auditlog's
    own update entry would. Other receivers of the save (the quality checks) run as usual."""
    with disable_auditlog():
        instance.save(update_fields=list(update_fields))
    changes = model_instance_diff(
        before,
        instance,
        fields_to_check=update_fields,
        use_json_for_changes=getattr(settings, "AUDITLOG_STORE_JSON_CHANGES", False),
    )
    if not changes:
        return None
    return LogEntry.objects.log_create(instance, action=LogEntry.Action.UPDATE, changes=changes)
