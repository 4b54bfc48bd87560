"""The report as a template: the office edits its sentences in the page, inserts figures with
a rounding style and clauses that drop, previews them for its unit and saves; bad input is
refused with a message naming the section, sentence and character; published reports keep
the versions they were built with; a campaign's set-up carries the template."""

import re

import pytest
from django.utils import translation

from reports import template
from reports.models import PublishedReport, ReportTemplate
from reports.report import build_report, build_sentence
from reports.tests.conftest import AS_OF

SENTENCE = "/reports/template/learning/1/0/"  # 截至{date}，[…集中学习研讨…]…


@pytest.fixture
def campaign(unit):
    return template.campaign_of(unit("540100"))


def known():
    from figures import catalogue

    return set(catalogue.codes())


# --- the markers -------------------------------------------------------------------------------


def problem(text: str, language: str = "zh") -> tuple[int, str]:
    with translation.override("en"), pytest.raises(template.Problem) as caught:
        template.parse(text, language, known())
    return caught.value.position, caught.value.message


@pytest.mark.django_db
def test_each_kind_of_bad_sentence_is_refused_at_its_character():
    assert problem("共收集问题{concerns.nonsense}。") == (6, "No indicator has the code “concerns.nonsense”.")
    assert problem("共{study.sessions|约}。")[0] == 2
    assert "Unknown rounding style “约”" in problem("共{study.sessions|约}。")[1]
    assert problem("共[收集{concerns.collected}。") == (2, "A clause “[” is not closed by “]”.")
    assert problem("共收集]。") == (4, "A “]” closes no clause.")
    assert problem("[共[收集]]")[0] == 3
    assert problem("共{study.sessions")[0] == 2
    assert problem("共}")[0] == 2
    assert problem("共\x07收集") == (2, "The control character U+0007 may not be used.")
    assert problem("共\u202e收集")[0] == 2
    assert problem("字" * (template.MAX_SENTENCE + 1))[0] == template.MAX_SENTENCE + 1
    assert "not written in this language" in problem("{unit_gen}", "zh")[1]
    assert "takes no style" in problem("{unit|万}")[1]


@pytest.mark.django_db
def test_a_good_sentence_reads_as_words_figures_and_clauses():
    items = template.parse("截至{date}，[学习{study.sessions|余|场次}]、[读书{books.copies|exact}]。", "zh", known())
    assert items[1] == template.Word("date")
    clauses = [i for i in items if isinstance(i, template.ClauseMark)]
    assert [c.figures[0].code for c in clauses] == ["study.sessions", "books.copies"]
    assert clauses[0].figures[0].style == "余" and clauses[0].figures[0].measure == "场次"
    assert clauses[1].figures[0].style == "exact"


def test_a_clause_drops_when_its_figure_is_absent_and_its_joiner_with_it():
    text = "截至{date}，[学习{study.sessions|万|场次}]、[读书{books.copies|万|本}]；[观影{film.sessions|余|场次}]。"
    words = {"date": "2021年12月31日"}
    versions = {"study.sessions": 1, "books.copies": 1, "film.sessions": 1}

    def built(values):
        parts = build_sentence(text, "zh-hans", words, values, "s", versions)
        return None if parts is None else "".join(p if isinstance(p, str) else p.text for p in parts)

    full = {"study.sessions": 28036, "books.copies": 46312, "film.sessions": 4026}
    assert built(full) == "截至2021年12月31日，学习2.8万场次、读书4.63万本；观影4000余场次。"
    assert built({**full, "study.sessions": 0}) == "截至2021年12月31日，读书4.63万本；观影4000余场次。"
    assert built({**full, "books.copies": 0}) == "截至2021年12月31日，学习2.8万场次；观影4000余场次。"
    assert built({"study.sessions": 3}) == "截至2021年12月31日，学习3场次。"  # unregistered: dropped
    assert built({"study.sessions": 0, "books.copies": 0, "film.sessions": 0}) is None


def test_the_three_rounding_styles_write_the_seeds_figures():
    from reports.numbers import styled

    assert styled(28036, "zh-hans", "场次", "万") == "2.8万场次"
    assert styled(4026, "zh-hans", "场次", "余") == "4000余场次"
    assert styled(28036, "zh-hans", "场次", "exact") == "28036场次"
    assert styled(28036, "bo", "ཐེངས་", "exact") == "ཐེངས་༢༨༠༣༦"
    assert styled(28036, "bo", "ཐེངས་", "万") == "ཐེངས་ཁྲི་༢.༨"


