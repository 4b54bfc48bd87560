"""The dashboard's figures agree with the indicators they are read from."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from figures import catalogue, reading
from orgs.models import Unit
from reports import dashboard

START, END = datetime.date(2021, 2, 20), datetime.date(2021, 12, 31)


def test_cards_breakdown_venues_and_trend_agree_with_the_indicators(unit, record):
    record(code="540102001", kind="collective_study", sessions=3, date=datetime.date(2021, 9, 3))
    record(code="540104001", kind="collective_study", sessions=4, date=datetime.date(2021, 10, 3))
    record(code="540102001", kind="lecture_theory", sessions=2, participants=80, venue_kind="villages")
    city = unit("540100")
    board = dashboard.figures(city, START, END)
    cards = {c.code: c for c in board["cards"]}
    assert cards["study.sessions"].value == 7 == catalogue.get("study.sessions").value(city, START, END)
    assert cards["study.sessions"].previous == 0
    breakdown = {child.code: cells[0].value for child, cells in board["breakdown"].rows}
    assert (breakdown["540102"], breakdown["540104"]) == (3, 4)
    venue_codes = [code for code, _h in board["venues"].columns]
    chengguan = next(cells for child, cells in board["venues"].rows if child.code == "540102")
    assert chengguan[venue_codes.index("lecture.sessions.villages")].value == 2
    months = [m.month for m in board["months"]]
    trend = board["trend"]["study.sessions"]
    assert (trend[months.index(9)], trend[months.index(10)]) == (3, 4)


def test_the_previous_period_has_the_same_length_and_ends_the_day_before():
    assert dashboard.previous_period(datetime.date(2021, 3, 1), datetime.date(2021, 3, 31)) == (
        datetime.date(2021, 1, 29),
        datetime.date(2021, 2, 28),
    )


def test_every_chart_point_carries_the_url_of_its_rows(unit, record):
    record(code="540102001", kind="collective_study", sessions=3)
    data = dashboard.chart_data(dashboard.figures(unit("540100"), START, END))
    points = [p for chart in data["charts"] for s in chart["series"] for p in s["data"]]
    assert points and all(p["url"].startswith("/ledger/indicators/") for p in points)


def test_the_figures_are_read_with_a_query_per_kind_of_row_not_per_indicator(
    unit, record, django_assert_max_num_queries
):
    record(code="540102001", kind="collective_study", sessions=3)
    city = unit("540100")
    # The ledger over its rollups (and the rows of the month the range cuts); the tallied
    # figures (visits, concerns, meetings, measures, attempts, inspections) in one statement
    # for the unit and its children and one per month; the visits' places reached per child;
    # the same totals for the previous period's cards; the children once (the rollups take
    # them from the reader) and their members; the unit's own figures that do not add up
    # (visits' places reached): 20 in all.
    with django_assert_max_num_queries(20):
        dashboard.figures(city, START, END)


# What the tables by unit showed when the template wrote each cell (a row of the unit's own
# records, then a child's row): the rows written in one pass read the same, character for character.
OWN_CELLS = (
    '{% for cell in cells %}<td{% if not cell.value %} class="gap"{% endif %}>{% if cell.value is None %}—'
    '{% elif cell.url %}<a href="{{ cell.url }}">{{ cell.value }}</a>{% else %}{{ cell.value }}{% endif %}</td>'
    "{% endfor %}"
)
CHILD_CELLS = (
    '{% for cell in cells %}<td{% if not cell.value %} class="gap"{% endif %}>'
    '<a href="{{ cell.url }}">{{ cell.value }}</a></td>{% endfor %}'
)
VALUES = [0, 7, 1234, 1234567, -45, Decimal("93.7"), Decimal("12345.6"), Decimal("0.0")]


def _template(text: str) -> str:
    from django.template import engines

    return engines["django"].from_string(text)


@pytest.mark.parametrize("lang", ["zh-hans", "bo", "en"])
@pytest.mark.parametrize("grouping", [False, True])
def test_a_number_reads_as_the_template_shows_it_in_every_language(lang, grouping, settings):
    settings.USE_THOUSAND_SEPARATOR = grouping
    plain, intcomma = _template("{{ v }}"), _template("{% load humanize %}{{ v|intcomma }}")
    with translation.override(lang):
        numbers = dashboard.Numbers()
        for value in VALUES:
            assert numbers.text(value) == plain.render({"v": value})
            assert numbers.grouped(value) == intcomma.render({"v": value})
        assert numbers.text(None) == numbers.grouped(None) == "—"


@pytest.mark.parametrize("lang", ["zh-hans", "bo"])
def test_a_row_of_a_table_by_unit_reads_as_the_cells_written_one_by_one(lang):
    unit, child = Unit(code="540100", path="0001"), Unit(code="540102", path="00010001")
    url = "/ledger/indicators/study.sessions/rows/?unit=540102&start=2021-02-01&end=2021-12-31"
    with translation.override(lang):
        numbers = dashboard.Numbers()
        cells = [dashboard.Cell(v, url, numbers.text(v)) for v in [*VALUES, 0]]
        own_cells = [*cells, dashboard.Cell(None, "", numbers.text(None)), dashboard.Cell(5, "", numbers.text(5))]
        own = dashboard.Row(reading.OwnLevel(unit), own_cells)
        assert own.tds == _template(OWN_CELLS).render({"cells": own_cells})
        row = dashboard.Row(dashboard.ChildLevel(child, "城关区"), cells)
        assert row.tds == _template(CHILD_CELLS).render({"cells": cells})
    assert 'class="gap"' in row.tds and "&amp;start=" in row.tds and "—" in own.tds


def test_the_quiz_and_rectification_rows_open_the_rows_behind_their_counts(unit, record):
    record(code="540102001", kind="collective_study", sessions=3)
    board = dashboard.figures(unit("540100"), START, END)
    own, *children = board["quiz"]
    assert own.child.own and not any(row.child.own for row in children)
    chengguan = next(row for row in board["rectification"] if row.child.code == "540102")
    assert chengguan.tds.count('data-testid="cell"') == 2
    assert "/ledger/indicators/orglife.measures/rows/?unit=540102&amp;start=2021-02-20" in chengguan.tds
