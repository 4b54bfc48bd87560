"""Writing the progress report from indicator values: the seed's shape, its number style,
sections that appear only with data, Tibetan text, editors' free text."""

import re

import pytest

from reports.report import bo_particle, build_report
from reports.tests.conftest import AS_OF

SEED_FIGURES = {
    "organisation": ["8个"],
    "learning": [
        "13次", "90人次", "2.8万场次", "4.2万人次", "4.63万本", "361场次", "1.3万人次", "459场次",
        "4.1万人次", "4000余场次", "20.7万人次", "4430场次", "17万人次", "2万名",
    ],
    "lectures": ["60名", "498名", "3.8万场次", "5万份", "291.4万人次", "1535场次", "8.7万人次", "2万余次", "200余篇"],
    "serving": [
        "43名", "1000余名", "66个", "287个", "54家", "1600余次", "2308个", "1902个", "12项", "9项",
        "1.1万场次", "20万人次",
    ],
    "orglife": ["3000余场次", "5.2万余次", "11.9万余条", "12万余条"],
}  # fmt: skip


def section_texts(report) -> dict[str, str]:
    return {s.key: "".join(p.text for p in s.paragraphs) for s in report.sections}


def test_the_city_report_carries_every_seed_figure_in_its_section(unit, seed_values):
    report = build_report(unit("540100"), AS_OF, "zh-hans")
    texts = section_texts(report)
    for section, figures in SEED_FIGURES.items():
        for figure in figures:
            assert figure in texts[section], (section, figure)


def test_the_report_reads_like_the_seed(unit, seed_values):
    text = build_report(unit("540100"), AS_OF, "zh-hans").as_text()
    assert text.startswith("拉萨市党史学习教育")
    assert "截至2021年12月31日，拉萨市委理论学习中心组开展集中学习研讨13次、地级领导交流研讨90人次" in text
    assert "观看红色电影4000余场次、参与人数20.7万人次" in text
    assert "全市共开展各类宣讲3.8万场次，印发藏汉双语宣讲资料5万份，累计受众291.4万人次。" in text
    assert (
        "全市43名地级领导、1000余名县处级干部，深入66个乡镇（街道）、287个村（社区）和54家学校、寺庙、企业开展调研1600余次"
        in text
    )
    assert "开展谈心谈话5.2万余次，检视问题11.9万余条，制定整改措施12万余条" in text
    headings = re.findall(r"【(.+?)】", text)
    assert headings == [
        "组织领导坚强有力",
        "学习载体丰富多样",
        "宣讲宣传深入人心",
        "为民服务温暖贴心",
        "组织生活会动真较劲",
        "奋进新征程豪情满怀",
    ]


def test_every_figure_names_its_indicator_and_definition_version(unit, seed_values):
    report = build_report(unit("540100"), AS_OF, "zh-hans")
    codes = {f.code for f in report.figures}
    assert {"study.sessions", "lecture.audience", "orglife.measures", "visits.count"} <= codes
    assert all(f.version >= 1 for f in report.figures)
    film = next(f for f in report.figures if f.code == "film.sessions")
    assert (film.value, film.text, film.section) == (4026, "4000余场次", "learning")


def test_a_section_without_data_is_left_out_but_next_steps_stay(unit, monkeypatch):
    import reports.report as report_module

    monkeypatch.setattr(
        report_module,
        "indicator_values",
        lambda unit, start, end, codes, progress=None: {c: (5 if c.startswith("study.") else 0) for c in codes},
    )
    report = build_report(unit("540100"), AS_OF, "zh-hans")
    assert [s.key for s in report.sections] == ["learning", "next_steps"]
    learning = section_texts(report)["learning"]
    assert "各级党组织开展集中学习5场次、交流研讨5人次" in learning
    assert "红色电影" not in learning


def test_a_sentence_whose_indicator_is_not_registered_is_left_out(unit, seed_values, monkeypatch):
    import reports.report as report_module

    real = report_module.registered_codes
    monkeypatch.setattr(
        report_module, "registered_codes", lambda codes: [c for c in real(codes) if c != "quiz.participants"]
    )
    text = build_report(unit("540100"), AS_OF, "zh-hans").as_text()
    assert "网上答题" not in text
    assert "2.8万场次" in text


def test_the_tibetan_report_is_tibetan_text_with_tibetan_figures(unit, seed_values):
    report = build_report(unit("540100"), AS_OF, "bo")
    text = report.as_text()
    assert report.title.startswith("ལྷ་ས་གྲོང་ཁྱེར་གྱི་")
    assert "ཐེངས་ཁྲི་༢.༨" in text  # 2.8万场次
    assert "མི་ཐེངས་ཁྲི་༢༩༡.༤" in text  # 291.4万人次
    assert "ཐེངས་༤༠༠༠ལྷག" in text  # 4000余场次
    assert "ཁྲི་༡༢ལྷག" in text  # 12万余条
    han = re.findall(r"[\u4e00-\u9fff]", text)
    assert not han, "".join(han[:20])
    tibetan = re.findall(r"[\u0f00-\u0fff]", text)
    assert len(tibetan) > 2000


@pytest.mark.parametrize(
    ("name", "genitive", "agentive"),
    [
        ("ལྷ་ས་གྲོང་ཁྱེར།", "ལྷ་ས་གྲོང་ཁྱེར་གྱི་", "ལྷ་ས་གྲོང་ཁྱེར་གྱིས་"),
        ("ཁྲིན་ཀོན་ཆུས།", "ཁྲིན་ཀོན་ཆུས་ཀྱི་", "ཁྲིན་ཀོན་ཆུས་ཀྱིས་"),
        ("སྟག་རྩེ་རྫོང་།", "སྟག་རྩེ་རྫོང་གི་", "སྟག་རྩེ་རྫོང་གིས་"),
        ("ལྷ་ས", "ལྷ་སའི་", "ལྷ་སས་"),
    ],
)
def test_tibetan_particles_follow_the_last_letter(name, genitive, agentive):
    assert bo_particle(name, "gen") == genitive
    assert bo_particle(name, "erg") == agentive


def test_a_county_report_names_the_county(unit, seed_values):
    text = build_report(unit("540102"), AS_OF, "zh-hans").as_text()
    assert text.startswith("城关区党史学习教育")
    assert "城关区委理论学习中心组" in text
    assert "全区共开展各类宣讲" in text


def test_editors_free_text_goes_before_and_after_its_section(unit, seed_values):
    texts = {
        "learning": {"before": "学习方面亮点突出。", "after": "下一步继续深化。"},
        "lead": {"text": "本报告由学教办编写。"},
    }
    report = build_report(unit("540100"), AS_OF, "zh-hans", draft_texts=texts)
    learning = next(s for s in report.sections if s.key == "learning")
    assert learning.paragraphs[0].text == "学习方面亮点突出。" and learning.paragraphs[0].free
    assert learning.paragraphs[-1].text == "下一步继续深化。"
    assert report.lead[0].text == "本报告由学教办编写。"


def test_real_rows_reach_the_report_through_the_ledger(unit, record):
    record(code="540102001", kind="collective_study", sessions=3)
    record(code="540102001", kind="film", sessions=2, participants=150)
    report = build_report(unit("540102"), AS_OF, "zh-hans")
    text = report.as_text()
    assert "各级党组织开展集中学习3场次" in text
    assert "观看红色电影2场次、参与人数150人次" in text
