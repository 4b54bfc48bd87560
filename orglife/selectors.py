"""Reads for organisational life and the supervision groups' work, always inside the
reader's scope."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from campaigns.choices import CampaignStatus
from campaigns.models import Campaign, SupervisionGroup
from orglife.choices import MeasureStatus
from orglife.models import Finding, Inspection, Measure, Meeting, MeetingNotice, Talk
from orgs.models import Person, Unit
from orgs.scope import paths_q, scope_paths


def today() -> datetime.date:
    return timezone.localdate()


# --- supervision groups covering a unit ---------------------------------------------------
def covering_groups(unit: Unit) -> QuerySet[SupervisionGroup]:
    """Groups of campaigns not closed that cover the unit (directly or through a unit above
    it)."""
    return (
        SupervisionGroup.objects.filter(units__path__in=unit.ancestor_paths())
        .exclude(campaign__status=CampaignStatus.CLOSED)
        .distinct()
    )


def may_verify(account: Any, unit: Unit) -> bool:
    """Only an account of a supervision group covering the unit verifies its measures."""
    if account is None or not account.is_authenticated:
        return False
    return covering_groups(unit).filter(accounts=account).exists()


def group_supervisor_people(unit: Unit) -> QuerySet[Person]:
    """Members (and heads) of the groups that cover the unit: who may sit in on its meeting."""
    groups = covering_groups(unit)
    return Person.objects.filter(Q(supervision_groups__in=groups) | Q(headed_groups__in=groups)).distinct()


# --- notices ------------------------------------------------------------------------------
def notices_for(user: Any) -> QuerySet[MeetingNotice]:
    """Notices whose subtree overlaps the reader's scope: issued for a unit at or above the
    reader's units, or for one below them."""
    paths = scope_paths(user)
    qs = MeetingNotice.objects.select_related("root_unit", "campaign")
    if paths is None:
        return qs
    if not paths:
        return qs.none()
    above: set[str] = set()
    for path in paths:
        above.update(path[:i] for i in range(Unit.steplen, len(path) + 1, Unit.steplen))
    return qs.filter(Q(root_unit__path__in=above) | paths_q("root_unit__path", paths))


def reading_roots(user: Any, notice: MeetingNotice) -> list[Unit]:
    """The units at which a reader sees a notice's completeness: the notice's root when it
    lies in the reader's scope, the reader's own scope roots under the notice otherwise."""
    paths = scope_paths(user)
    root = notice.root_unit
    if paths is None or any(root.path.startswith(p) for p in paths):
        return [root]
    return list(Unit.objects.filter(path__in=[p for p in paths if p.startswith(root.path)]).order_by("path"))


# --- completeness -------------------------------------------------------------------------
@dataclass
class Completeness:
    unit: Unit
    expected: int = 0
    held: int = 0
    in_window: int = 0
    own: bool = False  # the unit itself as an expected organisation ("本级")

    @property
    def rate(self) -> float:
        return round(100 * self.held / self.expected, 1) if self.expected else 0.0

    @property
    def window_rate(self) -> float:
        return round(100 * self.in_window / self.expected, 1) if self.expected else 0.0


def expected_orgs(notice: MeetingNotice, unit: Unit) -> QuerySet[Unit]:
    """Active party organisations of the notice's kinds in both the notice's subtree and the
    unit's: the ones that must hold a meeting. Closed organisations are not expected."""
    inner = unit if unit.path.startswith(notice.root_unit.path) else notice.root_unit
    if not (inner.path.startswith(unit.path) or unit.path.startswith(inner.path)):
        return Unit.objects.none()
    return Unit.objects.filter(path__startswith=inner.path, kind__in=notice.expected_kinds, active=True)


def _held(notice: MeetingNotice) -> Exists:
    return Exists(Meeting.objects.filter(notice=notice, unit=OuterRef("pk")))


def _in_window(notice: MeetingNotice) -> Exists:
    return Exists(
        Meeting.objects.filter(
            notice=notice, unit=OuterRef("pk"), date__gte=notice.window_from, date__lte=notice.window_to
        )
    )


def completeness(notice: MeetingNotice, unit: Unit) -> Completeness:
    """Expected, held and held-within-window for the notice over the unit's subtree. Held
    counts distinct expected organisations, so the rate never exceeds 100%."""
    stats = expected_orgs(notice, unit).aggregate(
        expected=Count("pk"),
        held=Count("pk", filter=Q(_held(notice))),
        in_window=Count("pk", filter=Q(_in_window(notice))),
    )
    return Completeness(unit, stats["expected"] or 0, stats["held"] or 0, stats["in_window"] or 0)


