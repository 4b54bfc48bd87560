"""The report's title, subtitle and close are lines of the campaign's template: the office
rewrites them in Chinese and Tibetan with the words of the report, previews and saves them
(the version rises, audited, a stale version refused); the built report, its docx and its PDF
carry them; a template without them writes the 2021 report's lines; a campaign's set-up carries
them, checked as the editor checks."""

import io
import re
import subprocess

import docx
import pytest
from django.utils import translation

from reports import exports, template
from reports.models import ReportTemplate
from reports.report import build_report
from reports.tests.conftest import AS_OF

URL = "/reports/template/lines/title/"
TITLE_ZH = "{unit}{campaign}：学思想 强党性 重实践 建新功"
TITLE_BO = "{unit_gen}{campaign_bare}། བསམ་བློ་སློབ་ནས་ཏང་གཤིས་ཤུགས་ཆེ་རུ་གཏོང་།"
OLD_ZH = "拉萨市党史学习教育：学党史砺初心 担使命谋发展"


@pytest.fixture
def campaign(unit):
    return template.campaign_of(unit("540100"))


def post_line(client, url=URL, action="save", **texts):
    data = {"zh": "", "bo": "", "en": "", "version": texts.pop("version", 1), "action": action, **texts}
    return client.post(url, data)


def errors_of(response) -> str:
    found = re.search(r'data-testid="template-errors">(.*?)</div>', response.text, re.S)
    assert found, response.text[:2000]
    return found.group(1)


def test_a_template_without_lines_writes_the_2021_title_and_close(unit, campaign):
    assert "title" not in template.shipped_document()
    zh = build_report(unit("540100"), AS_OF, "zh-hans")
    assert zh.title.endswith("：学党史砺初心 担使命谋发展") and zh.title.startswith("拉萨市")
    assert zh.subtitle == "工作进展情况（截至2021年12月31日）"
    assert zh.issuer.startswith("中共拉萨市委") and zh.issued == "2021年12月31日"
    bo = build_report(unit("540100"), AS_OF, "bo")
    assert bo.title.endswith("འཕེལ་རྒྱས་ལ་འབད།") and bo.issued.endswith("ཉིན།")
    assert template.line_of(template.shipped_document(), "title") == template.default_line("title")


def test_the_office_rewrites_the_title_and_the_report_its_docx_and_pdf_carry_it(
    as_user, office, campaign, seed_values, tmp_path
):
    client = as_user(office)
    page = client.get("/reports/template/")
    assert 'data-testid="template-lines"' in page.text and "学党史砺初心" in page.text
    form = client.get(URL)
    assert form.status_code == 200 and "学党史砺初心" in form.text
    preview = post_line(client, action="preview", zh=TITLE_ZH, bo=TITLE_BO)
    assert preview.status_code == 200
    words = campaign.name_zh
    assert f"拉萨市{words}：学思想 强党性 重实践 建新功" in preview.text
    assert not ReportTemplate.objects.filter(campaign=campaign).exists()  # a preview saves nothing
    saved = post_line(client, zh=TITLE_ZH, bo=TITLE_BO, en="{unit}: think, strengthen, practise, achieve")
    assert saved.status_code == 302
    row = ReportTemplate.objects.get(campaign=campaign)
    assert row.version == 2 and row.changed_by == office and row.document["title"]["zh"] == TITLE_ZH
    from auditlog.models import LogEntry

    assert LogEntry.objects.get_for_object(row).count() == 1
    zh = build_report(campaign.root_unit, AS_OF, "zh-hans")
    assert zh.title == f"拉萨市{words}：学思想 强党性 重实践 建新功"
    assert zh.subtitle == "工作进展情况（截至2021年12月31日）"  # the other lines stay the platform's
    bo = build_report(campaign.root_unit, AS_OF, "bo")
    assert bo.title.startswith("ལྷ་ས་གྲོང་ཁྱེར་གྱི་") and bo.title.endswith("ཏང་གཤིས་ཤུགས་ཆེ་རུ་གཏོང་།")
    assert "学党史砺初心" not in zh.as_text() and "ཏང་ལོ་རྒྱུས་སློབ་ནས་ཐོག་མའི" not in bo.as_text()
    first = docx.Document(io.BytesIO(exports.docx_bytes(zh))).paragraphs[0].text
    assert first == zh.title
    assert docx.Document(io.BytesIO(exports.docx_bytes(bo))).paragraphs[0].text == bo.title
    path = tmp_path / "report.pdf"
    path.write_bytes(exports.pdf_bytes(zh))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert re.sub(r"\s+", "", text).startswith(re.sub(r"\s+", "", zh.title))
    path.write_bytes(exports.pdf_bytes(bo))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    first = re.sub(r"\s+", "", text)[: len(re.sub(r"\s+", "", bo.title))]
    assert first == re.sub(r"\s+", "", bo.title), first


