import datetime

from figures import catalogue
from figures.tests import read
from ledger.indicators import BY_CODE, LedgerIndicator

SEED_CODES = [
    "centre_group.study_sessions",
    "centre_group.leader_contributions",
    "study.sessions",
    "study.discussion_contributions",
    "books.copies",
    "reading_class.sessions",
    "reading_class.participants",
    "competition.sessions",
    "competition.participants",
    "film.sessions",
    "film.participants",
    "base_visit.sessions",
    "base_visit.participants",
    "training.lecturers",
    "training.cadres",
    "lecture.sessions",
    "lecture.audience",
    "materials.bilingual_copies",
    "exhibition.sessions",
    "exhibition.visitors",
    "micro_lesson.count",
    "news.reports",
    "pairing.sessions",
    "pairing.participants",
]
VENUES = ["offices", "villages", "enterprises", "schools", "communities", "barracks", "monasteries"]


def test_every_figure_of_sections_two_and_three_is_in_the_catalogue_with_three_names():
    for code in SEED_CODES + [f"lecture.sessions.{v}" for v in VENUES]:
        indicator = catalogue.get(code)
        assert isinstance(indicator, LedgerIndicator)
        assert all(indicator.name[lang] and indicator.definition[lang] for lang in ("zh-hans", "bo", "en"))
        assert all(indicator.measure[lang] for lang in ("zh-hans", "bo", "en"))


def test_an_indicator_answers_value_children_months_and_rows(record, unit):
    record("540102001001", participants=10)
    record("540102001", participants=5, date=datetime.date(2021, 8, 31))
    record("540104", participants=3, date=datetime.date(2021, 3, 1))
    ind = BY_CODE["study.sessions"]
    city = unit("540100")
    start, end = datetime.date(2021, 2, 20), datetime.date(2021, 12, 31)
    assert read.value(ind, city, start, end) == 3
    children = dict((c.code, v) for c, v in read.by_children(ind, city, start, end))
    assert children["540102"] == 2 and children["540104"] == 1 and children["540103"] == 0
    months = dict(read.by_month(ind, city, start, end))
    assert months[datetime.date(2021, 7, 1)] == 1 and months[datetime.date(2021, 8, 1)] == 1
    assert ind.rows(city, start, end).count() == 3


def test_a_range_that_cuts_a_month_counts_only_the_days_inside(record, unit):
    record("540102001", date=datetime.date(2021, 7, 1))
    record("540102001", date=datetime.date(2021, 7, 20))
    ind = BY_CODE["study.sessions"]
    assert read.value(ind, unit("540102"), datetime.date(2021, 7, 2), datetime.date(2021, 7, 31)) == 1
    assert read.value(ind, unit("540102"), datetime.date(2021, 6, 1), datetime.date(2021, 7, 1)) == 1


def test_figures_filtered_by_venue_language_and_group_count_only_their_rows(record, unit):
    record("540102001", kind="lecture_theory", venue_kind="schools", participants=100)
    record("540102001", kind="materials", language="bilingual", copies=500)
    record("540102001", kind="materials", language="bo", copies=70)
    record("540100", kind="training", target="lecturers", participants=30, place="延安")
    city, day = unit("540100"), datetime.date(2021, 7, 1)
    assert read.value(BY_CODE["lecture.sessions.schools"], city, day, day) == 1
    assert read.value(BY_CODE["lecture.sessions.villages"], city, day, day) == 0
    assert read.value(BY_CODE["materials.bilingual_copies"], city, day, day) == 500
    assert read.value(BY_CODE["training.lecturers"], city, day, day) == 30
    assert read.value(BY_CODE["training.cadres"], city, day, day) == 0


def test_figures_are_whole_numbers_on_every_database(record, unit):
    # PostgreSQL sums bigint columns as numeric; a figure must still be an int, or the report
    # would write it as a rate ("28036.0") instead of "2.8万".
    from ledger.selectors import answer

    record(participants=7)
    figures = answer(unit("540100"), datetime.date(2021, 7, 1), datetime.date(2021, 7, 31), list(BY_CODE.values()))
    values = [*figures.total.values(), *(v for _c, row in figures.children for v in row.values())]
    assert values and all(type(v) is int for v in values)
    assert figures.total["study.sessions"] == 1


def test_a_month_cut_late_is_its_rollup_less_the_days_left_out(record, unit):
    from ledger.selectors import _read_left_out, answer

    def lecture(code, day):
        record(code, "lecture_theory", date=datetime.date(2021, 7, day), participants=day, venue_kind="villages")

    for day in (3, 25, 26, 28):
        lecture("540102001", day)
    lecture("540104001", 27)
    start, end = datetime.date(2021, 7, 25), datetime.date(2021, 9, 30)
    # Four rows kept, one left out: the month is read from its rollup less that one row.
    assert _read_left_out(start, datetime.date(2021, 7, 31), datetime.date(2021, 7, 1))
    # The other way round, the kept days are read.
    assert not _read_left_out(datetime.date(2021, 7, 1), datetime.date(2021, 7, 4), datetime.date(2021, 7, 1))
    indicators = [BY_CODE["lecture.sessions"], BY_CODE["lecture.audience"]]
    city = unit("540100")
    figures = answer(city, start, end, indicators)
    for ind in indicators:
        rows = ind.rows(city, start, end)
        assert figures.total[ind.code] == sum(getattr(a, ind.measure_field) for a in rows)
    assert figures.total["lecture.sessions"] == 4 and figures.total["lecture.audience"] == 25 + 26 + 28 + 27
    children = {child.code: values["lecture.sessions"] for child, values in figures.children}
    assert children["540102"] == 3 and children["540104"] == 1
    assert dict(figures.months)[datetime.date(2021, 7, 1)]["lecture.sessions"] == 4
    early = answer(city, datetime.date(2021, 7, 1), datetime.date(2021, 7, 4), indicators, by_children=False)
    assert early.total["lecture.audience"] == 3
