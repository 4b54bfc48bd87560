"""Seed section 4 (我为群众办实事) for the Lhasa demo, as of 2021-12-31.

The figures come out exactly, whatever the random draws, because the draws only decide
*which* rows carry them: 43 prefecture-level leaders and 1,012 county-level cadres went
down, 66 townships and streets, 287 villages and communities and 54 schools, monasteries
and enterprises were reached in 1,624 visits; 2,308 concerns were collected (plus 37 marked
duplicates, not counted) and 1,902 of them resolved; 12 key items in 3 programmes, 9 solved;
one pairing per city department with the branch of its village station.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from auditlog.models import LogEntry
from django.utils import timezone

from campaigns import tallies
from concerns.choices import (
    AssignmentKind,
    ConcernSource,
    ConcernState,
    EventKind,
    KeyItemStatus,
    Satisfaction,
    VisitPurpose,
)
from concerns.models import (
    Assignment,
    Concern,
    ConcernCategory,
    ConcernEvent,
    KeyItem,
    Milestone,
    Pairing,
    Programme,
    Visit,
)
from core.seeding import CAMPAIGN_END, CAMPAIGN_START, DemoContext
from orgs import demo_names as N
from orgs.choices import INSTITUTION_KINDS, Rank, UnitKind
from orgs.models import Person, Unit

VISITS = 1624
COUNTY_CADRES = 1012
VILLAGES_REACHED = 287
INSTITUTIONS_REACHED = 54
COLLECTED = 2308
RESOLVED = 1902
DUPLICATES = 37
# The 406 concerns not resolved, by state.
OPEN_SPREAD = [
    (ConcernState.CLOSED_NOT_RESOLVABLE, 38),
    (ConcernState.NOT_RESOLVABLE, 12),
    (ConcernState.REOPENED, 21),
    (ConcernState.IN_PROGRESS, 190),
    (ConcernState.ASSIGNED, 95),
    (ConcernState.COLLECTED, 50),
]
AWAITING_CALLBACK = 252  # of the resolved, not yet called back
SOURCES = [
    (ConcernSource.VISIT, 40),
    (ConcernSource.RECEPTION_DAY, 20),
    (ConcernSource.HOTLINE, 20),
    (ConcernSource.LETTER, 8),
    (ConcernSource.ONLINE, 12),
]
# Category (Chinese name) -> the city department that handles it when it is not local,
# and a few ways people put the problem.
CATEGORY_WORK = {
    "交通出行": ("540100D16", ["公交线路少，进城不方便", "村道破损，雨天出行困难", "路口缺少红绿灯"]),
    "停车": ("540100D09", ["小区停车位不足", "背街乱停车堵塞通道", "医院周边停车难"]),
    "环境卫生": ("540100D25", ["背街小巷垃圾清运不及时", "公厕脏乱", "河道有垃圾"]),
    "住房": ("540100D15", ["老旧小区房屋漏水", "安置房办证慢", "楼道照明损坏"]),
    "就业增收": ("540100D12", ["农牧民转移就业渠道少", "技能培训名额不够", "务工工资拖欠"]),
    "医疗卫生": ("540100D21", ["村卫生室缺少药品", "看病排队时间长", "慢性病报销手续繁琐"]),
    "教育": ("540100D08", ["孩子入学路途远", "幼儿园学位紧张", "校门口交通不安全"]),
    "社会保障": ("540100D10", ["低保申请流程不清楚", "高龄补贴发放延迟", "残疾人补助咨询"]),
    "水电暖": ("540100D18", ["冬季供暖温度不够", "自来水水压低", "电压不稳常停电"]),
    "农牧业": ("540100D17", ["草场围栏损坏", "农机补贴申请难", "灌溉水渠需要维修"]),
    "其他": ("", ["邻里纠纷调解", "宗教活动场所周边秩序", "政策咨询"]),
}
PROGRAMMES = [
    ("平安拉萨便民工程", "བདེ་འཇགས་ལྷ་སའི་མང་ཚོགས་ལ་སྟབས་བདེ་གཏོང་བའི་ལས་གཞི།"),
    ("幸福拉萨惠民工程", "བདེ་སྐྱིད་ལྷ་སའི་མང་ཚོགས་ལ་ཁེ་ཕན་གཏོང་བའི་ལས་གཞི།"),
    ("和谐拉萨利民工程", "མཐུན་སྒྲིལ་ལྷ་སའི་མང་ཚོགས་ལ་ཕན་ཐོགས་གཏོང་བའི་ལས་གཞི།"),
]
# programme index, Chinese, Tibetan, responsible department, category, solved
KEY_ITEMS = [
    (0, "停车位不足", "རླངས་འཁོར་འཇོག་ས་མི་འདང་བ།", "540100D25", "停车", True),
    (0, "停车秩序混乱", "རླངས་འཁོར་འཇོག་སྟངས་གོ་རིམ་མེད་པ།", "540100D09", "停车", True),
    (0, "群众出行难", "མང་ཚོགས་འགྲུལ་བཞུད་དཀའ་བ།", "540100D16", "交通出行", True),
    (0, "老旧小区消防隐患", "སྡོད་ཁུལ་རྙིང་པའི་མེ་འགོག་ཉེན་ཁ།", "540100D22", "住房", True),
    (1, "背街小巷脏乱差", "ལམ་ཕྲན་གྱི་གཙང་སྦྲ་ཞན་པ།", "540100D25", "环境卫生", True),
    (1, "农贸市场环境差", "ཞིང་ཐོན་ཚོང་ར་ཁོར་ཡུག་ཞན་པ།", "540100D24", "环境卫生", True),
    (1, "老旧小区供暖不足", "སྡོད་ཁུལ་རྙིང་པར་དྲོད་འདྲེན་མི་འདང་བ།", "540100D15", "水电暖", False),
    (1, "群众看病难", "མང་ཚོགས་ནད་བཅོས་དཀའ་བ།", "540100D21", "医疗卫生", True),
    (2, "农牧民就业增收", "ཞིང་འབྲོག་པའི་ལས་ཞུགས་དང་ཡོང་འབབ་མཐོ་རུ་གཏོང་བ།", "540100D12", "就业增收", True),
    (2, "农村饮水安全", "གྲོང་གསེབ་ཀྱི་འཐུང་ཆུ་བདེ་འཇགས།", "540100D18", "水电暖", False),
    (2, "子女入学难", "བུ་ཕྲུག་སློབ་གྲྭར་འཛུལ་དཀའ་བ།", "540100D08", "教育", False),
    (2, "困难群众救助", "དཀའ་ངལ་ཅན་གྱི་མང་ཚོགས་ལ་རོགས་རམ།", "540100D10", "社会保障", True),
]
MILESTONES = [
    ("摸底调查，建立台账", 1),
    ("制定方案，明确责任", 1),
    ("组织实施", 3),
    ("验收评估", 1),
    ("回访群众", 1),
]


def _pick_weighted(rng, pairs):
    total = sum(w for _, w in pairs)
    roll = rng.uniform(0, total)
    for value, weight in pairs:
        roll -= weight
        if roll <= 0:
            return value
    return pairs[-1][0]


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def ensure_categories() -> None:
    """The standard categories come with the migrations; a flushed database (``seed_demo
    --reset``, transactional tests) has lost them, so put them back."""
    from django.apps import apps

    apps.get_app_config("concerns").ensure_reference_data()


def build(ctx: DemoContext) -> None:
    city: Unit = ctx.made["city"]
    ensure_categories()
    units = list(Unit.objects.filter(path__startswith=city.path).order_by("path"))
    by_kind: dict[str, list[Unit]] = defaultdict(list)
    for u in units:
        by_kind[u.kind].append(u)
    counties = [u for u in by_kind[UnitKind.COUNTY] if u.depth == city.depth + 1]
    departments = [u for u in by_kind[UnitKind.DEPARTMENT] if u.depth == city.depth + 1]
    by_path = {u.path: u for u in units}
    leaders = list(Person.objects.filter(unit=city, rank=Rank.PREFECTURE).order_by("pk"))

    _build_assignments(ctx, city, counties, departments, by_kind, leaders)
    visits = _build_visits(ctx, city, units, by_kind, leaders)
    concerns = _build_concerns(ctx, city, units, by_kind, by_path, visits)
    _build_key_items(ctx, city, leaders, concerns)
    pairings = _build_pairings(ctx, city, departments, units)
    # The bulk insert is recorded as one audit entry for the batch.
    if ctx.made.get("campaign") is not None:
        LogEntry.objects.log_create(
            ctx.made["campaign"],
            force_log=True,
            action=LogEntry.Action.CREATE,
            changes={
                "demo serving the people": [
                    "0",
                    f"{len(visits)} visits, {len(concerns)} concerns, {len(KEY_ITEMS)} key items, {pairings} pairings",
                ]
            },
        )
    # Written in bulk, without the signals that keep the tallies.
    tallies.recount(Visit, Concern, KeyItem)


def _build_assignments(ctx, city, counties, departments, by_kind, leaders) -> None:
    rng = ctx.rng
    rows = []
    since = datetime.date(2021, 3, 1)
    townships = by_kind[UnitKind.TOWNSHIP]
    # Three townships are left without a leader so that the map shows what a gap looks like.
    gaps = set(rng.sample(range(len(townships)), 3))
    for i, leader in enumerate(leaders):
        county = counties[i % len(counties)]
        rows.append(
            Assignment(
                kind=AssignmentKind.LEADER_COUNTY, person=leader, target=county, since=since, region_code=city.code
            )
        )
    for c_index, county in enumerate(counties):
        mine = [leader for i, leader in enumerate(leaders) if i % len(counties) == c_index]
        local = [t for n, t in enumerate(townships) if t.path.startswith(county.path) and n not in gaps]
        for n, township in enumerate(local):
            rows.append(
                Assignment(
                    kind=AssignmentKind.LEADER_TOWNSHIP,
                    person=mine[n % len(mine)],
                    target=township,
                    since=since,
                    region_code=city.code,
                )
            )
    villages = rng.sample(by_kind[UnitKind.VILLAGE], len(departments))
    for department, village in zip(departments, villages, strict=True):
        rows.append(
            Assignment(
                kind=AssignmentKind.DEPARTMENT_VILLAGE,
                department=department,
                target=village,
                since=since,
                region_code=city.code,
            )
        )
    Assignment.objects.bulk_create(rows)
    ctx.made["village_stations"] = dict(zip([d.pk for d in departments], villages, strict=True))
    ctx.log(f"  assignments: {len(rows)}")


def _county_of(unit_path: str, counties_by_path: dict[str, Unit]) -> Unit | None:
    for path, county in counties_by_path.items():
        if unit_path.startswith(path):
            return county
    return None


def _build_visits(ctx, city, units, by_kind, leaders) -> list[Visit]:
    rng = ctx.rng
    reached = list(by_kind[UnitKind.TOWNSHIP])
    reached += rng.sample(by_kind[UnitKind.VILLAGE], VILLAGES_REACHED)
    institutions = [u for kind in INSTITUTION_KINDS for u in by_kind[kind]]
    reached += rng.sample(institutions, INSTITUTIONS_REACHED)
    places = reached + [rng.choice(reached) for _ in range(VISITS - len(reached))]
    rng.shuffle(places)
    visits = [
        Visit(
            unit=place,
            date=ctx.random_day(CAMPAIGN_START, CAMPAIGN_END),
            purpose=_pick_weighted(
                rng, [(VisitPurpose.RESEARCH, 60), (VisitPurpose.RECEPTION, 15), (VisitPurpose.SOLVING, 25)]
            ),
            notes="",
            region_code=city.code,
        )
        for place in places
    ]
    Visit.objects.bulk_create(visits, batch_size=1000)

    counties_by_path = {u.path: u for u in by_kind[UnitKind.COUNTY] if u.depth == city.depth + 1}
    visits_by_county: dict[int, list[int]] = defaultdict(list)
    for n, visit in enumerate(visits):
        county = _county_of(visit.unit.path, counties_by_path)
        if county is not None:
            visits_by_county[county.pk].append(n)
    cadres = list(
        Person.objects.filter(unit__path__startswith=city.path, rank=Rank.COUNTY).select_related("unit").order_by("pk")
    )
    pool = rng.sample(cadres, COUNTY_CADRES)
    people: list[set[int]] = [set() for _ in visits]
    # Every leader and every cadre of the pool went at least once; cadres of a county went to
    # its own units, cadres of city departments anywhere.
    for k, leader in enumerate(leaders):
        people[rng.randrange(len(visits)) if k else 0].add(leader.pk)
    for cadre in pool:
        county = _county_of(cadre.unit.path, counties_by_path)
        choices = visits_by_county.get(county.pk) if county else None
        people[rng.choice(choices) if choices else rng.randrange(len(visits))].add(cadre.pk)
    for group in people:
        if not group or rng.random() < 0.35:
            group.add(rng.choice(pool).pk)
        if rng.random() < 0.25:
            group.add(rng.choice(leaders).pk)
    through = Visit.people.through
    Visit.people.through.objects.bulk_create(
        [
            through(visit_id=visit.pk, person_id=pid)
            for visit, group in zip(visits, people, strict=True)
            for pid in group
        ],
        batch_size=2000,
    )
    ctx.log(f"  visits: {len(visits)}")
    return visits


def _raiser(rng) -> str:
    if rng.random() < 0.8:
        (a, _a), (b, _b) = rng.sample(N.TIBETAN_GIVEN, 2)
        return a + b
    return rng.choice(N.HAN_SURNAMES) + rng.choice(N.HAN_GIVEN)


def _build_concerns(ctx, city, units, by_kind, by_path, visits) -> list[Concern]:
    rng = ctx.rng
    categories = list(ConcernCategory.objects.order_by("order", "pk"))
    weights = {"停车": 14, "环境卫生": 14, "交通出行": 12, "水电暖": 11, "住房": 9, "就业增收": 9}
    depts = {u.code: u for u in by_kind[UnitKind.DEPARTMENT] if u.depth == city.depth + 1}
    accounts = ctx.made.get("accounts", {})
    office = accounts.get("lhasa-office")
    places = by_kind[UnitKind.VILLAGE] + by_kind[UnitKind.TOWNSHIP] + by_kind[UnitKind.SCHOOL]
    day_span = (CAMPAIGN_END - CAMPAIGN_START).days

    def local_handler(unit: Unit) -> Unit:
        # the township above a village (or the unit's county when there is none)
        for depth in (city.depth + 2, city.depth + 1):
            parent = by_path.get(unit.path[: depth * Unit.steplen])
            if parent is not None and parent.kind in (UnitKind.TOWNSHIP, UnitKind.COUNTY):
                return parent
        return unit

    drafts = []
    for _ in range(COLLECTED):
        source = _pick_weighted(rng, SOURCES)
        visit = rng.choice(visits) if source == ConcernSource.VISIT else None
        unit = visit.unit if visit else rng.choice(places)
        day = visit.date if visit else ctx.random_day(CAMPAIGN_START, CAMPAIGN_END)
        category = _pick_weighted(rng, [(c, weights.get(c.name_zh, 5)) for c in categories])
        # Late concerns are more likely to be still open on 2021-12-31.
        score = (day - CAMPAIGN_START).days + rng.gauss(0, day_span / 12)
        drafts.append((score, source, visit, unit, day, category))
    drafts.sort(key=lambda d: d[0])
    states = [ConcernState.RESOLVED] * RESOLVED
    # The open concerns are the latest ones; the less far along, the later (with some mixing).
    tail = [state for state, n in OPEN_SPREAD for _ in range(n)]
    for i in range(0, len(tail), 40):
        window = tail[i : i + 40]
        rng.shuffle(window)
        tail[i : i + 40] = window
    states += tail
    callback_pending = set(rng.sample(range(RESOLVED), AWAITING_CALLBACK))

    concerns = []
    for n, ((_score, source, visit, unit, day, category), state) in enumerate(zip(drafts, states, strict=True)):
        dept_code, problems = CATEGORY_WORK.get(category.name_zh, ("", ["其他诉求"]))
        if state == ConcernState.COLLECTED:
            handler = None
        elif dept_code and rng.random() < 0.4:
            handler = depts[dept_code]
        else:
            handler = local_handler(unit)
        response_due = day + datetime.timedelta(days=category.response_days)
        resolution_due = day + datetime.timedelta(days=category.resolution_days)
        responded = None
        if state not in (ConcernState.COLLECTED, ConcernState.ASSIGNED):
            responded = min(day + datetime.timedelta(days=rng.randint(0, category.response_days + 1)), CAMPAIGN_END)
        resolved_on = None
        satisfaction = ""
        if state == ConcernState.RESOLVED or state == ConcernState.REOPENED:
            span = max(1, int(category.resolution_days * rng.uniform(0.2, 1.3)))
            resolved_on = min(max(responded or day, day + datetime.timedelta(days=span)), CAMPAIGN_END)
        if state == ConcernState.RESOLVED and n not in callback_pending:
            state = ConcernState.VERIFIED
            satisfaction = Satisfaction.SATISFIED if rng.random() < 0.9 else Satisfaction.PARTLY
        if state == ConcernState.REOPENED:
            satisfaction = Satisfaction.NOT_SATISFIED
        concerns.append(
            Concern(
                unit=unit,
                handling_unit=handler,
                category=category,
                source=source,
                visit=visit,
                description=rng.choice(problems),
                raised_by=_raiser(rng),
                contact=f"139{rng.randrange(10**8):08d}" if rng.random() < 0.6 else "",
                collected_on=day,
                state=state,
                response_due=response_due,
                resolution_due=resolution_due,
                responded_on=responded,
                resolved_on=resolved_on,
                action_taken="已协调相关部门落实整改" if resolved_on else "",
                evidence="整改前后照片、办理记录" if resolved_on else "",
                satisfaction=satisfaction,
                recorded_by=None,
                version=1,
                region_code=city.code,
            )
        )
    Concern.objects.bulk_create(concerns, batch_size=1000)
    duplicates = []
    for _ in range(DUPLICATES):
        original = rng.choice(concerns)
        day = min(original.collected_on + datetime.timedelta(days=rng.randint(0, 10)), CAMPAIGN_END)
        duplicates.append(
            Concern(
                unit=original.unit,
                category=original.category,
                source=ConcernSource.HOTLINE,
                description=original.description,
                raised_by=_raiser(rng),
                collected_on=day,
                state=ConcernState.DUPLICATE,
                duplicate_of=original,
                response_due=original.response_due,
                resolution_due=original.resolution_due,
                region_code=city.code,
            )
        )
    Concern.objects.bulk_create(duplicates)
    ConcernEvent.objects.bulk_create(_timeline(rng, concerns + duplicates, office), batch_size=2000)
    ctx.log(f"  concerns: {len(concerns)} (+{len(duplicates)} duplicates)")
    return concerns


def _timeline(rng, concerns, office) -> list[ConcernEvent]:
    S = ConcernState
    events = []

    step = {"n": 0}

    def add(c, kind, day, before, after, **fields):
        # Steps on the same day keep their order: each comes an hour after the one before.
        step["n"] += 1
        events.append(
            ConcernEvent(
                concern=c,
                kind=kind,
                at=_at(day, 8 + step["n"]),
                actor=office,
                from_state=before,
                to_state=after,
                handling_unit=c.handling_unit,
                region_code=c.region_code,
                **fields,
            )
        )

    for c in concerns:
        step["n"] = rng.randint(0, 3)
        add(c, EventKind.COLLECT, c.collected_on, "", S.COLLECTED)
        if c.state == S.DUPLICATE:
            add(c, EventKind.DUPLICATE, c.collected_on, S.COLLECTED, S.DUPLICATE, note=f"#{c.duplicate_of_id}")
            continue
        if c.handling_unit is None:
            continue
        add(c, EventKind.ASSIGN, c.collected_on, S.COLLECTED, S.ASSIGNED)
        if c.responded_on is None:
            continue
        if c.state in (S.NOT_RESOLVABLE, S.CLOSED_NOT_RESOLVABLE):
            add(
                c,
                EventKind.MARK_NOT_RESOLVABLE,
                c.responded_on,
                S.ASSIGNED,
                S.NOT_RESOLVABLE,
                reason="受规划和政策限制，暂不具备解决条件",
            )
            if c.state == S.CLOSED_NOT_RESOLVABLE:
                add(
                    c,
                    EventKind.SIGN_OFF,
                    c.responded_on,
                    S.NOT_RESOLVABLE,
                    S.CLOSED_NOT_RESOLVABLE,
                    note="已向群众解释说明",
                )
            continue
        add(c, EventKind.START, c.responded_on, S.ASSIGNED, S.IN_PROGRESS)
        if c.resolved_on is None:
            continue
        add(c, EventKind.RESOLVE, c.resolved_on, S.IN_PROGRESS, S.RESOLVED, note=c.action_taken, evidence=c.evidence)
        if c.satisfaction:
            after = S.REOPENED if c.satisfaction == Satisfaction.NOT_SATISFIED else S.VERIFIED
            add(c, EventKind.CALLBACK, c.resolved_on, S.RESOLVED, after, satisfaction=c.satisfaction)
    return events


def _build_key_items(ctx, city, leaders, concerns) -> None:
    rng = ctx.rng
    programmes = Programme.objects.bulk_create(
        [Programme(unit=city, name_zh=zh, name_bo=bo, order=n) for n, (zh, bo) in enumerate(PROGRAMMES, start=1)]
    )
    departments = {u.code: u for u in Unit.objects.filter(code__in=[i[3] for i in KEY_ITEMS])}
    listed = datetime.date(2021, 4, 15)
    items = []
    for n, (p, zh, bo, code, _category, solved) in enumerate(KEY_ITEMS):
        items.append(
            KeyItem(
                programme=programmes[p],
                title_zh=zh,
                title_bo=bo,
                responsible_unit=departments[code],
                responsible_leader=leaders[(n * 3) % len(leaders)],
                listed_on=listed,
                status=KeyItemStatus.SOLVED if solved else KeyItemStatus.OPEN,
                solved_on=datetime.date(2021, 9, 1) + datetime.timedelta(days=rng.randint(0, 110)) if solved else None,
                confirmed_by=ctx.made.get("accounts", {}).get("lhasa-office") if solved else None,
                region_code=city.code,
            )
        )
    KeyItem.objects.bulk_create(items)
    milestones = []
    for item in items:
        done_until = len(MILESTONES) if item.status == KeyItemStatus.SOLVED else rng.randint(1, 3)
        for m, (title, weight) in enumerate(MILESTONES):
            due = listed + datetime.timedelta(days=30 * (m + 1) + rng.randint(0, 10))
            milestones.append(
                Milestone(
                    item=item,
                    title_zh=title,
                    due=due,
                    weight=weight,
                    done_on=min(due, item.solved_on or CAMPAIGN_END) if m < done_until else None,
                )
            )
    Milestone.objects.bulk_create(milestones)
    links = []
    by_category = defaultdict(list)
    for c in concerns:
        by_category[c.category.name_zh].append(c)
    through = KeyItem.concerns.through
    for item, spec in zip(items, KEY_ITEMS, strict=True):
        pool = by_category.get(spec[4], [])
        for c in rng.sample(pool, min(len(pool), rng.randint(5, 15))):
            links.append(through(keyitem_id=item.pk, concern_id=c.pk))
    through.objects.bulk_create(links)
    ctx.log(f"  key items: {len(items)} in {len(programmes)} programmes")


def _build_pairings(ctx, city, departments, units) -> int:
    stations = ctx.made.get("village_stations", {})
    rows = []
    since = datetime.date(2021, 3, 15)
    for department in departments:
        village = stations.get(department.pk)
        org = next(
            (u for u in units if u.path.startswith(department.path) and u.kind == UnitKind.PARTY_COMMITTEE), None
        )
        branch = next(
            (u for u in units if village and u.path.startswith(village.path) and u.kind == UnitKind.PARTY_BRANCH),
            None,
        )
        if org is None or branch is None:
            continue
        rows.append(
            Pairing(city_org=org, village_branch=branch, since=since, theme="结对共建·主题党日", region_code=city.code)
        )
    Pairing.objects.bulk_create(rows)
    ctx.log(f"  pairings: {len(rows)}")
    return len(rows)
