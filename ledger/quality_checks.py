"""The data-quality checks of the ledger's activities, with their catalogue entries (see
``core.quality``; the quality app finds ``CHECKS`` at start-up and runs them)."""

from __future__ import annotations

import datetime
import functools
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.quality import BaseCheck, Ctx, Detail, Entry, Hit, Spread, spreads
from ledger.models import Activity, Evidence
from orgs.models import Unit


def _local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()


@functools.lru_cache(maxsize=65536)
def _norm(text: str) -> str:
    """A title as compared for duplicates: no spaces, no punctuation, no case, NFKC."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN")


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
    run: over a subtree the checks of one run share them, and over a batch the checks that
    are given the same rows (the same query) share them too."""
    key = "activities" if ctx.path is not None else ("activities", str(qs.query))
    if key in ctx.cache:
        return ctx.cache[key]
    # The same text, day or moment is held once, not once per row: an import's rows share
    # their unit's path, their day, their moment of entry and often their title.
    same: dict = {}
    keep = same.setdefault
    rows = [
        Row(pk, unit_id, keep(region, region), kind_id, keep(day, day), keep(at, at), keep(title, title), sessions,
            participants, copies, keep(venue, venue), keep(path, path), keep(family, family))
        for pk, unit_id, region, kind_id, day, at, title, sessions, participants, copies, venue, path, family in (
            qs.order_by().values_list(*ROW_FIELDS).iterator(chunk_size=10000)
        )
    ]  # fmt: skip
    ctx.cache[key] = rows
    return rows


def entered_on(ctx: Ctx) -> dict[datetime.datetime, datetime.date]:
    """The local day of each moment of entry, worked out once per run: the rows of an
    import share one moment."""
    days = ctx.cache.get("entered_on")
    if days is None:
        days = ctx.cache["entered_on"] = _EnteredOn(ctx)
    return days


class _EnteredOn(dict):
    def __init__(self, ctx: Ctx) -> None:
        super().__init__()
        self.ctx = ctx

    def __missing__(self, moment: datetime.datetime) -> datetime.date:
        self[moment] = day = self.ctx.local_date(moment)
        return day


class FutureDate(BaseCheck):
    code = "activity.future_date"
    model_label = ACTIVITY
    cheap = True
    entry = Entry(
        severity="high",
        threshold=0,
        order=10,
        names=("活动日期晚于录入日期", "ལས་འགུལ་གྱི་ཚེས་གྲངས་ཐོ་འགོད་ཉིན་ལས་ཕྱི་བ།", "Activity dated after it was entered"),
        descriptions=(
            "活动日期在录入当天之后：尚未发生的活动被填报为已开展。阈值：允许提前的天数。",
            "ལས་འགུལ་གྱི་ཚེས་གྲངས་ཐོ་འགོད་བྱས་པའི་ཉིན་ལས་ཕྱི་བ། ད་དུང་མ་བྱུང་བའི་ལས་འགུལ་བྱས་ཟིན་པར་ཐོ་བཀོད་ཡོད། ཚད་གཞི། སྔོན་ལ་ཆོག་པའི་ཉིན་གྲངས།",
            "The activity's date lies after the day it was entered: something that had not happened yet "
            "was reported as done. Threshold: days allowed.",
        ),
    )

    messages = {"activity.future_date": _("dated %(date)s, after the day it was entered (%(entered)s)")}

    def _detail(self, day: datetime.date, entered: datetime.date) -> Detail:
        return Detail(self.code, {"date": day.isoformat(), "entered": entered.isoformat()})

    def hit(self, obj, ctx):
        entered = _local_date(obj.created_at or ctx.now)
        if (obj.date - entered).days > ctx.t(self.code):
            return self._detail(obj.date, entered)
        return None

    def find(self, qs, ctx):
        limit = ctx.t(self.code)
        entered_of = entered_on(ctx)
        for r in activity_rows(qs, ctx):
            entered = entered_of[r.created_at]
            if (r.date - entered).days > limit:
                yield Hit(r.pk, r.unit_id, r.region_code, self._detail(r.date, entered))


