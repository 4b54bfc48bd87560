"""A reporter on a phone opens the home page, sees the work waiting, and one tap opens it."""

import datetime
from pathlib import Path

import pytest
from django.apps import apps

from concerns import services as concerns
from concerns.models import ConcernCategory
from conftest import log_in
from inbox.models import Notice
from ledger import services as ledger
from ledger.models import ActivityKind
from orglife import services as orglife
from orglife.tests import factories as F
from orgs.models import Account, Unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def screen():
    return "phone"


def _assigned_concern():
    apps.get_app_config("concerns").ensure_reference_data()
    reporter = Account.objects.get(username="chengguan-reporter")
    office = Account.objects.get(username="chengguan-office")
    concern = concerns.record_concern(
        actor=reporter,
        unit=Unit.objects.get(code="540102001001"),
        category=ConcernCategory.objects.get(name_zh="停车"),
        source="visit",
        description="小区停车位不足",
        raised_by="次仁",
        collected_on=datetime.date(2021, 6, 1),
    )
    return concerns.assign_concern(
        actor=office, concern=concern, version=concern.version, handling_unit=Unit.objects.get(code="540102001")
    )


@pytest.mark.parametrize("language", ["zh-hans", "bo"])
def test_a_reporter_on_a_phone_opens_the_work_waiting_in_one_tap(page, language):
    concern = _assigned_concern()
    log_in(page, "barkor-reporter")
    page.select_option("#lang-select", language)
    page.click("[data-testid=set-language]")
    page.wait_for_selector(f"html[lang={language}]")
    page.goto("/")
    item = page.locator(f"[data-testid=inbox-panel] a[href='/concerns/{concern.pk}/']")
    item.wait_for()
    assert page.locator("[data-testid=item-overdue]").first.is_visible()
    page.wait_for_selector("[data-testid=inbox-count]")  # the header's count, fetched after the page
    assert int(page.inner_text("[data-testid=inbox-count]")) >= 1
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    page.shot(f"inbox-home-{language}")
    item.click()
    page.wait_for_url(f"**/concerns/{concern.pk}/")
    page.wait_for_selector("[data-testid=workflow] [data-testid=next-steps]")
    assert page.locator("[data-action=start]").is_visible()
    page.shot(f"inbox-concern-{language}")


CHECKS = (Path(__file__).resolve().parents[2] / "core" / "tests" / "page_checks.js").read_text(encoding="utf-8")


@pytest.mark.parametrize("language", ["bo", "zh-hans"])
def test_the_inbox_and_the_workflow_boxes_speak_the_readers_language(page, live_server, language):
    concern = _assigned_concern()
    barkor = Account.objects.get(username="barkor-reporter")
    concern = concerns.return_concern(actor=barkor, concern=concern, version=concern.version, reason="不归本单位")
    measure = F.measure(F.CHENGGUAN_ORG)
    kind = ActivityKind.objects.order_by("pk").first()
    job = ledger.open_import(
        actor=barkor,
        unit=Unit.objects.get(code="540102001"),
        kind=kind,
        name="学习.xlsx",
        language="zh-hans",
        refused="坏",
    )
    # The inbox's pages whole; on a record's page, its workflow box alone (the rest is the
    # record app's page, read by core/tests/test_words_browser.py).
    pages = {
        "chengguan-office": ["/", "/inbox/", "/inbox/notices/", f"/concerns/{concern.pk}/"],
        "barkor-reporter": ["/", "/inbox/", f"/orglife/findings/{measure.finding_id}/", f"/ledger/imports/{job.pk}/"],
    }
    only_boxes = (
        "() => { const boxes = [...document.querySelectorAll('[data-testid=workflow]')];"
        " if (!boxes.length) throw new Error('no workflow box');"
        " document.body.innerHTML = boxes.map((b) => b.outerHTML).join(''); document.title = ''; }"
    )
    problems = []
    for username, paths in pages.items():
        page.context.clear_cookies()
        page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        log_in(page, username)
        for path in paths:
            assert page.goto(path).status == 200, path
            page.wait_for_selector(f"html[lang={language}]")
            if not path.startswith(("/inbox/", "/?")) and path != "/":
                page.evaluate(only_boxes)
            for kind_, items in page.evaluate(CHECKS, language).items():
                problems += [f"{username} {path} {kind_}: {item}" for item in items]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", ["zh-hans", "bo"])
def test_a_supervisor_on_a_phone_verifies_the_measure_waiting_for_it(page, language):
    measure = F.measure(F.DAGZE_ORG)
    orglife.mark_measure_done(
        actor=Account.objects.get(username="dagze-reporter"),
        measure=measure,
        done_on=datetime.date(2021, 11, 1),
        evidence_note="调研记录",
    )
    log_in(page, "supervisor-3")
    page.select_option("#lang-select", language)
    page.click("[data-testid=set-language]")
    page.wait_for_selector(f"html[lang={language}]")
    page.goto("/inbox/?kind=verify")
    link = page.locator(f"[data-testid=inbox-items] a[href$='#measure-{measure.pk}']")
    link.click()
    box = page.locator(f"#measure-{measure.pk}")
    box.locator("[data-testid=workflow] [data-testid=next-steps]").wait_for()
    page.shot(f"inbox-verify-{language}")
    box.locator("form[action$='/verify/'] button[type=submit]").click()
    page.wait_for_selector(f"#measure-{measure.pk}[data-status=verified]")
    page.goto("/inbox/?kind=verify")
    assert page.locator(f"a[href$='#measure-{measure.pk}']").count() == 0


@pytest.mark.parametrize("language", ["zh-hans", "bo"])
def test_an_office_on_a_phone_assigns_the_concern_waiting_for_it_and_the_handler_is_told(page, language):
    apps.get_app_config("concerns").ensure_reference_data()
    concern = concerns.record_concern(
        actor=Account.objects.get(username="chengguan-reporter"),
        unit=Unit.objects.get(code="540102001001"),
        category=ConcernCategory.objects.get(name_zh="停车"),
        source="visit",
        description="小区停车位不足",
        raised_by="次仁",
        collected_on=datetime.date(2021, 6, 1),
    )
    log_in(page, "chengguan-office")
    page.select_option("#lang-select", language)
    page.click("[data-testid=set-language]")
    page.wait_for_selector(f"html[lang={language}]")
    page.goto("/inbox/?kind=concerns")
    page.click(f"[data-testid=inbox-items] a[href='/concerns/{concern.pk}/']")
    page.wait_for_selector("[data-testid=workflow] [data-testid=holder]")
    page.click("[data-action=assign] summary")
    page.fill("[data-action=assign] [name=handling_unit]", "540102001")
    page.click("[data-testid=do-assign]")
    page.wait_for_selector("[data-testid=state]")
    page.shot(f"inbox-assigned-{language}")
    assert Notice.objects.filter(recipient__username="barkor-reporter", params__concern=concern.pk).count() == 1
    page.goto("/inbox/?kind=concerns")
    assert page.locator(f"a[href='/concerns/{concern.pk}/']").count() == 0
