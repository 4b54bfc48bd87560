"""The demo's second, smaller campaign: Lhasa's 2023 thematic education (学习贯彻习近平新时代中国特色
社会主义思想主题教育, 2023-04-01 to 2023-08-31).

Its set-up is not built here: it is the document the set-up pages exported
(``campaigns/demo/2023-thematic-education.json``, written by the browser test that sets the
campaign up in the pages), loaded through the same import service an office uses. Then the
counties its supervision groups cover record a few thousand activities of its kinds in its
period, written with the ledger's bulk insert (the ledger's ``finish`` rebuilds the rollups
after every app's records). The 2021 campaign, its rows and its figures are not touched: the
records use a random generator of their own, so the 2021 demo stays what it was."""

from __future__ import annotations

import datetime
import random
from pathlib import Path

from auditlog.models import LogEntry
from django.conf import settings

from campaigns import services as campaign_services
from campaigns import transfer
from campaigns.forms import campaign_initial
from campaigns.models import Campaign
from core.seeding import DemoContext
from ledger import services
from ledger.demo import _Builder, split
from orgs.choices import UnitKind
from orgs.models import Unit

DOCUMENT = Path(settings.BASE_DIR) / "campaigns" / "demo" / "2023-thematic-education.json"
NEW_KIND = "theme_reading_class"

# How many rows of each kind the 2023 campaign's units record.
ROWS = {
    "centre_group_study": 9,
    "collective_study": 1_400,
    "discussion": 500,
    NEW_KIND: 120,
    "lecture_theory": 700,
    "lecture_arts": 200,
}
TITLES = {
    "study": [
        "学习《习近平新时代中国特色社会主义思想专题摘编》",
        "学习《习近平著作选读》",
        "学习党的二十大精神",
        "学习习近平总书记关于西藏工作的重要论述",
    ],
    "discussion": ["学思想专题研讨", "强党性交流发言", "重实践研讨", "建新功交流研讨"],
    "reading": ["主题教育读书班（第一期）", "主题教育读书班（第二期）", "县处级干部主题教育读书班"],
    "lecture": ["新时代党的治藏方略", "党的二十大精神进基层", "感党恩、听党话、跟党走", "铸牢中华民族共同体意识"],
}


def _days(start: datetime.date, end: datetime.date) -> tuple[list[datetime.date], list[float]]:
    """The campaign's days with cumulative weights: busiest in May and June, quiet at weekends."""
    days, cum, total = [], [], 0.0
    day = start
    while day <= end:
        weight = {4: 1.0, 5: 1.4, 6: 1.3, 7: 1.0, 8: 0.7}.get(day.month, 1.0)
        if day.weekday() >= 5:
            weight *= 0.5
        total += weight
        days.append(day)
        cum.append(total)
        day += datetime.timedelta(days=1)
    return days, cum


def load_document(ctx: DemoContext) -> Campaign:
    """The shipped set-up, imported by the city office as an office would, under its own status."""
    office = ctx.made["accounts"]["lhasa-office"]
    document = transfer.read_document(DOCUMENT.read_bytes())
    campaign = campaign_services.import_campaign(actor=office, document=document)
    status = document.campaign.get("status") or campaign.status
    if status != campaign.status:
        campaign_services.update_campaign(
            actor=office, campaign=campaign, **{**campaign_initial(campaign), "status": status}
        )
    return campaign


def build_records(ctx: DemoContext, campaign: Campaign) -> int:
    """Activities of the campaign's kinds in its period, by the units of the counties its
    supervision groups cover; returns how many."""
    city = campaign.root_unit
    own = DemoContext(seed=ctx.seed + 2023, log=ctx.log)
    builder = _Builder(own, city)
    builder.days, builder.cum = _days(campaign.start, campaign.end)
    kinds = set(campaign.activity_kinds.values_list("code", flat=True))
    counties = list(
        Unit.objects.filter(supervision_groups__campaign=campaign, kind=UnitKind.COUNTY).order_by("path").distinct()
    )
    inside = [u for u in builder.units if any(u.path.startswith(c.path) for c in counties)]
    party = {UnitKind.PARTY_BRANCH, UnitKind.PARTY_GENERAL_BRANCH, UnitKind.PARTY_COMMITTEE}
    branches = [u for u in inside if u.kind in party]
    offices = [u for u in inside if u.kind in (UnitKind.COUNTY, UnitKind.TOWNSHIP)]
    grassroots = [
        u
        for u in inside
        if u.kind in (UnitKind.VILLAGE, UnitKind.SCHOOL, UnitKind.MONASTERY, UnitKind.ENTERPRISE, UnitKind.BARRACKS)
    ]
    rng: random.Random = own.rng
    rows = {code: n for code, n in ROWS.items() if code in kinds}
    if "centre_group_study" in rows:
        n = rows["centre_group_study"]
        builder.add(["centre_group_study"], [city], n, participants=split(rng, 8 * n, n, 5), titles=TITLES["study"])
    if "collective_study" in rows:
        n = rows["collective_study"]
        builder.add(
            ["collective_study"],
            branches + offices,
            n,
            titles=TITLES["study"],
            participants=[rng.randint(5, 40) for _ in range(n)],
        )
    if "discussion" in rows:
        n = rows["discussion"]
        builder.add(
            ["discussion"],
            branches,
            n,
            titles=TITLES["discussion"],
            participants=[rng.randint(3, 15) for _ in range(n)],
        )
    if NEW_KIND in rows:
        n = rows[NEW_KIND]
        builder.add(
            [NEW_KIND], offices, n, titles=TITLES["reading"], participants=[rng.randint(20, 60) for _ in range(n)]
        )
    for code in ("lecture_theory", "lecture_arts"):
        if code in rows:
            n = rows[code]
            builder.add(
                [code],
                grassroots + offices + branches,
                n,
                venue=True,
                titles=TITLES["lecture"],
                participants=[rng.randint(15, 300) for _ in range(n)],
                language=rng.choice(["bilingual", "bo", "zh"]),
            )
    services.insert_activity_rows(builder.rows)
    return len(builder.rows)


def build(ctx: DemoContext) -> None:
    campaign = load_document(ctx)
    ctx.log(
        f"  campaign: {campaign.name_zh} ({campaign.start} – {campaign.end}), "
        f"{campaign.supervision_groups.count()} supervision groups, "
        f"{campaign.activity_kinds.count()} kinds, {campaign.defined_indicators.count()} indicators of its own"
    )
    total = build_records(ctx, campaign)
    LogEntry.objects.log_create(
        campaign, force_log=True, action=LogEntry.Action.CREATE, changes={"demo activities": ["0", str(total)]}
    )
    ctx.made["campaign_2023"] = campaign
    ctx.log(f"  activities: {total}")