class LateEntry(BaseCheck):
    code = "activity.late_entry"
    model_label = ACTIVITY
    cheap = True
    entry = Entry(
        severity="low",
        threshold=60,
        order=30,
        names=("活动结束很久后才录入", "ལས་འགུལ་རྗེས་དུས་ཡུན་རིང་པོ་ནས་ཐོ་བཀོད་པ།", "Entered long after the event"),
        descriptions=(
            "录入日期比活动日期晚的天数超过阈值。",
            "ཐོ་འགོད་ཀྱི་ཚེས་གྲངས་ལས་འགུལ་གྱི་ཚེས་གྲངས་ལས་ཕྱི་བའི་ཉིན་གྲངས་ཚད་གཞི་ལས་བརྒལ་ཡོད།",
            "The row was entered more days after the activity than the threshold.",
        ),
    )

    messages = {"activity.late_entry": _("entered %(days)s days after the activity")}

    def hit(self, obj, ctx):
        days = (_local_date(obj.created_at or ctx.now) - obj.date).days
        return Detail(self.code, {"days": days}) if days > ctx.t(self.code) else None

    def find(self, qs, ctx):
        limit = ctx.t(self.code)
        entered_of = entered_on(ctx)
        details: dict[int, Detail] = {}  # one per number of days: the rows of a file share them
        for r in activity_rows(qs, ctx):
            days = (entered_of[r.created_at] - r.date).days
            if days > limit:
                detail = details.get(days)
                if detail is None:
                    detail = details[days] = Detail(self.code, {"days": days})
                yield Hit(r.pk, r.unit_id, r.region_code, detail)


class OutsideCampaign(BaseCheck):
    code = "activity.outside_campaign"
    model_label = ACTIVITY
    cheap = True
    entry = Entry(
        severity="medium",
        threshold=0,
        order=20,
        names=(
            "活动日期不在学习教育期间",
            "ལས་འགུལ་གྱི་ཚེས་གྲངས་སློབ་གསོའི་དུས་ཡུན་ནང་མི་འདུག",
            "Activity dated outside the campaign",
        ),
        descriptions=(
            "活动日期早于学习教育开始或晚于结束。阈值：允许的天数。",
            "ལས་འགུལ་གྱི་ཚེས་གྲངས་སློབ་གསོ་མ་འགོ་ཚུགས་གོང་ངམ་མཇུག་རྫོགས་རྗེས་ཡིན། ཚད་གཞི། ཆོག་པའི་ཉིན་གྲངས།",
            "The date lies before the campaign began or after it ended. Threshold: days of tolerance.",
        ),
    )

    messages = {"activity.outside_campaign": _("dated %(date)s, outside the campaign (%(start)s to %(end)s)")}

    def _detail(self, path: str, day: datetime.date, ctx: Ctx) -> Detail | None:
        """Outside every campaign of the unit (a unit may be in several, one after another);
        the message names the nearest."""
        if ctx.campaign_of(path) is None:
            return None
        slack = datetime.timedelta(days=ctx.t(self.code))
        spans = [c for c in ctx.campaigns() if path.startswith(c[0])]
        if any(start - slack <= day <= end + slack for _root, start, end in spans):
            return None
        _root, start, end = min(spans, key=lambda c: min(abs((day - c[1]).days), abs((day - c[2]).days)))
        return Detail(self.code, {"date": day.isoformat(), "start": start.isoformat(), "end": end.isoformat()})

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