# --- the whole document -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_documents_problems_name_section_paragraph_sentence_language_and_character():
    document = template.shipped_document()
    document["sections"][1]["paragraphs"][1][0]["zh"] = "截至{date}，[学习{study.sesions}]。"
    document["sections"][3]["paragraphs"][0][1]["bo"] = "[{visits.count|ལྷག}"
    with translation.override("en"):
        messages = template.check_document(document, known())
    assert any(
        m.startswith("Section “Rich and varied ways of learning”, paragraph 2, sentence 1, Chinese, character 13:")
        and "study.sesions" in m
        for m in messages
    ), messages
    assert any(
        m.startswith("Section “Warm and caring service to the people”, paragraph 1, sentence 2, Tibetan, character 2:")
        for m in messages
    )


@pytest.mark.django_db
def test_a_template_that_is_not_a_document_is_refused_without_an_error():
    for bad in (None, [], {"sections": "x"}, {"sections": [1]}, {"sections": [{"key": "Bad Key"}]}):
        assert template.check_document(bad, known())


# --- the pages --------------------------------------------------------------------------------------


def post_sentence(client, url, action="save", **texts):
    data = {"zh": "", "bo": "", "en": "", "version": texts.pop("version", 1), "action": action, **texts}
    return client.post(url, data)


def test_the_office_sees_the_template_and_edits_a_sentence(as_user, office, campaign, seed_values):
    client = as_user(office)
    page = client.get("/reports/template/")
    assert page.status_code == 200
    assert "集中学习研讨" in page.text and 'data-testid="template-version"' in page.text
    form = client.get(SENTENCE)
    assert form.status_code == 200 and "{centre_group.study_sessions|万|次}" in form.text
    zh = "截至{date}，[全市共购买发放党史读本{books.copies|exact|本}]。"
    bo = "{date}བར། [གྲོང་ཁྱེར་ཧྲིལ་པོར་དཔེ་དེབ་{books.copies|exact}ཉོས།]"
    preview = post_sentence(client, SENTENCE, "preview", zh=zh, bo=bo)
    assert preview.status_code == 200
    assert "截至2021年12月31日，全市共购买发放党史读本46312本。" in preview.text
    assert ReportTemplate.objects.filter(campaign=campaign).count() == 0  # a preview saves nothing
    saved = post_sentence(client, SENTENCE, zh=zh, bo=bo)
    assert saved.status_code == 302
    row = ReportTemplate.objects.get(campaign=campaign)
    assert row.version == 2 and row.changed_by == office
    text = build_report(campaign.root_unit, AS_OF, "zh-hans").as_text()
    assert "全市共购买发放党史读本46312本。" in text
    assert "集中学习2.8万场次" not in text
    assert "ཉོས།" in build_report(campaign.root_unit, AS_OF, "bo").as_text()
    from auditlog.models import LogEntry

    assert LogEntry.objects.get_for_object(row).count() == 1


def test_bad_input_is_refused_in_the_page_with_its_place(as_user, office, campaign):
    client = as_user(office)
    response = post_sentence(client, SENTENCE, zh="截至{date}，[学习{study.sesions|万}]。", bo="[{study.sesions}]")
    assert response.status_code == 200
    errors = re.search(r'data-testid="template-errors">(.*?)</div>', response.text, re.S).group(1)
    assert "学习载体丰富多样" in errors and "study.sesions" in errors and "13" in errors
    for zh in ("[学习{study.sessions|约}", "学习\x00", "学" * 3000, "学习{study.sessions|万]"):
        response = post_sentence(client, SENTENCE, zh=zh, bo="[{study.sessions}]")
        assert response.status_code == 200
        assert 'data-testid="template-errors"' in response.text
    assert not ReportTemplate.objects.filter(campaign=campaign).exists()


def test_a_stale_version_is_refused(as_user, office, campaign):
    client = as_user(office)
    zh, bo = "[学习{study.sessions}]。", "[{study.sessions}]"
    assert post_sentence(client, SENTENCE, zh=zh, bo=bo).status_code == 302
    response = post_sentence(client, SENTENCE, zh=zh + "再", bo=bo, version=1)
    assert response.status_code == 200 and 'data-testid="template-errors"' in response.text
    assert ReportTemplate.objects.get(campaign=campaign).version == 2


def test_sentences_and_sections_are_added_and_deleted(as_user, office, campaign, seed_values):
    client = as_user(office)
    add = client.post(
        "/reports/template/orglife/add/",
        {
            "zh": "[另有{orglife.talks|余|次}谈心]。",
            "bo": "[{orglife.talks|余|ཐེངས་}]",
            "en": "",
            "version": 1,
            "paragraph": 2,
        },
    )
    assert add.status_code == 302
    assert "另有5.2万余次谈心。" in build_report(campaign.root_unit, AS_OF, "zh-hans").as_text()
    assert client.post("/reports/template/orglife/2/0/delete/", {"version": 2}).status_code == 302
    assert ReportTemplate.objects.get(campaign=campaign).version == 3
    section = client.post(
        "/reports/template/sections/add/",
        {"key": "culture", "title_zh": "文化活动", "title_bo": "རིག་གནས།", "title_en": "Culture", "version": 3},
    )
    assert section.status_code == 302
    assert "culture" in template.section_keys(ReportTemplate.objects.get(campaign=campaign).document)
    bad = client.post(
        "/reports/template/sections/add/", {"key": "culture", "title_zh": "再", "title_bo": "", "version": 4}
    )
    assert bad.status_code == 200 and 'data-testid="template-errors"' in bad.text
    assert client.post("/reports/template/sections/culture/delete/", {"version": 4}).status_code == 302
    assert "culture" not in template.section_keys(ReportTemplate.objects.get(campaign=campaign).document)


