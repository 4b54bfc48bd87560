"""What a person does with the foundation, in a real browser at desktop and phone size."""

import pytest

from conftest import log_in, open_menu, switch_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_office_admin_logs_in_switches_to_tibetan_and_back(page):
    log_in(page, "lhasa-office")
    page.shot("home-zh")
    switch_language(page, "bo")
    page.wait_for_selector("html[lang=bo]")
    assert "སྒྲིག་འཛུགས་འགོ་ཁྲིད།" in page.text_content("header")
    page.shot("home-bo")
    switch_language(page, "zh-hans")
    page.wait_for_selector("html[lang=zh-hans]")
    assert "组织领导" in page.text_content("header")


def test_a_reporter_browses_the_tree_down_to_a_village(page):
    log_in(page, "chengguan-reporter")
    open_menu(page)
    page.click("text=组织领导")
    page.wait_for_selector("[data-testid=unit-name]:has-text('城关区')")
    page.shot("unit-county")
    page.click("[data-testid=children] >> text=八廓街道")
    page.wait_for_selector("[data-testid=unit-name]:has-text('八廓街道')")
    page.locator("[data-testid=children] a").first.click()
    page.wait_for_selector("nav.breadcrumbs >> text=八廓街道")
    page.shot("unit-village")
    # Nothing of the neighbouring county is reachable.
    response = page.goto("/orgs/units/540104/")
    assert response.status == 404


def test_an_office_admin_creates_an_account_for_a_village_reporter(page):
    log_in(page, "chengguan-office")
    page.goto("/orgs/units/540102001/")
    page.click("text=为此单位新建账号")
    page.fill("#id_username", "barkor-new")
    page.fill("#id_display_name", "八廓新填报员")
    page.select_option("#id_role", "reporter")
    page.fill("#id_password", "a-long-enough-pass-9")
    page.shot("account-form")
    page.click("[data-testid=save]")
    page.wait_for_selector("[data-testid=accounts] >> text=barkor-new")
    page.shot("account-list")


def test_a_refused_account_says_what_is_wrong_at_the_field(page):
    log_in(page, "chengguan-office")
    page.goto("/orgs/accounts/new/")
    page.fill("#id_username", "dz-sneak")
    page.fill("#id_unit", "540104")
    page.fill("#id_password", "a-long-enough-pass-9")
    page.click("[data-testid=save]")
    error = page.wait_for_selector("[data-field=unit]")
    assert "540104" in error.inner_text()


def test_the_phone_layout_does_not_scroll_sideways(page, screen):
    log_in(page, "chengguan-reporter")
    page.goto("/orgs/units/540102/")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"page is {overflow}px wider than the {screen} screen"


@pytest.mark.parametrize("lang", ["zh-hans", "bo"])
def test_the_phone_header_is_one_line_and_its_menu_opens_the_sections(page, screen, lang, live_server):
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    log_in(page, "chengguan-reporter")
    page.wait_for_selector(f"html[lang={lang}]")
    height = page.evaluate("document.querySelector('header').getBoundingClientRect().height")
    if screen == "phone":
        assert height < 100, f"the header takes {height}px of the phone's screen"
        assert not page.is_visible("header .sections")
        open_menu(page)
    assert page.is_visible("header .sections a")
