"""What a reporter and a supervisor do with organisational life, in a real browser at desktop
and phone size."""

import datetime

import pytest
from openpyxl import Workbook

from conftest import log_in
from orglife.models import Finding, Talk
from orglife.tests import factories as F

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_reporter_enters_a_meetings_findings_on_a_page_that_fits_the_screen(page):
    meeting = F.meeting(F.DAGZE_ORG)
    log_in(page, "dagze-reporter")
    page.goto(f"/orglife/meetings/{meeting.pk}/")
    page.shot("orglife-meeting")
    assert _fits(page)
    page.goto(f"/orglife/findings/new/?meeting={meeting.pk}")
    page.fill(
        "#id_lines",
        "扎西 | 工作作风 | 调研不够 | 每月调研2次 | 扎西 | 2021-12-31\n | 学习教育 | 学习不系统 | 制定计划 | 书记 | 2021-12-31",
    )
    page.shot("orglife-findings-form")
    page.click("[data-testid=save]")
    page.wait_for_selector("[data-testid=findings] >> text=调研不够")
    assert Finding.objects.filter(meeting=meeting).count() == 2
    page.goto("/orglife/")
    page.shot("orglife-overview")
    assert _fits(page)


def test_a_supervisor_verifies_a_measure_of_its_groups_unit(page):
    measure = F.measure(F.DAGZE_ORG)
    measure.status, measure.done_on, measure.evidence_note = "done", F.DAY, "附台账"
    measure.save()
    log_in(page, "supervisor-3")
    page.goto(f"/orglife/findings/{measure.finding_id}/")
    page.click("article[data-testid=measure] button:has-text('验收')")
    page.wait_for_selector("article[data-status=verified]")
    page.shot("orglife-verified")
    assert _fits(page)


def test_a_reporter_imports_talks_from_a_spreadsheet_on_a_page_that_fits_the_screen(page, tmp_path):
    book = Workbook()
    book.active.append(["单位代码", "日期", "谈话人", "谈话对象"])
    book.active.append([F.DAGZE_ORG, datetime.date(2021, 10, 12), "扎西", "次仁"])
    book.active.append([F.DAGZE_ORG, datetime.date(2021, 10, 13), "格桑", "卓玛"])
    upload = tmp_path / "talks.xlsx"
    book.save(upload)
    log_in(page, "dagze-reporter")
    page.goto("/orglife/talks/")
    page.click("[data-testid=talk-import]")
    page.wait_for_selector("[data-testid=talk-template]")
    page.shot("orglife-talk-import")
    assert _fits(page)
    page.set_input_files("#id_file", str(upload))
    page.click("[data-testid=talk-import-submit]")
    page.wait_for_selector("[data-testid=talks] >> text=格桑")
    assert Talk.objects.filter(unit__code=F.DAGZE_ORG).count() == 2