def test_only_the_campaigns_office_reaches_the_editor(as_user, cg_office, dz_reporter, leader):
    assert as_user(cg_office).get("/reports/template/").status_code == 404
    assert as_user(cg_office).get(SENTENCE).status_code == 404
    assert as_user(dz_reporter).get("/reports/template/").status_code == 403
    assert as_user(leader).get(SENTENCE).status_code == 403
    assert as_user(cg_office).post("/reports/template/learning/0/0/delete/", {"version": 1}).status_code == 404


def test_a_sentence_that_does_not_exist_is_not_found(as_user, office):
    assert as_user(office).get("/reports/template/learning/9/0/").status_code == 404
    assert as_user(office).get("/reports/template/nowhere/add/").status_code == 404
    assert as_user(office).get("/reports/template/sections/nowhere/").status_code == 404


# --- published reports keep their definitions --------------------------------------------------------


def test_a_published_report_keeps_the_template_and_indicator_versions(as_user, office, campaign, seed_values):
    from reports import services

    services.change_template(
        actor=office,
        campaign=campaign,
        change=template.with_sentence,
        version=1,
        key="lead",
        paragraph=0,
        sentence=None,
        texts={"zh": "[全年学习{study.sessions}]。", "bo": "[{study.sessions|万|ཐེངས་}]"},
    )
    published = services.publish_report(actor=office, unit=campaign.root_unit, as_of=AS_OF, language="zh-hans")
    assert published.template_version == 2
    used = {u["code"]: u for u in published.indicator_versions}
    assert used["study.sessions"]["version"] >= 1 and used["study.sessions"]["defined"] is False
    services.change_template(
        actor=office,
        campaign=campaign,
        change=template.without_sentence,
        version=2,
        key="lead",
        paragraph=0,
        sentence=1,
    )
    page = as_user(office).get(f"/reports/published/{published.pk}/")
    assert 'data-testid="snapshot-template-version"' in page.text and "study.sessions</code> v" in page.text
    assert "全年学习" in page.text  # the frozen text, not today's template
    frozen = PublishedReport.objects.get(pk=published.pk)
    assert "全年学习2.8万。" in frozen.text and frozen.template_version == 2
    assert "全年学习" not in build_report(campaign.root_unit, AS_OF, "zh-hans").as_text()


def test_a_defined_indicators_version_is_kept_in_the_snapshot(office, campaign, seed_values):
    from figures import catalogue
    from ledger.models import DefinedIndicator
    from reports import services

    DefinedIndicator.objects.create(
        code="lecture.monastery_audience",
        name_zh="寺庙宣讲受众",
        name_bo="དགོན་པའི་ཉན་མཁན།",
        name_en="Monastery audience",
        measure_zh="人次",
        measure_bo="མི་ཐེངས་",
        measure_en="person-times",
        section="lectures",
        measure="participants",
        version=3,
    )
    catalogue.forget_defined()
    services.change_template(
        actor=office,
        campaign=campaign,
        change=template.with_sentence,
        version=1,
        key="lead",
        paragraph=0,
        sentence=None,
        texts={"zh": "[寺庙宣讲{lecture.monastery_audience}]。", "bo": "[{lecture.monastery_audience}]"},
    )
    published = services.publish_report(actor=office, unit=campaign.root_unit, as_of=AS_OF, language="bo")
    used = {u["code"]: u for u in published.indicator_versions}
    assert used["lecture.monastery_audience"] == {"code": "lecture.monastery_audience", "version": 3, "defined": True}


# --- a campaign's set-up carries its template ---------------------------------------------------------


def test_the_template_travels_with_a_campaigns_set_up(office, campaign):
    from campaigns.models import Campaign
    from campaigns.transfer import PARTS, Context
    from reports import services

    part = PARTS["reports.template"]
    services.change_template(
        actor=office,
        campaign=campaign,
        change=template.with_sentence,
        version=1,
        key="learning",
        paragraph=0,
        sentence=0,
        texts={"zh": "[学习{study.sessions|余|场次}]。", "bo": "[{study.sessions|余|ཐེངས་}]", "en": "Study."},
    )
    rows = part.dump(campaign)
    assert rows[0]["section"] == "lead" and rows[2]["section"] == "learning"
    assert "study.sessions" in rows[2]["codes"]
    other = Campaign.objects.exclude(pk=campaign.pk).get()
    part.load(other, rows, Context(actor=office))
    copied = ReportTemplate.objects.get(campaign=other)
    assert copied.version == 1 and copied.changed_by == office
    assert copied.document == ReportTemplate.objects.get(campaign=campaign).document
    assert part.dump(other) == rows


