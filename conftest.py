"""Test set-up shared by every app.

A small world (``build_world``: a unit tree of Lhasa, its people, accounts, campaign and
supervision groups, made by the apps' factories) is built once per test session, plus a
second city (Shigatse) that nobody in Lhasa may see, so that every persona has something
outside its scope. Tests make the other rows they need; the few whose point is the demo
build it themselves. Tests run in transactions
that roll back; browser tests, which need committed data, rebuild it when a previous
transactional test has emptied the database.
"""

from __future__ import annotations

import os
import uuid

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# next to one unless told that this is deliberate.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PERSONAS = {
    "office": "lhasa-office",
    "leader": "lhasa-leader",
    "cg_office": "chengguan-office",
    "cg_reporter": "chengguan-reporter",
    "dz_reporter": "dagze-reporter",
    "supervisor": "supervisor-3",
    "participant": "participant",
}


def build_world() -> None:
    """The small world every test starts from, built by the apps' factories: Lhasa with
    three city departments and three counties, of which Chengguan and Dagzê go down to
    villages and their Party branches; a few people in the posts that the campaign's leading
    group and its three supervision groups need; one account per persona. Tests that need
    more rows make them (see ``<app>/tests/factories.py``)."""
    from campaigns.choices import LeadingPost
    from campaigns.tests.factories import CampaignFactory, LeadingGroupMemberFactory, SupervisionGroupFactory
    from core.seeding import ensure_reference_data
    from orgs.choices import Rank, Role
    from orgs.choices import UnitKind as K
    from orgs.tests.factories import AccountFactory, PersonFactory, UnitFactory

    ensure_reference_data()

    def unit(parent, code, name_zh, name_bo, kind, members=0, headcount=None):
        return UnitFactory(
            parent=parent,
            code=code,
            name_zh=name_zh,
            name_bo=name_bo,
            kind=kind,
            party_members=members,
            headcount=headcount,
        )

    # Lhasa. Children are added in the order of their codes (the tree keeps siblings so).
    lhasa = unit(None, "540100", "拉萨市", "ལྷ་ས་གྲོང་ཁྱེར།", K.CITY, 832)
    propaganda = unit(lhasa, "540100D03", "市委宣传部", "གྲོང་ཁྱེར་ཏང་ཨུའི་དྲིལ་བསྒྲགས་པུའུ།", K.DEPARTMENT, 60)
    transport = unit(lhasa, "540100D16", "市交通运输局", "གྲོང་ཁྱེར་སྐྱེལ་འདྲེན་ཅུས།", K.DEPARTMENT, 40)
    committee = unit(transport, "540100D16P0", "市交通运输局党委", "གྲོང་ཁྱེར་སྐྱེལ་འདྲེན་ཅུས་ཀྱི་ཏང་ཨུ།", K.PARTY_COMMITTEE, 40)
    unit(committee, "540100D16P1", "市交通运输局党支部", "གྲོང་ཁྱེར་སྐྱེལ་འདྲེན་ཅུས་ཀྱི་ཏང་ཡན་ལག", K.PARTY_BRANCH, 40)
    city_management = unit(lhasa, "540100D25", "市城市管理和综合执法局", "གྲོང་ཁྱེར་གྲོང་ཁྱེར་དོ་དམ་ཅུས།", K.DEPARTMENT, 50)
    chengguan = unit(lhasa, "540102", "城关区", "ཁྲིན་ཀོན་ཆུས།", K.COUNTY, 707)
    barkor = unit(chengguan, "540102001", "八廓街道", "བར་སྐོར་ཁྲོམ་གཞུང་ལས་དོན་ཁང་།", K.TOWNSHIP, 662)
    zhuomai = unit(barkor, "540102001001", "卓麦社区", "གྲོ་སྨད་སྡོད་ཁུལ།", K.VILLAGE, 600, 2400)
    general = unit(
        zhuomai, "540102001001P0", "卓麦社区党总支", "གྲོ་སྨད་སྡོད་ཁུལ་ཏང་གི་ཡན་ལག་སྤྱི་ཁྱབ།", K.PARTY_GENERAL_BRANCH, 580
    )
    unit(general, "540102001001P1", "卓麦社区第1党支部", "གྲོ་སྨད་སྡོད་ཁུལ་ཨང་1 ཏང་ཡན་ལག", K.PARTY_BRANCH, 300)
    unit(general, "540102001001P2", "卓麦社区第2党支部", "གྲོ་སྨད་སྡོད་ཁུལ་ཨང་2 ཏང་ཡན་ལག", K.PARTY_BRANCH, 280)
    chongsai = unit(barkor, "540102001002", "冲赛康社区", "ཚོང་གསར་ཁང་སྡོད་ཁུལ།", K.VILLAGE, 90, 1800)
    unit(chongsai, "540102001002P1", "冲赛康社区党支部", "ཚོང་གསར་ཁང་སྡོད་ཁུལ་ཏང་ཡན་ལག", K.PARTY_BRANCH, 82)
    unit(chengguan, "540102002", "吉日街道", "སྐྱིད་རི་ཁྲོམ་གཞུང་ལས་དོན་ཁང་།", K.TOWNSHIP, 45)
    unit(chengguan, "540102D01", "城关区委办公室", "ཁྲིན་ཀོན་ཏང་ཨུའི་གཞུང་ལས་ཁང་།", K.DEPARTMENT, 20)
    doilungdeqen = unit(lhasa, "540103", "堆龙德庆区", "སྟོད་ལུང་བདེ་ཆེན་ཆུས།", K.COUNTY, 50)
    dagze = unit(lhasa, "540104", "达孜区", "སྟག་རྩེ་ཆུས།", K.COUNTY, 35)
    deqen = unit(dagze, "540104001", "德庆镇", "བདེ་ཆེན་གྲོང་རྡལ།", K.TOWNSHIP, 35)
    baina = unit(deqen, "540104001001", "白纳村", "སྦལ་ནང་གྲོང་ཚོ།", K.VILLAGE, 40, 900)
    dagze_general = unit(
        baina, "540104001001P0", "白纳村党总支", "སྦལ་ནང་གྲོང་ཚོའི་ཏང་གི་ཡན་ལག་སྤྱི་ཁྱབ།", K.PARTY_GENERAL_BRANCH, 35
    )
    unit(dagze_general, "540104001001P1", "白纳村党支部", "སྦལ་ནང་གྲོང་ཚོའི་ཏང་ཡན་ལག", K.PARTY_BRANCH, 35)

    # People: the city's leaders, a few cadres of counties and departments, a township's.
    leaders = [
        PersonFactory(unit=lhasa, rank=Rank.PREFECTURE, post=post)
        for post in (
            "市委书记",
            "市长",
            "市委副书记",
            "市委常委、宣传部部长",
            "副市长",
            "市人大常委会副主任",
            "市政协副主席",
        )
    ]
    for county, posts in (
        (chengguan, ("书记", "区(县)长", "副书记")),
        (doilungdeqen, ("书记",)),
        (dagze, ("书记", "区(县)长")),
    ):
        for post in posts:
            PersonFactory(unit=county, rank=Rank.COUNTY, post=post)
    staff = {
        dept: [PersonFactory(unit=dept, rank=Rank.COUNTY, post=post) for post in ("部长", "副部长")]
        for dept in (propaganda, transport, city_management)
    }
    for township in (barkor, deqen):
        PersonFactory(unit=township, rank=Rank.OTHER, post="党委书记")

    # Accounts, one per persona (and Barkor's reporter, whom the account pages manage).
    accounts = {
        username: AccountFactory(username=username, unit=at, role=role, display_name=name)
        for username, at, role, name in (
            ("lhasa-office", lhasa, Role.OFFICE_ADMIN, "拉萨市学教办"),
            ("lhasa-leader", lhasa, Role.LEADER, "拉萨市领导"),
            ("chengguan-office", chengguan, Role.OFFICE_ADMIN, "城关区学教办"),
            ("chengguan-reporter", chengguan, Role.REPORTER, "城关区填报员"),
            ("dagze-reporter", dagze, Role.REPORTER, "达孜区填报员"),
            ("barkor-reporter", barkor, Role.REPORTER, "八廓街道填报员"),
            ("supervisor-3", lhasa, Role.SUPERVISOR, "第三督导组"),
            ("participant", zhuomai, Role.PARTICIPANT, "答题群众"),
        )
    }

    # The campaign: its leading group, and three supervision groups that together cover
    # every county and every city department once (group 3 is the supervisor's, over Dagzê).
    campaign = CampaignFactory(
        root_unit=lhasa,
        office_unit=propaganda,
        goal_words_zh="学史明理、学史增信、学史崇德、学史力行",
        goal_words_bo="ལོ་རྒྱུས་སློབ་ནས་རིགས་པ་གསལ་བ།",
    )
    for order, (person, post, title) in enumerate(
        (
            (leaders[0], LeadingPost.HEAD, "市委书记"),
            (leaders[1], LeadingPost.DEPUTY, "市长"),
            (leaders[2], LeadingPost.DEPUTY, "市委副书记"),
            (leaders[3], LeadingPost.OFFICE_DIRECTOR, "市委常委、宣传部部长，领导小组办公室主任"),
            (staff[propaganda][0], LeadingPost.MEMBER, "市直部门主要负责人"),
            (staff[transport][1], LeadingPost.WORK_TEAM, "工作专班成员"),
        )
    ):
        LeadingGroupMemberFactory(campaign=campaign, person=person, post=post, title=title, order=order)
    for number, (county, dept) in enumerate(
        ((chengguan, propaganda), (doilungdeqen, transport), (dagze, city_management)), start=1
    ):
        head = leaders[3 + number]
        SupervisionGroupFactory(
            campaign=campaign,
            number=number,
            head=head,
            units=[county, dept],
            members=[head, staff[dept][1]],
            accounts=[accounts["supervisor-3"]] if number == 3 else [],
        )
    supervisor = accounts["supervisor-3"]
    supervisor.person = leaders[6]
    supervisor.save(update_fields=["person"])

    # Another city, outside every Lhasa account's scope.
    shigatse = unit(None, "540200", "日喀则市", "གཞིས་ཀ་རྩེ་གྲོང་ཁྱེར།", K.CITY)
    samzhubze = unit(shigatse, "540202", "桑珠孜区", "བསམ་གྲུབ་རྩེ་ཆུས།", K.COUNTY)
    head = PersonFactory(name_zh="外市领导", rank=Rank.PREFECTURE, unit=shigatse)
    other = CampaignFactory(name_zh="外市学教", name_bo="ཕྱི་གྲོང་།", root_unit=shigatse)
    SupervisionGroupFactory(campaign=other, number=1, head=head, units=[samzhubze])
    AccountFactory(username="shigatse-office", unit=shigatse, role=Role.OFFICE_ADMIN)


