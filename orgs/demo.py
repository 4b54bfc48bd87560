"""The Lhasa unit tree, its people and the demo accounts.

Built in memory and written with bulk inserts (paths computed here, as treebeard would), so
that the whole tree of a few thousand units lands in well under a second per city.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.seeding import DEMO_PASSWORD, DemoContext
from orgs import demo_names as N
from orgs.choices import Rank, Role, UnitKind
from orgs.models import Account, Person, Unit


@dataclass
class Node:
    code: str
    name_zh: str
    name_bo: str
    kind: str
    party_members: int = 0
    headcount: int | None = None
    children: list[Node] = field(default_factory=list)

    def add(self, *args, **kwargs) -> Node:
        child = Node(*args, **kwargs)
        self.children.append(child)
        return child


def _party_orgs(
    ctx: DemoContext,
    host: Node,
    *,
    branches: int,
    committee: bool = False,
    general: bool = False,
    members: int = 0,
) -> None:
    """Party organisations of a unit: a committee or general branch with branches under it,
    or just branches. Members are spread over the branches."""
    rng = ctx.rng
    members_left = max(members or host.party_members, branches * 3)
    if committee or general:
        top_zh, top_bo = N.PARTY_COMMITTEE if committee else N.PARTY_GENERAL_BRANCH
        top_kind = UnitKind.PARTY_COMMITTEE if committee else UnitKind.PARTY_GENERAL_BRANCH
        top = host.add(f"{host.code}P0", f"{host.name_zh}{top_zh}", f"{host.name_bo.rstrip('།')}{top_bo}", top_kind)
    else:
        top = host
    for i in range(1, branches + 1):
        share = members_left // (branches - i + 1) if i < branches else members_left
        share = max(3, int(share * rng.uniform(0.8, 1.2))) if i < branches else max(3, share)
        members_left = max(0, members_left - share)
        suffix_zh = f"第{i}" if branches > 1 else ""
        suffix_bo = f"ཨང་{i} " if branches > 1 else ""
        top.add(
            f"{host.code}P{i}",
            f"{host.name_zh}{suffix_zh}{N.PARTY_BRANCH[0]}",
            f"{host.name_bo.rstrip('།')}{suffix_bo}{N.PARTY_BRANCH[1]}",
            UnitKind.PARTY_BRANCH,
            party_members=share,
        )


def _place_name(ctx: DemoContext, used: set[str]) -> tuple[str, str]:
    rng = ctx.rng
    while True:
        (a_zh, a_bo), (b_zh, b_bo) = rng.sample(N.PLACE_SYLLABLES, 2)
        if a_zh + b_zh not in used:
            used.add(a_zh + b_zh)
            return a_zh + b_zh, f"{a_bo}་{b_bo}་"


def build_city(ctx: DemoContext, prefix: str = "5401", label: str = "") -> Node:
    """One city shaped like Lhasa. ``prefix`` replaces 5401 in every code (for the copies
    that ``--scale`` adds) and ``label`` is appended to the copies' top names."""
    rng = ctx.rng

    def code(c: str) -> str:
        return prefix + c[4:]

    city = Node(code(N.CITY[0]), N.CITY[1] + label, N.CITY[2] + label, UnitKind.CITY, party_members=0)
    for i, (zh, bo) in enumerate(N.CITY_DEPARTMENTS, start=1):
        dept = city.add(code(f"540100D{i:02d}"), zh, bo, UnitKind.DEPARTMENT, party_members=rng.randint(40, 160))
        _party_orgs(ctx, dept, branches=rng.randint(3, 6), committee=True)
    for i, (zh, bo) in enumerate(N.CITY_SCHOOLS, start=1):
        school = city.add(
            code(f"540100S{i:02d}"),
            zh,
            bo,
            UnitKind.SCHOOL,
            party_members=rng.randint(30, 90),
            headcount=rng.randint(800, 3000),
        )
        _party_orgs(ctx, school, branches=3, general=True)
    for i, (zh, bo) in enumerate(N.CITY_ENTERPRISES, start=1):
        ent = city.add(
            code(f"540100E{i:02d}"),
            zh,
            bo,
            UnitKind.ENTERPRISE,
            party_members=rng.randint(20, 80),
            headcount=rng.randint(100, 900),
        )
        _party_orgs(ctx, ent, branches=2, general=True)
    for i, (zh, bo) in enumerate(N.BARRACKS, start=1):
        bar = city.add(code(f"540100B{i:02d}"), zh, bo, UnitKind.BARRACKS, party_members=rng.randint(60, 200))
        _party_orgs(ctx, bar, branches=3, committee=True)

    for county_code, county_zh, county_bo in N.COUNTIES:
        county = city.add(code(county_code), county_zh, county_bo, UnitKind.COUNTY)
        _party_orgs(ctx, county, branches=rng.randint(8, 12), committee=True, members=rng.randint(150, 300))
        short_bo = county_bo.rstrip("།").removesuffix("ཆུས").removesuffix("རྫོང་").rstrip("་")
        for i, (zh, bo) in enumerate(N.COUNTY_DEPARTMENTS, start=1):
            dept = county.add(
                f"{county.code}D{i:02d}",
                f"{county_zh}{zh}",
                f"{short_bo}་{bo}",
                UnitKind.DEPARTMENT,
                party_members=rng.randint(15, 60),
            )
            _party_orgs(ctx, dept, branches=2, general=True)
        school = county.add(
            f"{county.code}S01",
            f"{county_zh}中学",
            f"{short_bo}་སློབ་འབྲིང་།",
            UnitKind.SCHOOL,
            party_members=rng.randint(20, 60),
            headcount=rng.randint(600, 2000),
        )
        _party_orgs(ctx, school, branches=2)
        for m, (_mc, mzh, mbo) in enumerate([m for m in N.MONASTERIES if m[0] == county_code], start=1):
            mon = county.add(
                f"{county.code}M{m:02d}",
                mzh,
                mbo,
                UnitKind.MONASTERY,
                party_members=rng.randint(5, 15),
                headcount=rng.randint(40, 400),
            )
            _party_orgs(ctx, mon, branches=1)
        ent = county.add(
            f"{county.code}E01",
            f"{county_zh}农牧民专业合作社",
            f"{short_bo}་ཞིང་འབྲོག་པའི་ཆེད་ལས་མཉམ་ལས་ཁང་།",
            UnitKind.ENTERPRISE,
            party_members=rng.randint(8, 30),
            headcount=rng.randint(40, 200),
        )
        _party_orgs(ctx, ent, branches=1)

        for t, (t_zh, t_bo, (suffix_zh, suffix_bo)) in enumerate(N.TOWNSHIPS[county_code], start=1):
            street = suffix_zh == "街道"
            township = county.add(
                f"{county.code}{t:03d}", f"{t_zh}{suffix_zh}", f"{t_bo}{suffix_bo}", UnitKind.TOWNSHIP
            )
            _party_orgs(ctx, township, branches=rng.randint(4, 7), committee=True, members=rng.randint(40, 120))
            school = township.add(
                f"{township.code}S01",
                f"{t_zh}{suffix_zh}中心小学",
                f"{t_bo}ལྟེ་བའི་སློབ་ཆུང་།",
                UnitKind.SCHOOL,
                party_members=rng.randint(6, 20),
                headcount=rng.randint(150, 900),
            )
            _party_orgs(ctx, school, branches=1)
            used: set[str] = set()
            n_villages = rng.randint(4, 6) if street else rng.randint(5, 8)
            for v in range(1, n_villages + 1):
                v_zh, v_bo = _place_name(ctx, used)
                kind_zh, kind_bo = N.COMMUNITY if street else N.VILLAGE
                members = rng.randint(30, 160)
                village = township.add(
                    f"{township.code}{v:03d}",
                    f"{v_zh}{kind_zh}",
                    f"{v_bo}{kind_bo}",
                    UnitKind.VILLAGE,
                    party_members=members,
                    headcount=rng.randint(600, 4000),
                )
                _party_orgs(ctx, village, branches=rng.randint(3, 6), general=True)
    return city