def test_a_broken_template_is_refused_whole_on_import(office, campaign):
    from django.core.exceptions import ValidationError

    from campaigns.models import Campaign
    from campaigns.transfer import PARTS, Context

    part = PARTS["reports.template"]
    rows = part.dump(campaign)
    rows[2]["paragraphs"][0][0]["zh"] = "[学习{nowhere.code}"
    other = Campaign.objects.exclude(pk=campaign.pk).get()
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        part.load(other, rows, Context(actor=office))
    (messages,) = caught.value.message_dict.values()
    assert any(re.search(r"paragraph 1, sentence 1, Chinese, character \d+", m) for m in messages)
    assert list(caught.value.message_dict) == ["reports.template"]
    with pytest.raises(ValidationError):
        part.load(other, [{"nothing": 1}], Context(actor=office))
    assert not ReportTemplate.objects.filter(campaign=other).exists()


def test_the_demo_campaign_gets_the_2021_report_as_its_templates_first_version(demo_foundation):
    from reports import demo

    demo.build(demo_foundation)
    row = ReportTemplate.objects.get(campaign=demo_foundation.made["campaign"])
    assert row.version == 1 and row.document == template.shipped_document()


def test_a_code_the_template_already_names_stays_accepted_when_its_app_is_gone(office, campaign):
    from django.core.exceptions import ValidationError

    from reports import services

    document = template.shipped_document()
    document["lead"].append([{"zh": "[另有{gone.count|余|次}]。", "bo": "[{gone.count|余|ཐེངས་}]", "en": ""}])
    ReportTemplate.objects.create(campaign=campaign, document=document, version=4)
    changed = services.change_template(
        actor=office,
        campaign=campaign,
        change=template.with_sentence,
        version=4,
        key="learning",
        paragraph=0,
        sentence=0,
        texts={"zh": "[学习{study.sessions}]。", "bo": "[{study.sessions}]"},
    )
    assert changed.version == 5
    with pytest.raises(ValidationError):
        services.change_template(
            actor=office,
            campaign=campaign,
            change=template.with_sentence,
            version=5,
            key="learning",
            paragraph=0,
            sentence=0,
            texts={"zh": "[学习{also.gone}]。", "bo": "[{also.gone}]"},
        )


def test_an_import_over_a_template_raises_its_version(office, campaign):
    from reports import services

    first = services.install_template(campaign=campaign, document=template.shipped_document())
    assert first.version == 1
    same = services.install_template(campaign=campaign, document=template.shipped_document())
    assert same.version == 1
    other = template.without_sentence(template.shipped_document(), "lead", 0, 0)
    assert services.install_template(campaign=campaign, document=other).version == 2


MARKERS = "{}[]|.学习a_ ་།\x00\u202e"


@pytest.mark.django_db
def test_any_text_is_checked_with_messages_and_built_without_an_error():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    codes = known()
    pieces = st.sampled_from(
        [
            "{study.sessions",
            "|余",
            "|万|场次",
            "}",
            "[",
            "]",
            "{unit}",
            "{nowhere.code}",
            "{date",
            "学习",
            "ཐེངས་",
            " ",
            "\x07",
        ]
    )
    texts = st.one_of(st.text(alphabet=MARKERS, max_size=40), st.lists(pieces, max_size=12).map("".join))

    @settings(max_examples=300, deadline=None, database=None)
    @given(zh=texts, bo=texts)
    def check(zh, bo):
        problems = template.check_sentence({"zh": zh, "bo": bo}, codes)
        assert all(isinstance(m, str) and position >= 0 for _lang, position, m in problems)
        for language, text in (("zh-hans", zh), ("bo", bo)):
            parts = build_sentence(
                text, language, {"unit": "拉萨市"}, {"study.sessions": 3}, "s", {"study.sessions": 1}
            )
            assert parts is None or isinstance(parts, list)

    check()


def test_a_sentence_moves_within_its_paragraph(as_user, office, campaign):
    client = as_user(office)
    before = template.shipped_document()["sections"][1]["paragraphs"][0]
    assert client.post("/reports/template/learning/0/1/move/", {"version": 1, "direction": "up"}).status_code == 302
    after = ReportTemplate.objects.get(campaign=campaign).document["sections"][1]["paragraphs"][0]
    assert after == [before[1], before[0]]
    assert client.post("/reports/template/learning/0/9/move/", {"version": 2, "direction": "up"}).status_code == 404
