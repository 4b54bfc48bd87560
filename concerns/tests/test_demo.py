import datetime

import pytest

from concerns import demo
from concerns.indicators import BY_CODE
from concerns.models import Assignment, Concern
from figures.tests import read

START, END = datetime.date(2021, 2, 20), datetime.date(2021, 12, 31)


@pytest.fixture
def demo_built(demo_foundation):
    """The demo's Lhasa and its concerns, built for each test on its own: the point of these
    tests is the demo's figures."""
    ctx = demo_foundation
    demo.build(ctx)
    return ctx.made["city"]


def test_the_demo_reproduces_every_figure_of_seed_section_4(demo_built):
    city = demo_built
    figures = {
        code: BY_CODE[code].value(city, START, END)
        for code in (
            "visits.count",
            "visits.prefecture_leaders",
            "visits.county_cadres",
            "visits.townships_reached",
            "visits.villages_reached",
            "visits.institutions_reached",
            "concerns.collected",
            "concerns.resolved",
            "key_items.total",
            "key_items.solved",
        )
    }
    assert figures == {
        "visits.count": 1624,
        "visits.prefecture_leaders": 43,
        "visits.county_cadres": 1012,
        "visits.townships_reached": 66,
        "visits.villages_reached": 287,
        "visits.institutions_reached": 54,
        "concerns.collected": 2308,
        "concerns.resolved": 1902,
        "key_items.total": 12,
        "key_items.solved": 9,
    }


def test_the_demo_has_a_realistic_spread_and_its_figures_open_down_to_the_rows(demo_built):
    city = demo_built
    overdue = BY_CODE["concerns.overdue"].value(city, START, END)
    assert 20 < overdue < 406
    assert 80 < BY_CODE["concerns.resolution_rate"].value(city, START, END) < 85
    assert 80 < BY_CODE["concerns.satisfaction_rate"].value(city, START, END) < 95
    states = set(Concern.objects.values_list("state", flat=True))
    assert {"collected", "assigned", "in_progress", "resolved", "verified", "reopened", "duplicate"} <= states
    assert Assignment.objects.filter(kind="department_village").count() == 30
    for code in ("visits.count", "concerns.collected", "concerns.resolved", "concerns.overdue"):
        indicator = BY_CODE[code]
        value = indicator.value(city, START, END)
        assert indicator.rows(city, START, END).count() == value
        assert sum(v for _u, v in read.by_children(indicator, city, START, END)) <= value
        assert sum(v for _m, v in read.by_month(indicator, city, START, END)) == value
    people = BY_CODE["visits.county_cadres"]
    assert people.rows(city, START, END).count() == 1012
