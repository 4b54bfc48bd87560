"""Reads the indicator pages and API share: where a reader starts and the default range."""

from __future__ import annotations

from typing import Any

from ledger.services import campaign_for
from orgs.models import Unit
from orgs.scope import scope_paths

__all__ = ["campaign_for", "home_unit"]


def home_unit(account: Any) -> Unit | None:
    """The top unit of the account's scope (the first, for a supervisor covering several)."""
    paths = scope_paths(account)
    if paths is None:
        return Unit.objects.order_by("path").first()
    if not paths:
        return None
    return Unit.objects.filter(path__in=paths).order_by("path").first()
