"""Test set-up shared by every app.

The foundation of the Lhasa demo (unit tree, people, accounts, campaign and supervision
groups) is built once per test session, plus a second city (Shigatse) that nobody in Lhasa
may see, so that every persona has something outside its scope. Tests run in transactions
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
    from campaigns import demo as campaigns_demo
    from campaigns.models import Campaign, SupervisionGroup
    from core.seeding import CAMPAIGN_END, CAMPAIGN_START, DEMO_PASSWORD, DemoContext, ensure_reference_data
    from orgs import demo as orgs_demo
    from orgs.choices import Rank, Role, UnitKind
    from orgs.models import Account, Person, Unit
    from orgs.services import create_root_unit

    ensure_reference_data()
    ctx = DemoContext(log=lambda *a: None)
    orgs_demo.build(ctx)
    campaigns_demo.build(ctx)
    # Another city, outside every Lhasa account's scope.
    shigatse = create_root_unit(code="540200", name_zh="日喀则市", name_bo="གཞིས་ཀ་རྩེ་གྲོང་ཁྱེར།", kind=UnitKind.CITY)
    county = Unit.objects.add_child(
        shigatse,
        create_kwargs={
            "code": "540202",
            "name_zh": "桑珠孜区",
            "name_bo": "བསམ་གྲུབ་རྩེ་ཆུས།",
            "kind": UnitKind.COUNTY,
            "region_code": "540200",
        },
    )
    head = Person.objects.create(name_zh="外市领导", rank=Rank.PREFECTURE, unit=shigatse)
    campaign = Campaign.objects.create(
        name_zh="外市学教", name_bo="ཕྱི་གྲོང་།", root_unit=shigatse, start=CAMPAIGN_START, end=CAMPAIGN_END
    )
    group = SupervisionGroup.objects.create(campaign=campaign, number=1, head=head)
    group.units.set([county])
    account = Account(username="shigatse-office", unit=shigatse, role=Role.OFFICE_ADMIN)
    account.set_password(DEMO_PASSWORD)
    account.save()


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
    """Committed demo data for tests that run outside a rolled-back transaction."""
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
