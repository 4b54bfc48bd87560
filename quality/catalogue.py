"""The catalogue of the data-quality checks the platform runs, as plain data: code, severity,
the threshold the office may tune, and names and descriptions in Chinese, Tibetan and
English. Each check declares its row (``entry``) next to its code, in the ``quality_checks``
module of the app whose rows it checks; the rows are written by a data migration and by
``ensure_checks`` (idempotent, for flushed databases)."""

from __future__ import annotations

from typing import Any

from quality.checks import REGISTRY

FIELDS = (
    "model",
    "severity",
    "threshold",
    "name_zh",
    "name_bo",
    "name_en",
    "description_zh",
    "description_bo",
    "description_en",
    "order",
)


def rows() -> list[dict[str, Any]]:
    """Every registered check's catalogue row, in catalogue order."""
    return sorted((type(check).catalogue_row() for check in REGISTRY.values()), key=lambda row: row["order"])


def ensure_checks(model: Any = None) -> None:
    """Write every check that is missing; a check already present keeps the office's
    threshold, severity and switch. Outside a migration (``model`` given), the process then
    knows the enabled checks before any write needs them."""
    historical = model is not None
    if model is None:
        from quality.models import Check as model
    present = set(model.objects.values_list("code", flat=True))
    missing = [model(code=c["code"], **{f: c[f] for f in FIELDS}) for c in rows() if c["code"] not in present]
    if missing:
        model.objects.bulk_create(missing)
    if not historical:
        from quality.enabled import enabled_checks

        enabled_checks()
