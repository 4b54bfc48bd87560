"""Reads the indicator pages and API share: the default range comes from the campaign the
page reads (``campaigns.selectors.campaign_from_request``; where a reader starts is
``orgs.selectors.unit_from_request``); the API, which keeps no choice, reads the unit's
newest campaign."""

from __future__ import annotations

from campaigns.selectors import campaign_for_unit as campaign_for
from campaigns.selectors import campaign_from_request

__all__ = ["campaign_for", "campaign_from_request"]
