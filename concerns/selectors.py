"""Reads for serving the people. Every list goes through ``visible_to``."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date

from campaigns.models import Campaign
from concerns.choices import AssignmentKind
from concerns.indicators import overdue_q
from concerns.models import Assignment, Concern, KeyItem, Pairing, Programme, Visit
from concerns.services import waiting_on_q
from orgs.choices import Rank, UnitKind
from orgs.models import Person, Unit
from orgs.scope import paths_q, scope_paths
from orgs.selectors import scope_roots


def period(campaign: Campaign | None, start: str | None, end: str | None) -> tuple[datetime.date, datetime.date]:
    """The range a page covers: from the query, else the period of the campaign the page
    reads (``campaigns.selectors.campaign_from_request``), else this year."""
    today = timezone.localdate()
    default_start = campaign.start if campaign else today.replace(month=1, day=1)
    default_end = campaign.end if campaign else today
    first = parse_date(start or "") or default_start
    last = parse_date(end or "") or default_end
    if last < first:
        first, last = last, first
    return first, last


# --- visits and assignments ----------------------------------------------------------------


def visits_for(user: Any, unit: Unit | None = None, purpose: str = "") -> QuerySet:
    qs = (
        Visit.objects.visible_to(user)
        .select_related("unit")
        .prefetch_related(Prefetch("people", queryset=Person.objects.order_by("rank", "pk")))
    )
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if purpose:
        qs = qs.filter(purpose=purpose)
    return qs


def people_for_visits(user: Any) -> QuerySet:
    """People a visit can name: the city's prefecture-level leaders and the county-level
    cadres in the user's scope."""
    paths = scope_paths(user)
    if paths == []:
        return Person.objects.none()
    regions = {u.region_code or u.code for u in scope_roots(user)}
    in_scope = Q() if paths is None else paths_q("unit__path", paths)
    return (
        Person.objects.filter(active=True)
        .filter(Q(rank=Rank.PREFECTURE, unit__region_code__in=regions) | (Q(rank=Rank.COUNTY) & in_scope))
        .select_related("unit")
        .order_by("rank", "unit__path", "pk")
    )


def leader_assignments(user: Any, unit: Unit) -> QuerySet:
    return (
        Assignment.objects.visible_to(user)
        .filter(target__path__startswith=unit.path)
        .exclude(kind=AssignmentKind.DEPARTMENT_VILLAGE)
        .select_related("person", "target")
        .order_by("target__path")
    )


def station_assignments(user: Any, unit: Unit) -> QuerySet:
    return (
        Assignment.objects.visible_to(user)
        .filter(target__path__startswith=unit.path, kind=AssignmentKind.DEPARTMENT_VILLAGE)
        .select_related("department", "target")
        .order_by("target__path")
    )


def townships_without_leader(unit: Unit) -> QuerySet:
    return (
        Unit.objects.filter(path__startswith=unit.path, kind=UnitKind.TOWNSHIP, active=True)
        .annotate(n=Count("assignments", filter=Q(assignments__kind=AssignmentKind.LEADER_TOWNSHIP)))
        .filter(n=0)
        .order_by("path")
    )


def villages_without_station(unit: Unit) -> QuerySet:
    return (
        Unit.objects.filter(path__startswith=unit.path, kind=UnitKind.VILLAGE, active=True)
        .annotate(n=Count("assignments", filter=Q(assignments__kind=AssignmentKind.DEPARTMENT_VILLAGE)))
        .filter(n=0)
        .order_by("path")
    )


# --- concerns -------------------------------------------------------------------------------


def concerns_for(
    user: Any,
    *,
    unit: Unit | None = None,
    state: str = "",
    category: int | None = None,
    overdue: bool = False,
    handled: bool = False,
    today: datetime.date | None = None,
) -> QuerySet:
    qs = Concern.objects.visible_to(user).select_related("unit", "handling_unit", "category")
    if unit is not None:
        qs = qs.filter(Q(unit__path__startswith=unit.path) | Q(handling_unit__path__startswith=unit.path))
    if state:
        qs = qs.filter(state=state)
    if category:
        qs = qs.filter(category_id=category)
    if overdue:
        qs = qs.filter(overdue_q(today or timezone.localdate()))
    if handled:
        paths = scope_paths(user)
        if paths is not None:
            qs = qs.filter(paths_q("handling_unit__path", paths)) if paths else qs.none()
        else:
            qs = qs.filter(handling_unit__isnull=False)
    return qs


def overdue_handled(user: Any, today: datetime.date | None = None) -> QuerySet:
    """Overdue concerns that units in the user's scope are handling (the handling unit's
    worry list)."""
    return concerns_for(user, overdue=True, handled=True, today=today).order_by("resolution_due", "pk")


# --- key items and pairings -------------------------------------------------------------------


def programmes_with_items(user: Any) -> list[Programme]:
    items = (
        KeyItem.objects.visible_to(user)
        .select_related("responsible_unit", "responsible_leader")
        .prefetch_related("milestones")
        .annotate(n_concerns=Count("concerns"))
    )
    programmes = list(
        Programme.objects.filter(pk__in=items.values("programme")).prefetch_related(Prefetch("items", queryset=items))
    )
    return programmes


def pairings_for(user: Any) -> QuerySet:
    return Pairing.objects.visible_to(user).select_related("city_org", "village_branch")


# --- work waiting --------------------------------------------------------------------------


def waiting_for(user: Any) -> QuerySet:
    """Concerns in the user's scope at a step the user may take (``services.WAITING_FOR``,
    by the rules of ``services.allowed_actions``), the earliest limit first."""
    return (
        Concern.objects.visible_to(user)
        .filter(waiting_on_q(user))
        .select_related("unit", "handling_unit", "category")
        .order_by("resolution_due", "pk")
    )
