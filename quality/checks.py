"""The code of the data-quality checks, one small class per check, in a registry keyed by the
check's code (the catalogue rows live in ``quality.catalogue`` and the ``Check`` table).

A check answers ``find(queryset, ctx)``: the rows of ``queryset`` it doubts, as ``Hit``
tuples, with a bounded number of queries whatever the number of rows (it reads the columns
it needs in one pass, or lets the database filter). A cheap check may also answer
``hit(obj, ctx)`` for one row already in memory, without any query: that is what runs on
every save. ``check_rows`` is the spec'd entry point over a queryset or a list of rows.
"""

from __future__ import annotations

import datetime
import functools
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.apps import apps
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone


class Hit(NamedTuple):
    pk: int
    unit_id: int
    region_code: str
    detail: str


@dataclass
class Ctx:
    """What a run knows: the thresholds, today, and the subtree it covers (when it covers
    one), plus small caches shared by the checks of one run."""

    thresholds: Mapping[str, float]
    path: str | None = None
    now: datetime.datetime = field(default_factory=timezone.now)
    cache: dict[str, Any] = field(default_factory=dict)

    def t(self, code: str) -> float:
        return float(self.thresholds.get(code, 0))

    @property
    def today(self) -> datetime.date:
        return timezone.localdate(self.now)

    def local_date(self, moment: datetime.datetime) -> datetime.date:
        """The local day of a stored moment, with the zone's offset read once per run (the
        platform's zones keep no daylight saving): a hundred thousand conversions stay cheap."""
        if "offset" not in self.cache:
            self.cache["offset"] = timezone.localtime(self.now).utcoffset() or datetime.timedelta(0)
        if timezone.is_naive(moment):
            return moment.date()
        return (
            moment.replace(tzinfo=None) + self.cache["offset"] - (moment.utcoffset() or datetime.timedelta(0))
        ).date()

    def campaigns(self) -> list[tuple[str, datetime.date, datetime.date]]:
        if "campaigns" not in self.cache:
            from campaigns.models import Campaign

            found = Campaign.objects.values_list("root_unit__path", "start", "end")
            self.cache["campaigns"] = sorted(found, key=lambda c: -len(c[0]))
        return self.cache["campaigns"]

    def campaign_of(self, path: str) -> tuple[str, datetime.date, datetime.date] | None:
        for campaign in self.campaigns():
            if path.startswith(campaign[0]):
                return campaign
        return None


class BaseCheck:
    code: str = ""
    model_label: str = ""
    cheap: bool = False

    @property
    def model(self):
        return apps.get_model(self.model_label)

    def candidates(self, path: str) -> QuerySet:
        """The rows of a subtree this check looks at."""
        return self.model.objects.filter(unit__path__startswith=path)

    def find(self, qs: QuerySet, ctx: Ctx) -> Iterable[Hit]:
        raise NotImplementedError

    # A cheap check may define ``hit(obj, ctx) -> str | None`` (no query).
    hit = None


REGISTRY: dict[str, BaseCheck] = {}


def register(cls: type[BaseCheck]) -> type[BaseCheck]:
    REGISTRY[cls.code] = cls()
    return cls


def for_model(model) -> list[BaseCheck]:
    label = model._meta.label_lower
    return [c for c in REGISTRY.values() if c.model_label == label]


def _local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()


