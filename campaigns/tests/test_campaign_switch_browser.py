"""The campaign switch on a phone (360 px): Lhasa's office runs the 2021 Party-history study
and a 2023 thematic education; it opens the dashboard on the newer one, finds the switch
inside the menu with the language and log-out, switches to 2021, and the dashboard's period
follows and stays chosen on the indicator pages. In Chinese and in Tibetan."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from campaigns.models import Campaign
from campaigns.tests.factories import CampaignFactory
from conftest import log_in, open_menu, switch_language
from orgs.models import Unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LABEL = {"zh-hans": "学习教育", "bo": "སློབ་གསོའི་ལས་འགུལ།"}


def _no_sideways_scroll(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the screen"


@pytest.mark.parametrize("screen", ["phone"])
@pytest.mark.parametrize("language", ["zh-hans", "bo"])
def test_the_office_switches_campaign_on_a_phone(page, screen, language):
    party_history = Campaign.objects.get(root_unit__code="540100")
    thematic = CampaignFactory(
        name_zh="主题教育",
        name_bo="བརྗོད་གཞིའི་སློབ་གསོ།",
        root_unit=Unit.objects.get(code="540100"),
        start=datetime.date(2023, 4, 1),
        end=datetime.date(2023, 12, 31),
    )
    log_in(page, "lhasa-office")
    if language != "zh-hans":
        switch_language(page, language)
        page.wait_for_selector(f"html[lang={language}]")

    page.goto("/reports/dashboard/")
    expect(page.locator("[data-testid=range-filters] input[name=start]")).to_have_value("2023-04-01")
    switch = page.locator("[data-testid=campaign-switch]")
    # On a phone the header's tools, the switch among them, open with the menu.
    expect(switch).to_be_hidden()
    open_menu(page)
    expect(switch).to_be_visible()
    expect(page.locator("#campaign-select")).to_have_attribute("aria-label", LABEL[language])
    expect(page.locator("#campaign-select")).to_have_value(str(thematic.pk))
    _no_sideways_scroll(page)
    page.shot(f"campaign-switch-{language}")

    page.select_option("#campaign-select", str(party_history.pk))
    page.click("[data-testid=campaign-submit]")
    page.wait_for_url(re.compile(r"/reports/dashboard/$"))
    expect(page.locator("[data-testid=range-filters] input[name=start]")).to_have_value("2021-02-20")
    expect(page.locator("[data-testid=range-filters] input[name=end]")).to_have_value("2021-12-31")
    expect(page.locator(".flash")).to_contain_text(party_history.name_bo if language == "bo" else party_history.name_zh)
    _no_sideways_scroll(page)

    # Kept for the session: the indicator pages read the same campaign.
    page.goto("/ledger/indicators/")
    expect(page.locator("#campaign-select")).to_have_value(str(party_history.pk))
    expect(page.locator("main input[name=start]")).to_have_value("2021-02-01")
