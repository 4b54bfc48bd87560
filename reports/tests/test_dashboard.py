"""The dashboard's figures agree with the indicators they are read from."""

import datetime

from figures import catalogue
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
