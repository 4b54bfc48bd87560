"""The words the report is filled with — the title, subtitle and close, the unit's level, its
committee, the campaign's goal words, the programmes of the key-items list — and the 2021
report's sentences as they were first written in Python.

The report's sections and sentences are a template now (``reports.template``: one document
per campaign, edited by the office in the page); the platform ships the 2021 report as that
template (``reports/data/report-2021.json``). The definitions of ``LEAD``, ``SECTIONS`` and
``STYLES`` below are what that document was made from, and the platform no longer builds from
them: ``reports/tests/python_report.py`` builds with them as the platform did, and the tests
hold the shipped template to them, word for word in Chinese and Tibetan.

In those definitions a sentence is an opening, clauses and a closing. A clause names the
indicators whose figures it carries as ``{code}``; it is left out when one of them is not
registered or when all of them are zero. How each figure is written (its measure word and
whether the seed gives it as a round figure with 余) is in ``STYLES``.

Context words in braces without a dot are filled from the unit and the date: ``{unit}`` (its
name), ``{committee}`` (市委 / 区委 ...), ``{whole}`` (全市 / 全区 ...), ``{date}``,
``{goals}`` (the campaign's goal words), and in Tibetan ``{unit_gen}`` / ``{unit_erg}`` (the
name with its genitive / agentive particle, which depend on the name's last letter).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Style:
    """How one indicator's figure is written: the Chinese measure word (after the number),
    the Tibetan measure noun (before it), the English one, and round-figure style."""

    zh: str
    bo: str
    en: str
    approx: bool = False


STYLES: dict[str, Style] = {
    # 1. leadership and organisation
    "supervision.groups": Style("个", "ཚོ་ཆུང་", "groups"),
    "supervision.inspections": Style("次", "ཐེངས་", "times"),
    "supervision.units_covered": Style("个", "སྡེ་ཁག་", "units"),
    # 2. learning
    "centre_group.study_sessions": Style("次", "ཐེངས་", "times"),
    "centre_group.leader_contributions": Style("人次", "མི་ཐེངས་", "person-times"),
    "study.sessions": Style("场次", "ཐེངས་", "sessions"),
    "study.discussion_contributions": Style("人次", "མི་ཐེངས་", "person-times"),
    "books.copies": Style("本", "", "copies"),
    "reading_class.sessions": Style("场次", "ཐེངས་", "sessions"),
    "reading_class.participants": Style("人次", "མི་ཐེངས་", "participant-times"),
    "competition.sessions": Style("场次", "ཐེངས་", "sessions"),
    "competition.participants": Style("人次", "མི་ཐེངས་", "participant-times"),
    "film.sessions": Style("场次", "ཐེངས་", "sessions", approx=True),
    "film.participants": Style("人次", "མི་ཐེངས་", "participant-times"),
    "base_visit.sessions": Style("场次", "ཐེངས་", "sessions"),
    "base_visit.participants": Style("人次", "མི་ཐེངས་", "participant-times"),
    "quiz.participants": Style("名", "མི་", "people"),
    "quiz.pass_rate": Style("%", "བརྒྱ་ཆ་", "%"),
    # 3. lectures and publicity
    "training.lecturers": Style("名", "མི་", "people"),
    "training.cadres": Style("名", "མི་", "people"),
    "lecture.sessions": Style("场次", "ཐེངས་", "sessions"),
    "materials.bilingual_copies": Style("份", "པར་གྲངས་", "copies"),
    "lecture.audience": Style("人次", "མི་ཐེངས་", "person-times"),
    "exhibition.sessions": Style("场次", "ཐེངས་", "sessions"),
    "exhibition.visitors": Style("人次", "མི་ཐེངས་", "person-times"),
    "micro_lesson.count": Style("次", "ཐེངས་", "times", approx=True),
    "news.reports": Style("篇", "ཡིག་ཆ་", "reports", approx=True),
    # 4. serving the people
    "visits.prefecture_leaders": Style("名", "མི་", "people"),
    "visits.county_cadres": Style("名", "མི་", "people", approx=True),
    "visits.townships_reached": Style("个", "", ""),
    "visits.villages_reached": Style("个", "", ""),
    "visits.institutions_reached": Style("家", "", ""),
    "visits.count": Style("次", "ཐེངས་", "times", approx=True),
    "concerns.collected": Style("个", "", ""),
    "concerns.resolved": Style("个", "", ""),
    "concerns.resolution_rate": Style("%", "བརྒྱ་ཆ་", "%"),
    "concerns.satisfaction_rate": Style("%", "བརྒྱ་ཆ་", "%"),
    "concerns.overdue": Style("个", "", ""),
    "key_items.total": Style("项", "ཚན་", "items"),
    "key_items.solved": Style("项", "ཚན་", "items"),
    "pairing.sessions": Style("场次", "ཐེངས་", "sessions"),
    "pairing.participants": Style("人次", "མི་ཐེངས་", "person-times"),
    # 5. organisational-life meetings
    "orglife.meetings": Style("场次", "ཐེངས་", "meetings", approx=True),
    "orglife.talks": Style("次", "ཐེངས་", "times", approx=True),
    "orglife.findings": Style("条", "", "problems", approx=True),
    "orglife.measures": Style("条", "", "measures", approx=True),
    "orglife.measures_done": Style("条", "", "measures"),
    "orglife.measures_overdue": Style("条", "", "measures"),
}


@dataclass(frozen=True)
class Clause:
    """One clause in Chinese and Tibetan, the languages the report is written in, and in
    English for readers of the English interface; ``sep`` is the Chinese mark that joins it
    to the clause before (the Tibetan clauses end with their own shad)."""

    zh: str
    bo: str
    en: str = ""
    sep: str = "，"


@dataclass(frozen=True)
class Sentence:
    clauses: tuple[Clause, ...]
    opening: Clause = Clause("", "")
    closing: Clause = Clause("。", "")


@dataclass(frozen=True)
class SectionText:
    key: str
    title_zh: str
    title_bo: str
    title_en: str
    paragraphs: tuple[tuple[Sentence, ...], ...]
    needs_data: bool = True


def S(*clauses: Clause, opening: Clause = Clause("", ""), closing: Clause = Clause("。", "")) -> Sentence:  # noqa: N802  (builds a Sentence, spelt like one)
    return Sentence(tuple(clauses), opening, closing)


AS_OF = Clause("截至{date}，", "{date}བར། ", "As of {date}, ")

TITLE = Clause(
    "{unit}{campaign}：学党史砺初心 担使命谋发展",
    "{unit_gen}{campaign_bare}། ཏང་ལོ་རྒྱུས་སློབ་ནས་ཐོག་མའི་སེམས་བརྟན་པོ་བཟོས་ཏེ་འགན་འཁུར་ནས་འཕེལ་རྒྱས་ལ་འབད།",
    "{unit}'s {campaign}: studying Party history to temper the original aspiration, shouldering the mission to pursue development",
)
SUBTITLE = Clause(
    "工作进展情况（截至{date}）", "ལས་དོན་ཡར་ཐོན་གྱི་གནས་ཚུལ། ({date}བར།)", "Progress of the work (as of {date})"
)

# The words the sentences are filled with (``reports.report.context_words``). A unit's level is
# known by the last character of its Chinese name.
LEVELS = (("市", "གྲོང་ཁྱེར", "city"), ("区", "ཆུས", "district"), ("县", "རྫོང", "county"))
WHOLE = {
    "city": Clause("全市", "གྲོང་ཁྱེར་ཧྲིལ་པོར་", "the whole city"),
    "district": Clause("全区", "ཆུས་ཧྲིལ་པོར་", "the whole district"),
    "county": Clause("全县", "རྫོང་ཧྲིལ་པོར་", "the whole county"),
    "": Clause("本单位", "ཁྱབ་ཁོངས་ཡོངས་སུ་", "the whole unit"),
}
COMMITTEE = {
    "level": Clause("{unit}委", "{unit}ཏང་ཨུད་", "{unit} Party Committee"),
    "": Clause("{unit}党委", "{unit}ཏང་ཨུད་", "{unit} Party Committee"),
}
LEADERS = {
    "city": Clause("地级领导", "ས་ཁུལ་རིམ་པའི་འགོ་ཁྲིད་ཀྱིས་", "prefecture-level leaders"),
    "": Clause("领导干部", "འགོ་ཁྲིད་ཀྱིས་", "leading cadres"),
}
DATE = Clause("{year}年{month}月{day}日", "ཕྱི་ལོ་{year}ལོའི་ཟླ་{month}ཚེས་{day}ཉིན་", "{year}-{month}-{day}")
# A unit without a campaign of its own is written of in the seed's words.
CAMPAIGN = Clause("党史学习教育", "ཏང་གི་ལོ་རྒྱུས་སློབ་སྦྱོང་དང་སློབ་གསོ", "Party-history study and education")
GOALS = Clause(
    "学史明理、学史增信、学史崇德、学史力行",
    "ལོ་རྒྱུས་སློབ་ནས་རིགས་པ་གསལ་བ། ལོ་རྒྱུས་སློབ་ནས་ཡིད་ཆེས་བརྟན་པ། ལོ་རྒྱུས་སློབ་ནས་ཀུན་སྤྱོད་བཟང་བ། ལོ་རྒྱུས་སློབ་ནས་ལག་ལེན་བསྟར་བ",
    "learn history to see the truth, to strengthen faith, to uphold virtue and to act",
)

# The report's close (落款): the issuing office, then the date, set flush right.
ISSUER = Clause(
    "中共{committee}{campaign}领导小组办公室",
    "ཀྲུང་གུང་{committee}ཀྱི་{campaign_gen}འགོ་ཁྲིད་ཚོ་ཆུང་གི་གཞུང་ལས་ཁང་།",
    "Office of the {campaign} Leading Group of the CPC {committee}",
)
ISSUED = Clause("{date}", "{date}", "{date}")

LEAD: tuple[Sentence, ...] = (
    S(
        Clause(
            "自{campaign}开展以来，{unit}坚持把开展好{campaign}作为坚决捍卫“两个确立”、增强“四个意识”、"
            "坚定“四个自信”、做到“两个维护”的具体实践",
            "{campaign}འགོ་ཚུགས་པ་ནས་བཟུང་། {unit_erg}{campaign}ལེགས་པར་སྤེལ་རྒྱུ་དེ་“གཏན་འཁེལ་གཉིས་”ཐག་གཅོད་ངང་སྲུང་སྐྱོབ་བྱེད་པ། "
            "“འདུ་ཤེས་བཞི་”ཆེར་སྐྱེད་གཏོང་བ། “ཡིད་ཆེས་བཞི་”བརྟན་པོ་བྱེད་པ། “སྲུང་སྐྱོབ་གཉིས་”ལག་བསྟར་བྱེད་པའི་ལག་ལེན་དངོས་སུ་བརྩིས།",
            'Since the {campaign} began, {unit} has made running it well a concrete practice of firmly upholding the "Two Establishments", strengthening the "Four Consciousnesses", firming the "Four Confidences" and achieving the "Two Safeguards"',
        ),
        Clause(
            "紧扣“{goals}”这一目标，落实五项重点工作任务，以实施“四个好”、开展“十项活动”为抓手，强化组织领导、"
            "创新学习方式、深化学习成效，扎实推进{whole}{campaign}不断走深走实",
            "“{goals}”ཞེས་པའི་དམིགས་ཡུལ་ལ་དམ་འཛིན་བྱས་ཏེ་ལས་དོན་གལ་ཆེན་ལྔ་ལག་བསྟར་བྱས། “ལེགས་པ་བཞི་”དང་“བྱ་འགུལ་བཅུ་”ལ་བརྟེན་ནས་"
            "སྒྲིག་འཛུགས་འགོ་ཁྲིད་ཤུགས་ཆེ་རུ་བཏང་། སློབ་སྦྱོང་གི་ཐབས་ལམ་གསར་གཏོད་བྱས། སློབ་སྦྱོང་གི་ནུས་པ་ཟབ་ཏུ་བཏང་སྟེ། "
            "{whole}{campaign}གཏིང་ཟབ་ཏུ་འཕེལ་བར་བྱས།",
            'holding fast to the goal "{goals}", it carried out the five key tasks, took the "Four Goods" and the "Ten Activities" as its handles, strengthened organisation and leadership, renewed the ways of learning and deepened its results, and steadily carried the {campaign} of {whole} deeper',
        ),
    ),
)

SECTIONS: tuple[SectionText, ...] = (
    SectionText(
        "organisation",
        "组织领导坚强有力",
        "སྒྲིག་འཛུགས་འགོ་ཁྲིད་ཤུགས་ཆེ་བ།",
        "Strong organisation and leadership",
        (
            (
                S(
                    Clause(
                        "{committee}高度重视，成立了由主要负责同志任组长的领导小组，高位推进{campaign}工作",
                        "{committee}ཤིན་ཏུ་གཟབ་ནན་བྱས་ཏེ། འགན་འཛིན་གཙོ་བོས་ཚོ་འགོ་བྱེད་པའི་འགོ་ཁྲིད་ཚོ་ཆུང་བཙུགས་ནས་{campaign}མཐོ་རིམ་ནས་སྐུལ་འདེད་བྱས།",
                        "The {committee} gave it great weight and set up a leading group headed by its principal leader, driving the {campaign} from the top",
                    )
                ),
                S(
                    Clause(
                        "领导小组成立办公室，从{whole}抽调精干力量组成工作专班，并成立由领导同志担任组长的{supervision.groups}"
                        "综合指导督导组，对所辖单位开展全覆盖督导",
                        "འགོ་ཁྲིད་ཚོ་ཆུང་གིས་གཞུང་ལས་ཁང་བཙུགས་ཤིང་ལས་དོན་ཆེད་ཚོ་གྲུབ་པ་མ་ཟད། འགོ་ཁྲིད་ཀྱིས་ཚོ་འགོ་བྱེད་པའི་བསྡོམས་འཛིན་མཛུབ་སྟོན་ལྟ་སྐུལ་"
                        "{supervision.groups} བཙུགས་ནས་འོག་གཏོགས་སྡེ་ཁག་ཡོངས་ལ་ལྟ་སྐུལ་ཁྱབ་ཁོངས་ཡོངས་རྫོགས་བྱས།",
                        "The leading group set up an office with a full-time team drawn from {whole}, and {supervision.groups} comprehensive guidance and supervision groups, each headed by a leader, supervised every unit under it",
                    ),
                    Clause(
                        "督导组先后深入{supervision.units_covered}单位开展督导检查{supervision.inspections}",
                        "ལྟ་སྐུལ་ཚོ་ཆུང་གིས་{supervision.units_covered} ལ་ཞིབ་བཤེར་{supervision.inspections} བྱས།",
                        "the supervision groups went to {supervision.units_covered} units and inspected {supervision.inspections}",
                    ),
                ),
            ),
        ),
    ),
    SectionText(
        "learning",
        "学习载体丰富多样",
        "སློབ་སྦྱོང་གི་བརྟེན་ས་སྣ་ཚོགས།",
        "Rich and varied ways of learning",
        (
            (
                S(
                    Clause(
                        "{unit}各级各部门依托理论学习中心组、党支部“三会一课”等载体，形成专家辅导、举办读书班、"
                        "专题研讨交流、应知应会测试等丰富多样的学习形式",
                        "{unit_gen}རིམ་པ་ཁག་དང་སྡེ་ཚན་ཁག་གིས་ལྟ་གྲུབ་སློབ་སྦྱོང་ལྟེ་བའི་ཚོ་ཆུང་དང་ཏང་ཚན་གྱི་“ཚོགས་འདུ་གསུམ་དང་སློབ་ཚན་གཅིག་”"
                        "སོགས་ལ་བརྟེན་ནས། ཆེད་མཁས་པའི་སློབ་ཁྲིད། དཔེ་ཀློག་འཛིན་གྲྭ། ཆེད་དོན་གྲོས་བསྡུར། ཤེས་དགོས་རིག་དགོས་ཚོད་ལྟ་སོགས་"
                        "སློབ་སྦྱོང་གི་རྣམ་པ་སྣ་ཚོགས་བཏོད།",
                        'Every level and department of {unit}, through the theory-study centre groups and the branches\' "three meetings and one lesson", formed many ways of learning: expert tutoring, reading classes, thematic seminars and must-know tests',
                    )
                ),
                S(
                    Clause(
                        "依托新媒体等线上平台，组织{quiz.participants}党员干部、农牧民群众参与党的十九届六中全会和党史知识网上答题活动，"
                        "持续掀起党史学习热潮",
                        "བརྒྱུད་ལམ་གསར་པ་སོགས་དྲ་ཐོག་སྟེགས་བུ་ལ་བརྟེན་ནས་ཏང་ཡོན་ལས་བྱེད་པ་དང་ཞིང་འབྲོག་པའི་མང་ཚོགས་{quiz.participants} "
                        "ཏང་གི་ཚོགས་ཆེན་བཅུ་དགུ་པའི་ཚོགས་ཆེན་ཧྲིལ་པོ་དྲུག་པ་དང་ཏང་ལོ་རྒྱུས་ཤེས་བྱའི་དྲ་ཐོག་དྲི་ལན་ལ་ཞུགས་སུ་བཅུག་སྟེ། "
                        "ཏང་ལོ་རྒྱུས་སློབ་སྦྱོང་གི་ཧུར་བརྩོན་རྦ་རླབས་རྒྱུན་མཐུད་དུ་སློང་བར་བྱས།",
                        "Through new media and other online platforms, {quiz.participants} party members, cadres, farmers and herders took the online quiz on the Sixth Plenum of the 19th Central Committee and on Party history, keeping the study of Party history at a high tide",
                    )
                ),
            ),
            (
                S(
                    Clause(
                        "{committee}理论学习中心组开展集中学习研讨{centre_group.study_sessions}",
                        "{committee}ལྟ་གྲུབ་སློབ་སྦྱོང་ལྟེ་བའི་ཚོ་ཆུང་གིས་མཉམ་སློབ་དང་གྲོས་བསྡུར་{centre_group.study_sessions} སྤེལ།",
                        "the theory-study centre group of the {committee} held collective study and discussion {centre_group.study_sessions}",
                    ),
                    Clause(
                        "{leaders}交流研讨{centre_group.leader_contributions}",
                        "{leaders_bo}བསམ་ཚུལ་བརྗེ་རེས་{centre_group.leader_contributions} བྱས།",
                        "{leaders} contributed to the discussions {centre_group.leader_contributions}",
                        sep="、",
                    ),
                    Clause(
                        "各级党组织开展集中学习{study.sessions}",
                        "རིམ་པ་ཁག་གི་ཏང་སྒྲིག་འཛུགས་ཀྱིས་མཉམ་སློབ་{study.sessions} སྤེལ།",
                        "party organisations at every level held collective study {study.sessions}",
                    ),
                    Clause(
                        "交流研讨{study.discussion_contributions}",
                        "བསམ་ཚུལ་བརྗེ་རེས་གླེང་མོལ་{study.discussion_contributions} བྱས།",
                        "with {study.discussion_contributions} of discussion contributions",
                        sep="、",
                    ),
                    Clause(
                        "购买发放书籍{books.copies}",
                        "དཔེ་དེབ་{books.copies} ཉོས་ནས་བགོ་འགྲེམས་བྱས།",
                        "{books.copies} of books were bought and handed out",
                    ),
                    Clause(
                        "举办专题读书班{reading_class.sessions}、参与人数{reading_class.participants}",
                        "ཆེད་དོན་དཔེ་ཀློག་འཛིན་གྲྭ་{reading_class.sessions} བཙུགས་ཤིང་། ཞུགས་མཁན་{reading_class.participants} བྱུང་།",
                        "special reading classes were held {reading_class.sessions}, with {reading_class.participants}",
                    ),
                    Clause(
                        "举办党史知识竞赛{competition.sessions}、参与人数{competition.participants}",
                        "ཏང་ལོ་རྒྱུས་ཤེས་བྱའི་འགྲན་བསྡུར་{competition.sessions} བཙུགས་ཤིང་། ཞུགས་མཁན་{competition.participants} བྱུང་།",
                        "Party-history knowledge competitions were held {competition.sessions}, with {competition.participants}",
                        sep="；",
                    ),
                    Clause(
                        "观看红色电影{film.sessions}、参与人数{film.participants}",
                        "དམར་པོའི་གློག་བརྙན་{film.sessions} བལྟས་ཤིང་། ལྟ་མཁན་{film.participants} བྱུང་།",
                        "red films were screened {film.sessions}, with {film.participants}",
                        sep="；",
                    ),
                    Clause(
                        "参观红色教育基地和廉政警示教育基地{base_visit.sessions}、参与人数{base_visit.participants}",
                        "དམར་པོའི་སློབ་གསོའི་རྨང་གཞི་དང་གཙང་སྲུང་ཉེན་བརྡའི་སློབ་གསོའི་རྨང་གཞིར་ལྟ་སྐོར་{base_visit.sessions} བྱས་ཤིང་། "
                        "ཞུགས་མཁན་{base_visit.participants} བྱུང་།",
                        "red education bases and integrity-warning bases were visited {base_visit.sessions}, with {base_visit.participants}",
                        sep="；",
                    ),
                    opening=AS_OF,
                ),
            ),
        ),
    ),
    SectionText(
        "lectures",
        "宣讲宣传深入人心",
        "ཁྱབ་བསྒྲགས་གསལ་བཤད་མི་སེམས་སུ་ཟབ་པ།",
        "Lectures and publicity that reach people's hearts",
        (
            (
                S(
                    Clause(
                        "{unit}组织{training.lecturers}宣讲团成员和农牧民宣讲骨干赴井冈山、延安先行接受红色革命教育，"
                        "现场感悟井冈山精神和延安精神",
                        "{unit_erg}ཁྱབ་བསྒྲགས་ཚོགས་པའི་ཚོགས་མི་དང་ཞིང་འབྲོག་པའི་ཁྱབ་བསྒྲགས་རྒྱབ་རྟེན་{training.lecturers} ཅིང་ཀང་ཧྲན་དང་ཡན་ཨན་དུ་"
                        "བཏང་ནས་དམར་པོའི་གསར་བརྗེའི་སློབ་གསོ་སྔོན་ལ་བླངས་ཏེ། ཅིང་ཀང་ཧྲན་གྱི་སྙིང་སྟོབས་དང་ཡན་ཨན་གྱི་སྙིང་སྟོབས་ས་ཐོག་ནས་ཉམས་སུ་མྱོང་།",
                        "{unit} sent {training.lecturers} lecture-group members and farmer and herder lecturers to Jinggangshan and Yan'an for revolutionary education first, to feel the spirit of Jinggangshan and Yan'an on the spot",
                    ),
                    Clause(
                        "组织{training.cadres}基层党员干部赴山南、林芝、昌都三地红色遗迹参观学习，带着感情、带着感悟深入群众中间，"
                        "用“飘着酥油香”的语言讲党史、讲党恩、讲变化、讲发展",
                        "གཞི་རིམ་གྱི་ཏང་ཡོན་ལས་བྱེད་པ་{training.cadres} ལྷོ་ཁ། ཉིང་ཁྲི། ཆབ་མདོ་བཅས་ས་གནས་གསུམ་གྱི་དམར་པོའི་ལོ་རྒྱུས་རྗེས་ཤུལ་ལ་"
                        "ལྟ་སྐོར་སློབ་སྦྱོང་ལ་བཏང་སྟེ། “མར་དྲི་ཞིམ་པོ་ལྡང་བའི་”སྐད་ཆས་ཏང་ལོ་རྒྱུས་དང་ཏང་གི་བཀའ་དྲིན། འགྱུར་ལྡོག་དང་འཕེལ་རྒྱས་"
                        "མང་ཚོགས་ལ་བཤད།",
                        '{training.cadres} grassroots party cadres visited the red sites of Shannan, Nyingchi and Chamdo, then went among the people with feeling and insight, telling of the Party\'s history, its kindness, the changes and the development in words "fragrant with butter tea"',
                        sep="；",
                    ),
                ),
            ),
            (
                S(
                    Clause(
                        "采取“理论宣讲+文艺歌颂+知识问答+革命歌曲联唱+红色经典诵读+红色影片展播”等方式，推动{campaign}"
                        "进机关、进农村、进企业、进学校、进社区、进军营、进寺庙，着力实现全覆盖",
                        "“ལྟ་གྲུབ་ཁྱབ་བསྒྲགས་+སྒྱུ་རྩལ་བསྟོད་གླུ་+ཤེས་བྱའི་དྲི་ལན་+གསར་བརྗེའི་གླུ་དབྱངས་+དམར་པོའི་གཞུང་ཀློག་+དམར་པོའི་གློག་བརྙན་”"
                        "སོགས་ཀྱི་ཐབས་ལམ་སྤྱད་དེ། {campaign}དེ་ལས་ཁུངས་དང་། གྲོང་གསེབ། ཁེ་ལས། སློབ་གྲྭ། སྡོད་ཁུལ། དམག་སྒར། དགོན་སྡེ་བཅས་སུ་"
                        "འཛུལ་ནས་ཁྱབ་ཁོངས་ཡོངས་རྫོགས་ཡོང་བར་འབད།",
                        "Combining theory talks, performances, quizzes, revolutionary songs, readings of red classics and red films, it took the {campaign} into offices, villages, enterprises, schools, communities, barracks and monasteries, aiming at full coverage",
                    )
                ),
                S(
                    Clause(
                        "{whole}共开展各类宣讲{lecture.sessions}",
                        "{whole}ཁྱབ་བསྒྲགས་གསལ་བཤད་རིགས་སྣ་ཚོགས་{lecture.sessions} སྤེལ།",
                        "{whole} held lectures of every kind {lecture.sessions}",
                    ),
                    Clause(
                        "印发藏汉双语宣讲资料{materials.bilingual_copies}",
                        "བོད་རྒྱ་ཡིག་གཉིས་ཀྱི་ཁྱབ་བསྒྲགས་ཡིག་ཆ་{materials.bilingual_copies} པར་དུ་བསྐྲུན།",
                        "printed {materials.bilingual_copies} of bilingual Tibetan and Chinese lecture materials",
                    ),
                    Clause(
                        "累计受众{lecture.audience}",
                        "ཉན་མཁན་བསྡོམས་{lecture.audience} ལ་སླེབས།",
                        "reaching an audience of {lecture.audience}",
                    ),
                    opening=AS_OF,
                ),
                S(
                    Clause(
                        "{whole}各类党史展厅先后接待参观学习{exhibition.sessions}",
                        "{whole}ཏང་ལོ་རྒྱུས་འགྲེམས་ཁང་ཁག་གིས་ལྟ་སྐོར་སློབ་སྦྱོང་{exhibition.sessions} བསུས།",
                        "The Party-history exhibition halls of {whole} received visiting groups {exhibition.sessions}",
                    ),
                    Clause(
                        "累计受众{exhibition.visitors}",
                        "ལྟ་མཁན་བསྡོམས་{exhibition.visitors} བྱུང་།",
                        "with {exhibition.visitors} of visitors",
                    ),
                ),
            ),
            (
                S(
                    Clause(
                        "此外，各级党组织利用微党课、微讲堂、小案例等载体，宣传{micro_lesson.count}",
                        "དེ་མིན། རིམ་པ་ཁག་གི་ཏང་སྒྲིག་འཛུགས་ཀྱིས་ཏང་གི་སློབ་ཚན་ཆུང་ཆུང་དང་། ཁྱབ་བསྒྲགས་ཆུང་ཆུང་། དཔེ་མཚོན་ཆུང་ཆུང་སོགས་ལ་བརྟེན་ནས་"
                        "ཁྱབ་བསྒྲགས་{micro_lesson.count} བྱས།",
                        "Besides, party organisations at every level spread the word through micro party lessons, micro lectures and small cases {micro_lesson.count}",
                    )
                ),
                S(
                    Clause(
                        "在中央媒体、区市主流媒体先后推出典型新闻报道{news.reports}，营造了学党史、颂党恩、谈发展的浓厚氛围",
                        "ཀྲུང་དབྱང་དང་ལྗོངས་དང་གྲོང་ཁྱེར་གྱི་བརྒྱུད་ལམ་གཙོ་བོར་དཔེ་མཚོན་གསར་འགྱུར་སྙན་ཞུ་{news.reports} སྤེལ་ཏེ། "
                        "ཏང་ལོ་རྒྱུས་སློབ་པ། ཏང་གི་བཀའ་དྲིན་བསྔགས་པ། འཕེལ་རྒྱས་གླེང་བའི་འཁོར་ཡུག་སྟུག་པོ་བཟོས།",
                        "Central, regional and city media published {news.reports} of news reports, creating a strong atmosphere of studying Party history, praising the Party's kindness and talking of development",
                    )
                ),
            ),
        ),
    ),
    SectionText(
        "serving",
        "为民服务温暖贴心",
        "མི་དམངས་ལ་ཞབས་ཞུ་དྲོད་ཚ་ལྡན་པ།",
        "Warm and caring service to the people",
        (
            (
                S(
                    Clause(
                        "{unit}坚持把“我为群众办实事”实践活动贯穿{campaign}全过程，开展“领导干部下基层大接访办实事”活动，"
                        "千方百计为群众解难题、办实事",
                        "{unit_erg}“ངས་མང་ཚོགས་ལ་དོན་དངོས་སྒྲུབ་”པའི་ལག་ལེན་བྱ་འགུལ་{campaign_gen}བརྒྱུད་རིམ་ཧྲིལ་པོར་ཁྱབ་པར་བྱས། "
                        "“འགོ་ཁྲིད་ལས་བྱེད་པ་གཞི་རིམ་དུ་ཕེབས་ནས་མང་ཚོགས་མཇལ་ཏེ་དོན་དངོས་སྒྲུབ་”པའི་བྱ་འགུལ་སྤེལ་ནས། "
                        "ཐབས་ཤེས་ཀུན་ནས་མང་ཚོགས་ཀྱི་དཀའ་ངལ་སེལ་ཞིང་དོན་དངོས་སྒྲུབ།",
                        '{unit} carried the practice of "doing practical things for the people" through the whole {campaign}, ran the activity "leading cadres go down to the grassroots, receive the people and do practical things", and did everything possible to solve the people\'s problems',
                    )
                ),
                S(
                    Clause(
                        "{whole}{visits.prefecture_leaders}地级领导",
                        "{whole}ས་ཁུལ་རིམ་པའི་འགོ་ཁྲིད་{visits.prefecture_leaders} དང་།",
                        "{visits.prefecture_leaders} prefecture-level leaders of {whole}",
                        sep="",
                    ),
                    Clause(
                        "{visits.county_cadres}县处级干部",
                        "རྫོང་རིམ་ལས་བྱེད་པ་{visits.county_cadres} བཅས་ཀྱིས་",
                        "{visits.county_cadres} county- and division-level cadres",
                        sep="、",
                    ),
                    Clause(
                        "深入{visits.townships_reached}乡镇（街道）",
                        "ཤང་དང་ཁྲོམ་གཞུང་{visits.townships_reached} དང་།",
                        "went to {visits.townships_reached} townships (streets)",
                    ),
                    Clause(
                        "{visits.villages_reached}村（社区）",
                        "གྲོང་ཚོ་དང་སྡོད་ཁུལ་{visits.villages_reached} དང་།",
                        "{visits.villages_reached} villages (communities)",
                        sep="、",
                    ),
                    Clause(
                        "和{visits.institutions_reached}学校、寺庙、企业",
                        "སློབ་གྲྭ་དང་དགོན་པ། ཁེ་ལས་{visits.institutions_reached} བཅས་སུ་ཕེབས་ནས་",
                        "and {visits.institutions_reached} schools, monasteries and enterprises",
                        sep="",
                    ),
                    Clause(
                        "开展调研{visits.count}",
                        "ཞིབ་འཇུག་{visits.count} བྱས།",
                        "on research visits {visits.count}",
                        sep="",
                    ),
                    opening=AS_OF,
                ),
                S(
                    Clause(
                        "收集社情民意、调处矛盾纠纷，共收集问题{concerns.collected}",
                        "སྤྱི་ཚོགས་ཀྱི་གནས་ཚུལ་དང་མང་ཚོགས་ཀྱི་བསམ་ཚུལ་བསྡུས་ཤིང་འགལ་ཟླ་དང་རྩོད་གཞི་ཐག་བཅད་དེ། "
                        "གནད་དོན་བསྡོམས་{concerns.collected} བསྡུས།",
                        "They gathered public opinion and settled disputes, collecting {concerns.collected} concerns",
                    ),
                    Clause(
                        "已办结{concerns.resolved}",
                        "དེའི་ཁྲོད་ནས་{concerns.resolved} ཐག་གཅོད་ཟིན།",
                        "of which {concerns.resolved} are resolved",
                        sep="、",
                    ),
                    Clause(
                        "问题办结率（不计重复问题和经学教办签认无法解决的问题）{concerns.resolution_rate}",
                        "ཐག་གཅོད་ཚད་(བསྐྱར་ཟློས་དང་ལས་ཁང་གིས་ཐག་གཅོད་མི་ཐུབ་པར་མིང་རྟགས་བཀོད་པའི་གནད་དོན་མི་བརྩི།) {concerns.resolution_rate} ཡིན།",
                        "the resolution rate (leaving out duplicates and concerns the office signed off as not resolvable) is {concerns.resolution_rate}",
                        sep="；",
                    ),
                    Clause(
                        "回访群众满意率（已回访问题中群众满意的比例）{concerns.satisfaction_rate}",
                        "ཕྱིར་འདྲིའི་མང་ཚོགས་ཡིད་ཚིམ་ཚད་(ཕྱིར་འདྲི་བྱས་ཟིན་པའི་གནད་དོན་ཁྲོད་མང་ཚོགས་ཡིད་ཚིམ་པའི་བསྡུར་ཚད།) {concerns.satisfaction_rate} ཡིན།",
                        "the satisfaction rate (the share of called-back concerns whose people were satisfied) is {concerns.satisfaction_rate}",
                    ),
                ),
            ),
            (
                S(
                    Clause(
                        "梳理重点民生领域群众“急难愁盼”问题，形成“我为群众办实事”重点事项清单，涉及{programmes}{key_items.total}民生实事",
                        "དམངས་འཚོའི་ས་ཁོངས་གལ་ཆེན་གྱི་མང་ཚོགས་ཀྱི་“ཁག་པོ་དང་དཀའ་ལས། སེམས་ཁྲལ། རེ་སྒུག་”གི་གནད་དོན་ལ་དབྱེ་ཞིབ་བྱས་ཏེ། "
                        "“ངས་མང་ཚོགས་ལ་དོན་དངོས་སྒྲུབ་”པའི་དོན་ཚན་གལ་ཆེན་གྱི་ཐོ་བཀོད་པ་དང་། དེའི་ནང་{programmes}དམངས་འཚོའི་དོན་དངོས་{key_items.total} ཚུད།",
                        'The people\'s most pressing problems in key areas of livelihood were sorted into the key-items list of "doing practical things for the people": {programmes}{key_items.total} of livelihood items',
                    ),
                    Clause(
                        "通过项目化管理、清单化推进，{key_items.solved}民生实事已妥善解决",
                        "རྣམ་གྲངས་ལྟར་དོ་དམ་དང་ཐོ་གཞུང་ལྟར་སྐུལ་འདེད་བྱས་ཏེ། དམངས་འཚོའི་དོན་དངོས་{key_items.solved} ལེགས་པར་ཐག་ཆོད།",
                        "Run as projects and pushed by checklist, {key_items.solved} of them have been solved",
                    ),
                ),
                S(
                    Clause(
                        "各级党政机关、企事业单位、社会组织党支部先后与驻村点党支部开展“我为群众办实事”结对共建主题党日和志愿活动"
                        "{pairing.sessions}",
                        "རིམ་པ་ཁག་གི་ཏང་སྲིད་ལས་ཁུངས། ཁེ་ལས་དང་ལས་ཁུངས་ཚོགས་པ། སྤྱི་ཚོགས་སྒྲིག་འཛུགས་ཀྱི་ཏང་ཚན་རྣམས་ཀྱིས་གྲོང་སྡོད་ས་ཚིགས་ཀྱི་ཏང་ཚན་དང་"
                        "ཆ་སྒྲིག་མཉམ་འཛུགས་ཀྱི་བརྗོད་གཞིའི་ཏང་ཉིན་དང་རང་འཐད་བྱ་འགུལ་{pairing.sessions} སྤེལ།",
                        "Party branches of offices, enterprises, institutions and social organisations held pairing theme days and volunteering with the branches of their village stations {pairing.sessions}",
                    ),
                    Clause(
                        "党员参与达{pairing.participants}",
                        "ཏང་ཡོན་ཞུགས་མཁན་{pairing.participants} ལ་སླེབས།",
                        "with {pairing.participants} of party members",
                    ),
                ),
            ),
        ),
    ),
    SectionText(
        "orglife",
        "组织生活会动真较劲",
        "སྒྲིག་འཛུགས་འཚོ་བའི་ཚོགས་འདུ་ངོ་མ་ནས་འཚོགས་པ།",
        "Organisational-life meetings in earnest",
        (
            (
                S(
                    Clause(
                        "按照中央、区党委统一部署，{unit}及时制定印发相关通知，明确时间、主题、方法、步骤，有序组织召开专题组织生活会",
                        "ཀྲུང་དབྱང་དང་ལྗོངས་ཏང་ཨུད་ཀྱི་གཅིག་གྱུར་བཀོད་སྒྲིག་ལྟར། {unit_erg}དུས་ཐོག་ཏུ་བརྡ་ཐོ་བཏོན་ཏེ་དུས་ཚོད། བརྗོད་གཞི། ཐབས་ལམ། "
                        "གོ་རིམ་གསལ་པོར་བཀོད་ནས་ཆེད་དོན་སྒྲིག་འཛུགས་འཚོ་བའི་ཚོགས་འདུ་གོ་རིམ་ལྡན་པར་འཚོགས་སུ་བཅུག །",
                        "As the Centre and the regional party committee arranged, {unit} promptly issued a notice fixing the time, theme, method and steps, and held the special organisational-life meetings in good order",
                    )
                ),
                S(
                    Clause(
                        "{whole}各级党组织先后召开专题组织生活会{orglife.meetings}",
                        "{whole}རིམ་པ་ཁག་གི་ཏང་སྒྲིག་འཛུགས་ཀྱིས་ཆེད་དོན་སྒྲིག་འཛུགས་འཚོ་བའི་ཚོགས་འདུ་{orglife.meetings} འཚོགས།",
                        "Party organisations at every level of {whole} held special organisational-life meetings {orglife.meetings}",
                    ),
                    Clause(
                        "开展谈心谈话{orglife.talks}",
                        "སེམས་ཀྱི་གླེང་མོལ་{orglife.talks} བྱས།",
                        "had heart-to-heart talks {orglife.talks}",
                    ),
                    Clause(
                        "检视问题{orglife.findings}",
                        "ཞིབ་བཤེར་བྱས་པའི་གནད་དོན་{orglife.findings} རྙེད།",
                        "found {orglife.findings} of problems in self-examination",
                    ),
                    Clause(
                        "制定整改措施{orglife.measures}",
                        "ལེགས་བཅོས་ཀྱི་ཐབས་ཇུས་{orglife.measures} གཏན་འཁེལ་བྱས།",
                        "set {orglife.measures} of rectification measures",
                    ),
                    Clause(
                        "其中已完成{orglife.measures_done}",
                        "དེའི་ཁྲོད་ནས་{orglife.measures_done} ལེགས་གྲུབ་བྱུང་།",
                        "of which {orglife.measures_done} are done",
                        sep="；",
                    ),
                    opening=AS_OF,
                ),
            ),
            (
                S(
                    Clause(
                        "{supervision.groups}综合指导督导组全覆盖参与监督所指导单位组织生活会，确保高质量开好生活会",
                        "བསྡོམས་འཛིན་མཛུབ་སྟོན་ལྟ་སྐུལ་{supervision.groups} ཡོངས་ཀྱིས་མཛུབ་སྟོན་བྱེད་ཡུལ་གྱི་སྡེ་ཁག་ཡོངས་ཀྱི་ཚོགས་འདུར་ཞུགས་ནས་ལྟ་སྐུལ་བྱས་ཏེ། "
                        "ཚོགས་འདུ་སྤུས་ཚད་མཐོ་པོར་འཚོགས་པར་ཁག་ཐེག་བྱས།",
                        "The {supervision.groups} comprehensive guidance and supervision groups attended the meetings of every unit they guide, so that the meetings were held to a high standard",
                    )
                ),
            ),
        ),
    ),
    SectionText(
        "next_steps",
        "奋进新征程豪情满怀",
        "བགྲོད་ལམ་གསར་པར་སྤྲོ་སེམས་ཆེན་པོས་བརྩོན་པ།",
        "Striving on the new journey with high spirits",
        (
            (
                S(
                    Clause(
                        "下一步，{unit}将常态化抓好理论学习、常态化抓好宣讲活动、常态化抓好“我为群众办实事”实践活动，"
                        "进一步深化{campaign}各项工作，在理论学习中锤炼党性、在为民服务中践行宗旨、在学史力行上常抓不懈",
                        "རྗེས་མར། {unit_erg}ལྟ་གྲུབ་སློབ་སྦྱོང་དང་། ཁྱབ་བསྒྲགས་གསལ་བཤད། “ངས་མང་ཚོགས་ལ་དོན་དངོས་སྒྲུབ་”པའི་ལག་ལེན་བྱ་འགུལ་བཅས་"
                        "རྒྱུན་ལྡན་ཅན་དུ་ལེགས་པར་བཟུང་ནས་{campaign_gen}ལས་དོན་ཁག་སྔར་ལས་ཟབ་ཏུ་གཏོང་། ལྟ་གྲུབ་སློབ་སྦྱོང་ནང་ཏང་གཤིས་སྦྱོང་། "
                        "མི་དམངས་ལ་ཞབས་ཞུ་ཞུ་བའི་ནང་དམིགས་ཡུལ་ལག་ལེན་དུ་བསྟར། ལོ་རྒྱུས་སློབ་ནས་ལག་ལེན་བསྟར་བར་རྒྱུན་དུ་འབད།",
                        'Next, {unit} will make theory study, lectures and "doing practical things for the people" routine, deepen every part of the {campaign}, temper Party spirit in theory study, practise its purpose in serving the people, and keep learning history and acting on it',
                    )
                ),
                S(
                    Clause(
                        "对尚未办结的{concerns.overdue}超期问题",
                        "དུས་ཚོད་ལས་བརྒལ་ཡང་ཐག་མ་ཆོད་པའི་གནད་དོན་{concerns.overdue} དང་།",
                        "The {concerns.overdue} overdue concerns not yet resolved",
                        sep="",
                    ),
                    Clause(
                        "{orglife.measures_overdue}逾期整改措施",
                        "དུས་ཡོལ་བའི་ལེགས་བཅོས་ཐབས་ཇུས་{orglife.measures_overdue} ",
                        "the {orglife.measures_overdue} overdue rectification measures",
                        sep="和",
                    ),
                    closing=Clause(
                        "逐项督办、限期销号，以实际行动回应群众诉求。",
                        "བཅས་ལ་རེ་རེ་བཞིན་སྐུལ་ལྕོགས་བྱས་ཏེ་དུས་བཀག་ནང་ཐག་གཅོད་བྱས་ནས། ལས་དོན་དངོས་ཀྱིས་མང་ཚོགས་ཀྱི་རེ་བ་ལ་ལན་འདེབས།",
                        " will be pressed item by item and closed within a time limit, answering the people's demands with deeds.",
                    ),
                ),
            ),
        ),
        needs_data=False,
    ),
)

# How many programmes, as a word: 三大民生工程 / ལས་གཞི་ཆེན་པོ་གསུམ་ (one to ten).
COUNT_WORDS = (
    ("一", "གཅིག", "one"),
    ("两", "གཉིས", "two"),
    ("三", "གསུམ", "three"),
    ("四", "བཞི", "four"),
    ("五", "ལྔ", "five"),
    ("六", "དྲུག", "six"),
    ("七", "བདུན", "seven"),
    ("八", "བརྒྱད", "eight"),
    ("九", "དགུ", "nine"),
    ("十", "བཅུ", "ten"),
)
TIBETAN_DIGITS = str.maketrans("0123456789", "༠༡༢༣༤༥༦༧༨༩")


# The programmes of the key-items list, named before the count of items (the seed's words): one
# programme, or several with their number; names are listed with the language's separator.
PROGRAMME = Clause("“{names}”", "“{names}”ཞེས་པའི་ལས་གཞིའི་ནང་གི་", "the programme “{names}”: ")
PROGRAMMES = Clause(
    "“{names}”{count}大民生工程",
    "“{names}”ཞེས་པའི་དམངས་འཚོའི་ལས་གཞི་ཆེན་པོ་{count}་ནང་གི་",
    "the {count} livelihood programmes “{names}”: ",
)
LIST_SEPARATOR = Clause("、", "། ", ", ")


def programmes_word(names: list[str], language: str) -> str:
    """The key-items list's programmes as the sentence names them, before the count of items:
    “平安拉萨便民工程、幸福拉萨惠民工程、和谐拉萨利民工程”三大民生工程 (the seed's words);
    nothing when the counted items belong to no programme."""
    if not names:
        return ""
    n = len(names)
    bo = language == "bo"
    listed = (LIST_SEPARATOR.bo if bo else LIST_SEPARATOR.zh).join(names)
    if n == 1:
        return (PROGRAMME.bo if bo else PROGRAMME.zh).replace("{names}", listed)  # names may hold braces
    if n <= len(COUNT_WORDS):
        count = COUNT_WORDS[n - 1][1 if bo else 0]
    else:
        count = str(n).translate(TIBETAN_DIGITS) if bo else str(n)
    return (PROGRAMMES.bo if bo else PROGRAMMES.zh).replace("{count}", count).replace("{names}", listed)
