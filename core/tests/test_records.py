"""The field specs every door of a record parses through."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.records import Choice, Count, Day, Record, Refused, Text, ascii_number, strip_control_characters
from ledger.choices import VenueKind


@pytest.mark.parametrize(
    ("value", "number"),
    [(12, 12), ("12", 12), (" 12 ", 12), ("１２", 12), ("༡༢", 12), (12.0, 12), (Decimal("7"), 7), ("٣", 3)],
)
def test_decimal_digits_of_any_script_are_numbers(value, number):
    assert ascii_number(value) == number


@pytest.mark.parametrize(
    "value",
    ["²", "①", "1E19", "1e3", "12.5", 12.5, float("nan"), float("inf"), "-1", "+1", "1,000", "", "twelve", True, [1]],
)
def test_anything_but_plain_digits_is_refused(value):
    with pytest.raises(Refused):
        ascii_number(value)


def test_a_count_refuses_values_beyond_its_bounds_and_says_them():
    count = Count("n", max=10_000)
    assert count.parse("10000") == 10_000 and count.parse(None) == 0
    for value in (-1, 10_001, 10**12, 1e19, "99999999999999999999"):
        with pytest.raises(Refused):
            count.parse(value)
    with pytest.raises(Refused, match="10,000"):
        count.parse(10**12)


def test_text_fits_its_column_and_refuses_control_characters():
    title = Text("t", max_length=200)
    assert title.parse("  a\tb\nc ") == "a b c"
    assert title.parse(2021.0) == "2021"
    for bad in ("x" * 250, "a\x0bb", "a\x1bb", "a\x00", "a\x85b", "a\ud800b"):
        with pytest.raises(Refused):
            title.parse(bad)
    notes = Text("n", max_length=10, multiline=True)
    assert notes.parse("a\nb\tc") == "a\nb\tc"


def test_a_choice_takes_its_value_or_its_label_in_any_language():
    venue = Choice("v", choices=VenueKind)
    assert venue.parse("schools") == venue.parse("学校") == venue.parse("Schools") == "schools"
    with pytest.raises(Refused):
        venue.parse("nowhere")


def test_a_day_is_a_real_calendar_day():
    day = Day("d")
    assert day.parse("2021-07-01") == day.parse("２０２１-０７-０１") == datetime.date(2021, 7, 1)
    for bad in ("2021-13-01", "2021-02-30", "01/07/2021", "²021-07-01", 20210701):
        with pytest.raises(Refused):
            day.parse(bad)


def test_a_record_refuses_every_bad_field_at_once_and_days_outside_the_campaign():
    class Campaign:
        start, end = datetime.date(2021, 3, 1), datetime.date(2021, 12, 31)

    record = Record("r", n=Count("n", max=5), t=Text("t", max_length=3, required=True), d=Day("d", in_campaign=True))
    assert record.clean({"n": "3", "t": "ab", "d": "2021-07-01"}, campaign=Campaign) == {
        "n": 3,
        "t": "ab",
        "d": datetime.date(2021, 7, 1),
    }
    with pytest.raises(ValidationError) as caught:
        record.clean({"n": "²", "t": "", "d": "2022-01-01"}, campaign=Campaign)
    assert set(caught.value.message_dict) == {"n", "t", "d"}


def test_old_text_loses_its_control_characters_on_output():
    assert strip_control_characters("a\x0bb\x1bc\td") == "abc\td"
