"""Reads for campaigns and supervision coverage."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.http import Http404

from campaigns.choices import CampaignStatus
from campaigns.models import Campaign, SupervisionGroup
from orgs.choices import Role, UnitKind
from orgs.models import Unit
from orgs.scope import scope_paths


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


# Where the campaign switch keeps the reader's choice (the campaign's pk) for the session.
CAMPAIGN_SESSION_KEY = "campaign"


def campaigns_of(user: Any) -> list[Campaign]:
    """The campaigns a reader may read, newest first: every one for a superuser; else those
    whose root is at or above a unit of the reader's scope (its own unit, a supervisor's
    covered units), and a supervisor's own groups' campaigns. A campaign still being set up
    (a draft) is the office's alone."""
    if not user.is_authenticated:
        return []
    cached: list[Campaign] | None = getattr(user, "_campaigns", None)
    if cached is not None:
        return cached
    qs = Campaign.objects.select_related("root_unit").order_by("-start", "-pk")
    if not user.is_superuser:
        paths = scope_paths(user) or []
        above = {p for path in paths for p in Unit(path=path).ancestor_paths()}
        wanted = Q(root_unit__path__in=above)
        if user.role == Role.SUPERVISOR:
            wanted |= Q(supervision_groups__accounts=user)
        qs = qs.filter(wanted).distinct() if above or user.role == Role.SUPERVISOR else qs.none()
        if user.role != Role.OFFICE_ADMIN:
            qs = qs.exclude(status=CampaignStatus.DRAFT)
    found = list(qs)
    user._campaigns = found
    return found


def default_campaign(campaigns: list[Campaign]) -> Campaign | None:
    """The newest active campaign among ``campaigns`` (newest first), else the newest."""
    for campaign in campaigns:
        if campaign.status == CampaignStatus.ACTIVE:
            return campaign
    return campaigns[0] if campaigns else None


def current_campaign(user: Any) -> Campaign | None:
    """The campaign a reader works in when it has chosen none: the newest active one whose
    root is at or above the reader's unit or scope (see ``campaigns_of``); for a supervisor,
    the newest active one it has a group in, where there is one. Pages ask
    ``campaign_from_request``, which honours the reader's choice."""
    campaigns = campaigns_of(user)
    if user.is_authenticated and not user.is_superuser and user.role == Role.SUPERVISOR and len(campaigns) > 1:
        own = set(SupervisionGroup.objects.filter(accounts=user).values_list("campaign_id", flat=True))
        return default_campaign([c for c in campaigns if c.pk in own]) or default_campaign(campaigns)
    return default_campaign(campaigns)


def covers(campaign: Campaign, unit: Unit) -> bool:
    """Whether the unit lies in the campaign's subtree (its root or below)."""
    return unit.path.startswith(campaign.root_unit.path)


def campaign_for_unit(unit: Unit) -> Campaign | None:
    """The newest campaign whose root is the unit or a unit above it (a draft, still being
    set up, is nobody's default)."""
    return (
        Campaign.objects.filter(root_unit__path__in=unit.ancestor_paths())
        .exclude(status=CampaignStatus.DRAFT)
        .select_related("root_unit")
        .order_by("-start", "-pk")
        .first()
    )


def campaigns_covering(unit: Unit, day: Any = None) -> list[Campaign]:
    """The campaigns whose subtree holds the unit (and whose period holds ``day`` when
    given), newest first: where a record of this unit and day belongs."""
    qs = Campaign.objects.filter(root_unit__path__in=unit.ancestor_paths())
    if day is not None:
        qs = qs.filter(start__lte=day, end__gte=day)
    return list(qs.select_related("root_unit").order_by("-start", "-pk"))


def chosen_campaign(request: Any) -> Campaign | None:
    """The campaign the reader chose with the switch, while it is still one it may read."""
    session = getattr(request, "session", None)
    pk = session.get(CAMPAIGN_SESSION_KEY) if session is not None else None
    if not pk:
        return None
    return next((c for c in campaigns_of(request.user) if c.pk == pk), None)


def campaign_from_request(request: Any, unit: Unit | None = None) -> Campaign | None:
    """The campaign a page reads: the one the reader chose with the campaign switch (kept
    in the session, ``remember_campaign``), else the newest active one above the reader
    (``current_campaign``). Given the page's ``unit``, a campaign whose subtree does not
    hold it gives way to the newest campaign above the unit, as a page about a unit always
    read. Its period is the pages' default range; its root bounds what they read."""
    campaign = chosen_campaign(request) or current_campaign(request.user)
    if unit is None or (campaign is not None and covers(campaign, unit)):
        return campaign
    return campaign_for_unit(unit)


def remember_campaign(request: Any, pk: Any) -> Campaign:
    """Keep the campaign ``pk`` as the reader's choice for the session; 404 (and nothing
    kept) when it is not one the reader may read."""
    try:
        wanted = int(str(pk).strip())
    except (TypeError, ValueError):
        raise Http404 from None
    campaign = next((c for c in campaigns_of(request.user) if c.pk == wanted), None)
    if campaign is None:
        raise Http404
    request.session[CAMPAIGN_SESSION_KEY] = campaign.pk
    return campaign


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
