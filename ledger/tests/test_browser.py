"""What a reporter does with the ledger, in a real browser at desktop and phone size."""

import pytest

from conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reporter_records_a_lecture_in_a_village_in_a_few_taps(page):
    log_in(page, "chengguan-reporter")
    page.goto("/ledger/lectures/")
    page.click("[data-testid=new-activity]")
    page.click("text=理论宣讲")
    page.fill("#id_participants", "45")
    page.select_option("#id_venue_kind", "villages")
    page.fill("#id_title", "党的光辉历程")
    page.shot("ledger-entry")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"] + 1
    page.click("[data-testid=save]")
    page.wait_for_selector("text=党的光辉历程")
    page.shot("ledger-detail")
    page.goto("/ledger/indicators/")
    assert page.inner_text("[data-code='lecture.sessions']") == "1"
    page.shot("ledger-figures")
