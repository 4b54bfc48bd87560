"""Reads the indicator pages and API share: the default range comes from the unit's campaign
(where a reader starts is ``orgs.selectors.unit_from_request``)."""

from __future__ import annotations

from ledger.services import campaign_for

__all__ = ["campaign_for"]