def completeness_by_children(notice: MeetingNotice, unit: Unit) -> list[Completeness]:
    """One row per child unit that has expected organisations, in one grouped query; first,
    when the unit is itself expected to meet, its own row ("本级"), so that the rows add
    up to the unit's completeness."""
    length = (unit.depth + 1) * Unit.steplen
    grouped = (
        expected_orgs(notice, unit)
        .annotate(child=Substr("path", 1, length))
        .values("child")
        .annotate(
            expected=Count("pk"),
            held=Count("pk", filter=Q(_held(notice))),
            in_window=Count("pk", filter=Q(_in_window(notice))),
        )
        .order_by()
    )
    stats = {row["child"]: row for row in grouped}
    mine = stats.pop(unit.path, None)
    own = [Completeness(unit, mine["expected"], mine["held"], mine["in_window"], own=True)] if mine else []
    children = Unit.objects.filter(path__in=list(stats)).order_by("code")
    return own + [
        Completeness(
            unit=child,
            expected=stats[child.path]["expected"],
            held=stats[child.path]["held"],
            in_window=stats[child.path]["in_window"],
        )
        for child in children
    ]


def missing_orgs(notice: MeetingNotice, unit: Unit) -> QuerySet[Unit]:
    """Expected organisations that have not recorded their meeting."""
    return expected_orgs(notice, unit).exclude(_held(notice)).order_by("path")


# --- lists --------------------------------------------------------------------------------
def meetings_in(user: Any, unit: Unit | None = None, notice: MeetingNotice | None = None) -> QuerySet[Meeting]:
    qs = Meeting.objects.visible_to(user).select_related("unit", "notice")
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if notice is not None:
        qs = qs.filter(notice=notice)
    return qs.order_by("-date", "-pk")


def talks_in(user: Any, unit: Unit | None = None) -> QuerySet[Talk]:
    qs = Talk.objects.visible_to(user).select_related("unit")
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    return qs.order_by("-date", "-pk")


def findings_in(user: Any, unit: Unit | None = None, *, category: str = "", source: str = "") -> QuerySet[Finding]:
    qs = Finding.objects.visible_to(user).select_related("unit", "category")
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if category:
        qs = qs.filter(category__code=category)
    if source:
        qs = qs.filter(source=source)
    return qs.order_by("-date", "-pk")


def with_measure_counts(findings: list[Finding]) -> list[Finding]:
    """Set ``n_measures`` on one page of findings with one grouped query (an annotation
    over the whole list would group 100,000 rows to show 50)."""
    counts = dict(
        Measure.objects.filter(finding__in=findings)
        .values("finding")
        .annotate(n=Count("pk"))
        .values_list("finding", "n")
    )
    for f in findings:
        f.n_measures = counts.get(f.pk, 0)
    return findings


def overdue_q(as_of: datetime.date) -> Q:
    """Past the deadline on ``as_of`` and not done by that day."""
    return Q(deadline__lt=as_of) & (Q(done_on__isnull=True) | Q(done_on__gt=as_of))


def measures_in(
    user: Any, unit: Unit | None = None, *, status: str = "", overdue: bool = False, as_of: datetime.date | None = None
) -> QuerySet[Measure]:
    qs = Measure.objects.visible_to(user).select_related("unit", "finding", "finding__category")
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(overdue_q(as_of or today()))
    return qs.order_by("deadline", "pk")


# --- the supervision groups' work ---------------------------------------------------------
def groups_for(user: Any) -> QuerySet[SupervisionGroup]:
    """Groups whose work a reader may open: a supervisor's own groups; for the office and
    leaders, the groups of campaigns whose root is in their scope."""
    qs = SupervisionGroup.objects.select_related("campaign", "head").order_by("campaign", "number")
    if user.is_superuser:
        return qs
    if user.role == "supervisor":
        return qs.filter(accounts=user)
    return qs.filter(pk__in=SupervisionGroup.objects.visible_to(user).values("pk"))


def group_units_q(group: SupervisionGroup, field: str = "unit__path") -> Q:
    paths = [u.path for u in group.units.all()]
    if not paths:
        return Q(pk__in=[])
    return paths_q(field, paths)


def awaiting_verification(group: SupervisionGroup) -> QuerySet[Measure]:
    return (
        Measure.objects.filter(group_units_q(group), status=MeasureStatus.DONE)
        .select_related("unit", "finding", "finding__category")
        .order_by("done_on", "pk")
    )


def meetings_attended(group: SupervisionGroup) -> QuerySet[Meeting]:
    people = list(group.members.values_list("pk", flat=True)) + [group.head_id]
    return (
        Meeting.objects.filter(group_units_q(group), supervisors__in=people)
        .distinct()
        .select_related("unit")
        .order_by("-date", "-pk")
    )


@dataclass
class CoverageRow:
    group: SupervisionGroup
    unit: Unit
    inspections: int = 0
    last: datetime.date | None = None


