"""The report's words around its figures: the key-items list names its programmes, a rate
says what it leaves out, and the report ends with its issuing office and date (落款), on the
page, in the Word document and in the PDF."""

import datetime
import io
import re
import subprocess

import docx
import pytest

from concerns.demo import PROGRAMMES
from concerns.models import KeyItem, Programme
from reports import exports
from reports.report import build_report, serialise
from reports.tests.conftest import AS_OF

ISSUER_ZH = "中共拉萨市委党史学习教育领导小组办公室"
ISSUED_ZH = "2021年12月31日"
ISSUER_BO = "ཀྲུང་གུང་ལྷ་ས་གྲོང་ཁྱེར་ཏང་ཨུད་ཀྱི་"
ISSUED_BO = "ཕྱི་ལོ་༢༠༢༡ལོའི་ཟླ་༡༢ཚེས་༣༡ཉིན།"


@pytest.fixture
def programmes(unit):
    """The seed's three programmes, each with an item run by a department of the city."""
    city = unit("540100")
    department = unit("540102")
    rows = []
    for order, (zh, bo) in enumerate(PROGRAMMES, start=1):
        programme = Programme.objects.create(unit=city, name_zh=zh, name_bo=bo, order=order)
        KeyItem.objects.create(
            programme=programme,
            title_zh=f"事项{order}",
            title_bo="དོན་ཚན།",
            responsible_unit=department,
            listed_on=datetime.date(2021, 4, 15),
            region_code=city.code,
        )
        rows.append(programme)
    return rows


def test_the_key_items_sentence_names_the_three_programmes_as_the_seed_does(unit, seed_values, programmes):
    text = build_report(unit("540100"), AS_OF, "zh-hans").as_text()
    assert "涉及“平安拉萨便民工程、幸福拉萨惠民工程、和谐拉萨利民工程”三大民生工程12项民生实事" in text


def test_the_tibetan_key_items_sentence_names_them_in_tibetan(unit, seed_values, programmes):
    text = build_report(unit("540100"), AS_OF, "bo").as_text()
    for _zh, bo in PROGRAMMES:
        assert bo.rstrip("།") in text
    assert "ལས་གཞི་ཆེན་པོ་གསུམ་" in text
    assert not re.search(r"[\u4e00-\u9fff]", text)


def test_without_programmes_the_sentence_counts_the_items_alone(unit, seed_values):
    text = build_report(unit("540100"), AS_OF, "zh-hans").as_text()
    assert "涉及12项民生实事" in text


def test_the_resolution_rate_says_that_it_leaves_duplicates_out(unit, seed_values):
    zh = build_report(unit("540100"), AS_OF, "zh-hans").as_text()
    assert "共收集问题2308个、已办结1902个；问题办结率（不计重复问题和经学教办签认无法解决的问题）83.8%" in zh
    bo = build_report(unit("540100"), AS_OF, "bo").as_text()
    assert "ཐག་གཅོད་ཚད་(བསྐྱར་ཟློས་" in bo


def test_the_report_ends_with_its_issuing_office_and_date(unit, seed_values):
    zh = build_report(unit("540100"), AS_OF, "zh-hans")
    assert (zh.issuer, zh.issued) == (ISSUER_ZH, ISSUED_ZH)
    assert zh.as_text().rstrip().endswith(f"{ISSUER_ZH}\n{ISSUED_ZH}")
    bo = build_report(unit("540100"), AS_OF, "bo")
    assert bo.issuer.startswith(ISSUER_BO) and bo.issuer.endswith("འགོ་ཁྲིད་ཚོ་ཆུང་གི་གཞུང་ལས་ཁང་།")
    assert bo.issued == ISSUED_BO
    county = build_report(unit("540102"), AS_OF, "zh-hans")
    assert county.issuer == "中共城关区委党史学习教育领导小组办公室"
    body, _figures = serialise(zh)
    assert (body["issuer"], body["issued"]) == (ISSUER_ZH, ISSUED_ZH)


def test_the_word_document_ends_with_the_close_flush_right(unit, seed_values):
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = docx.Document(io.BytesIO(exports.docx_bytes(build_report(unit("540100"), AS_OF, "zh-hans"))))
    issuer, issued = document.paragraphs[-2], document.paragraphs[-1]
    assert (issuer.text, issued.text) == (ISSUER_ZH, ISSUED_ZH)
    assert issuer.alignment == issued.alignment == WD_ALIGN_PARAGRAPH.RIGHT


@pytest.mark.parametrize(("language", "issued"), [("zh-hans", ISSUED_ZH), ("bo", ISSUED_BO)])
def test_the_pdf_ends_with_the_close(unit, seed_values, tmp_path, language, issued):
    path = tmp_path / "report.pdf"
    path.write_bytes(exports.pdf_bytes(build_report(unit("540100"), AS_OF, language)))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    words = re.sub(r"\s+", "", text)
    assert re.sub(r"\s+", "", issued) in words
    if language == "zh-hans":
        assert ISSUER_ZH in words


def test_the_report_page_shows_the_close(client, office, unit, seed_values):
    client.force_login(office)
    page = client.get("/reports/report/", {"unit": "540100", "as_of": "2021-12-31", "language": "zh-hans"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="report-close"' in html and ISSUER_ZH in html and ISSUED_ZH in html


def test_the_dashboard_says_what_each_rate_beside_the_counts_leaves_out(as_user, office):
    page = as_user(office).get("/reports/dashboard/?unit=540100&start=2021-02-20&end=2021-12-31").content.decode()
    assert page.count('data-testid="rate-definition"') == page.count('data-testid="rate"') > 0
    assert "不含重复" in page  # the resolution rate's definition


def test_names_with_braces_are_written_as_they_are(unit, seed_values):
    city = unit("540100")
    programme = Programme.objects.create(unit=city, name_zh="{count}工程{x}", name_bo="{names}ལས་གཞི།", order=9)
    KeyItem.objects.create(
        programme=programme,
        title_zh="事项",
        title_bo="དོན་ཚན།",
        responsible_unit=unit("540102"),
        listed_on=datetime.date(2021, 4, 15),
        region_code=city.code,
    )
    assert "涉及“{count}工程{x}”12项民生实事" in build_report(city, AS_OF, "zh-hans").as_text()
    assert "“{names}ལས་གཞི”ཞེས་པའི་" in build_report(city, AS_OF, "bo").as_text()