def _assign_paths(root: Node, path: str, depth: int, out: list[Unit], region_code: str) -> None:
    root.children.sort(key=lambda n: n.code)
    out.append(
        Unit(
            path=path,
            depth=depth,
            numchild=len(root.children),
            code=root.code,
            name_zh=root.name_zh,
            name_bo=root.name_bo,
            kind=root.kind,
            party_members=root.party_members,
            headcount=root.headcount,
            region_code=region_code,
        )
    )
    for i, child in enumerate(root.children, start=1):
        _assign_paths(child, Unit._get_path(path, depth + 1, i), depth + 1, out, region_code)


def _roll_up_members(node: Node) -> int:
    """Party members of a city, county or township are those of the branches below it; a
    committee or general branch counts its branches'. Returns the branch members below."""
    below = sum(_roll_up_members(c) for c in node.children)
    if node.kind == UnitKind.PARTY_BRANCH:
        return node.party_members + below
    if node.kind in (
        UnitKind.REGION,
        UnitKind.CITY,
        UnitKind.COUNTY,
        UnitKind.TOWNSHIP,
        UnitKind.PARTY_COMMITTEE,
        UnitKind.PARTY_GENERAL_BRANCH,
    ):
        node.party_members = below
    return below


def _person_name(ctx: DemoContext) -> tuple[str, str]:
    rng = ctx.rng
    if rng.random() < 0.75:
        (a_zh, a_bo), (b_zh, b_bo) = rng.sample(N.TIBETAN_GIVEN, 2)
        return a_zh + b_zh, f"{a_bo}་{b_bo}།"
    return rng.choice(N.HAN_SURNAMES) + rng.choice(N.HAN_GIVEN), ""


