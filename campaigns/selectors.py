"""Reads for campaigns and supervision coverage."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from campaigns.choices import CampaignStatus
from campaigns.models import Campaign, SupervisionGroup
from orgs.choices import UnitKind
from orgs.models import Unit


def covered_unit_paths(user: Any) -> list[str]:
    """Paths of the units covered by the supervision groups the account works in, for the
    campaigns that are not closed."""
    return list(
        Unit.objects.filter(
            supervision_groups__accounts=user,
        )
        .exclude(supervision_groups__campaign__status=CampaignStatus.CLOSED)
        .values_list("path", flat=True)
        .distinct()
    )


def current_campaign(user: Any) -> Campaign | None:
    """The campaign a user works in: the newest one whose root is at or above the user's
    unit (or that covers the supervisor's units)."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Campaign.objects.select_related("root_unit").first()
    if user.role == "supervisor":
        group = SupervisionGroup.objects.filter(accounts=user).select_related("campaign__root_unit").first()
        return group.campaign if group else None
    if user.unit_id is None:
        return None
    return (
        Campaign.objects.filter(root_unit__path__in=user.unit.ancestor_paths())
        .select_related("root_unit")
        .order_by("-start")
        .first()
    )


def groups_for(user: Any, campaign: Campaign):
    """Supervision groups a user may read: all of the campaign's for an office admin or
    leader whose scope holds the campaign root; their own group for a supervisor."""
    qs = campaign.supervision_groups.select_related("head", "head__unit").prefetch_related("units")
    if user.is_superuser:
        return qs
    if user.role == "supervisor":
        return qs.filter(accounts=user)
    return qs.filter(pk__in=SupervisionGroup.objects.visible_to(user).values("pk"))


@dataclass
class CoverageRow:
    unit: Unit
    groups: list[SupervisionGroup] = field(default_factory=list)

    @property
    def status(self) -> str:
        if not self.groups:
            return "uncovered"
        if len(self.groups) > 1:
            return "overlap"
        return "covered"


def coverage(campaign: Campaign) -> list[CoverageRow]:
    """Every county and department directly under the campaign's root, with the groups that
    cover it — directly or through a unit above it. A row with no group is a gap; a row
    with two is an overlap."""
    root = campaign.root_unit
    targets = list(
        Unit.objects.filter(
            path__startswith=root.path,
            depth=root.depth + 1,
            kind__in=[UnitKind.COUNTY, UnitKind.DEPARTMENT, UnitKind.CITY],
            active=True,
        ).order_by("kind", "code")
    )
    groups = list(campaign.supervision_groups.select_related("head"))
    # The paths of the units each group covers, in one query and read once (not the units
    # themselves, nor a related manager per unit and group).
    covered: dict[int, list[str]] = {group.pk: [] for group in groups}
    links = SupervisionGroup.units.through.objects.filter(supervisiongroup__campaign=campaign)
    for group_id, path in links.values_list("supervisiongroup_id", "unit__path"):
        covered[group_id].append(path)
    reach = [(group, tuple(covered[group.pk])) for group in groups]
    rows = []
    for unit in targets:
        row = CoverageRow(unit=unit)
        row.groups.extend(group for group, paths in reach if unit.path.startswith(paths))
        rows.append(row)
    return rows
