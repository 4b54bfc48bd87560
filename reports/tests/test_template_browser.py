"""The office edits the report template on a phone (360 px), in Chinese and in Tibetan:
changes a sentence, inserts a figure, sees the preview, saves, and the report shows it."""

import datetime

import pytest

from conftest import log_in, switch_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FITS = "() => document.documentElement.scrollWidth <= window.innerWidth + 1"


@pytest.fixture
def studied(world):
    from ledger import services
    from ledger.catalogue import ensure_kinds
    from ledger.models import ActivityKind
    from orgs.models import Account, Unit

    ensure_kinds()
    services.record_activity(
        actor=Account.objects.get(username="lhasa-office"),
        unit=Unit.objects.get(code="540102001"),
        kind=ActivityKind.objects.get(code="collective_study"),
        date=datetime.date(2021, 9, 15),
        sessions=12,
    )


@pytest.mark.parametrize("screen", ["phone"])
@pytest.mark.parametrize("language", ["zh-hans", "bo"])
def test_the_office_rewrites_a_sentence_with_a_figure_previews_and_saves_it(page, studied, language):
    log_in(page, "lhasa-office")
    if language == "bo":
        switch_language(page, "bo")
    page.goto("/reports/template/")
    page.wait_for_selector("#section-learning")
    assert page.evaluate(FITS)
    page.shot(f"template-index-{language}")
    page.locator("#section-learning [data-testid=edit-sentence]").nth(2).click()
    page.wait_for_selector("[data-testid=sentence-form]")
    page.fill("#id_zh", "截至{date}，[全市共开展集中学习")
    page.fill("#id_bo", "{date}བར། [གྲོང་ཁྱེར་ཧྲིལ་པོར་མཉམ་སློབ་")
    page.select_option("#id_figure-code", "study.sessions")
    page.select_option("#id_figure-style", "exact")
    page.fill("#id_figure-measure_zh", "场次")
    page.fill("#id_figure-measure_bo", "ཐེངས་")
    page.click("[data-testid=insert-figure]")
    assert page.input_value("#id_zh") == "截至{date}，[全市共开展集中学习{study.sessions|exact|场次}"
    page.focus("#id_zh")
    page.keyboard.press("End")
    page.keyboard.type("]。")
    page.focus("#id_bo")
    page.keyboard.press("End")
    page.keyboard.type(" སྤེལ།]")
    assert page.evaluate(FITS)
    page.click("[data-testid=preview-sentence]")
    preview = page.wait_for_selector("[data-testid=template-preview]")
    assert "全市共开展集中学习12场次。" in page.inner_text(
        "[data-testid=preview-zh-hans] [data-testid=preview-sentence-text]"
    )
    assert "མཉམ་སློབ་ཐེངས་༡༢ སྤེལ།" in page.inner_text("[data-testid=preview-bo] [data-testid=preview-sentence-text]")
    assert preview.is_visible() and page.evaluate(FITS)
    page.shot(f"template-preview-{language}")
    page.click("[data-testid=save-sentence]")
    page.wait_for_selector("#section-learning")
    assert "{study.sessions|exact|场次}" in page.inner_text("#section-learning")
    page.goto(f"/reports/report/?unit=540100&as_of=2021-12-31&language={language}")
    report = page.wait_for_selector("[data-testid=report]").inner_text()
    if language == "bo":
        assert "གྲོང་ཁྱེར་ཧྲིལ་པོར་མཉམ་སློབ་ཐེངས་༡༢ སྤེལ།" in report
    else:
        assert "全市共开展集中学习12场次。" in report
    page.shot(f"template-report-{language}")


@pytest.mark.parametrize("screen", ["phone"])
@pytest.mark.parametrize("language", ["zh-hans", "bo"])
def test_the_office_rewrites_the_reports_title_previews_and_saves_it(page, world, language):
    log_in(page, "lhasa-office")
    if language == "bo":
        switch_language(page, "bo")
    page.goto("/reports/template/")
    page.wait_for_selector("#section-lines")
    assert "学党史砺初心" in page.inner_text("[data-line=title]")
    assert page.evaluate(FITS)
    page.locator("[data-line=title] [data-testid=edit-line]").click()
    page.wait_for_selector("[data-testid=line-form]")
    assert page.evaluate(FITS)
    page.fill("#id_zh", "{unit}{campaign}：学思想 强党性 重实践 建新功")
    page.fill("#id_bo", "{unit_gen}{campaign_bare}། བསམ་བློ་སློབ་ནས་ཏང་གཤིས་ཤུགས་ཆེ་རུ་གཏོང་།")
    page.click("[data-testid=preview-line]")
    page.wait_for_selector("[data-testid=template-preview]")
    zh = page.inner_text("[data-testid=preview-zh-hans] [data-testid=preview-line-text]")
    assert zh.startswith("拉萨市") and zh.endswith("：学思想 强党性 重实践 建新功")
    bo = page.inner_text("[data-testid=preview-bo] [data-testid=preview-line-text]")
    assert bo.startswith("ལྷ་ས་གྲོང་ཁྱེར་གྱི་") and bo.endswith("ཏང་གཤིས་ཤུགས་ཆེ་རུ་གཏོང་།")
    assert page.evaluate(FITS)
    page.shot(f"template-line-preview-{language}")
    page.fill("#id_zh", "{unit}{year}：学思想")
    page.click("[data-testid=save-line]")
    errors = page.wait_for_selector("[data-testid=template-errors]").inner_text()
    assert "year" in errors and "7" in errors and page.evaluate(FITS)
    page.fill("#id_zh", "{unit}{campaign}：学思想 强党性 重实践 建新功")
    page.click("[data-testid=save-line]")
    page.wait_for_selector("#section-lines")
    assert "学思想 强党性" in page.inner_text("[data-line=title]")
    page.goto(f"/reports/report/?unit=540100&as_of=2021-12-31&language={language}")
    report = page.wait_for_selector("[data-testid=report]").inner_text()
    if language == "bo":
        assert "ཏང་གཤིས་ཤུགས་ཆེ་རུ་གཏོང་།" in report and "ཐོག་མའི་སེམས་བརྟན་པོ" not in report
    else:
        assert "学思想 强党性 重实践 建新功" in report and "学党史砺初心" not in report
    page.shot(f"template-line-report-{language}")