def build(ctx: DemoContext) -> None:
    cities: list[Node] = [build_city(ctx)]
    for n in range(2, ctx.scale + 1):
        cities.append(build_city(ctx, prefix=f"59{n:02d}", label=f"·{n}"))
    units: list[Unit] = []
    if ctx.scale == 1:
        root = cities[0]
        _roll_up_members(root)
        _assign_paths(root, Unit._get_path(None, 1, 1), 1, units, root.code)
    else:
        region = Node("540000", "西藏自治区", "བོད་རང་སྐྱོང་ལྗོངས།", UnitKind.REGION, children=cities)
        _roll_up_members(region)
        _assign_paths(region, Unit._get_path(None, 1, 1), 1, units, "")
        for u in units:
            u.region_code = u.code if u.depth == 1 else ""
        # The region code a ledger row carries is the city's (the depth-2 unit's) code, so
        # that a distributed database can keep each city's rows together.
        city_by_path = {u.path: u.code for u in units if u.depth == 2}
        for u in units:
            if u.depth >= 2:
                u.region_code = city_by_path[u.path[: 2 * Unit.steplen]]
    Unit.objects.bulk_create(units, batch_size=2000)
    ctx.log(f"  units: {len(units)}")
    lhasa = Unit.objects.get(code="540100")
    ctx.made["city"] = lhasa
    _build_people(ctx, lhasa)
    _build_accounts(ctx, lhasa)


def _build_people(ctx: DemoContext, city: Unit) -> None:
    """43 prefecture-level leaders at the city, 1,000+ county/division-level cadres in the
    city departments, counties and county departments, and other cadres in townships."""
    rng = ctx.rng
    people: list[Person] = []
    posts_zh = [
        "市委书记",
        "市长",
        "市委副书记",
        "市委常委、宣传部部长",
        "市委常委、组织部部长",
        "市委常委、政法委书记",
        "市委常委、纪委书记",
        "市委常委、统战部部长",
        "市委常委、秘书长",
        "常务副市长",
    ]
    for i in range(43):
        zh, bo = _person_name(ctx)
        post = (
            posts_zh[i]
            if i < len(posts_zh)
            else rng.choice(["副市长", "市人大常委会副主任", "市政协副主席", "市级领导"])
        )
        people.append(Person(name_zh=zh, name_bo=bo, rank=Rank.PREFECTURE, unit=city, post=post))
    departments = list(Unit.objects.filter(path__startswith=city.path, kind=UnitKind.DEPARTMENT))
    counties = list(Unit.objects.filter(path__startswith=city.path, kind=UnitKind.COUNTY))
    county_posts = ["书记", "区(县)长", "副书记", "常委", "副区(县)长", "人大常委会主任", "政协主席", "调研员"]
    for county in counties:
        for _ in range(40):
            zh, bo = _person_name(ctx)
            people.append(Person(name_zh=zh, name_bo=bo, rank=Rank.COUNTY, unit=county, post=rng.choice(county_posts)))
    for dept in departments:
        n = 16 if dept.depth == city.depth + 1 else 5
        for _ in range(n):
            zh, bo = _person_name(ctx)
            people.append(
                Person(
                    name_zh=zh,
                    name_bo=bo,
                    rank=Rank.COUNTY,
                    unit=dept,
                    post=rng.choice(["局长", "部长", "副局长", "副部长", "调研员"]),
                )
            )
    for township in Unit.objects.filter(path__startswith=city.path, kind=UnitKind.TOWNSHIP):
        for post in ("党委书记", "乡(镇)长", "驻村工作队员"):
            zh, bo = _person_name(ctx)
            people.append(Person(name_zh=zh, name_bo=bo, rank=Rank.OTHER, unit=township, post=post))
    Person.objects.bulk_create(people, batch_size=2000)
    ctx.log(f"  people: {len(people)}")


DEMO_ACCOUNTS = [
    # username, unit code, role, display name
    ("lhasa-office", "540100", Role.OFFICE_ADMIN, "拉萨市学教办"),
    ("lhasa-leader", "540100", Role.LEADER, "拉萨市领导"),
    ("chengguan-office", "540102", Role.OFFICE_ADMIN, "城关区学教办"),
    ("chengguan-reporter", "540102", Role.REPORTER, "城关区填报员"),
    ("dagze-reporter", "540104", Role.REPORTER, "达孜区填报员"),
    ("barkor-reporter", "540102001", Role.REPORTER, "八廓街道填报员"),
    ("supervisor-3", "540100", Role.SUPERVISOR, "第三督导组"),
    ("participant", "540102001001", Role.PARTICIPANT, "答题群众"),
]


def _build_accounts(ctx: DemoContext, city: Unit) -> None:
    units = {u.code: u for u in Unit.objects.filter(code__in=[a[1] for a in DEMO_ACCOUNTS])}
    template = Account(username="template")
    template.set_password(DEMO_PASSWORD)  # hash once: Argon2 is slow on purpose
    accounts = [
        Account(username=username, unit=units[code], role=role, display_name=name, password=template.password)
        for username, code, role, name in DEMO_ACCOUNTS
    ]
    Account.objects.bulk_create(accounts)
    ctx.made["accounts"] = {a.username: Account.objects.get(username=a.username) for a in accounts}