class TooManyPeople(BaseCheck):
    code = "activity.too_many_people"
    model_label = ACTIVITY
    cheap = True
    entry = Entry(
        severity="high",
        threshold=1.5,
        order=40,
        names=(
            "参与人次超过单位人数乘以场次",
            "ཞུགས་མི་ཐེངས་ལས་ཁུངས་ཀྱི་མི་གྲངས་ལ་ཐེངས་གྲངས་ཀྱིས་བསྒྱུར་བ་ལས་མང་བ།",
            "More participant-times than the unit's people × sessions",
        ),
        descriptions=(
            "本单位人员参加的活动（集体学习、研讨、测试、读书班、参观基地、结对共建）中，参与人次超过单位党员数或人员数"
            "（取已知的较大者；党组织取其所在单位的）乘以场次，再乘以阈值（默认1.5：积极分子和非党员干部也参加学习）。",
            "ལས་ཁུངས་རང་གི་མི་སྣ་ཞུགས་པའི་ལས་འགུལ་(མཉམ་སློབ། གླེང་མོལ། ཚོད་ལྟ། དཔེ་ཀློག་འཛིན་གྲྭ། རྨང་གཞིར་ལྟ་སྐོར། ཆ་སྒྲིག་མཉམ་འཛུགས།)"
            "ནང་ཞུགས་མི་ཐེངས་དེ་ལས་ཁུངས་ཀྱི་ཏང་མིའམ་མི་གྲངས་(ཤེས་ཡོད་པའི་མང་ཤོས་ དང་། ཏང་སྒྲིག་འཛུགས་ཡིན་ན་དེ་གནས་སའི་ལས་ཁུངས་ཀྱི་)ལ་ཐེངས་གྲངས་དང་ཚད་གཞིས་བསྒྱུར་བ་ལས་མང་བ། "
            "(སྔོན་སྒྲིག་1.5། ཏང་ལ་ཞུགས་འདོད་ཅན་དང་ཏང་མི་མིན་པའི་ལས་བྱེད་པའང་སློབ་སྦྱོང་ལ་ཞུགས།)",
            "For kinds attended by the unit's own people (collective study, discussion, tests, reading classes, "
            "base visits, pairings), participant-times exceed the unit's party members or headcount (the larger, "
            "where known; for a party organisation, also those of the unit it sits in) times the sessions, times "
            "the threshold (1.5 by default: activists and non-member staff join the study too).",
        ),
    )

    messages = {
        "activity.too_many_people": _(
            "%(participants)s participant-times, more than %(people)s people × %(sessions)s sessions"
        )
    }

    def _detail(self, participants, sessions, people, ctx) -> Detail | None:
        if people <= 0 or participants <= 0:
            return None
        if participants > people * max(sessions, 1) * ctx.t(self.code):
            return Detail(self.code, {"participants": participants, "people": people, "sessions": sessions})
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


class VenueCapacity(BaseCheck):
    code = "activity.venue_capacity"
    model_label = ACTIVITY
    cheap = True
    entry = Entry(
        severity="medium",
        threshold=1,
        order=50,
        names=(
            "单场人数超过场所容量",
            "ཐེངས་རེའི་མི་གྲངས་ས་གནས་ཀྱི་ཤོང་ཚད་ལས་བརྒལ་བ།",
            "More people per session than the venue kind holds",
        ),
        descriptions=(
            "每场参与人数超过该类场所可容纳的人数（机关300、村和社区1000、学校2000、企业800、军营1500、寺庙800）乘以阈值。",
            "ཐེངས་རེར་ཞུགས་མི་གྲངས་ས་གནས་དེའི་རིགས་ཀྱི་ཤོང་ཚད་(ལས་ཁུངས་300། གྲོང་ཚོ་དང་སྡོད་ཁུལ་1000། སློབ་གྲྭ་2000། ཁེ་ལས་800། "
            "དམག་སྒར་1500། དགོན་སྡེ་800)ལ་ཚད་གཞིས་བསྒྱུར་བ་ལས་མང་བ།",
            "Participants per session exceed what the venue kind plausibly holds (offices 300, villages and "
            "communities 1,000, schools 2,000, enterprises 800, barracks 1,500, monasteries 800), times the threshold.",
        ),
    )

    messages = {
        "activity.venue_capacity": _("%(per_session)s people per session, more than the venue holds (%(capacity)s)")
    }

    def _detail(self, participants, sessions, venue, ctx) -> Detail | None:
        capacity = VENUE_CAPACITY.get(venue)
        if not capacity or participants <= 0:
            return None
        per_session = participants / max(sessions, 1)
        if per_session > capacity * ctx.t(self.code):
            return Detail(self.code, {"per_session": round(per_session), "capacity": capacity})
        return None

    def hit(self, obj, ctx):
        return self._detail(obj.participants, obj.sessions, obj.venue_kind, ctx)

    def find(self, qs, ctx):
        for r in activity_rows(qs, ctx):
            if r.venue_kind and r.participants > 0:
                detail = self._detail(r.participants, r.sessions, r.venue_kind, ctx)
                if detail:
                    yield Hit(r.pk, r.unit_id, r.region_code, detail)


UNUSUAL_MEASURES = ("sessions", "participants", "copies")


