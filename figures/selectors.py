"""Reads the indicator pages and API share: the default range comes from the campaign the
page reads (``campaigns.selectors.campaign_from_request``; where a reader starts is
``orgs.selectors.unit_from_request``); the API, which keeps no choice, reads the campaign
its query names, else the unit's newest."""

from __future__ import annotations

from typing import Any

from campaigns.models import Campaign
from campaigns.selectors import campaign_for_unit as campaign_for
from campaigns.selectors import campaign_from_request, campaigns_of, covers
from orgs.models import Unit

__all__ = ["campaign_for", "campaign_from_request", "campaign_named"]


def campaign_named(account: Any, unit: Unit, pk: int | None) -> Campaign | None:
    """The campaign ``pk`` when the account may read it and its subtree holds the unit
    (``LookupError`` otherwise); without a number, the unit's newest."""
    if pk is None:
        return campaign_for(unit)
    campaign = next((c for c in campaigns_of(account) if c.pk == pk), None)
    if campaign is None or not covers(campaign, unit):
        raise LookupError(pk)
    return campaign
