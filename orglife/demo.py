"""Lhasa's thematic organisational-life meetings (seed section 5) and the supervision groups'
inspections, as of 2021-12-31.

One notice calls every party organisation of the city to meet between 1 November and
25 December 2021. A little over 3,000 organisations held their meeting (a few late, a
hundred or so not yet); 52,000-odd heart-to-heart talks prepared them; 119,000-odd problems
were found and 120,000-odd rectification measures set, most done, verified and closed by the
end of the year, some still open and a few overdue. The 8 supervision groups inspected
every unit they cover and sat in on some meetings.

Everything is written with bulk inserts, in chunks, with no query per row.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterator

from auditlog.models import LogEntry
from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max

from campaigns import tallies
from campaigns.models import SupervisionGroup
from core.seeding import DemoContext
from orglife.choices import FindingSource, MeasureStatus
from orglife.models import (
    Finding,
    FindingCategory,
    Inspection,
    Measure,
    Meeting,
    MeetingAttendance,
    MeetingNotice,
    Talk,
)
from orglife.services import ensure_default_categories
from orgs import demo_names as N
from orgs.choices import PARTY_ORGANISATION_KINDS, Rank, UnitKind
from orgs.models import Person, Unit

AS_OF = datetime.date(2021, 12, 31)
WINDOW = (datetime.date(2021, 11, 1), datetime.date(2021, 12, 25))
BATCH = 2000

PROBLEMS = {
    "conviction": [
        "理论学习不够系统，学用结合不紧",
        "对党史学习的重要意义认识不够深刻",
        "理想信念教育抓得不够经常",
        "运用党的创新理论指导实践的能力不强",
    ],
    "discipline": [
        "执行请示报告制度不够严格",
        "“三会一课”记录不够规范",
        "落实意识形态工作责任制不够到位",
        "组织生活有时流于形式",
    ],
    "learning": [
        "自学时间保证不够，存在以干代学现象",
        "学习笔记内容单薄，心得体会不深",
        "双语学习资料使用不够充分",
        "参加集中学习研讨发言准备不足",
    ],
    "style": [
        "深入基层调查研究不够",
        "文山会海问题仍有反弹",
        "工作作风不够扎实，抓落实有差距",
        "对群众反映的问题跟踪督办不够",
    ],
    "service": [
        "为群众办实事主动性不强",
        "联系服务群众渠道不够畅通",
        "对困难群众走访慰问不够经常",
        "便民服务事项办理效率不高",
    ],
    "role": [
        "党员先锋模范作用发挥不够明显",
        "攻坚克难的担当精神不足",
        "创新工作方法不够",
        "对年轻党员的传帮带不够",
    ],
}
MEASURES = [
    "制定个人学习计划，每周自学不少于5小时",
    "严格落实“三会一课”制度，规范会议记录",
    "每月到联系点调研不少于2次，形成调研报告",
    "建立问题台账，逐项销号管理",
    "开展结对帮扶，每季度走访困难群众",
    "召开专题会议研究整改，明确责任人和时限",
    "完善便民服务流程，压缩办理时限",
    "组织党员开展志愿服务活动",
]
EVIDENCE = ["已整改，附会议记录", "已完成，附调研报告", "已落实，附台账及照片", "已办结，附工作总结"]
PLACES = ["党员活动室", "会议室", "村（居）委会会议室", "党群服务中心"]
CHECKS = [
    "检查专题组织生活会准备情况、谈心谈话记录和检视问题清单",
    "列席专题组织生活会，查阅会议记录和签到表",
    "抽查整改措施落实情况及佐证材料",
    "检查学习教育台账和“我为群众办实事”清单",
]


def _names(ctx: DemoContext) -> Iterator[str]:
    rng = ctx.rng
    tib = [zh for zh, _bo in N.TIBETAN_GIVEN]
    while True:
        if rng.random() < 0.75:
            yield rng.choice(tib) + rng.choice(tib)
        else:
            yield rng.choice(N.HAN_SURNAMES) + rng.choice(N.HAN_GIVEN)


def _spread(ctx: DemoContext, total: int, weights: list[int]) -> list[int]:
    """Split ``total`` over the weights, exactly, with a little noise."""
    rng = ctx.rng
    noisy = [w * rng.uniform(0.7, 1.3) for w in weights]
    whole = sum(noisy)
    counts = [int(total * w / whole) for w in noisy]
    for i in rng.sample(range(len(counts)), total - sum(counts)):
        counts[i] += 1
    return counts


def _day(ctx: DemoContext, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=ctx.rng.randrange(max(1, (end - start).days + 1)))


def build(ctx: DemoContext) -> None:
    city: Unit = ctx.made["city"]
    campaign = ctx.made["campaign"]
    rng = ctx.rng
    names = _names(ctx)
    region = city.region_code
    ensure_default_categories()
    categories = {c.code: c for c in FindingCategory.objects.all()}
    cat_codes = sorted(PROBLEMS)
    cat_weights = [18, 14, 16, 22, 18, 12]  # in the order of cat_codes

    notice = MeetingNotice.objects.create(
        campaign=campaign,
        root_unit=city,
        theme_zh="“学党史、悟思想、办实事、开新局”专题组织生活会",
        theme_bo="“ཏང་གི་ལོ་རྒྱུས་སློབ་པ། བསམ་བློ་རྟོགས་པ། དོན་དངོས་སྒྲུབ་པ། གསར་གཏོད་བྱེད་པ།” ཆེད་དོན་སྒྲིག་འཛུགས་འཚོ་བའི་ཚོགས་འདུ།",
        window_from=WINDOW[0],
        window_to=WINDOW[1],
        method="以党支部为单位召开，领导干部以普通党员身份参加所在支部组织生活会。",
        steps="一、深入学习研讨；二、广泛谈心谈话；三、认真检视问题；四、严肃开展批评和自我批评；五、抓好整改落实。",
        expected_kinds=list(PARTY_ORGANISATION_KINDS),
        issued_on=datetime.date(2021, 10, 20),
        issued_by=ctx.made["accounts"]["lhasa-office"],
    )

    orgs = list(
        Unit.objects.filter(path__startswith=city.path, kind__in=PARTY_ORGANISATION_KINDS, active=True).order_by("path")
    )
    missing = rng.randint(90, 140)
    held = sorted(rng.sample(orgs, len(orgs) - missing), key=lambda u: u.path)

    # Supervision: who covers which organisation.
    groups = list(SupervisionGroup.objects.filter(campaign=campaign).prefetch_related("units", "members"))
    group_paths = [(g, [u.path for u in g.units.all()]) for g in groups]

    def group_of(path: str) -> SupervisionGroup | None:
        for g, paths in group_paths:
            if any(path.startswith(p) for p in paths):
                return g
        return None

    # Meetings.
    meetings = []
    for org in held:
        late = rng.random() < 0.02
        day = _day(ctx, datetime.date(2021, 12, 26), datetime.date(2021, 12, 30)) if late else _day(ctx, *WINDOW)
        meetings.append(
            Meeting(
                notice=notice,
                unit=org,
                date=day,
                place=rng.choice(PLACES),
                chair_name=next(names),
                attendee_count=max(3, int(max(org.party_members, 5) * rng.uniform(0.85, 1.0))),
                agenda="通报检视问题；个人对照检查发言；开展批评和自我批评；明确整改措施",
                region_code=region,
            )
        )
    Meeting.objects.bulk_create(meetings, batch_size=BATCH)

    # Leaders attend their own branch as ordinary members; the region's touring group sits in
    # on the prefecture-level leaders' branches.
    attendance = []
    touring: set[int] = set()
    city_branches = [m for m in meetings if m.unit.kind == UnitKind.PARTY_BRANCH and m.unit.depth == city.depth + 3]
    for person in Person.objects.filter(unit=city, rank=Rank.PREFECTURE).order_by("pk"):
        m = rng.choice(city_branches)
        attendance.append(MeetingAttendance(meeting=m, person=person, as_ordinary_member=True))
        touring.add(m.pk)
    first_branch: dict[str, Meeting] = {}
    for m in meetings:
        parent = m.unit.path[: (m.unit.depth - 2) * Unit.steplen]
        first_branch.setdefault(parent, m)
    for person in Person.objects.filter(unit__path__startswith=city.path, rank=Rank.COUNTY).select_related("unit"):
        m = first_branch.get(person.unit.path)
        if m is not None:
            attendance.append(MeetingAttendance(meeting=m, person=person, as_ordinary_member=True))
    seen = set()
    attendance = [
        a for a in attendance if (a.meeting.pk, a.person_id) not in seen and not seen.add((a.meeting.pk, a.person_id))
    ]
    MeetingAttendance.objects.bulk_create(attendance, batch_size=BATCH)
    Meeting.objects.filter(pk__in=touring).update(touring_group_present=True)

    # The groups sit in on some meetings of the units they cover.
    through = Meeting.supervisors.through
    present = []
    for m in meetings:
        g = group_of(m.unit.path)
        if g is not None and rng.random() < 0.08:
            people = [g.head_id, *[p.pk for p in g.members.all() if p.pk != g.head_id]]
            for pid in rng.sample(people, min(2, len(people))):
                present.append(through(meeting_id=m.pk, person_id=pid))
    through.objects.bulk_create(present, batch_size=BATCH)

    # Heart-to-heart talks before each meeting.
    weights = [max(3, m.unit.party_members) if m.unit.kind == UnitKind.PARTY_BRANCH else 4 for m in meetings]
    talks_total = rng.randint(52100, 52900)
    talks: list[tuple] = []
    for m, n in zip(meetings, _spread(ctx, talks_total, weights), strict=True):
        for _ in range(n):
            day = m.date - datetime.timedelta(days=rng.randint(3, 30))
            talks.append((m.unit_id, _d(day), next(names), next(names), region))
    _insert(Talk, ["unit", "date", "name_a", "name_b", "region_code"], talks)

    # Inspections: every group visits every unit it covers, and some units below them.
    inspections = []
    for g, _paths in group_paths:
        for unit in g.units.all():
            for _ in range(rng.randint(1, 3)):
                inspections.append(
                    Inspection(
                        group=g,
                        unit=unit,
                        date=_day(ctx, datetime.date(2021, 4, 1), AS_OF),
                        checked=rng.choice(CHECKS),
                        region_code=region,
                    )
                )
        below = [m.unit for m in meetings if any(m.unit.path.startswith(p) for p in _paths)]
        for org in rng.sample(below, min(len(below), 25)):
            inspections.append(
                Inspection(group=g, unit=org, date=_day(ctx, *WINDOW), checked=rng.choice(CHECKS), region_code=region)
            )
    Inspection.objects.bulk_create(inspections, batch_size=BATCH)

    # Findings and measures.
    findings_total = rng.randint(119150, 119850)
    extra_measures = rng.randint(1800, 3200)
    per_inspection = [rng.randint(2, 8) for _ in inspections]
    from_meetings = findings_total - sum(per_inspection)
    plan: list[tuple[Unit, datetime.date, str, Meeting | None, Inspection | None]] = []
    mweights = [max(2, m.attendee_count) for m in meetings]
    for m, n in zip(meetings, _spread(ctx, from_meetings, mweights), strict=True):
        for _ in range(n):
            r = rng.random()
            if r < 0.8:
                plan.append((m.unit, m.date, FindingSource.MEETING, m, None))
            elif r < 0.93:
                plan.append(
                    (m.unit, m.date - datetime.timedelta(days=rng.randint(5, 25)), FindingSource.SELF, None, None)
                )
            else:
                plan.append(
                    (m.unit, m.date - datetime.timedelta(days=rng.randint(1, 20)), FindingSource.TALK, None, None)
                )
    for insp, n in zip(inspections, per_inspection, strict=True):
        plan.extend((insp.unit, insp.date, FindingSource.INSPECTION, None, insp) for _ in range(n))
    twice = set(rng.sample(range(len(plan)), extra_measures))
    verifier = ctx.made["accounts"]["supervisor-3"]
    group3 = next(g for g, _p in group_paths if g.number == 3)
    g3_paths = [u.path for u in group3.units.all()]

    finding_id = (Finding.objects.aggregate(n=Max("pk"))["n"] or 0) + 1
    measure_rows: list[tuple] = []
    finding_rows: list[tuple] = []
    for i, (unit, day, source, meeting, inspection) in enumerate(plan):
        code = rng.choices(cat_codes, cat_weights)[0]
        person = next(names) if rng.random() < 0.75 else ""
        finding_rows.append(
            (
                finding_id,
                unit.pk,
                person,
                categories[code].pk,
                rng.choice(PROBLEMS[code]),
                source,
                meeting.pk if meeting else None,
                inspection.pk if inspection else None,
                _d(day),
                region,
            )
        )
        by = verifier.pk if any(unit.path.startswith(p) for p in g3_paths) else None
        for _ in range(2 if i in twice else 1):
            measure_rows.append(_measure(ctx, finding_id, unit.pk, day, person, region, by))
        finding_id += 1
    _insert(
        Finding,
        ["id", "unit", "person_name", "category", "text", "source", "meeting", "inspection", "date", "region_code"],
        finding_rows,
    )
    _insert(Measure, MEASURE_FIELDS, measure_rows)
    _reset_sequences(Finding)
    actor = ctx.made["accounts"]["lhasa-office"]
    for model, count in ((Talk, len(talks)), (Finding, len(finding_rows)), (Measure, len(measure_rows))):
        first = model.objects.order_by("pk").first()
        if first is not None:
            LogEntry.objects.log_create(
                first,
                action=LogEntry.Action.CREATE,
                changes={"batch": ["demo", str(count)]},
                force_log=True,
                actor=actor,
            )
    ctx.log(
        f"  orglife: {len(meetings)} meetings of {len(orgs)} expected, {talks_total} talks, "
        f"{findings_total} findings, {findings_total + extra_measures} measures, {len(inspections)} inspections"
    )
    # Written in bulk, without the signals that keep the tallies.
    tallies.recount(Meeting, Talk, Finding, Measure, Inspection)


MEASURE_FIELDS = [
    "finding",
    "unit",
    "set_on",
    "text",
    "owner",
    "deadline",
    "status",
    "evidence",
    "evidence_note",
    "done_on",
    "verified_on",
    "verified_by",
    "closed_on",
    "region_code",
]


def _measure(ctx: DemoContext, finding_id: int, unit_id: int, set_on: datetime.date, person: str, region: str, by):
    """A measure whose progress by 2021-12-31 follows from dates: most short ones are done,
    verified and closed; long-term ones are still open; a few are past their deadline."""
    rng = ctx.rng
    if rng.random() < 0.7:
        deadline = set_on + datetime.timedelta(days=rng.randint(10, 40))
    else:
        deadline = datetime.date(2022, rng.choice([1, 2, 3, 6]), 28)
    budget = (deadline - set_on).days
    took = int(budget * rng.uniform(0.3, 1.0)) if rng.random() < 0.95 else budget + rng.randint(3, 30)
    done_on = set_on + datetime.timedelta(days=max(1, took))
    status, evidence, verified_on, verified_by, closed_on = MeasureStatus.OPEN, "", None, None, None
    if done_on > AS_OF:
        done_on = None
    else:
        status, evidence = MeasureStatus.DONE, rng.choice(EVIDENCE)
        verified_on = done_on + datetime.timedelta(days=rng.randint(2, 15))
        if verified_on > AS_OF:
            verified_on = None
        else:
            status, verified_by = MeasureStatus.VERIFIED, by
            closed_on = verified_on + datetime.timedelta(days=rng.randint(0, 7))
            if closed_on <= AS_OF:
                status = MeasureStatus.CLOSED
            else:
                closed_on = None
    return (
        finding_id,
        unit_id,
        _d(set_on),
        rng.choice(MEASURES),
        person or "支部书记",
        _d(deadline),
        status,
        "",
        evidence,
        _d(done_on),
        _d(verified_on),
        verified_by,
        _d(closed_on),
        region,
    )


@functools.lru_cache(maxsize=4096)
def _d(day: datetime.date | None):
    """A date as the database driver wants it (a string on SQLite); a few hundred distinct
    days, so cached."""
    return connection.ops.adapt_datefield_value(day) if day is not None else None


def _insert(model, fields: list[str], rows: list[tuple]) -> None:
    """Plain multi-row inserts for the big tables: the ORM's per-value preparation would
    take most of the demo's time for a quarter of a million rows."""
    meta = model._meta
    qn = connection.ops.quote_name
    columns = ", ".join(qn(meta.get_field(f).column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES ({marks})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 10000):
            cursor.executemany(sql, rows[start : start + 10000])


def _reset_sequences(*models) -> None:
    """Rows written with explicit ids: move the id sequences past them (PostgreSQL)."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(models)):
            cursor.execute(sql)
