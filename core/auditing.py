"""Audit entries written by the caller, where django-auditlog's own would cost more.

django-auditlog records an update by reading the row again before it is saved, to compare.
A write that has just read the row itself — under lock, in the same transaction — passes
that reading instead, and the row is not read twice (``save_changed``). It records each new
row with an INSERT of its own; rows made together have their entries written together
(``create_logged``)."""

from __future__ import annotations

from collections.abc import Sequence

from auditlog.cid import get_cid
from auditlog.context import disable_auditlog
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.db.models.signals import pre_save
from django.utils.encoding import smart_str


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


def create_logged(*instances: Model) -> list[LogEntry]:
    """Insert each of ``instances`` (with ``save``: their own signals are sent) and record
    their creation in one INSERT of audit entries, entries as auditlog's own would be: the
    fields it records, the request's correlation id, account and address."""
    with disable_auditlog():
        for instance in instances:
            instance.save(force_insert=True)
    entries = []
    for instance in instances:
        entry = LogEntry(
            content_type=ContentType.objects.get_for_model(instance),
            object_pk=smart_str(instance.pk),
            object_id=instance.pk if isinstance(instance.pk, int) else None,
            object_repr=smart_str(instance),
            serialized_data=LogEntry.objects._get_serialized_data_or_none(instance),
            action=LogEntry.Action.CREATE,
            changes=model_instance_diff(
                None, instance, use_json_for_changes=getattr(settings, "AUDITLOG_STORE_JSON_CHANGES", False)
            ),
            cid=get_cid(),
        )
        if callable(getattr(instance, "get_additional_data", None)):
            entry.additional_data = instance.get_additional_data()
        pre_save.send(sender=LogEntry, instance=entry, raw=False, using=entry._state.db, update_fields=None)
        entries.append(entry)
    return LogEntry.objects.bulk_create(entries)
