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


def test_the_same_file_uploaded_twice_is_asked_about_and_imported_again_on_request(page, tmp_path):
    import datetime

    from django.urls import reverse
    from django.utils import translation
    from openpyxl import Workbook

    from ledger import xlsx
    from ledger.models import Activity

    labels = dict(xlsx.ALL_COLUMNS)
    book = Workbook()
    book.active.title = "activities"
    with translation.override("zh-hans"):
        book.active.append([str(labels[n]) for n in ("unit", "date", "kind", "sessions", "participants")])
    book.active.append(["540102001", datetime.date(2021, 7, 3), "集体学习", 1, 30])
    upload = tmp_path / "study.xlsx"
    book.save(upload)
    url = reverse("ledger:import_start", args=["collective_study"])

    log_in(page, "chengguan-reporter")
    page.goto(url)
    page.set_input_files("#id_file", str(upload))
    page.click("[data-testid=upload]")
    page.wait_for_selector("[data-testid=import-progress] >> text=完成")
    page.goto(url)
    page.set_input_files("#id_file", str(upload))
    page.click("[data-testid=upload]")
    page.wait_for_selector("[data-testid=import-again]")
    page.shot("ledger-import-again")
    assert Activity.objects.count() == 1
    page.click("[data-testid=import-again-button]")
    page.wait_for_selector("[data-testid=import-progress] >> text=完成")
    assert Activity.objects.count() == 2