@dataclass
class GroupCoverage:
    group: SupervisionGroup
    rows: list[CoverageRow] = field(default_factory=list)

    @property
    def inspected(self) -> int:
        return sum(1 for r in self.rows if r.inspections)


def inspection_coverage(campaign: Campaign, groups: QuerySet[SupervisionGroup] | None = None) -> list[GroupCoverage]:
    """For each group, each unit it covers and how often it was inspected (on the unit or
    below it), in three queries whatever the number of groups."""
    groups_qs = groups if groups is not None else campaign.supervision_groups.all()
    groups_list = list(groups_qs.filter(campaign=campaign).prefetch_related("units").select_related("head"))
    stats = {
        (row["group_id"], row["unit__path"]): row
        for row in Inspection.objects.filter(group__in=groups_list)
        .values("group_id", "unit__path")
        .annotate(n=Count("pk"), last=Max("date"))
        .order_by()
    }
    out = []
    for group in groups_list:
        cov = GroupCoverage(group=group)
        for unit in sorted(group.units.all(), key=lambda u: u.code):
            row = CoverageRow(group=group, unit=unit)
            for (gid, path), s in stats.items():
                if gid == group.pk and path.startswith(unit.path):
                    row.inspections += s["n"]
                    row.last = max(filter(None, [row.last, s["last"]]), default=None)
            cov.rows.append(row)
        out.append(cov)
    return out


# --- work waiting and whose turn ----------------------------------------------------------
# Who reports a measure done, adds measures to findings and records meetings (the pages'
# writers); who verifies it is ``may_verify``, who closes it ``services.close_measure``.
WRITER_ROLES = ("office_admin", "reporter")


def _is_writer(user: Any) -> bool:
    return bool(user.is_superuser or user.role in WRITER_ROLES)


def verifiable_q(user: Any) -> Q:
    """Measures of the units that the user's supervision groups (of campaigns not closed)
    cover: the ones the user may verify (``may_verify``), as a filter."""
    groups = SupervisionGroup.objects.filter(accounts=user).exclude(campaign__status=CampaignStatus.CLOSED)
    paths = list(Unit.objects.filter(supervision_groups__in=groups).values_list("path", flat=True))
    return paths_q("unit__path", paths) if paths else Q(pk__in=[])


def measures_to_verify(user: Any) -> QuerySet[Measure]:
    """Measures reported done that the user may verify or send back."""
    if not user.is_authenticated:
        return Measure.objects.none()
    return (
        Measure.objects.visible_to(user)
        .filter(verifiable_q(user), status=MeasureStatus.DONE)
        .select_related("unit", "finding")
        .order_by("done_on", "pk")
    )


def measures_to_do(user: Any) -> QuerySet[Measure]:
    """Open measures in the user's scope, for the accounts that report them done."""
    if not _is_writer(user):
        return Measure.objects.none()
    return (
        Measure.objects.visible_to(user)
        .filter(status=MeasureStatus.OPEN)
        .select_related("unit", "finding")
        .order_by("deadline", "pk")
    )


def findings_without_measures(user: Any) -> QuerySet[Finding]:
    """Findings in the user's scope for which no measure was set yet."""
    if not _is_writer(user):
        return Finding.objects.none()
    return (
        Finding.objects.visible_to(user)
        .exclude(Exists(Measure.objects.filter(finding=OuterRef("pk"))))
        .select_related("unit", "category")
        .order_by("date", "pk")
    )


@dataclass
class MeetingsDue:
    """One notice whose meetings some expected organisations in the reader's scope have not
    recorded yet."""

    notice: MeetingNotice
    unit: Unit
    missing: int


def meetings_due(user: Any) -> list[MeetingsDue]:
    """For each notice of a campaign not closed whose window has not long passed, the
    organisations under the reader's roots that still owe their meeting."""
    if not _is_writer(user):
        return []
    out = []
    recent = today() - datetime.timedelta(days=30)
    notices = notices_for(user).exclude(campaign__status=CampaignStatus.CLOSED).filter(window_to__gte=recent)
    for notice in notices.order_by("window_to", "pk"):
        for root in reading_roots(user, notice):
            missing = missing_orgs(notice, root).count()
            if missing:
                out.append(MeetingsDue(notice=notice, unit=root, missing=missing))
    return out


def measure_steps(measure: Measure) -> list[tuple[str, tuple[str, ...], str]]:
    """What the measure waits for: (step, roles that take it, where they sit: "unit" for the
    measure's unit, "group" for the supervision group covering it)."""
    if measure.status == MeasureStatus.OPEN:
        return [("done", WRITER_ROLES, "unit")]
    if measure.status == MeasureStatus.DONE:
        return [("verify", ("supervisor",), "group"), ("refuse", ("supervisor",), "group")]
    if measure.status == MeasureStatus.VERIFIED:
        return [("close", ("office_admin", "supervisor"), "group")]
    return []
