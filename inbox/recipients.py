"""Who is told: the accounts whose turn it is. A step is taken by accounts of some roles in
some unit's chain; the notice goes to the nearest of them, those at the unit itself, else at
the nearest unit above it that has any (a village without its own office is served by its
township's), and never to an account whose scope does not hold the record."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Q

from orgs.models import Account, Unit
from orgs.scope import paths_q


def nearest(unit: Unit, roles: Iterable[str], *, allowed: Callable[[Any], bool] | None = None) -> list[Any]:
    """Active accounts of ``roles`` at ``unit``, else at the nearest unit above it that has
    any; each kept only if ``allowed(account)`` (the record is in its scope)."""
    accounts = list(
        Account.objects.filter(unit__path__in=unit.ancestor_paths(), role__in=list(roles), is_active=True)
        .select_related("unit")
        .order_by("-unit__depth", "pk")
    )
    if allowed is not None:
        accounts = [a for a in accounts if allowed(a)]
    if not accounts:
        return []
    depth = accounts[0].unit.depth
    return [a for a in accounts if a.unit.depth == depth]


def supervisors_covering(unit: Unit, groups: Any) -> list[Any]:
    """Active supervisor accounts of ``groups`` (the groups covering the unit)."""
    return list(
        Account.objects.filter(supervision_groups__in=groups, role="supervisor", is_active=True)
        .distinct()
        .order_by("pk")
    )


def nearest_q(user: Any, roles: Iterable[str], field: str = "unit__path") -> Q:
    """Rows whose nearest accounts of ``roles`` include the user: those of the user's unit's
    subtree, less the subtrees of units below it that have such accounts of their own (their
    work waits for them, as their notices go to them). The office above still finds those
    rows in its lists; they are not in its inbox."""
    if user.is_superuser or user.unit_id is None:
        return Q()
    unit = user.unit
    deeper = (
        Account.objects.filter(
            role__in=list(roles), is_active=True, unit__path__startswith=unit.path, unit__depth__gt=unit.depth
        )
        .values_list("unit__path", flat=True)
        .distinct()
    )
    paths = list(deeper)
    return ~paths_q(field, paths) if paths else Q()
