"""A rollup answer gives every total, and per child and per month only the figures asked for
so; the reader asks each rollup for the children and months of the codes a page wants that
way, and reads what it prefetched without asking again."""

from __future__ import annotations

import datetime

import pytest

from figures import catalogue, reading

START, END = datetime.date(2021, 1, 1), datetime.date(2021, 12, 31)
LEDGER = ["study.sessions", "lecture.sessions", "lecture.audience"]
TALLIED = ["concerns.collected", "concerns.resolved", "concerns.response_rate"]


def _records(record, new_concern):
    record("540102001", sessions=3, date=datetime.date(2021, 3, 2))
    record("540104001", kind="lecture_theory", sessions=2, participants=80, venue_kind="villages")
    record("540104", kind="collective_study", sessions=5, date=datetime.date(2021, 9, 30))
    new_concern(where="540102001001")
    new_concern(where="540102")


@pytest.mark.parametrize("codes", [LEDGER, TALLIED], ids=["ledger", "tallies"])
def test_a_rollup_answer_gives_every_total_and_per_child_and_month_the_codes_asked(record, new_concern, unit, codes):
    _records(record, new_concern)
    city = unit("540100")
    indicators = [catalogue.get(c) for c in codes]
    answer = catalogue.rollup_of(indicators[0])
    assert answer is not None
    every = answer(city, START, END, indicators)
    assert any(values[codes[0]] for _child, values in every.children)
    some = answer(city, START, END, indicators, by_children={codes[0]}, by_month={codes[0], codes[2]})
    assert some.total == every.total
    assert some.children == [(child, {codes[0]: values[codes[0]]}) for child, values in every.children]
    assert some.months == [(m, {c: values[c] for c in (codes[0], codes[2])}) for m, values in every.months]
    none = answer(city, START, END, indicators, by_children=(), by_month=())
    assert (none.total, none.children, none.months) == (every.total, [], [])


def test_the_reader_reads_what_it_prefetched_without_a_query_and_asks_for_the_rest(
    record, new_concern, unit, django_assert_num_queries
):
    _records(record, new_concern)
    city = unit("540100")
    codes = LEDGER + TALLIED
    fresh = reading.Reader(city, START, END)
    totals, per_child, (_first_days, per_month) = fresh.totals(codes), fresh.by_children(codes), fresh.by_month(codes)
    reader = reading.Reader(city, START, END)
    reader.prefetch(codes, per_child=["study.sessions", "concerns.collected"], per_month=["lecture.sessions"])
    with django_assert_num_queries(0):
        assert reader.totals(codes) == totals
        assert reader.by_children(["study.sessions", "concerns.collected"]) == {
            c: per_child[c] for c in ("study.sessions", "concerns.collected")
        }
        assert reader.by_month(["lecture.sessions"])[1] == {"lecture.sessions": per_month["lecture.sessions"]}
    # Codes not prefetched that way are asked of their rollups, with the same figures.
    assert reader.by_children(codes) == per_child
    assert reader.by_month(codes)[1] == per_month
