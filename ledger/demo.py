"""Demo ledger for Lhasa: about 150,000 activities spread over the units and over the
campaign (2021-02-20 to 2021-12-31) so that, as of 2021-12-31, every figure of seed
sections 2 and 3 (and the pairings of section 4) comes out as the seed gives it, in the
seed's own rounding. ``FIGURES`` holds the exact totals the rows are made to sum to.

With ``--scale N`` every other city gets a ledger of the same shape."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from auditlog.models import LogEntry

from campaigns.models import Campaign
from core.seeding import CAMPAIGN_END, CAMPAIGN_START, DemoContext
from ledger import services
from ledger.catalogue import ensure_kinds
from ledger.models import ActivityKind, ReportingPeriod
from orgs.choices import UnitKind
from orgs.models import Unit

# The exact totals (seed figure -> what the rows sum to): "2.8万" becomes 28,036 and
# "4000余" 4,026; figures the seed gives exactly are kept exactly.
FIGURES = {
    "centre_group.study_sessions": 13,
    "centre_group.leader_contributions": 90,
    "study.sessions": 28_036,  # 2.8万
    "study.discussion_contributions": 42_118,  # 4.2万
    "books.copies": 46_312,  # 4.63万
    "reading_class.sessions": 361,
    "reading_class.participants": 13_046,  # 1.3万
    "competition.sessions": 459,
    "competition.participants": 41_087,  # 4.1万
    "film.sessions": 4_026,  # 4000余
    "film.participants": 207_143,  # 20.7万
    "base_visit.sessions": 4_430,
    "base_visit.participants": 170_215,  # 17万
    "training.lecturers": 60,
    "training.cadres": 498,
    "lecture.sessions": 38_054,  # 3.8万
    "lecture.audience": 2_914_037,  # 291.4万
    "materials.bilingual_copies": 50_000,
    "exhibition.sessions": 1_535,
    "exhibition.visitors": 87_062,  # 8.7万
    "micro_lesson.count": 20_137,  # 2万余
    "news.reports": 213,  # 200余
    "pairing.sessions": 11_042,  # 1.1万
    "pairing.participants": 200_318,  # 20万
}
# Rows of kinds the seed names without a figure.
EXTRA_ROWS = {"discussion": 14_000, "expert_tutoring": 8_000, "must_know_test": 12_000, "books": 2_000}

TITLES = {
    "study": [
        "学习《中国共产党简史》",
        "学习习近平总书记“七一”重要讲话",
        "学习党的十九届六中全会精神",
        "学习《论中国共产党历史》",
    ],
    "discussion": ["学史明理交流研讨", "学史增信专题研讨", "学史崇德交流发言", "学史力行研讨"],
    "lecture": ["党的光辉历程", "西藏和平解放70周年", "中国共产党与西藏", "感党恩、听党话、跟党走"],
    "film": ["《建党伟业》", "《红河谷》", "《农奴》", "《长津湖》", "《1921》"],
    "micro": ["一名老党员的初心", "川藏公路上的党员", "驻村干部的一天", "雪域高原的红色记忆"],
    "news": ["拉萨市党史学习教育走深走实", "“七进”宣讲覆盖城乡", "我为群众办实事见行动"],
}
LECTURERS = ["市委宣讲团", "农牧民宣讲员", "“红色基因”宣讲小分队", "党校教师", "驻村工作队"]
BASES = ["拉萨市廉政警示教育基地", "西藏革命展览馆", "川藏青藏公路纪念馆", "热振寺红色教育点"]


def _days() -> tuple[list[datetime.date], list[float]]:
    """Campaign days with cumulative weights: quiet around Losar, busiest around 1 July."""
    days, cum, total = [], [], 0.0
    day = CAMPAIGN_START
    while day <= CAMPAIGN_END:
        weight = {2: 0.5, 3: 0.9, 4: 1.1, 5: 1.2, 6: 1.5, 7: 1.4, 8: 1.0, 9: 0.9, 10: 1.0, 11: 1.1, 12: 0.8}[day.month]
        if day.weekday() >= 5:
            weight *= 0.5
        total += weight
        days.append(day)
        cum.append(total)
        day += datetime.timedelta(days=1)
    return days, cum


def split(rng, total: int, n: int, minimum: int = 1) -> list[int]:
    """``n`` whole numbers of at least ``minimum``, unevenly spread, summing to ``total``."""
    rest = total - n * minimum
    if n <= 0 or rest < 0:
        raise ValueError("cannot split")
    weights = [rng.random() + 0.3 for _ in range(n)]
    scale = rest / sum(weights)
    parts = [minimum + int(w * scale) for w in weights]
    for i in rng.sample(range(n), total - sum(parts)):
        parts[i] += 1
    return parts


class _Builder:
    def __init__(self, ctx: DemoContext, city: Unit) -> None:
        self.ctx = ctx
        self.rng = ctx.rng
        self.city = city
        self.kinds = {k.code: k for k in ActivityKind.objects.all()}
        units = list(Unit.objects.filter(path__startswith=city.path).only("pk", "path", "kind", "name_zh", "code"))
        by_path = {u.path: u for u in units}
        self.units = units
        self.host: dict[int, Unit] = {}
        party = {UnitKind.PARTY_BRANCH, UnitKind.PARTY_GENERAL_BRANCH, UnitKind.PARTY_COMMITTEE}
        for u in units:
            host = u
            path = u.path
            while host.kind in party and len(path) > Unit.steplen:
                path = path[: -Unit.steplen]
                host = by_path[path]
            self.host[u.pk] = host
        self.of_kind = lambda *kinds: [u for u in units if u.kind in kinds]
        self.days, self.cum = _days()
        self.rows: list[tuple] = []

    def venue(self, unit: Unit) -> str:
        host = self.host[unit.pk]
        if host.kind == UnitKind.VILLAGE:
            return "communities" if host.name_zh.endswith("社区") else "villages"
        return {
            UnitKind.ENTERPRISE: "enterprises",
            UnitKind.SCHOOL: "schools",
            UnitKind.BARRACKS: "barracks",
            UnitKind.MONASTERY: "monasteries",
        }.get(host.kind, "offices")

    def add(
        self,
        kind_codes: Sequence[str],
        units: Sequence[Unit],
        n: int,
        *,
        sessions: Sequence[int] | None = None,
        participants: Sequence[int] | None = None,
        copies: Sequence[int] | None = None,
        titles: Sequence[str] = ("",),
        venue: bool = False,
        **fixed,
    ) -> None:
        rng = self.rng
        chosen_units = rng.choices(units, k=n)
        dates = rng.choices(self.days, cum_weights=self.cum, k=n)
        kinds = [self.kinds[c] for c in kind_codes]
        chosen_kinds = rng.choices(kinds, k=n) if len(kinds) > 1 else kinds * n
        for i in range(n):
            unit = chosen_units[i]
            kind = chosen_kinds[i]
            self.rows.append(
                (
                    unit.pk,
                    self.city.region_code,
                    kind.pk,
                    dates[i],
                    rng.choice(titles),
                    sessions[i] if sessions else 1,
                    participants[i] if participants else 0,
                    self.venue(unit) if venue else "",
                    fixed.get("language", ""),
                    copies[i] if copies else 0,
                    fixed.get("outlet_level", ""),
                    fixed.get("target", ""),
                    rng.choice(LECTURERS) if venue else "",
                    fixed.get("place", ""),
                    "",
                )
            )

    def build(self) -> None:
        rng, split_ = self.rng, lambda total, n, low=1: split(self.rng, total, n, low)
        F, X = FIGURES, EXTRA_ROWS
        city = [self.city]
        branches = self.of_kind(UnitKind.PARTY_BRANCH, UnitKind.PARTY_GENERAL_BRANCH, UnitKind.PARTY_COMMITTEE)
        offices = self.of_kind(UnitKind.DEPARTMENT, UnitKind.COUNTY, UnitKind.TOWNSHIP)
        grassroots = self.of_kind(
            UnitKind.VILLAGE, UnitKind.SCHOOL, UnitKind.MONASTERY, UnitKind.ENTERPRISE, UnitKind.BARRACKS
        )
        counties = self.of_kind(UnitKind.COUNTY)
        depts = [u for u in self.units if u.kind == UnitKind.DEPARTMENT]

        # Section 2: learning.
        n = F["centre_group.study_sessions"]
        self.add(
            ["centre_group_study"],
            city,
            n,
            participants=split_(F["centre_group.leader_contributions"], n, 4),
            titles=TITLES["study"],
        )
        self.add(
            ["collective_study"],
            branches + offices,
            F["study.sessions"],
            titles=TITLES["study"],
            participants=[rng.randint(5, 40) for _ in range(F["study.sessions"])],
        )
        self.add(
            ["discussion"],
            branches,
            X["discussion"],
            participants=split_(F["study.discussion_contributions"], X["discussion"]),
            titles=TITLES["discussion"],
        )
        self.add(
            ["expert_tutoring"],
            offices + grassroots,
            X["expert_tutoring"],
            participants=[rng.randint(20, 200) for _ in range(X["expert_tutoring"])],
            titles=TITLES["lecture"],
        )
        self.add(
            ["reading_class"],
            offices,
            F["reading_class.sessions"],
            participants=split_(F["reading_class.participants"], F["reading_class.sessions"], 10),
        )
        self.add(
            ["must_know_test"],
            branches,
            X["must_know_test"],
            participants=[rng.randint(5, 60) for _ in range(X["must_know_test"])],
        )
        self.add(
            ["competition"],
            offices + grassroots,
            F["competition.sessions"],
            participants=split_(F["competition.participants"], F["competition.sessions"], 10),
        )
        self.add(
            ["film"],
            grassroots + branches,
            F["film.sessions"],
            titles=TITLES["film"],
            participants=split_(F["film.participants"], F["film.sessions"], 8),
            language="bilingual",
        )
        self.add(
            ["base_visit"],
            branches + offices,
            F["base_visit.sessions"],
            titles=BASES,
            participants=split_(F["base_visit.participants"], F["base_visit.sessions"], 5),
            place=rng.choice(BASES),
        )
        self.add(["books"], offices + grassroots, X["books"], copies=split_(F["books.copies"], X["books"], 2))

        # Section 3: lectures and publicity.
        self.add(["training"], city, 2, participants=[30, 30], target="lecturers", place="井冈山、延安")
        self.add(
            ["training"],
            counties,
            3,
            participants=split_(F["training.cadres"], 3, 100),
            target="cadres",
            place="山南、林芝、昌都红色教育基地",
        )
        lecture_kinds = [c for c in self.kinds if c.startswith("lecture_")]
        n = F["lecture.sessions"]
        self.add(
            lecture_kinds,
            grassroots + offices + branches,
            n,
            venue=True,
            titles=TITLES["lecture"],
            participants=split_(F["lecture.audience"], n, 10),
            language=rng.choice(["bilingual", "bo", "zh"]),
        )
        self.add(["materials"], depts[:4] + counties, 10, copies=[5000] * 10, language="bilingual")
        self.add(["materials"], counties, 40, copies=[rng.randint(200, 2000) for _ in range(40)], language="bo")
        n = F["exhibition.sessions"]
        self.add(
            ["exhibition_visit"],
            depts[:3] + counties,
            n,
            place="拉萨市党史展馆",
            participants=split_(F["exhibition.visitors"], n, 10),
        )
        self.add(
            ["micro_lesson", "micro_lecture", "small_case"],
            branches + offices + grassroots,
            F["micro_lesson.count"],
            titles=TITLES["micro"],
        )
        n = F["news.reports"]
        levels = ["central"] * 21 + ["regional"] * 64 + ["city"] * (n - 85)
        rng.shuffle(levels)
        for level in levels:
            self.add(["news_report"], depts[:6] + counties, 1, titles=TITLES["news"], outlet_level=level)

        # Section 4's pairings (结对共建) are kept in the same ledger.
        n = F["pairing.sessions"]
        pairers = [u for u in branches if self.host[u.pk].kind == UnitKind.DEPARTMENT] or branches
        self.add(
            ["pairing_theme_day", "pairing_volunteering"],
            pairers,
            n,
            participants=split_(F["pairing.participants"], n, 3),
        )

    # fmt: skip


def build(ctx: DemoContext) -> None:
    ensure_kinds()
    # The demo's campaign records every kind of the catalogue.
    ctx.made["campaign"].activity_kinds.add(*ActivityKind.objects.all())
    cities = [ctx.made["city"]]
    if ctx.scale > 1:
        region = Unit.objects.get(path=ctx.made["city"].path[: Unit.steplen])
        cities = list(Unit.objects.filter(path__startswith=region.path, depth=2, kind=UnitKind.CITY).order_by("path"))
    total = 0
    for city in cities:
        builder = _Builder(ctx, city)
        builder.build()
        services.insert_activity_rows(builder.rows)
        total += len(builder.rows)
    campaign: Campaign = ctx.made["campaign"]
    # The office has closed the first months of the campaign.
    ReportingPeriod.objects.bulk_create(
        [ReportingPeriod(campaign=campaign, month=datetime.date(2021, m, 1)) for m in range(2, 7)]
    )
    LogEntry.objects.log_create(
        campaign, force_log=True, action=LogEntry.Action.CREATE, changes={"demo activities": ["0", str(total)]}
    )
    ctx.log(f"  activities: {total}")


def finish(ctx: DemoContext) -> None:
    ctx.log(f"  rollup rows: {services.rebuild_rollups()}")