def test_every_line_is_a_line_of_the_template_and_goes_back_to_the_default(as_user, office, campaign):
    client = as_user(office)
    lines = {
        "subtitle": ("进展（{date}）", "ཡར་ཐོན། ({date})"),
        "issuer": ("{committee}主题教育领导小组办公室", "{committee}ཀྱི་སློབ་གསོའི་གཞུང་ལས་ཁང་།"),
        "issued": ("{date}印发", "{date}"),
    }
    for version, (name, (zh, bo)) in enumerate(lines.items(), start=1):
        response = post_line(client, f"/reports/template/lines/{name}/", zh=zh, bo=bo, version=version)
        assert response.status_code == 302, response.text[:1500]
    report = build_report(campaign.root_unit, AS_OF, "zh-hans")
    assert report.subtitle == "进展（2021年12月31日）"
    assert report.issuer == "拉萨市委主题教育领导小组办公室"
    assert report.issued == "2021年12月31日印发"
    assert build_report(campaign.root_unit, AS_OF, "bo").issued.endswith("ཉིན།")  # the date line ends with a shad
    back = post_line(client, "/reports/template/lines/issued/", action="default", version=4)
    assert back.status_code == 302
    row = ReportTemplate.objects.get(campaign=campaign)
    assert row.version == 5 and "issued" not in row.document and "issuer" in row.document
    assert build_report(campaign.root_unit, AS_OF, "zh-hans").issued == "2021年12月31日"
    assert as_user(office).get("/reports/template/lines/nowhere/").status_code == 404


def test_bad_lines_are_refused_with_their_language_and_character(as_user, office, campaign):
    client = as_user(office)
    cases = [
        ({"zh": "{unit}{year}年", "bo": TITLE_BO}, ("year", "7")),
        ({"zh": TITLE_ZH, "bo": "{unit}{study.sessions}"}, ("study.sessions", "7")),
        ({"zh": "{unit}[学习]", "bo": TITLE_BO}, ("7",)),
        ({"zh": "{unit_gen}标题", "bo": TITLE_BO}, ("unit_gen",)),
        ({"zh": "标题\x07", "bo": TITLE_BO}, ("U+0007", "3")),
        ({"zh": "标" * (template.MAX_LINE + 1), "bo": TITLE_BO}, (str(template.MAX_LINE + 1),)),
        ({"zh": TITLE_ZH, "bo": "  "}, ()),
        ({"zh": "{unit", "bo": TITLE_BO}, ("1",)),
    ]
    for texts, expected in cases:
        response = post_line(client, **texts)
        assert response.status_code == 200
        errors = errors_of(response)
        for piece in expected:
            assert piece in errors, (texts, errors)
    assert not ReportTemplate.objects.filter(campaign=campaign).exists()
    assert post_line(client, zh=TITLE_ZH, bo=TITLE_BO).status_code == 302
    stale = post_line(client, zh=TITLE_ZH + "！", bo=TITLE_BO, version=1)
    assert stale.status_code == 200 and "2" in errors_of(stale)
    assert ReportTemplate.objects.get(campaign=campaign).version == 2


