"""Run the cheap checks on every saved row, inline, so that a flag lands in the same
transaction as the row it doubts. Bulk imports send no post_save; the ledger announces them
(``ledger.signals.activities_imported``) and the same checks run over the batch.

A failing check must never stop a unit from recording what it did: its error is logged, and
it runs in a savepoint (``services.check_object``), so that a failure rolls back the check
alone, not the caller's transaction."""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models.signals import post_save

from quality import services

log = logging.getLogger(__name__)


def _checked(sender, instance, raw=False, created=False, **kwargs) -> None:
    if raw:
        return
    try:
        services.check_object(instance, created=created)
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


def connect() -> None:
    from concerns.models import Concern, ConcernEvent
    from ledger.models import Activity
    from ledger.signals import activities_imported
    from orglife.models import Measure
    from quiz.models import Attempt

    for model in (Activity, Concern, Measure, Attempt):
        post_save.connect(_checked, sender=model, dispatch_uid=f"quality-{model._meta.label_lower}")
    post_save.connect(_concern_event, sender=ConcernEvent, dispatch_uid="quality-concernevent")
    activities_imported.connect(_imported, sender=Activity, dispatch_uid="quality-activities-imported")