def count_spreads(kind_ids: Iterable[int], ctx: Ctx) -> dict[tuple, Spread]:
    """What is usual for each kind's counts: per row for sessions, per session for
    participants and copies, by the level of the unit (its depth in the tree) and, as a
    fallback where a level has too few rows, over all levels. Read from every activity of
    those kinds (one query, the rows of the same counts counted together), once per run."""
    kind_ids = sorted(set(kind_ids))
    key = ("count_spreads", tuple(kind_ids))
    if key in ctx.cache:
        return ctx.cache[key]
    groups: dict[tuple, list[float]] = defaultdict(list)
    rows = (
        Activity.objects.filter(kind_id__in=kind_ids)
        .values_list("kind_id", "unit__depth", "sessions", "participants", "copies")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for kind_id, depth, sessions, participants, copies, n in rows.iterator(chunk_size=20000):
        per = max(sessions, 1)
        for measure, value in (("sessions", sessions), ("participants", participants / per), ("copies", copies / per)):
            if value > 0:
                same = [value] * n
                groups[(kind_id, depth, measure)].extend(same)
                groups[(kind_id, None, measure)].extend(same)
    ctx.cache[key] = spreads(groups)
    return ctx.cache[key]


class UnusualCounts(BaseCheck):
    code = "activity.unusual_counts"
    model_label = ACTIVITY
    entry = Entry(
        severity="high",
        threshold=5,
        order=45,
        names=(
            "数量远超同类活动的通常水平",
            "གྲངས་ཀ་རིགས་མཚུངས་ལས་འགུལ་གྱི་རྒྱུན་ལྡན་ཚད་ལས་ཧ་ཅང་བརྒལ་བ།",
            "Counts far above what is usual for the kind",
        ),
        descriptions=(
            "每种活动按单位层级比较：场次、每场参与人次、每场份数（取对数）与同类同层级活动的中位数相差超过阈值倍的"
            "稳健离散度（中位数绝对偏差），例如党支部一场电影放映有数万观众。阈值默认5，越大越宽。",
            "ལས་འགུལ་རིགས་རེ་རེ་ལས་ཁུངས་ཀྱི་རིམ་པ་ལྟར་བསྡུར་བ། ཐེངས་གྲངས་དང་ཐེངས་རེའི་ཞུགས་མི་ཐེངས། ཐེངས་རེའི་དེབ་གྲངས་"
            "(ལོ་གར་ཚད་)རིགས་མཚུངས་རིམ་པ་མཚུངས་ལས་འགུལ་གྱི་བར་གྲངས་ལས་ཚད་གཞིའི་ལྡབ་ཀྱི་གཏོང་ཚད་བརྟན་པོ་ལས་བརྒལ་བ། "
            "དཔེར་ན། ཏང་ཚོགས་ཆུང་གི་གློག་བརྙན་ཐེངས་གཅིག་ལ་ལྟ་མཁན་ཁྲི་ཕྲག་ཡོད་པ། ཚད་གཞི་སྔོན་སྒྲིག་5། ཆེ་ན་ལྷོད།",
            "Each kind is compared with itself, by level of unit: sessions, participant-times per session and "
            "copies per session (on a log scale) lying more than the threshold times the robust spread (median "
            "absolute deviation) above the median of the same kind at the same level — a film screening at a "
            "party branch with tens of thousands of viewers, say. Threshold 5 by default; larger is more lenient.",
        ),
    )

    messages = {
        "activity.unusual_counts.sessions": _("%(value)s sessions, where %(usual)s is usual"),
        "activity.unusual_counts.participants": _("%(value)s participant-times per session, where %(usual)s is usual"),
        "activity.unusual_counts.copies": _("%(value)s copies per session, where %(usual)s is usual"),
    }

    def find(self, qs, ctx):
        rows = activity_rows(qs, ctx)
        if not rows:
            return
        known = count_spreads({r.kind_id for r in rows}, ctx)
        limit = ctx.t(self.code)
        step = Unit.steplen
        for r in rows:
            depth = len(r.path) // step
            per = max(r.sessions, 1)
            for measure, value in (
                ("sessions", r.sessions),
                ("participants", r.participants / per),
                ("copies", r.copies / per),
            ):
                if value <= 0:
                    continue
                spread = known.get((r.kind_id, depth, measure)) or known.get((r.kind_id, None, measure))
                if spread is not None and spread.score(value) > limit:
                    detail = Detail(f"{self.code}.{measure}", {"value": round(value), "usual": round(spread.usual)})
                    yield Hit(r.pk, r.unit_id, r.region_code, detail)
                    break


NEIGHBOUR_FIELDS = ("pk", "unit_id", "region_code", "kind_id", "date", "title", "sessions", "participants", "copies")
NEIGHBOUR_PAD = 31


def _neighbours(qs: QuerySet, ctx: Ctx, pad_days: int = 0) -> tuple[set[int], list[tuple]]:
    """The candidate rows' pks, and every activity of the same units around the same dates
    (the candidates themselves included), as ``NEIGHBOUR_FIELDS``, so that a check over a
    batch compares it with the rows already there. Over a subtree the candidates are the
    neighbours. Over a batch the rows around it are read once for the checks of one run (as
    far as the widest of their windows) and each check keeps its own window of days."""
    if ctx.path is not None:
        index = [ROW_FIELDS.index(f) for f in NEIGHBOUR_FIELDS]
        rows = [tuple(r[i] for i in index) for r in activity_rows(qs, ctx)]
        return {r[0] for r in rows}, rows
    head = activity_rows(qs, ctx)
    if not head:
        return set(), []
    pad = max(pad_days, NEIGHBOUR_PAD)
    key = ("neighbours", str(qs.query), pad)
    if key not in ctx.cache:
        first = min(r.date for r in head)
        last = max(r.date for r in head)
        # The batch's own rows are in memory already; the database gives the others of the
        # same units and kinds (every check here compares rows of one unit and kind) around
        # the same dates.
        around = Activity.objects.filter(
            unit_id__in={r.unit_id for r in head},
            kind_id__in={r.kind_id for r in head},
            date__gte=first - datetime.timedelta(days=pad),
            date__lte=last + datetime.timedelta(days=pad),
        ).exclude(pk__in=qs.order_by().values("pk"))
        same: dict = {r.title: r.title for r in head}
        keep = same.setdefault
        rows = [(r.pk, r.unit_id, r.region_code, r.kind_id, r.date, r.title, r.sessions, r.participants, r.copies)
                for r in head]  # fmt: skip
        rows.extend(
            (pk, unit_id, keep(region, region), kind_id, keep(day, day), keep(title, title), s, p, c)
            for pk, unit_id, region, kind_id, day, title, s, p, c in around.values_list(*NEIGHBOUR_FIELDS).iterator(
                chunk_size=10000
            )
        )
        ctx.cache[key] = ({r.pk for r in head}, first, last, rows)
    pks, first, last, rows = ctx.cache[key]
    if pad_days != pad:
        low = first - datetime.timedelta(days=pad_days)
        high = last + datetime.timedelta(days=pad_days)
        rows = [r for r in rows if low <= r[4] <= high]
    return pks, rows


class Duplicate(BaseCheck):
    code = "activity.duplicate"
    model_label = ACTIVITY
    cheap = True
    entry = Entry(
        severity="high",
        threshold=0,
        order=60,
        names=("重复录入", "བསྐྱར་ཟློས་ཐོ་འགོད།", "Entered twice"),
        descriptions=(
            "同一单位、同一类型的另一条记录标题相同（忽略空格和标点；无标题时各项数字相同），日期相差不超过阈值天数；标记较晚录入的一条。",
            "ལས་ཁུངས་དང་རིགས་གཅིག་པའི་ཐོ་འགོད་གཞན་ཞིག་གི་ཁ་བྱང་གཅིག་མཚུངས་(བར་སྟོང་དང་ཚེག་ཤད་མི་བརྩི། ཁ་བྱང་མེད་ན་གྲངས་ཀ་ཚང་མ་གཅིག་མཚུངས)ཡིན་ལ། "
            "ཚེས་གྲངས་ཀྱི་བར་ཁྱད་ཚད་གཞིའི་ཉིན་གྲངས་ལས་མི་བརྒལ། ཕྱིས་སུ་ཐོ་བཀོད་པ་དེར་རྟགས་རྒྱག",
            "Another row of the same unit and kind, dated no more than the threshold's days apart, has the same "
            "title (ignoring spaces and punctuation) or, without a title, the same counts; the later row is flagged.",
        ),
    )

    messages = {"activity.duplicate": _("the same as activity #%(original)s")}

    def find(self, qs, ctx):
        days = int(ctx.t(self.code))
        pks, rows = _neighbours(qs, ctx, days)
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
                    yield Hit(
                        pk, unit_id, region, Detail(self.code, {"original": str(original[1])})
                    )  # an id: never grouped


class Burst(BaseCheck):
    code = "activity.burst"
    model_label = ACTIVITY
    window = datetime.timedelta(minutes=10)
    spread_days = 14
    entry = Entry(
        severity="low",
        threshold=20,
        order=70,
        names=("短时间内集中录入", "དུས་ཐུང་ནང་ཐོ་འགོད་མང་པོ་བསྡུས་ནས་བྱས་པ།", "A burst of entries"),
        descriptions=(
            "一个单位在十分钟内录入的记录不少于阈值条，而这些活动的日期跨度达两周以上。",
            "ལས་ཁུངས་གཅིག་གིས་སྐར་མ་བཅུའི་ནང་ཐོ་འགོད་ཚད་གཞི་ལས་མི་ཉུང་བ་བྱས་ཤིང་། ལས་འགུལ་དེ་དག་གི་ཚེས་གྲངས་བདུན་ཕྲག་གཉིས་ལས་བརྒལ་བ།",
            "A unit entered at least the threshold's number of rows within ten minutes, for events spread over "
            "two weeks or more.",
        ),
    )

    messages = {"activity.burst": _("one of many rows entered together, on %(date)s at %(time)s")}

    def find(self, qs, ctx):
        need = max(int(ctx.t(self.code)), 2)
        by_unit: dict[int, list[tuple]] = defaultdict(list)
        shown: dict[datetime.datetime, Detail] = {}
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
                if created not in shown:  # the rows of one import share their moment
                    moment = {"date": _local_date(created).isoformat(), "time": f"{timezone.localtime(created):%H:%M}"}
                    shown[created] = Detail(self.code, moment)
                yield Hit(pk, unit_id, region, shown[created])


class SameCounts(BaseCheck):
    code = "activity.same_counts"
    model_label = ACTIVITY
    entry = Entry(
        severity="low",
        threshold=6,
        order=80,
        names=("多条记录人数完全相同", "ཐོ་འགོད་མང་པོའི་ཞུགས་མི་གྲངས་གཅིག་མཚུངས།", "Many rows with identical counts"),
        descriptions=(
            "同一单位、同一类型、同一月份中，参与人次完全相同的记录不少于阈值条。",
            "ལས་ཁུངས་དང་རིགས་ཟླ་བ་གཅིག་པའི་ནང་ཞུགས་མི་ཐེངས་གཅིག་མཚུངས་ཀྱི་ཐོ་འགོད་ཚད་གཞི་ལས་མི་ཉུང་བ།",
            "At least the threshold's number of rows of one unit, kind and month carry exactly the same "
            "participant-times.",
        ),
    )

    messages = {"activity.same_counts": _("%(rows)s rows with the same %(participants)s participant-times")}

    def find(self, qs, ctx):
        need = max(int(ctx.t(self.code)), 2)
        pks, rows = _neighbours(qs, ctx, 31)
        groups: dict[tuple, list[tuple]] = defaultdict(list)
        for pk, unit_id, region, kind_id, day, _title, _s, participants, _c in rows:
            if participants > 0:
                groups[(unit_id, kind_id, day.year, day.month, participants)].append((pk, region))
        for (unit_id, _k, _y, _m, participants), members in groups.items():
            if len(members) >= need:
                for pk, region in members:
                    if pk in pks:
                        detail = Detail(self.code, {"rows": len(members), "participants": participants})
                        yield Hit(pk, unit_id, region, detail)


class NoEvidence(BaseCheck):
    code = "activity.no_evidence"
    model_label = ACTIVITY
    entry = Entry(
        severity="medium",
        threshold=7,
        order=90,
        names=("缺少佐证材料", "ར་སྤྲོད་ཡིག་ཆ་མེད་པ།", "Evidence missing"),
        descriptions=(
            "该类型要求佐证材料，而录入后超过阈值天数仍未上传。",
            "རིགས་འདིར་ར་སྤྲོད་ཡིག་ཆ་དགོས་ཀྱང་ཐོ་འགོད་རྗེས་ཉིན་གྲངས་ཚད་གཞི་ལས་བརྒལ་ནས་ད་དུང་སྤྲོད་མེད།",
            "The kind requires evidence and none was attached within the threshold's days after entry.",
        ),
    )

    messages = {"activity.no_evidence": _("no evidence attached")}

    def find(self, qs, ctx):
        cutoff = ctx.now - datetime.timedelta(days=ctx.t(self.code))
        rows = (
            qs.filter(kind__requires_evidence=True, created_at__lt=cutoff)
            .exclude(Exists(Evidence.objects.filter(activity=OuterRef("pk"))))
            .values_list("pk", "unit_id", "region_code")
        )
        for pk, unit_id, region in rows.iterator(chunk_size=5000):
            yield Hit(pk, unit_id, region, Detail(self.code))


CHECKS = [
    FutureDate,
    LateEntry,
    OutsideCampaign,
    TooManyPeople,
    UnusualCounts,
    VenueCapacity,
    Duplicate,
    Burst,
    SameCounts,
    NoEvidence,
]