def build_demo_foundation():
    """Replace the world's Lhasa by the demo's (its whole unit tree, people, accounts,
    campaign and eight supervision groups), inside the caller's transaction, for the tests
    whose point is the demo's figures. Shigatse stays. Returns the demo's context."""
    from campaigns import demo as campaigns_demo
    from campaigns.models import Campaign
    from core.seeding import DemoContext
    from orgs import demo as orgs_demo
    from orgs.models import Account, Person, Unit

    lhasa = Unit.objects.get(code="540100")
    Campaign.objects.filter(root_unit=lhasa).delete()
    Account.objects.filter(unit__path__startswith=lhasa.path).delete()
    Person.objects.filter(unit__path__startswith=lhasa.path).delete()
    Unit.objects.filter(path__startswith=lhasa.path).delete()
    ctx = DemoContext(log=lambda *a: None)
    orgs_demo.build(ctx)
    campaigns_demo.build(ctx)
    return ctx


@pytest.fixture
def demo_foundation(db):
    """The demo's Lhasa in place of the world's, for this test only (see
    ``build_demo_foundation``)."""
    return build_demo_foundation()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request served by the test client leaves
    its language active in the thread, for whatever test comes next."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        build_world()


@pytest.fixture
def world(django_db_blocker):
    """The committed world (``build_world``) for tests that run outside a rolled-back
    transaction: rebuilt when a previous transactional test has emptied the database."""
    from orgs.models import Unit

    with django_db_blocker.unblock():
        if not Unit.objects.filter(code="540100").exists():
            build_world()


