"""The campaign switch in every page's header, for a reader who may read more than one
campaign: the campaigns, the one the pages read now, and where the choice is posted
(``campaigns:select``). The list is read once per request and shared with the page
(``campaigns.selectors.campaigns_of``)."""

from __future__ import annotations

from django.http import QueryDict
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from campaigns.selectors import campaign_from_request, campaigns_of
from orgs.access import STAFF_ROLES, has_role

# Parameters that belong to the campaign read before the switch (its dates, the page of a
# list), dropped from the address the switch returns to.
DROPPED = ("start", "end", "as_of", "page", "cursor")


def _return_to(request) -> str:
    query: QueryDict = request.GET.copy()
    for name in DROPPED:
        query.pop(name, None)
    encoded = query.urlencode()
    return f"{request.path}?{encoded}" if encoded else request.path


def campaign_switch(request):
    """Read only when the page's header shows it (a partial page never does)."""
    return {"campaign_switch": SimpleLazyObject(lambda: _switch(request))}


def _switch(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not has_role(user, *STAFF_ROLES):
        return {}
    campaigns = campaigns_of(user)
    if len(campaigns) < 2:
        return {}
    return {
        "url": reverse("campaigns:select"),
        "campaigns": campaigns,
        "selected": campaign_from_request(request),
        "next": _return_to(request),
    }
