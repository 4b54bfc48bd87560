"""The registry of the data-quality checks, keyed by the check's code. Each app declares the
checks of its own rows in its ``quality_checks.py`` (``CHECKS``, a list of
``core.quality.BaseCheck`` subclasses with their catalogue entries); ``discover`` finds them
when the quality app is ready. Their catalogue rows are kept in the ``Check`` table
(``quality.catalogue``).

The registry runs the checks area by area, in the order of the areas' first catalogue
entries (the ledger, concerns, organisational life, the quiz), and in each area in the order
its ``CHECKS`` lists them.
"""

from __future__ import annotations

from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule

from core.quality import BaseCheck

MODULE = "quality_checks"
REGISTRY: dict[str, BaseCheck] = {}


def discover() -> None:
    """Fill the registry from every installed app's ``quality_checks.CHECKS``."""
    found: list[list[type[BaseCheck]]] = []
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, MODULE):
            checks = list(getattr(import_module(f"{config.name}.{MODULE}"), "CHECKS", ()))
            if checks:
                found.append(checks)
    found.sort(key=lambda checks: min(c.entry.order for c in checks))
    REGISTRY.clear()
    for checks in found:
        for cls in checks:
            if cls.code in REGISTRY:
                raise ValueError(f"Two data-quality checks have the code {cls.code}.")
            REGISTRY[cls.code] = cls()


def for_model(model) -> list[BaseCheck]:
    label = model._meta.label_lower
    return [c for c in REGISTRY.values() if c.model_label == label]