def _account(username):
    from orgs.models import Account

    return Account.objects.get(username=username)


@pytest.fixture
def office(db):
    return _account(PERSONAS["office"])


@pytest.fixture
def leader(db):
    return _account(PERSONAS["leader"])


@pytest.fixture
def cg_office(db):
    return _account(PERSONAS["cg_office"])


@pytest.fixture
def cg_reporter(db):
    return _account(PERSONAS["cg_reporter"])


@pytest.fixture
def dz_reporter(db):
    return _account(PERSONAS["dz_reporter"])


@pytest.fixture
def supervisor(db):
    return _account(PERSONAS["supervisor"])


@pytest.fixture
def participant(db):
    return _account(PERSONAS["participant"])


@pytest.fixture
def unit(db):
    """A unit by code: ``unit("540102")``."""
    from orgs.models import Unit

    return lambda code: Unit.objects.get(code=code)


@pytest.fixture
def as_user():
    """A test client signed in as the account: ``as_user(cg_office).get(...)``."""
    from django.test import Client

    def login(account):
        client = Client()
        client.force_login(account)
        return client

    return login


# --- The API ------------------------------------------------------------------------------
@pytest.fixture
def token_for(db):
    """``token_for(account)`` -> the secret of a new API token of that account."""
    from orgs.tokens import create_token

    def make(account, name: str = "test") -> str:
        return create_token(actor=account, name=name)[1]

    return make


