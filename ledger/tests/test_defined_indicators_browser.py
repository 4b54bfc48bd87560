"""The city office defines an indicator on a phone: it previews the figure and its first rows,
then saves it, and the figure appears among the indicators."""

import datetime

import pytest

from conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("screen", ["phone"])
def test_the_office_defines_an_indicator_with_a_preview_on_a_phone(page):
    from figures import catalogue
    from ledger import services
    from ledger.models import ActivityKind, DefinedIndicator
    from orgs.models import Account, Unit

    office = Account.objects.get(username="lhasa-office")
    theory = ActivityKind.objects.get(code="lecture_theory")
    for participants, venue in ((40, "monasteries"), (25, "monasteries"), (100, "villages")):
        services.record_activity(
            actor=office,
            unit=Unit.objects.get(code="540102001"),
            kind=theory,
            date=datetime.date(2021, 7, 1),
            sessions=1,
            participants=participants,
            venue_kind=venue,
        )
    try:
        log_in(page, "lhasa-office")
        page.goto("/ledger/defined-indicators/")
        page.click("[data-testid=new-indicator]")
        page.fill("#id_code", "lecture.monastery_audience")
        page.fill("#id_name_zh", "寺庙宣讲受众")
        page.fill("#id_name_bo", "དགོན་སྡེར་ཁྱབ་བསྒྲགས་ཉན་མཁན།")
        page.fill("#id_name_en", "Lecture audience in monasteries")
        page.select_option("#id_section", "lectures")
        page.select_option("#id_measure", "participants")
        page.check(f"input[name=kinds][value='{theory.pk}']")
        page.select_option("#id_venue_kind", "monasteries")
        page.fill("#id_measure_zh", "人次")
        page.fill("#id_measure_bo", "མི་ཐེངས།")
        page.fill("#id_measure_en", "person-times")
        page.click("[data-testid=preview-button]")
        page.wait_for_selector("[data-testid=preview-value]")
        assert page.inner_text("[data-testid=preview-value]") == "65"
        assert page.locator("[data-testid=preview] tbody tr").count() == 2
        assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"] + 1
        page.shot("defined-indicator-preview")
        assert not DefinedIndicator.objects.exists()
        page.click("[data-testid=save]")
        page.wait_for_selector("text=寺庙宣讲受众")
        assert DefinedIndicator.objects.get().version == 1
        page.goto("/ledger/indicators/?unit=540100&start=2021-01-01&end=2021-12-31")
        assert page.inner_text("[data-code='lecture.monastery_audience']") == "65"
        page.shot("defined-indicator-figures")

        # Concerns, counted from the tallies: those in progress, at 360 px.
        from concerns import services as concern_services
        from concerns.models import ConcernCategory

        for day in (datetime.date(2021, 7, 1), datetime.date(2021, 7, 2)):
            concern_services.record_concern(
                actor=office,
                unit=Unit.objects.get(code="540102001001"),
                category=ConcernCategory.objects.order_by("pk").first(),
                source="visit",
                description="小区停车位不足",
                raised_by="次仁",
                contact="13900000001",
                collected_on=day,
            )
        assert page.viewport_size["width"] == 360
        page.goto("/ledger/defined-indicators/")
        page.click("[data-testid=new-indicator]")
        page.fill("#id_code", "concerns.in_progress")
        page.fill("#id_name_zh", "办理中的群众诉求")
        page.fill("#id_name_bo", "སྒྲུབ་བཞིན་པའི་མང་ཚོགས་ཀྱི་རེ་བ།")
        page.fill("#id_name_en", "Concerns in progress")
        page.select_option("#id_section", "serving")
        assert page.is_visible("[data-field-block=kinds]") and not page.is_visible("[data-field-block=keys]")
        page.select_option("#id_source", "concerns.concern")
        # Only what applies to concerns shows: their states, not the kinds of activity.
        page.wait_for_selector("[data-field-block=kinds]", state="hidden")
        assert page.is_visible("input[name=keys][value='concerns.concern:in_progress']")
        assert not page.is_visible("input[name=keys][value='orglife.measure:done']")
        page.select_option("#id_measure", "rows")
        page.check("input[name=keys][value='concerns.concern:in_progress']")
        page.fill("#id_measure_zh", "件")
        page.fill("#id_measure_bo", "ཚན།")
        page.fill("#id_measure_en", "concerns")
        page.click("[data-testid=preview-button]")
        page.wait_for_selector("[data-testid=preview-tallied]")
        assert int(page.inner_text("[data-testid=preview-value]")) == 2
        assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"] + 1
        page.shot("defined-indicator-concerns-preview")
        assert DefinedIndicator.objects.count() == 1
        page.click("[data-testid=save]")
        page.wait_for_selector("text=办理中的群众诉求")
        assert DefinedIndicator.objects.get(code="concerns.in_progress").keys == ["in_progress"]
    finally:
        catalogue.forget_defined()
        catalogue._DEFINED = {}  # what the rolled-back database defines: nothing
