"""ACCEPTANCE (slow: builds the whole demo, about a minute).

On a scratch database, run the real commands — ``migrate``, ``seed_demo``, then
``build_report --unit 540100 --as-of 2021-12-31 --language zh-hans --format text`` — and
check that the city report contains every figure of ``../shared/seed/README.md``, in the
seed's own rounding, under the right section. The Tibetan report of the same demo is built
too and must be Tibetan text.
"""

from __future__ import annotations

import re

from core.testing import manage

# Section heading in the report (as the seed words it) -> every figure the seed gives there.
SEED = {
    "组织领导坚强有力": ["8个综合指导督导组"],
    "学习载体丰富多样": [
        "集中学习研讨13次",
        "交流研讨90人次",
        "集中学习2.8万场次",
        "交流研讨4.2万人次",
        "购买发放书籍4.63万本",
        "专题读书班361场次",
        "参与人数1.3万人次",
        "党史知识竞赛459场次",
        "参与人数4.1万人次",
        "观看红色电影4000余场次",
        "参与人数20.7万人次",
        "廉政警示教育基地4430场次",
        "参与人数17万人次",
        "2万名党员干部",
    ],
    "宣讲宣传深入人心": [
        "60名",
        "498名基层党员干部",
        "各类宣讲3.8万场次",
        "宣讲资料5万份",
        "累计受众291.4万人次",
        "参观学习1535场次",
        "累计受众8.7万人次",
        "宣传2万余次",
        "新闻报道200余篇",
    ],
    "为民服务温暖贴心": [
        "43名地级领导",
        "1000余名县处级干部",
        "66个乡镇（街道）",
        "287个村（社区）",
        "54家学校、寺庙、企业",
        "调研1600余次",
        "收集问题2308个",
        "已办结1902个",
        "12项民生实事",
        "9项民生实事已妥善解决",
        "志愿活动1.1万场次",
        "党员参与达20万人次",
    ],
    "组织生活会动真较劲": [
        "专题组织生活会3000余场次",
        "谈心谈话5.2万余次",
        "检视问题11.9万余条",
        "整改措施12万余条",
    ],
}


def _sections(text: str) -> dict[str, str]:
    parts = re.split(r"^【(.+?)】$", text, flags=re.MULTILINE)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def test_the_demo_city_report_holds_every_seed_figure_in_its_section(scratch_env):
    manage(scratch_env, "migrate", "--noinput", "-v0")
    manage(scratch_env, "seed_demo")
    text = manage(scratch_env, "build_report", "--unit", "540100", "--as-of", "2021-12-31", "--language", "zh-hans")
    assert text.startswith("拉萨市党史学习教育")
    sections = _sections(text)
    missing = [
        (heading, figure)
        for heading, figures in SEED.items()
        for figure in figures
        if figure not in sections.get(heading, "")
    ]
    assert not missing, f"{missing}\n\n{text}"

    tibetan = manage(scratch_env, "build_report", "--unit", "540100", "--as-of", "2021-12-31", "--language", "bo")
    assert "མི་ཐེངས་ཁྲི་༢༩༡.༤" in tibetan  # 291.4万人次
    assert not re.search(r"[\u4e00-\u9fff]", tibetan)
