"""The scope picker on a phone: supervisor-3 lands on the county its group covers, picks a
covered city department, and every page that reads a subtree shows that department until
another is picked; the filters say what they filter. In Chinese and in Tibetan."""

import re

import pytest
from playwright.sync_api import expect

from conftest import log_in
from orgs.models import Account
from orgs.selectors import home_unit, scope_choices

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LABEL = {"zh-hans": "显示范围", "bo": "མངོན་པའི་ཁྱབ་ཁོངས།"}


def _filters_are_labelled(page) -> None:
    """Every control of the page's filters sits in a label whose words are visible."""
    unlabelled = page.evaluate(
        """() => Array.from(document.querySelectorAll("form.filters :is(input, select)"))
            .filter(el => !["hidden", "submit"].includes(el.type))
            .filter(el => {
              const label = el.closest("label");
              if (!label) return true;
              const words = Array.from(label.childNodes).filter(n => n !== el && !n.contains?.(el))
                .map(n => n.textContent.trim()).join("");
              const box = label.getBoundingClientRect();
              return !words || box.width === 0 || box.height === 0;
            })
            .map(el => el.name)"""
    )
    assert not unlabelled, f"filters without a visible label: {unlabelled}"


def _no_sideways_scroll(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the screen"


@pytest.mark.parametrize("screen", ["phone"])
@pytest.mark.parametrize("language", ["zh-hans", "bo"])
def test_a_supervisor_picks_a_covered_unit_on_a_phone_and_keeps_it(page, screen, language):
    supervisor = Account.objects.get(username="supervisor-3")
    county = home_unit(supervisor)
    department = next(u for g in scope_choices(supervisor) for u in g.units if not u.path.startswith(county.path))
    with_name = "name_bo" if language == "bo" else "name_zh"
    log_in(page, "supervisor-3")
    if language != "zh-hans":
        page.select_option("#lang-select", language)
        page.click("[data-testid=set-language]")
        page.wait_for_selector(f"html[lang={language}]")

    page.goto("/reports/dashboard/")
    _filters_are_labelled(page)
    expect(page.locator("h1")).to_contain_text(getattr(county, with_name) or county.name_zh)
    picker = page.locator("[data-testid=scope-picker]")
    expect(picker.locator("label")).to_have_text(LABEL[language])
    expect(picker.locator("label")).to_be_visible()
    # Grouped by county: the county's group holds the county and its townships.
    groups = picker.locator("optgroup")
    assert groups.count() >= 2
    expect(page.locator("[data-testid=range-filters] label").first).to_be_visible()
    _no_sideways_scroll(page)
    page.shot(f"scope-picker-{language}")

    page.select_option("[data-testid=scope-unit]", department.code)
    page.click("[data-testid=scope-submit]")
    page.wait_for_url(re.compile(r"/reports/dashboard/$"))
    expect(page.locator("h1")).to_contain_text(getattr(department, with_name) or department.name_zh)

    # Remembered by every page that reads a subtree.
    page.goto("/concerns/list/")
    expect(page.locator("[data-testid=scope-unit]")).to_have_value(department.code)
    expect(page.locator("hgroup p")).to_contain_text(getattr(department, with_name) or department.name_zh)
    _filters_are_labelled(page)
    page.goto("/ledger/activities/")
    _filters_are_labelled(page)
    page.goto("/ledger/indicators/")
    expect(page.locator("h1")).to_contain_text(getattr(department, with_name) or department.name_zh)
    _no_sideways_scroll(page)

    # A unit outside the scope in the address is never shown.
    response = page.goto("/reports/dashboard/?unit=540102")
    assert response.status == 404