@functools.lru_cache(maxsize=65536)
def _norm(text: str) -> str:
    """A title as compared for duplicates: no spaces, no punctuation, no case, NFKC."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN")


# --- the ledger ----------------------------------------------------------------------------

ACTIVITY = "ledger.activity"
# Kinds whose participants are the unit's own people (not an outside audience).
PEOPLE_FAMILIES = ("study", "discussion", "centre_group", "test", "reading_class", "base_visit", "pairing")
VENUE_CAPACITY = {
    "offices": 300,
    "villages": 1000,
    "communities": 1000,
    "schools": 2000,
    "enterprises": 800,
    "barracks": 1500,
    "monasteries": 800,
}
ROW_FIELDS = (
    "pk",
    "unit_id",
    "region_code",
    "kind_id",
    "date",
    "created_at",
    "title",
    "sessions",
    "participants",
    "copies",
    "venue_kind",
    "unit__path",
    "kind__family",
)


class Row(NamedTuple):
    pk: int
    unit_id: int
    region_code: str
    kind_id: int
    date: datetime.date
    created_at: datetime.datetime
    title: str
    sessions: int
    participants: int
    copies: int
    venue_kind: str
    path: str
    family: str


def activity_rows(qs: QuerySet, ctx: Ctx) -> list[Row]:
    """The activities of ``qs`` with every column the ledger checks read, fetched once per
    run over a subtree (the checks of one run share it) and once per check over a batch."""
    if ctx.path is not None and "activities" in ctx.cache:
        return ctx.cache["activities"]
    rows = [Row(*r) for r in qs.order_by().values_list(*ROW_FIELDS).iterator(chunk_size=10000)]
    if ctx.path is not None:
        ctx.cache["activities"] = rows
    return rows


@register
class FutureDate(BaseCheck):
    code = "activity.future_date"
    model_label = ACTIVITY
    cheap = True

    def hit(self, obj, ctx):
        entered = _local_date(obj.created_at or ctx.now)
        if (obj.date - entered).days > ctx.t(self.code):
            return f"{obj.date:%Y-%m-%d} > {entered:%Y-%m-%d}"
        return None

    def find(self, qs, ctx):
        limit = ctx.t(self.code)
        for r in activity_rows(qs, ctx):
            entered = ctx.local_date(r.created_at)
            if (r.date - entered).days > limit:
                yield Hit(r.pk, r.unit_id, r.region_code, f"{r.date:%Y-%m-%d} > {entered:%Y-%m-%d}")


@register
class LateEntry(BaseCheck):
    code = "activity.late_entry"
    model_label = ACTIVITY
    cheap = True

    def hit(self, obj, ctx):
        days = (_local_date(obj.created_at or ctx.now) - obj.date).days
        return f"+{days} d" if days > ctx.t(self.code) else None

    def find(self, qs, ctx):
        limit = ctx.t(self.code)
        for r in activity_rows(qs, ctx):
            days = (ctx.local_date(r.created_at) - r.date).days
            if days > limit:
                yield Hit(r.pk, r.unit_id, r.region_code, f"+{days} d")


@register
class OutsideCampaign(BaseCheck):
    code = "activity.outside_campaign"
    model_label = ACTIVITY
    cheap = True

    def _detail(self, path: str, day: datetime.date, ctx: Ctx) -> str | None:
        campaign = ctx.campaign_of(path)
        if campaign is None:
            return None
        slack = datetime.timedelta(days=ctx.t(self.code))
        _root, start, end = campaign
        if day < start - slack or day > end + slack:
            return f"{day:%Y-%m-%d} ∉ {start:%Y-%m-%d}…{end:%Y-%m-%d}"
        return None

    def find(self, qs, ctx):
        for r in activity_rows(qs, ctx):
            detail = self._detail(r.path, r.date, ctx)
            if detail:
                yield Hit(r.pk, r.unit_id, r.region_code, detail)


PARTY_KINDS = ("party_committee", "party_general_branch", "party_branch")


def people_of(paths: Iterable[str]) -> dict[str, int]:
    """The people a unit's activities can draw on, by unit path: the larger of its party
    members and headcount (where known), and, for a party organisation, also those of the
    unit it sits in (a village, a department, a school ...), whose cadres and activists join
    its study. One query for all the paths and the units above them."""
    from orgs.models import Unit

    paths = set(paths)
    step = Unit.steplen
    wanted = {p[:end] for p in paths for end in range(step, len(p) + 1, step)}
    known: dict[str, tuple[str, int]] = {}
    ordered = sorted(wanted)
    for i in range(0, len(ordered), 2000):
        for path, kind, members, headcount in Unit.objects.filter(path__in=ordered[i : i + 2000]).values_list(
            "path", "kind", "party_members", "headcount"
        ):
            known[path] = (kind, max(members or 0, headcount or 0))
    out = {}
    for path in paths:
        kind, best = known.get(path, ("", 0))
        up = path
        while kind in PARTY_KINDS and len(up) > step:
            up = up[:-step]
            kind, people = known.get(up, ("", 0))
            best = max(best, people)
        out[path] = best
    return out


@register
class TooManyPeople(BaseCheck):
    code = "activity.too_many_people"
    model_label = ACTIVITY
    cheap = True

    def _detail(self, participants, sessions, people, ctx) -> str | None:
        if people <= 0 or participants <= 0:
            return None
        if participants > people * max(sessions, 1) * ctx.t(self.code):
            return f"{participants} > {people} × {sessions}"
        return None

    def hit(self, obj, ctx):
        if obj.kind.family not in PEOPLE_FAMILIES or obj.participants <= 0:
            return None
        path = obj.unit.path
        return self._detail(obj.participants, obj.sessions, people_of([path])[path], ctx)

    def find(self, qs, ctx):
        rows = [r for r in activity_rows(qs, ctx) if r.family in PEOPLE_FAMILIES and r.participants > 0]
        people = people_of({r.path for r in rows})
        for r in rows:
            detail = self._detail(r.participants, r.sessions, people[r.path], ctx)
            if detail:
                yield Hit(r.pk, r.unit_id, r.region_code, detail)


@register
class VenueCapacity(BaseCheck):
    code = "activity.venue_capacity"
    model_label = ACTIVITY
    cheap = True

    def _detail(self, participants, sessions, venue, ctx) -> str | None:
        capacity = VENUE_CAPACITY.get(venue)
        if not capacity or participants <= 0:
            return None
        per_session = participants / max(sessions, 1)
        if per_session > capacity * ctx.t(self.code):
            return f"{round(per_session)} > {capacity}"
        return None

    def hit(self, obj, ctx):
        return self._detail(obj.participants, obj.sessions, obj.venue_kind, ctx)

    def find(self, qs, ctx):
        for r in activity_rows(qs, ctx):
            if r.venue_kind and r.participants > 0:
                detail = self._detail(r.participants, r.sessions, r.venue_kind, ctx)
                if detail:
                    yield Hit(r.pk, r.unit_id, r.region_code, detail)


def _neighbours(qs: QuerySet, ctx: Ctx, fields: tuple[str, ...], pad_days: int = 0) -> tuple[set[int], list[tuple]]:
    """The candidate rows' pks, and every activity of the same units around the same dates
    (the candidates themselves included), so that a check over a batch compares it with the
    rows already there. Over a subtree the candidates are the neighbours."""
    from ledger.models import Activity

    if ctx.path is not None:
        index = [ROW_FIELDS.index(f) for f in fields]
        rows = [tuple(r[i] for i in index) for r in activity_rows(qs, ctx)]
        return {r[0] for r in rows}, rows
    head = list(qs.values_list("pk", "unit_id", "date"))
    if not head:
        return set(), []
    pks = {r[0] for r in head}
    units = {r[1] for r in head}
    low = min(r[2] for r in head) - datetime.timedelta(days=pad_days)
    high = max(r[2] for r in head) + datetime.timedelta(days=pad_days)
    around = Activity.objects.filter(unit_id__in=units, date__gte=low, date__lte=high)
    return pks, list(around.values_list(*fields).iterator(chunk_size=10000))


@register
class Duplicate(BaseCheck):
    code = "activity.duplicate"
    model_label = ACTIVITY
    cheap = True

    def find(self, qs, ctx):
        days = int(ctx.t(self.code))
        fields = ("pk", "unit_id", "region_code", "kind_id", "date", "title", "sessions", "participants", "copies")
        pks, rows = _neighbours(qs, ctx, fields, days)
        groups: dict[tuple, list[tuple]] = defaultdict(list)
        for pk, unit_id, region, kind_id, day, title, s, p, c in rows:
            key = (unit_id, kind_id, _norm(title) or ("", s, p, c))
            groups[key].append((day, pk, region))
        for (unit_id, _kind, _title), members in groups.items():
            if len(members) < 2:
                continue
            members.sort(key=lambda m: m[1])
            kept: list[tuple] = []
            for day, pk, region in members:
                original = next((k for k in kept if abs((k[0] - day).days) <= days), None)
                if original is None:
                    kept.append((day, pk))
                elif pk in pks:
                    yield Hit(pk, unit_id, region, f"= #{original[1]}")


@register
class Burst(BaseCheck):
    code = "activity.burst"
    model_label = ACTIVITY
    window = datetime.timedelta(minutes=10)
    spread_days = 14

    def find(self, qs, ctx):
        need = max(int(ctx.t(self.code)), 2)
        by_unit: dict[int, list[tuple]] = defaultdict(list)
        for r in activity_rows(qs, ctx):
            by_unit[r.unit_id].append((r.pk, r.unit_id, r.region_code, r.created_at, r.date))
        for unit_id, members in by_unit.items():
            if len(members) < need:
                continue
            members.sort(key=lambda r: r[3])
            flagged: set[int] = set()
            start = 0
            for end in range(len(members)):
                while members[end][3] - members[start][3] > self.window:
                    start += 1
                if end - start + 1 >= need:
                    days = [m[4] for m in members[start : end + 1]]
                    if (max(days) - min(days)).days >= self.spread_days:
                        flagged.update(range(start, end + 1))
            for i in sorted(flagged):
                pk, _u, region, created, _d = members[i]
                yield Hit(pk, unit_id, region, f"{_local_date(created):%Y-%m-%d} {timezone.localtime(created):%H:%M}")


@register
class SameCounts(BaseCheck):
    code = "activity.same_counts"
    model_label = ACTIVITY

    def find(self, qs, ctx):
        need = max(int(ctx.t(self.code)), 2)
        fields = ("pk", "unit_id", "region_code", "kind_id", "date", "participants")
        pks, rows = _neighbours(qs, ctx, fields, 31)
        groups: dict[tuple, list[tuple]] = defaultdict(list)
        for pk, unit_id, region, kind_id, day, participants in rows:
            if participants > 0:
                groups[(unit_id, kind_id, day.year, day.month, participants)].append((pk, region))
        for (unit_id, _k, _y, _m, participants), members in groups.items():
            if len(members) >= need:
                for pk, region in members:
                    if pk in pks:
                        yield Hit(pk, unit_id, region, f"{len(members)} × {participants}")


@register
class NoEvidence(BaseCheck):
    code = "activity.no_evidence"
    model_label = ACTIVITY

    def find(self, qs, ctx):
        from ledger.models import Evidence

        cutoff = ctx.now - datetime.timedelta(days=ctx.t(self.code))
        rows = (
            qs.filter(kind__requires_evidence=True, created_at__lt=cutoff)
            .exclude(Exists(Evidence.objects.filter(activity=OuterRef("pk"))))
            .values_list("pk", "unit_id", "region_code")
        )
        for pk, unit_id, region in rows.iterator(chunk_size=5000):
            yield Hit(pk, unit_id, region, "0")


# --- concerns ------------------------------------------------------------------------------

CONCERN = "concerns.concern"
_RESOLVED = ("resolved", "verified")


@register
class FastResolution(BaseCheck):
    code = "concern.fast_resolution"
    model_label = CONCERN
    cheap = True

    def _detail(self, collected, resolved, ctx):
        if resolved is None:
            return None
        days = (resolved - collected).days
        return f"{days} d" if days < ctx.t(self.code) else None

    def hit(self, obj, ctx):
        return self._detail(obj.collected_on, obj.resolved_on, ctx)

    def find(self, qs, ctx):
        rows = qs.filter(resolved_on__isnull=False).values_list(
            "pk", "unit_id", "region_code", "collected_on", "resolved_on"
        )
        for pk, unit_id, region, collected, resolved in rows.iterator(chunk_size=5000):
            detail = self._detail(collected, resolved, ctx)
            if detail:
                yield Hit(pk, unit_id, region, detail)


@register
class ConcernNoEvidence(BaseCheck):
    code = "concern.no_evidence"
    model_label = CONCERN
    cheap = True

    def hit(self, obj, ctx):
        return "—" if obj.state in _RESOLVED and not (obj.evidence or "").strip() else None

    def find(self, qs, ctx):
        rows = qs.filter(state__in=_RESOLVED).values_list("pk", "unit_id", "region_code", "evidence")
        for pk, unit_id, region, evidence in rows.iterator(chunk_size=5000):
            if not (evidence or "").strip():
                yield Hit(pk, unit_id, region, "—")


@register
class CallbackByResolver(BaseCheck):
    code = "concern.callback_by_resolver"
    model_label = CONCERN
    cheap = True

    def find(self, qs, ctx):
        from concerns.models import ConcernEvent

        same = ConcernEvent.objects.filter(concern=OuterRef("pk"), kind="callback", actor=OuterRef("resolved_by"))
        rows = qs.filter(resolved_by__isnull=False).filter(Exists(same))
        for pk, unit_id, region, actor in rows.values_list("pk", "unit_id", "region_code", "resolved_by__username"):
            yield Hit(pk, unit_id, region, actor)


# --- organisational life -------------------------------------------------------------------


@register
class MeasureDates(BaseCheck):
    code = "measure.dates_out_of_order"
    model_label = "orglife.measure"
    cheap = True

    @staticmethod
    def _detail(set_on, done_on, verified_on, closed_on) -> str | None:
        for label, day in (("done", done_on), ("verified", verified_on), ("closed", closed_on)):
            if day is not None and day < set_on:
                return f"{label} {day:%Y-%m-%d} < set {set_on:%Y-%m-%d}"
        if verified_on is not None and done_on is not None and verified_on < done_on:
            return f"verified {verified_on:%Y-%m-%d} < done {done_on:%Y-%m-%d}"
        return None

    def hit(self, obj, ctx):
        return self._detail(obj.set_on, obj.done_on, obj.verified_on, obj.closed_on)

    def find(self, qs, ctx):
        wrong = (
            Q(done_on__lt=F("set_on"))
            | Q(verified_on__lt=F("set_on"))
            | Q(closed_on__lt=F("set_on"))
            | Q(verified_on__lt=F("done_on"))
        )
        rows = qs.filter(wrong).values_list(
            "pk", "unit_id", "region_code", "set_on", "done_on", "verified_on", "closed_on"
        )
        for pk, unit_id, region, *days in rows.iterator(chunk_size=5000):
            detail = self._detail(*days)
            if detail:
                yield Hit(pk, unit_id, region, detail)


# --- the quiz ------------------------------------------------------------------------------

ATTEMPT = "quiz.attempt"


@register
class TooFast(BaseCheck):
    code = "attempt.too_fast"
    model_label = ATTEMPT
    cheap = True

    def _detail(self, started, submitted, paper, ctx) -> str | None:
        if submitted is None or not paper:
            return None
        per_question = (submitted - started).total_seconds() / len(paper)
        if per_question < ctx.t(self.code):
            return f"{per_question:.1f} s/q"
        return None

    def hit(self, obj, ctx):
        return self._detail(obj.started_at, obj.submitted_at, obj.paper, ctx)

    def find(self, qs, ctx):
        rows = qs.filter(submitted_at__isnull=False).values_list(
            "pk", "unit_id", "region_code", "started_at", "submitted_at", "paper"
        )
        for pk, unit_id, region, started, submitted, paper in rows.iterator(chunk_size=5000):
            detail = self._detail(started, submitted, paper, ctx)
            if detail:
                yield Hit(pk, unit_id, region, detail)


@register
class SameAnswers(BaseCheck):
    code = "attempt.same_answers"
    model_label = ATTEMPT

    def find(self, qs, ctx):
        from quiz.models import Attempt

        need = max(int(ctx.t(self.code)), 2)
        pks = set(qs.filter(submitted_at__isnull=False).values_list("pk", flat=True))
        if not pks:
            return
        quizzes = set(Attempt.objects.filter(pk__in=pks).values_list("quiz_id", flat=True).distinct())
        groups: dict[tuple, list[tuple]] = defaultdict(list)
        rows = Attempt.objects.filter(quiz_id__in=quizzes, submitted_at__isnull=False).values_list(
            "pk", "unit_id", "region_code", "quiz_id", "answers"
        )
        for pk, unit_id, region, quiz_id, answers in rows.iterator(chunk_size=5000):
            if answers and any(answers):
                groups[(quiz_id, tuple(answers))].append((pk, unit_id, region))
        for _key, members in groups.items():
            if len(members) >= need:
                for pk, unit_id, region in members:
                    if pk in pks:
                        yield Hit(pk, unit_id, region, f"{len(members)} ×")
