"""The data-quality checks the platform runs, as plain data: code, severity, the threshold
the office may tune, and names and descriptions in Chinese, Tibetan and English. Written by
a data migration and by ``ensure_checks`` (idempotent, for flushed databases); the code that
runs each check lives in ``quality.checks``. A description says what the threshold means."""

from __future__ import annotations

from typing import Any


def _c(code, model, severity, threshold, names, descriptions, order):
    return {
        "code": code,
        "model": model,
        "severity": severity,
        "threshold": threshold,
        "name_zh": names[0],
        "name_bo": names[1],
        "name_en": names[2],
        "description_zh": descriptions[0],
        "description_bo": descriptions[1],
        "description_en": descriptions[2],
        "order": order,
    }


CHECKS: list[dict[str, Any]] = [
    _c(
        "activity.future_date",
        "ledger.activity",
        "high",
        0,
        ("活动日期晚于录入日期", "ལས་འགུལ་གྱི་ཚེས་གྲངས་ཐོ་འགོད་ཉིན་ལས་ཕྱི་བ།", "Activity dated after it was entered"),
        (
            "活动日期在录入当天之后：尚未发生的活动被填报为已开展。阈值：允许提前的天数。",
            "ལས་འགུལ་གྱི་ཚེས་གྲངས་ཐོ་འགོད་བྱས་པའི་ཉིན་ལས་ཕྱི་བ། ད་དུང་མ་བྱུང་བའི་ལས་འགུལ་བྱས་ཟིན་པར་ཐོ་བཀོད་ཡོད། ཚད་གཞི། སྔོན་ལ་ཆོག་པའི་ཉིན་གྲངས།",
            "The activity's date lies after the day it was entered: something that had not happened yet "
            "was reported as done. Threshold: days allowed.",
        ),
        10,
    ),
    _c(
        "activity.outside_campaign",
        "ledger.activity",
        "medium",
        0,
        ("活动日期不在学习教育期间", "ལས་འགུལ་གྱི་ཚེས་གྲངས་སློབ་གསོའི་དུས་ཡུན་ནང་མི་འདུག", "Activity dated outside the campaign"),
        (
            "活动日期早于学习教育开始或晚于结束。阈值：允许的天数。",
            "ལས་འགུལ་གྱི་ཚེས་གྲངས་སློབ་གསོ་མ་འགོ་ཚུགས་གོང་ངམ་མཇུག་རྫོགས་རྗེས་ཡིན། ཚད་གཞི། ཆོག་པའི་ཉིན་གྲངས།",
            "The date lies before the campaign began or after it ended. Threshold: days of tolerance.",
        ),
        20,
    ),
    _c(
        "activity.late_entry",
        "ledger.activity",
        "low",
        60,
        ("活动结束很久后才录入", "ལས་འགུལ་རྗེས་དུས་ཡུན་རིང་པོ་ནས་ཐོ་བཀོད་པ།", "Entered long after the event"),
        (
            "录入日期比活动日期晚的天数超过阈值。",
            "ཐོ་འགོད་ཀྱི་ཚེས་གྲངས་ལས་འགུལ་གྱི་ཚེས་གྲངས་ལས་ཕྱི་བའི་ཉིན་གྲངས་ཚད་གཞི་ལས་བརྒལ་ཡོད།",
            "The row was entered more days after the activity than the threshold.",
        ),
        30,
    ),
    _c(
        "activity.too_many_people",
        "ledger.activity",
        "high",
        1.5,
        (
            "参与人次超过单位人数乘以场次",
            "ཞུགས་མི་ཐེངས་ལས་ཁུངས་ཀྱི་མི་གྲངས་ལ་ཐེངས་གྲངས་ཀྱིས་བསྒྱུར་བ་ལས་མང་བ།",
            "More participant-times than the unit's people × sessions",
        ),
        (
            "本单位人员参加的活动（集体学习、研讨、测试、读书班、参观基地、结对共建）中，参与人次超过单位党员数或人员数"
            "（取已知的较大者；党组织取其所在单位的）乘以场次，再乘以阈值（默认1.5：积极分子和非党员干部也参加学习）。",
            "ལས་ཁུངས་རང་གི་མི་སྣ་ཞུགས་པའི་ལས་འགུལ་(མཉམ་སློབ། གླེང་མོལ། ཚོད་ལྟ། དཔེ་ཀློག་འཛིན་གྲྭ། རྨང་གཞིར་ལྟ་སྐོར། ཆ་སྒྲིག་མཉམ་འཛུགས།)"
            "ནང་ཞུགས་མི་ཐེངས་དེ་ལས་ཁུངས་ཀྱི་ཏང་མིའམ་མི་གྲངས་(ཤེས་ཡོད་པའི་མང་ཤོས་ དང་། ཏང་སྒྲིག་འཛུགས་ཡིན་ན་དེ་གནས་སའི་ལས་ཁུངས་ཀྱི་)ལ་ཐེངས་གྲངས་དང་ཚད་གཞིས་བསྒྱུར་བ་ལས་མང་བ། "
            "(སྔོན་སྒྲིག་1.5། ཏང་ལ་ཞུགས་འདོད་ཅན་དང་ཏང་མི་མིན་པའི་ལས་བྱེད་པའང་སློབ་སྦྱོང་ལ་ཞུགས།)",
            "For kinds attended by the unit's own people (collective study, discussion, tests, reading classes, "
            "base visits, pairings), participant-times exceed the unit's party members or headcount (the larger, "
            "where known; for a party organisation, also those of the unit it sits in) times the sessions, times "
            "the threshold (1.5 by default: activists and non-member staff join the study too).",
        ),
        40,
    ),
    _c(
        "activity.venue_capacity",
        "ledger.activity",
        "medium",
        1,
        (
            "单场人数超过场所容量",
            "ཐེངས་རེའི་མི་གྲངས་ས་གནས་ཀྱི་ཤོང་ཚད་ལས་བརྒལ་བ།",
            "More people per session than the venue kind holds",
        ),
        (
            "每场参与人数超过该类场所可容纳的人数（机关300、村和社区1000、学校2000、企业800、军营1500、寺庙800）乘以阈值。",
            "ཐེངས་རེར་ཞུགས་མི་གྲངས་ས་གནས་དེའི་རིགས་ཀྱི་ཤོང་ཚད་(ལས་ཁུངས་300། གྲོང་ཚོ་དང་སྡོད་ཁུལ་1000། སློབ་གྲྭ་2000། ཁེ་ལས་800། "
            "དམག་སྒར་1500། དགོན་སྡེ་800)ལ་ཚད་གཞིས་བསྒྱུར་བ་ལས་མང་བ།",
            "Participants per session exceed what the venue kind plausibly holds (offices 300, villages and "
            "communities 1,000, schools 2,000, enterprises 800, barracks 1,500, monasteries 800), times the threshold.",
        ),
        50,
    ),
    _c(
        "activity.duplicate",
        "ledger.activity",
        "high",
        0,
        ("重复录入", "བསྐྱར་ཟློས་ཐོ་འགོད།", "Entered twice"),
        (
            "同一单位、同一类型的另一条记录标题相同（忽略空格和标点；无标题时各项数字相同），日期相差不超过阈值天数；标记较晚录入的一条。",
            "ལས་ཁུངས་དང་རིགས་གཅིག་པའི་ཐོ་འགོད་གཞན་ཞིག་གི་ཁ་བྱང་གཅིག་མཚུངས་(བར་སྟོང་དང་ཚེག་ཤད་མི་བརྩི། ཁ་བྱང་མེད་ན་གྲངས་ཀ་ཚང་མ་གཅིག་མཚུངས)ཡིན་ལ། "
            "ཚེས་གྲངས་ཀྱི་བར་ཁྱད་ཚད་གཞིའི་ཉིན་གྲངས་ལས་མི་བརྒལ། ཕྱིས་སུ་ཐོ་བཀོད་པ་དེར་རྟགས་རྒྱག",
            "Another row of the same unit and kind, dated no more than the threshold's days apart, has the same "
            "title (ignoring spaces and punctuation) or, without a title, the same counts; the later row is flagged.",
        ),
        60,
    ),
    _c(
        "activity.burst",
        "ledger.activity",
        "low",
        20,
        ("短时间内集中录入", "དུས་ཐུང་ནང་ཐོ་འགོད་མང་པོ་བསྡུས་ནས་བྱས་པ།", "A burst of entries"),
        (
            "一个单位在十分钟内录入的记录不少于阈值条，而这些活动的日期跨度达两周以上。",
            "ལས་ཁུངས་གཅིག་གིས་སྐར་མ་བཅུའི་ནང་ཐོ་འགོད་ཚད་གཞི་ལས་མི་ཉུང་བ་བྱས་ཤིང་། ལས་འགུལ་དེ་དག་གི་ཚེས་གྲངས་བདུན་ཕྲག་གཉིས་ལས་བརྒལ་བ།",
            "A unit entered at least the threshold's number of rows within ten minutes, for events spread over "
            "two weeks or more.",
        ),
        70,
    ),
    _c(
        "activity.same_counts",
        "ledger.activity",
        "low",
        6,
        ("多条记录人数完全相同", "ཐོ་འགོད་མང་པོའི་ཞུགས་མི་གྲངས་གཅིག་མཚུངས།", "Many rows with identical counts"),
        (
            "同一单位、同一类型、同一月份中，参与人次完全相同的记录不少于阈值条。",
            "ལས་ཁུངས་དང་རིགས་ཟླ་བ་གཅིག་པའི་ནང་ཞུགས་མི་ཐེངས་གཅིག་མཚུངས་ཀྱི་ཐོ་འགོད་ཚད་གཞི་ལས་མི་ཉུང་བ།",
            "At least the threshold's number of rows of one unit, kind and month carry exactly the same "
            "participant-times.",
        ),
        80,
    ),
    _c(
        "activity.no_evidence",
        "ledger.activity",
        "medium",
        7,
        ("缺少佐证材料", "ར་སྤྲོད་ཡིག་ཆ་མེད་པ།", "Evidence missing"),
        (
            "该类型要求佐证材料，而录入后超过阈值天数仍未上传。",
            "རིགས་འདིར་ར་སྤྲོད་ཡིག་ཆ་དགོས་ཀྱང་ཐོ་འགོད་རྗེས་ཉིན་གྲངས་ཚད་གཞི་ལས་བརྒལ་ནས་ད་དུང་སྤྲོད་མེད།",
            "The kind requires evidence and none was attached within the threshold's days after entry.",
        ),
        90,
    ),
    _c(
        "concern.fast_resolution",
        "concerns.concern",
        "medium",
        1,
        ("办结过快", "ཐག་གཅོད་མགྱོགས་དྲགས་པ།", "Resolved implausibly fast"),
        (
            "从收集到办结的天数少于阈值（1 表示当天办结）。",
            "བསྡུ་ལེན་ནས་ཐག་གཅོད་བར་གྱི་ཉིན་གྲངས་ཚད་གཞི་ལས་ཉུང་བ། (1 ཞེས་པ་ཉིན་དེ་ཉིད་ལ་ཐག་གཅོད་པ།)",
            "Resolved fewer days after it was collected than the threshold (1 means resolved the same day).",
        ),
        110,
    ),
    _c(
        "concern.no_evidence",
        "concerns.concern",
        "high",
        0,
        ("办结无佐证", "ཐག་གཅོད་བྱས་ཀྱང་ར་སྤྲོད་མེད་པ།", "Resolved without evidence"),
        (
            "报告已办结，但没有任何佐证。",
            "ཐག་གཅོད་ཟིན་པའི་སྙན་ཞུ་བྱས་ཀྱང་ར་སྤྲོད་གང་ཡང་མེད།",
            "Reported resolved with no evidence given.",
        ),
        120,
    ),
    _c(
        "concern.callback_by_resolver",
        "concerns.concern",
        "high",
        0,
        ("回访由办结人本人进行", "ཐག་གཅོད་མཁན་རང་ཉིད་ཀྱིས་ཕྱིར་འདྲི་བྱས་པ།", "Callback made by the resolver"),
        (
            "确认办结的回访由办结该诉求的同一账号记录。",
            "ཐག་གཅོད་ར་སྤྲོད་བྱེད་པའི་ཕྱིར་འདྲི་དེ་ཐག་གཅོད་མཁན་གྱི་རྩིས་ཐོ་དེ་ཉིད་ཀྱིས་ཐོ་བཀོད་ཡོད།",
            "The callback that verified the resolution was recorded by the account that resolved the concern.",
        ),
        130,
    ),
    _c(
        "measure.dates_out_of_order",
        "orglife.measure",
        "high",
        0,
        (
            "整改措施在制定前已完成或销号",
            "ལེགས་བཅོས་ཐབས་ཇུས་མ་བཟོས་གོང་ལེགས་གྲུབ་བམ་མིང་བསུབ་པ།",
            "Measure closed before it was opened",
        ),
        (
            "整改措施的完成、核实或销号日期早于制定日期，或核实早于完成。",
            "ལེགས་བཅོས་ཐབས་ཇུས་ལེགས་གྲུབ་དང་ཞིབ་བཤེར། མིང་བསུབ་པའི་ཚེས་གྲངས་བཟོས་པའི་ཚེས་གྲངས་ལས་སྔ་བ། ཡང་ན་ཞིབ་བཤེར་ལེགས་གྲུབ་ལས་སྔ་བ།",
            "The measure was done, verified or closed before it was set, or verified before it was done.",
        ),
        210,
    ),
    _c(
        "attempt.too_fast",
        "quiz.attempt",
        "high",
        3,
        ("答题速度快于阅读速度", "དྲི་ལན་ཀློག་པའི་མྱུར་ཚད་ལས་མགྱོགས་པ།", "Quiz answered faster than reading allows"),
        (
            "从开始到交卷，平均每题用时少于阈值秒数。",
            "འགོ་བཙུགས་ནས་ཤོག་བུ་སྤྲོད་བར་དྲི་བ་རེར་དུས་ཚོད་སྐར་ཆ་ཚད་གཞི་ལས་ཉུང་བ།",
            "Fewer seconds per question than the threshold, from start to submission.",
        ),
        310,
    ),
    _c(
        "attempt.same_answers",
        "quiz.attempt",
        "medium",
        5,
        ("多人答案序列完全相同", "མི་མང་པོའི་ལན་གྱི་གོ་རིམ་གཅིག་མཚུངས།", "Identical answer sequences from many takers"),
        (
            "同一次答题中，答案序列完全相同的已交答卷不少于阈值份。",
            "དྲི་ལན་གཅིག་གི་ནང་ལན་གྱི་གོ་རིམ་གཅིག་མཚུངས་ཀྱི་ཤོག་བུ་ཚད་གཞི་ལས་མི་ཉུང་བ།",
            "At least the threshold's number of submitted attempts at one quiz have exactly the same sequence "
            "of answers.",
        ),
        320,
    ),
]

FIELDS = (
    "model",
    "severity",
    "threshold",
    "name_zh",
    "name_bo",
    "name_en",
    "description_zh",
    "description_bo",
    "description_en",
    "order",
)


def ensure_checks(model: Any = None) -> None:
    """Write every check that is missing; a check already present keeps the office's
    threshold, severity and switch."""
    if model is None:
        from quality.models import Check as model
    present = set(model.objects.values_list("code", flat=True))
    missing = [model(code=c["code"], **{f: c[f] for f in FIELDS}) for c in CHECKS if c["code"] not in present]
    if missing:
        model.objects.bulk_create(missing)
