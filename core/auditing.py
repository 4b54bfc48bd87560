"""Audit entries written by the caller, where django-auditlog's own would cost more.

django-auditlog records an update by reading the row again before it is saved, to compare.
A write that has read the row itself passes that reading instead, and the row is not read
twice (``save_changed``; with a condition that the UPDATE checks, the row need not even be
locked first). auditlog also records each new row with an INSERT of its own; rows made
together have their entries written together (``create_logged``)."""

from __future__ import annotations

from collections.abc import Sequence

from auditlog.cid import get_cid
from auditlog.context import disable_auditlog
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import router
from django.db.models import Model, Q
from django.db.models.signals import post_save, pre_save
from django.utils.encoding import smart_str


def _json_changes() -> bool:
    """Whether auditlog keeps changes as JSON values or as text, as its own entries do."""
    return getattr(settings, "AUDITLOG_STORE_JSON_CHANGES", False)


def save_changed(instance: Model, *, before: Model, update_fields: Sequence[str], where: Q | None = None) -> bool:
    """Save ``update_fields`` of ``instance`` and record what changed since ``before`` (a
    copy of the row as the caller read it) in one audit entry, as auditlog's own update entry
    would. Other receivers of the save (the quality checks) run as usual.

    With ``where``, the row is written only while it still matches it, which the UPDATE
    itself checks under the row's lock, so the caller need not read and lock the row first:
    False, and nothing written or recorded, when it no longer does. True otherwise."""
    fields = list(update_fields)
    if where is None:
        with disable_auditlog():
            instance.save(update_fields=fields)
    else:
        model = type(instance)
        columns = [model._meta.get_field(f).attname for f in fields]
        if not model._base_manager.filter(where, pk=instance.pk).update(**{c: getattr(instance, c) for c in columns}):
            return False
        post_save.send(
            sender=model,
            instance=instance,
            created=False,
            update_fields=frozenset(fields),
            raw=False,
            using=router.db_for_write(model, instance=instance),
        )
    changes = model_instance_diff(
        before,
        instance,
        fields_to_check=fields,
        use_json_for_changes=_json_changes(),
    )
    if changes:
        LogEntry.objects.log_create(instance, action=LogEntry.Action.UPDATE, changes=changes)
    return True


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
            changes=model_instance_diff(None, instance, use_json_for_changes=_json_changes()),
            cid=get_cid(),
        )
        if callable(getattr(instance, "get_additional_data", None)):
            entry.additional_data = instance.get_additional_data()
        # The entries' own pre_save receivers (the request's account and address; auditlog's
        # set_actor) run as for a save.
        using = router.db_for_write(LogEntry, instance=entry)
        pre_save.send(sender=LogEntry, instance=entry, raw=False, using=using, update_fields=None)
        entries.append(entry)
    return LogEntry.objects.bulk_create(entries)