@pytest.fixture
def api_as(token_for):
    """``api_as(account)`` -> a ``core.testing.ApiClient`` acting with a new token of that
    account."""
    from core.testing import ApiClient

    return lambda account: ApiClient(token_for(account))


@pytest.fixture
def fresh_rate_limits():
    """No API token starts the test with calls already counted against its rate limit, or
    with a use remembered."""
    from django.core.cache import cache

    from core.ratelimit import counter

    counter().clear()
    cache.clear()


# --- A scratch database for the real commands ---------------------------------------------
@pytest.fixture
def scratch_env(tmp_path):
    """The environment for running ``manage.py`` in a separate process (``core.testing.manage``)
    against a scratch database: a new SQLite file under ``tmp_path``, or, when DATABASE_URL
    names PostgreSQL, a new database on the same server, dropped afterwards."""
    env = {**os.environ, "XUEJIAO_VAR_DIR": str(tmp_path / "var"), "DJANGO_SETTINGS_MODULE": "xuejiao.settings"}
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        name = f"xuejiao_scratch_{uuid.uuid4().hex[:8]}"
        admin_url = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + name
        yield env
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        env.pop("DATABASE_URL", None)
        yield env


# --- Browser tests -------------------------------------------------------------------------
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
ARTIFACTS = os.path.join(os.path.dirname(__file__), "test-artifacts")


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium, driven by Playwright (Playwright's own browser download is not
    used: the machine has no internet)."""
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("XUEJIAO_CHROMIUM", "/usr/bin/chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(params=["desktop", "phone"])
def screen(request):
    return request.param


@pytest.fixture
def page(chromium, live_server, world, screen):
    """A fresh browser page at desktop or phone size, pointed at the live server.
    ``page.shot(name)`` saves a screenshot under test-artifacts/."""
    context = chromium.new_context(
        viewport=DESKTOP if screen == "desktop" else PHONE,
        base_url=live_server.url,
        locale="zh-CN",
        is_mobile=screen == "phone",
    )
    context.set_default_timeout(15_000)
    browser_page = context.new_page()
    os.makedirs(ARTIFACTS, exist_ok=True)

    def shot(name: str) -> None:
        browser_page.screenshot(path=os.path.join(ARTIFACTS, f"{name}-{screen}.png"), full_page=True)

    browser_page.shot = shot
    yield browser_page
    context.close()


def open_menu(page) -> None:
    """Open the navigation's sections where a phone folds them behind the menu button."""
    if page.is_visible("[data-testid=menu]"):
        page.click("[data-testid=menu]")
        page.wait_for_selector("header .sections a", state="visible")


def switch_language(page, code: str) -> None:
    """Choose the language in the header (a signed-in phone keeps it behind the menu button)."""
    if not page.is_visible("#lang-select"):
        open_menu(page)
    page.select_option("#lang-select", code)
    page.click("[data-testid=set-language]")


def log_in(page, username: str) -> None:
    from core.seeding import DEMO_PASSWORD

    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_selector("[data-testid=logout]", state="attached")


# --- A fixed clock ----------------------------------------------------------------------------
FIXED_NOW = "2026-06-15T12:00:00+08:00"  # a Monday, noon in the platform's time zone


@pytest.fixture
def fixed_clock():
    """The clock set to ``FIXED_NOW`` (and ticking from there), for tests whose dates would
    otherwise be whatever day they run on, or change under them at midnight."""
    import datetime

    import time_machine

    with time_machine.travel(datetime.datetime.fromisoformat(FIXED_NOW), tick=True) as traveller:
        yield traveller
