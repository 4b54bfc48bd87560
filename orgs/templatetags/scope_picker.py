"""The scope picker every page that reads a subtree shows above its figures:
``{% load scope_picker %}{% scope_picker unit %}``. It offers the reader's scope (see
``orgs.selectors.scope_choices``) and posts the choice to ``orgs:choose_scope``, which keeps
it for the session; a page given ``?unit=`` still reads that unit."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import QueryDict

from orgs.models import Unit
from orgs.selectors import scope_choices

register = template.Library()

# Parameters of the page that belong to the unit read before the choice, dropped from the
# address the picker returns to.
DROPPED = ("unit", "page", "cursor")


def _return_to(request: Any) -> str:
    query: QueryDict = request.GET.copy()
    for name in DROPPED:
        query.pop(name, None)
    encoded = query.urlencode()
    return f"{request.path}?{encoded}" if encoded else request.path


@register.inclusion_tag("orgs/_scope_picker.html", takes_context=True)
def scope_picker(context: template.Context, unit: Unit | None) -> dict:
    request = context.get("request")
    if request is None or unit is None:
        return {"groups": []}
    groups = scope_choices(request.user)
    offered = {u.pk for g in groups for u in g.units}
    return {
        "groups": groups if len(offered) > 1 or unit.pk not in offered else [],
        "unit": unit,
        "elsewhere": unit.pk not in offered,
        "next": _return_to(request),
        "csrf_token": context.get("csrf_token"),
    }
