"""Reading the report and the dashboard in a real browser, at desktop and phone size."""

import datetime

import pytest

from conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def activities(world):
    from ledger import services
    from ledger.catalogue import ensure_kinds
    from ledger.models import ActivityKind
    from orgs.models import Account, Unit

    ensure_kinds()
    office = Account.objects.get(username="lhasa-office")
    for code, kind, fields in [
        ("540102001", "collective_study", {"sessions": 12}),
        ("540102001", "film", {"sessions": 3, "participants": 260}),
        ("540104001", "lecture_theory", {"sessions": 5, "participants": 400, "venue_kind": "villages"}),
    ]:
        services.record_activity(
            actor=office,
            unit=Unit.objects.get(code=code),
            kind=ActivityKind.objects.get(code=kind),
            date=datetime.date(2021, 9, 15),
            **fields,
        )


def test_an_office_admin_reads_the_report_in_tibetan_and_opens_a_figures_rows(page, activities):
    log_in(page, "lhasa-office")
    page.goto("/reports/report/?unit=540100&as_of=2021-12-31&language=bo")
    report = page.wait_for_selector("[data-testid=report]")
    text = report.inner_text()
    assert "ལྷ་ས་གྲོང་ཁྱེར་" in text
    assert "ཐེངས་༡༢" in text  # 12 study sessions, written in Tibetan
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1  # nothing overflows at phone width
    page.shot("report-bo")
    page.click("[data-testid=figure][data-code='study.sessions']")
    page.wait_for_url("**/ledger/indicators/study.sessions/rows/**")
    assert "540102001" in page.url or "540100" in page.url


def test_the_dashboard_draws_its_charts_and_a_bar_opens_the_rows(page, activities):
    log_in(page, "lhasa-office")
    page.goto("/reports/dashboard/?unit=540100&start=2021-02-20&end=2021-12-31")
    page.wait_for_selector("[data-chart=trend][data-ready='1']")
    page.wait_for_selector("[data-chart=children][data-ready='1'] svg")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1  # wide tables scroll inside their box
    page.shot("dashboard")
    page.click("[data-testid=card-value] >> nth=0")
    page.wait_for_url("**/rows/**")
