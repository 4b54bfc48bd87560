"""Optimistic concurrency: a record carries a ``version`` that every save through
``save_versioned`` increments, on the condition that nobody else has saved it since the
editor loaded it. The second of two concurrent edits is refused with a clear message, never
silently overwriting the first."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.utils.translation import gettext as _


def save_versioned(instance: models.Model, fields: list[str], *, expected_version: int | None) -> None:
    """Write ``fields`` of ``instance`` if its stored version is still ``expected_version``
    (the version the editor saw); ``None`` skips the check (a write with no editor)."""
    model = type(instance)
    values = {f: getattr(instance, f) for f in fields}
    query = model._default_manager.filter(pk=instance.pk)
    if expected_version is not None:
        query = query.filter(version=expected_version)
    if not query.update(**values, version=F("version") + 1):
        raise ValidationError(
            {
                "version": _(
                    "Someone else changed this record while you were editing it. Reload it to see their changes, then edit again."
                )
            },
            code="conflict",
        )
    instance.refresh_from_db(fields=["version"])
