"""Recording and handling a concern in a real browser, at desktop and phone size."""

import pytest
from django.apps import apps

from conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reporter_records_a_concern_and_sees_its_timeline(page):
    apps.get_app_config("concerns").ensure_reference_data()
    log_in(page, "chengguan-reporter")
    page.goto("/concerns/list/")
    page.click("[data-testid=new-concern]")
    page.fill("#id_unit", "540102001001")
    page.select_option("#id_category", label="停车")
    page.select_option("#id_source", "visit")
    page.fill("#id_description", "小区停车位不足，晚上车辆无处停放")
    page.fill("#id_raised_by", "次仁")
    page.fill("#id_contact", "13900000001")
    page.shot("concern-form")
    page.click("[data-testid=save]")
    page.wait_for_selector("[data-testid=timeline]")
    assert "13900000001" in page.inner_text("main")
    page.shot("concern-detail")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0


def test_the_section_pages_do_not_scroll_sideways_on_a_phone(page, screen):
    apps.get_app_config("concerns").ensure_reference_data()
    log_in(page, "lhasa-office")
    for path in (
        "/concerns/",
        "/concerns/figures/concerns.resolution_rate/",
        "/concerns/assignments/",
        "/concerns/list/",
        "/concerns/visits/",
        "/concerns/visits/new/",
        "/concerns/key-items/",
        "/concerns/pairings/",
        "/concerns/categories/",
    ):
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, (path, overflow, screen)
    page.goto("/concerns/figures/concerns.resolution_rate/")
    page.shot("concerns-figure")
