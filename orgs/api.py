"""API endpoints of the unit tree: a unit by code and the units below it."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.decorators import decorate_view

from core.api.pagination import paginate
from core.api.schemas import Page, responses
from orgs.access import STAFF_ROLES
from orgs.api_auth import guard
from orgs.models import Unit
from orgs.scope import get_visible_or_404

router = Router(tags=["units"])


class UnitOut(Schema):
    code: str
    name: str
    name_zh: str
    name_bo: str
    kind: str
    active: bool
    depth: int
    parent: str | None
    children: int
    party_members: int
    headcount: int | None


def unit_out(unit: Unit, parent: str | None) -> dict:
    return {
        "code": unit.code,
        "name": unit.name,
        "name_zh": unit.name_zh,
        "name_bo": unit.name_bo,
        "kind": unit.kind,
        "active": unit.active,
        "depth": unit.depth,
        "parent": parent,
        "children": unit.numchild,
        "party_members": unit.party_members,
        "headcount": unit.headcount,
    }


def _parent_codes(units: list[Unit]) -> dict[str, str]:
    paths = {u.path[: -Unit.steplen] for u in units if u.depth > 1}
    return dict(Unit.objects.filter(path__in=paths).values_list("path", "code"))


def _unit(account, code: str) -> Unit:
    return get_visible_or_404(Unit.objects.all(), account, code=code)


class ChildrenQuery(Schema):
    descendants: bool = False
    cursor: str | None = None
    limit: int = 50


@router.get("/{code}", response=responses(UnitOut), summary="A unit by code")
@decorate_view(guard(*STAFF_ROLES, lookup=_unit))
def unit_detail(request: HttpRequest, code: str):
    unit = _unit(request.auth, code)
    return unit_out(unit, _parent_codes([unit]).get(unit.path[: -Unit.steplen]))


@router.get("/{code}/children", response=responses(Page[UnitOut]), summary="The units below a unit")
@decorate_view(guard(*STAFF_ROLES, lookup=_unit))
def unit_children(request: HttpRequest, code: str, q: Query[ChildrenQuery]):
    """The units directly below ``code`` in code order, or with ``descendants=true`` its
    whole subtree (without itself) in tree order."""
    unit = _unit(request.auth, code)
    qs = Unit.objects.visible_to(request.auth).filter(path__startswith=unit.path).exclude(pk=unit.pk)
    if q.descendants:
        rows, following = paginate(qs, ordering=("path", "pk"), cursor=q.cursor, limit=q.limit)
    else:
        qs = qs.filter(depth=unit.depth + 1)
        rows, following = paginate(qs, ordering=("code", "pk"), cursor=q.cursor, limit=q.limit)
    parents = _parent_codes(rows)
    return {"items": [unit_out(u, parents.get(u.path[: -Unit.steplen])) for u in rows], "next": following}
