"""Run the cheap checks on every saved row, inline, so that a flag lands in the same
transaction as the row it doubts. Bulk imports send no post_save; the ledger announces them
(``ledger.signals.activities_imported``) and the same checks run over the batch.

A failing check must never stop a unit from recording what it did: its error is logged, and
it runs in a savepoint (``services.check_object``), so that a failure rolls back the check
alone, not the caller's transaction.

A write to the catalogue of checks tells the processes that keep the enabled checks in
memory (``quality.enabled``), and so does a migration or a flush, which rewrite it."""

from __future__ import annotations

import logging

from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_delete, post_migrate, post_save

from quality import enabled, services

log = logging.getLogger(__name__)


def _checked(sender, instance, raw=False, created=False, update_fields=None, **kwargs) -> None:
    if raw:
        return
    try:
        services.check_object(instance, created=created, update_fields=update_fields)
    except Exception:
        log.exception("quality checks failed on %s #%s", sender._meta.label, instance.pk)


def _concern_event(sender, instance, raw=False, **kwargs) -> None:
    # A callback changes what the concern's checks see (who called back).
    if raw or instance.kind != "callback":
        return
    try:
        services.check_object(instance.concern)
    except Exception:
        log.exception("quality checks failed on concern #%s", instance.concern_id)


def _imported(sender, rows, **kwargs) -> None:
    try:
        with transaction.atomic():
            services.check_rows(sender, rows)
    except Exception:
        log.exception("quality checks failed on an import of %s", sender._meta.label)


def _catalogue_written(sender, **kwargs) -> None:
    enabled.changed()


def _migrated(sender, **kwargs) -> None:
    enabled.forget()
    enabled.changed()


def connect() -> None:
    from concerns.models import Concern, ConcernEvent
    from ledger.models import Activity
    from ledger.signals import activities_imported
    from orglife.models import Measure
    from quality.models import Check, checks_written
    from quiz.models import Attempt

    for model in (Activity, Concern, Measure, Attempt):
        post_save.connect(_checked, sender=model, dispatch_uid=f"quality-{model._meta.label_lower}")
    post_save.connect(_concern_event, sender=ConcernEvent, dispatch_uid="quality-concernevent")
    activities_imported.connect(_imported, sender=Activity, dispatch_uid="quality-activities-imported")
    post_save.connect(_catalogue_written, sender=Check, dispatch_uid="quality-check-saved")
    post_delete.connect(_catalogue_written, sender=Check, dispatch_uid="quality-check-deleted")
    checks_written.connect(_catalogue_written, sender=Check, dispatch_uid="quality-checks-written")
    post_migrate.connect(_migrated, sender=apps.get_app_config("quality"), dispatch_uid="quality-migrated")
