"""Reads of the quality app: flags in a scope and on rows (for the badge), counts by check,
figures with and without flagged rows, completeness and timeliness of reporting, and the
reporting burden (from event to entry; the published report's part is the reports app's
``burden_panel``). Everything reads through ``visible_to`` or a unit the caller has already
checked is in scope."""

from __future__ import annotations

import datetime
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Min, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from campaigns.indicators import declared, month_end, months, ordered
from orgs.choices import UnitKind
from orgs.models import Unit
from quality import checks as registry
from quality.choices import DOUBTFUL, FlagStatus
from quality.models import Check, Flag

# --- flags ---------------------------------------------------------------------------------


def flags_in(user: Any, unit: Unit, *, check: str = "", status: str = "") -> QuerySet[Flag]:
    qs = Flag.objects.visible_to(user).filter(unit__path__startswith=unit.path)
    if check:
        qs = qs.filter(check_item__code=check)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("check_item", "unit", "content_type", "cleared_by").order_by("-created", "-pk")


@dataclass
class CheckCount:
    check: Check
    open: int = 0
    confirmed: int = 0
    cleared: int = 0

    @property
    def total(self) -> int:
        return self.open + self.confirmed + self.cleared


def counts_by_check(user: Any, unit: Unit) -> list[CheckCount]:
    """Every check of the catalogue with its open, confirmed and cleared flags in the unit's
    subtree: two queries."""
    grouped = (
        Flag.objects.visible_to(user)
        .filter(unit__path__startswith=unit.path)
        .values_list("check_item_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    stats: dict[int, dict[str, int]] = defaultdict(dict)
    for check_id, status, n in grouped:
        stats[check_id][status] = n
    return [CheckCount(check=c, **stats.get(c.pk, {})) for c in Check.objects.all()]


def flags_for(obj: Any) -> list[Flag]:
    """The flags that still doubt one row (open or confirmed), with their checks."""
    ct = ContentType.objects.get_for_model(type(obj))
    return list(
        Flag.objects.filter(content_type=ct, object_id=obj.pk, status__in=DOUBTFUL)
        .select_related("check_item")
        .order_by("check_item__order")
    )


def flagged_ids(model: Any, rows: Iterable[Any]) -> set[int]:
    """Which of ``rows`` (instances or pks) have a doubtful flag: one query for a page."""
    pks = [r if isinstance(r, int) else r.pk for r in rows]
    if not pks:
        return set()
    ct = ContentType.objects.get_for_model(model)
    return set(
        Flag.objects.filter(content_type=ct, object_id__in=pks, status__in=DOUBTFUL).values_list("object_id", flat=True)
    )


def prefetch_flags(rows: list[Any]) -> list[Any]:
    """Attach ``quality_flags`` (the doubtful flags) to each row of a page, in one query, so
    that ``{% flag_badge row %}`` needs none."""
    if not rows:
        return rows
    model = type(rows[0])
    ct = ContentType.objects.get_for_model(model)
    found: dict[int, list[Flag]] = defaultdict(list)
    for flag in Flag.objects.filter(
        content_type=ct, object_id__in=[r.pk for r in rows], status__in=DOUBTFUL
    ).select_related("check_item"):
        found[flag.object_id].append(flag)
    for row in rows:
        row.quality_flags = found.get(row.pk, [])
    return rows


def _row_url(label: str, object_id: int, extra: dict[int, int]) -> str:
    try:
        if label == "ledger.activity":
            return reverse("ledger:activity_detail", args=[object_id])
        if label == "concerns.concern":
            return reverse("concerns:concern_detail", args=[object_id])
        if label == "orglife.measure" and object_id in extra:
            return reverse("orglife:finding_detail", args=[extra[object_id]])
        if label == "quiz.attempt":
            return reverse("quiz:review", args=[object_id])
    except NoReverseMatch:
        return ""
    return ""


def with_row_links(flags: list[Flag]) -> list[Flag]:
    """Set ``row_url`` on each flag of a page: where its row is shown (one query for the
    measures' findings, none otherwise)."""
    measure_ids = [f.object_id for f in flags if f.content_type.model == "measure"]
    extra: dict[int, int] = {}
    if measure_ids:
        from orglife.models import Measure

        extra = dict(Measure.objects.filter(pk__in=measure_ids).values_list("pk", "finding_id"))
    for flag in flags:
        flag.row_url = _row_url(f"{flag.content_type.app_label}.{flag.content_type.model}", flag.object_id, extra)
    return flags


# --- figures with and without flagged rows -------------------------------------------------


@dataclass
class FigurePair:
    indicator: Any
    value: Any
    without: Any
    flagged_rows: int

    @property
    def difference(self) -> Any:
        return self.value - self.without


def _field(indicator: Any) -> str | None:
    """The summed field of an indicator's rows, or None for a count of rows."""
    return getattr(indicator, "measure_field", None) if indicator.kind in ("sum", "count") else None


def figures_with_and_without(unit: Unit, start: datetime.date, end: datetime.date) -> list[FigurePair]:
    """For every count or sum indicator whose rows are of a checked model that has doubtful
    flags in the subtree: the figure as reported and the figure without the flagged rows
    (the flagged rows' part re-aggregated from ``rows()``). Flags never change the reported
    figure; this only shows how much of it is in doubt."""
    checked = {c.model_label for c in registry.REGISTRY.values()}
    doubtful_cts = set(
        Flag.objects.filter(unit__path__startswith=unit.path, status__in=DOUBTFUL)
        .values_list("content_type_id", flat=True)
        .distinct()
    )
    out = []
    for indicator in ordered(declared()):
        if indicator.kind not in ("count", "sum"):
            continue
        try:
            rows = indicator.rows(unit, start, end)
        except NotImplementedError:
            continue
        model = rows.model
        if model._meta.label_lower not in checked:
            continue
        ct = ContentType.objects.get_for_model(model)
        if ct.pk not in doubtful_cts:
            continue
        flagged = Flag.objects.filter(content_type=ct, unit__path__startswith=unit.path, status__in=DOUBTFUL).values(
            "object_id"
        )
        part = rows.filter(pk__in=flagged).order_by()
        name = _field(indicator)
        if name:
            agg = part.aggregate(n=Count("pk"), s=Sum(name))
            n, doubtful = agg["n"], agg["s"] or 0
        else:
            n = part.count()
            doubtful = n
        if not n:
            continue
        value = indicator.value(unit, start, end)
        out.append(FigurePair(indicator=indicator, value=value, without=value - doubtful, flagged_rows=n))
    return out


# --- completeness and timeliness -----------------------------------------------------------

# Units that report their activities themselves, month by month: the administrative levels
# below the city, villages and communities, departments, and the grassroots institutions.
# Party organisations report through the unit they sit in (their rows count for it).
REPORTING_KINDS = (
    UnitKind.COUNTY,
    UnitKind.TOWNSHIP,
    UnitKind.VILLAGE,
    UnitKind.DEPARTMENT,
    UnitKind.SCHOOL,
    UnitKind.ENTERPRISE,
    UnitKind.MONASTERY,
    UnitKind.BARRACKS,
)
# Quiz takers come from these units (as the quiz's own allocation does).
QUIZ_KINDS = (
    UnitKind.VILLAGE,
    UnitKind.DEPARTMENT,
    UnitKind.SCHOOL,
    UnitKind.ENTERPRISE,
    UnitKind.MONASTERY,
    UnitKind.BARRACKS,
)
ON_TIME_DAYS = 10  # a month's rows are on time when entered within this many days after it


@dataclass
class Gap:
    unit: Unit
    missing: list[Any] = field(default_factory=list)  # months (or notices) with nothing
    late: list[Any] = field(default_factory=list)  # submitted, not on time


@dataclass
class Obligation:
    key: str
    expected: int = 0
    submitted: int = 0
    on_time: int = 0
    gaps: list[Gap] = field(default_factory=list)

    @property
    def submitted_rate(self) -> float:
        return round(100 * self.submitted / self.expected, 1) if self.expected else 0.0

    @property
    def on_time_rate(self) -> float:
        return round(100 * self.on_time / self.expected, 1) if self.expected else 0.0


def _reporting_units(unit: Unit, kinds: tuple[str, ...]) -> list[Unit]:
    """Active units of the kinds in the subtree: closed units are in neither the numerator nor
    the denominator."""
    return list(Unit.objects.filter(path__startswith=unit.path, kind__in=kinds, active=True).order_by("path"))


def _reporter_of(path: str, reporters: dict[str, Unit]) -> Unit | None:
    step = Unit.steplen
    for end in range(len(path), 0, -step):
        found = reporters.get(path[:end])
        if found is not None:
            return found
    return None


def activity_reporting(
    unit: Unit, start: datetime.date, end: datetime.date, *, on_time_days: int = ON_TIME_DAYS
) -> Obligation:
    """Monthly activity reporting: every active reporting unit of the subtree is expected to
    enter at least one activity dated in each month of the range; it is on time when the
    first such row was entered within ``on_time_days`` after the month's end. A row counts for
    the nearest reporting unit at or above the unit that entered it. Counted over distinct
    (unit, month) pairs, so never above 100%."""
    from ledger.models import Activity

    reporters = {u.path: u for u in _reporting_units(unit, REPORTING_KINDS)}
    firsts: dict[tuple[int, datetime.date], datetime.datetime] = {}
    grouped = (
        Activity.objects.filter(unit__path__startswith=unit.path, date__gte=start, date__lte=end)
        .annotate(m=TruncMonth("date"))
        .values_list("unit__path", "m")
        .annotate(first=Min("created_at"))
        .order_by()
    )
    for path, month, first in grouped:
        if isinstance(month, datetime.datetime):
            month = month.date()
        reporter = _reporter_of(path, reporters)
        if reporter is None:
            continue
        key = (reporter.pk, month)
        if key not in firsts or first < firsts[key]:
            firsts[key] = first
    result = Obligation(key="activities")
    the_months = months(start, end)
    for reporter in reporters.values():
        gap = Gap(unit=reporter)
        for month in the_months:
            result.expected += 1
            first = firsts.get((reporter.pk, month))
            if first is None:
                gap.missing.append(month)
                continue
            result.submitted += 1
            due = month_end(month) + datetime.timedelta(days=on_time_days)
            if timezone.localdate(first) <= due:
                result.on_time += 1
            else:
                gap.late.append(month)
        if gap.missing or gap.late:
            result.gaps.append(gap)
    return result


def meeting_reporting(user: Any, unit: Unit) -> list[tuple[Any, Any, list[Unit]]]:
    """Organisational-life meetings per party organisation, from orglife's own completeness
    selectors: (notice, completeness, organisations that have not met) per notice the reader
    sees."""
    from orglife import selectors as orglife

    out = []
    for notice in orglife.notices_for(user).select_related("root_unit"):
        if not (unit.path.startswith(notice.root_unit.path) or notice.root_unit.path.startswith(unit.path)):
            continue
        stats = orglife.completeness(notice, unit)
        if not stats.expected:
            continue
        missing = list(orglife.missing_orgs(notice, unit)[:200])
        out.append((notice, stats, missing))
    return out


def quiz_reporting(unit: Unit, campaign: Any) -> list[tuple[Any, Obligation]]:
    """For each quiz of the campaign that has closed or is open: every active unit of the
    quiz kinds under the quiz's unit (and the reader's) is expected to have at least one
    submitted attempt; on time when one was submitted before the quiz closed."""
    from quiz.models import Attempt, Quiz

    out: list[tuple[Any, Obligation]] = []
    if campaign is None:
        return out
    units = _reporting_units(unit, QUIZ_KINDS)
    for quiz in Quiz.objects.filter(campaign=campaign).select_related("unit").order_by("opens_at"):
        if not (unit.path.startswith(quiz.unit.path) or quiz.unit.path.startswith(unit.path)):
            continue
        inside = [u for u in units if u.path.startswith(quiz.unit.path)]
        stats = dict(
            Attempt.objects.filter(quiz=quiz, submitted_at__isnull=False, unit__path__startswith=unit.path)
            .values_list("unit_id")
            .annotate(first=Min("submitted_at"))
            .order_by()
        )
        result = Obligation(key=f"quiz-{quiz.pk}")
        for u in inside:
            result.expected += 1
            first = stats.get(u.pk)
            if first is None:
                result.gaps.append(Gap(unit=u, missing=[quiz]))
                continue
            result.submitted += 1
            if first <= quiz.closes_at:
                result.on_time += 1
            else:
                result.gaps.append(Gap(unit=u, late=[quiz]))
        out.append((quiz, result))
    return out


# --- the reporting burden ------------------------------------------------------------------

DELAY_BUCKETS = ((0, 0), (1, 3), (4, 7), (8, 30), (31, 90), (91, None))
MONTH_END_SHARE = 0.8
MONTH_END_MIN_ROWS = 10


@dataclass
class EntryDelays:
    rows: int = 0
    buckets: list[tuple[tuple[int, int | None], int]] = field(default_factory=list)
    by_child: list[tuple[Unit, int, float]] = field(default_factory=list)  # unit, rows, median days
    month_end_units: list[tuple[Unit, int, float]] = field(default_factory=list)  # unit, rows, share


def _local_day(moment: datetime.datetime, offset: datetime.timedelta) -> datetime.date:
    return (moment.replace(tzinfo=None) + offset - (moment.utcoffset() or datetime.timedelta(0))).date()


def entry_delays(unit: Unit, start: datetime.date, end: datetime.date) -> EntryDelays:
    """How long units took from event to entry (days between an activity's date and the day
    it was entered), bucketed, with the median per child unit; and the reporting units that
    enter nearly everything at month end (in the last two days of a month or the first two of
    the next). One pass over the subtree's rows."""
    from ledger.models import Activity

    offset = timezone.localtime().utcoffset() or datetime.timedelta(0)
    reporters = {u.path: u for u in _reporting_units(unit, REPORTING_KINDS)}
    children = {
        u.path: u for u in Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1).order_by("code")
    }
    child_len = (unit.depth + 1) * Unit.steplen
    counts: Counter = Counter()
    per_child: dict[str, list[int]] = defaultdict(list)
    per_reporter: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    rows = Activity.objects.filter(unit__path__startswith=unit.path, date__gte=start, date__lte=end).values_list(
        "unit__path", "date", "created_at"
    )
    total = 0
    for path, day, created in rows.iterator(chunk_size=10000):
        entered = _local_day(created, offset)
        delay = max((entered - day).days, 0)
        total += 1
        for bucket in DELAY_BUCKETS:
            low, high = bucket
            if delay >= low and (high is None or delay <= high):
                counts[bucket] += 1
                break
        if len(path) >= child_len:
            per_child[path[:child_len]].append(delay)
        reporter = _reporter_of(path, reporters)
        if reporter is not None:
            acc = per_reporter[reporter.pk]
            acc[0] += 1
            nxt = entered + datetime.timedelta(days=2)
            if entered.day <= 2 or nxt.month != entered.month:
                acc[1] += 1
    result = EntryDelays(rows=total, buckets=[(b, counts[b]) for b in DELAY_BUCKETS])
    result.by_child = [
        (children[p], len(per_child[p]), statistics.median(per_child[p])) for p in children if per_child.get(p)
    ]
    by_pk = {u.pk: u for u in reporters.values()}
    for pk, (n, at_end) in per_reporter.items():
        if n >= MONTH_END_MIN_ROWS and at_end / n >= MONTH_END_SHARE:
            result.month_end_units.append((by_pk[pk], n, round(100 * at_end / n, 1)))
    result.month_end_units.sort(key=lambda r: (-r[2], r[0].path))
    return result


def doubtful_q(model: Any, path: str) -> Q:
    """A filter leaving out rows of ``model`` with a doubtful flag in the subtree."""
    ct = ContentType.objects.get_for_model(model)
    return ~Q(
        pk__in=Flag.objects.filter(content_type=ct, unit__path__startswith=path, status__in=DOUBTFUL).values(
            "object_id"
        )
    )


# --- work waiting ---------------------------------------------------------------------------


def flags_to_decide(user: Any) -> QuerySet[Flag]:
    """Open flags in the user's scope, for the roles that confirm or clear them
    (``services.DECIDE_ROLES``), the oldest first."""
    if not (user.is_superuser or user.role in ("office_admin", "supervisor")):
        return Flag.objects.none()
    return (
        Flag.objects.visible_to(user)
        .filter(status=FlagStatus.OPEN)
        .select_related("check_item", "unit", "content_type")
        .order_by("created", "pk")
    )