@pytest.mark.django_db
def test_a_lines_problem_names_the_line_the_language_and_the_character():
    document = template.with_line(template.shipped_document(), "title", {"zh": "好", "bo": "ལྷ་ས{years}"})
    from figures import catalogue

    known = set(catalogue.codes())
    with translation.override("en"):
        messages = template.check_document(document, known)
    assert len(messages) == 1 and messages[0].startswith("Report title, Tibetan, character 5:"), messages
    assert "“years” is not a word of the report" in messages[0]
    document["title"] = "not a line"
    with translation.override("en"):
        assert template.check_document(document, known) == [
            "Report title, Chinese: A line must have its Chinese and Tibetan text."
        ]
    good = template.with_line(template.shipped_document(), "issuer", template.default_line("issuer"))
    assert template.check_document(good, known) == []
    for name in template.LINES:  # the platform's own lines pass the editor's check
        assert template.check_line(template.default_line(name)) == []


def test_the_lines_travel_with_a_campaigns_set_up_and_are_checked_on_import(office, campaign):
    from django.core.exceptions import ValidationError

    from campaigns.models import Campaign
    from campaigns.transfer import PARTS, Context
    from reports import services

    part = PARTS["reports.template"]
    assert "title" not in part.dump(campaign)[0]
    services.change_template(
        actor=office,
        campaign=campaign,
        change=template.with_line,
        version=1,
        name="title",
        texts={"zh": TITLE_ZH, "bo": TITLE_BO, "en": ""},
    )
    rows = part.dump(campaign)
    assert rows[0]["section"] == "lead" and rows[0]["title"]["zh"] == TITLE_ZH
    other = Campaign.objects.exclude(pk=campaign.pk).get()
    part.load(other, rows, Context(actor=office))
    assert ReportTemplate.objects.get(campaign=other).document["title"]["bo"] == TITLE_BO
    assert part.dump(other) == rows
    rows[0]["title"] = {"zh": "{unit}{nowhere}", "bo": TITLE_BO, "en": ""}
    ReportTemplate.objects.filter(campaign=other).delete()
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        part.load(other, rows, Context(actor=office))
    (messages,) = caught.value.message_dict.values()
    assert any(m.startswith("Report title, Chinese, character 7:") for m in messages), messages
    assert not ReportTemplate.objects.filter(campaign=other).exists()


def test_a_later_campaign_writes_its_own_title_and_the_2021_report_keeps_its_own(office, campaign):
    import datetime

    from campaigns.tests.factories import CampaignFactory
    from reports import services

    later = CampaignFactory(
        name_zh="主题教育",
        name_bo="བརྗོད་གཞིའི་སློབ་གསོ།",
        root_unit=campaign.root_unit,
        start=datetime.date(2023, 4, 1),
        end=datetime.date(2023, 12, 31),
    )
    services.change_template(
        actor=office,
        campaign=later,
        change=template.with_line,
        version=1,
        name="title",
        texts={"zh": TITLE_ZH, "bo": TITLE_BO},
    )
    lhasa = campaign.root_unit
    assert (
        build_report(lhasa, datetime.date(2023, 12, 31), "zh-hans").title
        == "拉萨市主题教育：学思想 强党性 重实践 建新功"
    )
    bo = build_report(lhasa, datetime.date(2023, 12, 31), "bo").title
    assert bo == "ལྷ་ས་གྲོང་ཁྱེར་གྱི་བརྗོད་གཞིའི་སློབ་གསོ། བསམ་བློ་སློབ་ནས་ཏང་གཤིས་ཤུགས་ཆེ་རུ་གཏོང་།"
    assert build_report(lhasa, AS_OF, "zh-hans").title == OLD_ZH  # the 2021 campaign's report is as it was
