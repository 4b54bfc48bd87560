import datetime

import pytest
from django.core.exceptions import ValidationError

from campaigns.indicators import children_of
from figures import catalogue, engine
from figures.tests import read
from orglife import services
from orglife.services import FindingRow
from orglife.tests import factories as F

START, END = datetime.date(2021, 2, 20), datetime.date(2021, 12, 31)
CODES = [
    "orglife.meetings",
    "orglife.expected",
    "orglife.completeness",
    "orglife.talks",
    "orglife.findings",
    "orglife.measures",
    "orglife.measures_done",
    "orglife.measures_verified",
    "orglife.measures_overdue",
    "supervision.groups",
    "supervision.units_covered",
    "supervision.inspections",
]


def test_every_indicator_of_the_issue_is_in_the_catalogue_with_three_languages():
    for code in CODES:
        indicator = catalogue.get(code)
        assert set(indicator.name) == {"zh-hans", "bo", "en"}
        assert all(indicator.definition.values())


@pytest.fixture
def some_rows(db, cg_reporter, dz_reporter, unit):
    for code in (F.CHENGGUAN_ORG, "540102001001P2", F.DAGZE_ORG):
        meeting = F.meeting(code)
        actor = dz_reporter if code == F.DAGZE_ORG else cg_reporter
        rows = [
            FindingRow(
                row=i,
                category="style",
                text=f"问题{i}",
                measure="整改",
                owner="扎西",
                deadline=datetime.date(2021, 10, 20),
            )
            for i in range(1, 6)
        ]
        services.record_findings(
            actor=actor, unit=meeting.unit, source="meeting", date=meeting.date, rows=rows, meeting=meeting
        )


@pytest.mark.parametrize("code", CODES)
def test_an_indicator_answers_by_children_and_by_month_consistently_with_its_value(code, some_rows, unit):
    indicator = catalogue.get(code)
    city = unit("540100")
    value = read.value(indicator, city, START, END)
    rows = indicator.rows(city, START, END)
    if indicator.kind != "rate":
        assert rows.count() == value
        if code not in ("supervision.groups", "orglife.expected"):
            assert sum(v for _c, v in read.by_children(indicator, city, START, END)) == value
            assert sum(v for _m, v in read.by_month(indicator, city, START, END)) == value


def test_the_figures_follow_the_rows(some_rows, unit):
    city, chengguan, dagze = unit("540100"), unit("540102"), unit("540104")
    assert read.value("orglife.meetings", city, START, END) == 3
    assert read.value("orglife.findings", chengguan, START, END) == 10
    assert read.value("orglife.measures", dagze, START, END) == 5
    # Deadline 2021-10-20 passed at the end of the year and nothing is done: all overdue.
    assert read.value("orglife.measures_overdue", city, START, END) == 15
    assert read.value("orglife.measures_overdue", city, START, datetime.date(2021, 10, 19)) == 0
    rate = read.value("orglife.completeness", dagze, START, END)
    expected = read.value("orglife.expected", dagze, START, END)
    assert 0 < rate < 100 and expected > 1
    by_child = dict((u.code, v) for u, v in read.by_children("orglife.findings", city, START, END))
    assert by_child["540102"] == 10 and by_child["540104"] == 5 and by_child["540103"] == 0


def test_each_group_covers_its_county(unit):
    assert read.value("supervision.groups", unit("540104"), START, END) == 1
    assert read.value("supervision.groups", unit("540100"), START, END) == 3  # the world's three groups


def test_refused_rows_leave_the_figures_untouched(cg_reporter, unit):
    before = read.value("orglife.findings", unit("540100"), START, END)
    with pytest.raises(ValidationError):
        services.record_findings(
            actor=cg_reporter,
            unit=unit(F.CHENGGUAN_ORG),
            source="self",
            date=datetime.date(2021, 11, 1),
            rows=[FindingRow(row=1, category="style", text="x"), FindingRow(row=2, category="?", text="y")],
        )
    assert read.value("orglife.findings", unit("540100"), START, END) == before


def test_the_figures_of_the_measures_are_read_together_per_child_with_one_query(
    some_rows, unit, django_assert_num_queries
):
    codes = ["orglife.measures", "orglife.measures_done", "orglife.measures_verified", "orglife.measures_overdue"]
    city = unit("540100")
    children = children_of(city)
    alone = {code: read.value(code, city, START, END) for code in codes}
    by_child = {code: read.by_children(code, city, START, END) for code in codes}
    with django_assert_num_queries(1):
        together = engine.answer(
            [catalogue.get(c) for c in codes], city, START, END, per_child=codes, child_units=children
        )
    assert together.total == alone and alone["orglife.measures"] == 15
    assert together.children == by_child


def test_the_monthly_figures_come_from_one_query_and_add_up_to_the_value(some_rows, unit, django_assert_num_queries):
    codes = ["orglife.meetings", "orglife.findings"]
    city = unit("540100")
    with django_assert_num_queries(2):  # one per kind of row
        together = engine.answer([catalogue.get(c) for c in codes], city, START, END, total=False, per_month=codes)
    for code in codes:
        assert together.months[code] == read.by_month(code, city, START, END)
        assert sum(v for _m, v in together.months[code]) == read.value(code, city, START, END)
