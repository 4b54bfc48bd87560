"""The seed's number style, checked on the seed's own figures (and the demo's values that
stand behind them)."""

from decimal import Decimal

import pytest

from reports.numbers import bo_number, en_number, round_figure, zh_number

AS_COUNTED = [
    # (value, how the seed writes it)
    (13, "13"),
    (90, "90"),
    (361, "361"),
    (459, "459"),
    (4430, "4430"),
    (1535, "1535"),
    (2308, "2308"),
    (1902, "1902"),
    (60, "60"),
    (498, "498"),
    (43, "43"),
    (66, "66"),
    (287, "287"),
    (54, "54"),
    (28_000, "2.8万"),
    (28_036, "2.8万"),
    (42_000, "4.2万"),
    (42_118, "4.2万"),
    (46_300, "4.63万"),
    (46_312, "4.63万"),
    (13_000, "1.3万"),
    (13_046, "1.3万"),
    (41_087, "4.1万"),
    (207_143, "20.7万"),
    (170_215, "17万"),
    (38_054, "3.8万"),
    (50_000, "5万"),
    (2_914_000, "291.4万"),
    (2_914_037, "291.4万"),
    (87_062, "8.7万"),
    (11_042, "1.1万"),
    (200_318, "20万"),
    (20_000, "2万"),
]

ROUND_AND_MORE = [
    (4026, "4000余"),
    (4_099, "4000余"),
    (1624, "1600余"),
    (1_699, "1600余"),
    (1012, "1000余"),
    (3067, "3000余"),
    (3_099, "3000余"),
    (213, "200余"),
    (20_137, "2万余"),
    (52_600, "5.2万余"),
    (52_999, "5.2万余"),
    (119_465, "11.9万余"),
    (119_999, "11.9万余"),
    (120_400, "12万余"),
    (122_059, "12万余"),
]


@pytest.mark.parametrize(("value", "written"), AS_COUNTED)
def test_figures_are_written_as_the_seed_writes_them(value, written):
    assert zh_number(value) == written


@pytest.mark.parametrize(("value", "written"), ROUND_AND_MORE)
def test_round_figures_take_yu_when_the_value_is_above_them(value, written):
    assert zh_number(value, approx=True) == written


def test_the_measure_word_follows_the_number():
    assert zh_number(28_036, "场次") == "2.8万场次"
    assert zh_number(4026, "场次", approx=True) == "4000余场次"
    assert zh_number(2_914_037, "人次") == "291.4万人次"


def test_an_exactly_round_value_gets_no_yu():
    assert zh_number(20_000, "名", approx=True) == "2万名"
    assert zh_number(4000, approx=True) == "4000"


def test_small_values_stay_exact_even_in_round_style():
    assert zh_number(87, approx=True) == "87"
    assert round_figure(99) == (99, False)


def test_a_second_decimal_of_wan_appears_only_where_one_would_misstate_the_value():
    assert zh_number(46_312) == "4.63万"  # 4.6万 would be 0.7% short
    assert zh_number(42_118) == "4.2万"  # 0.3%: one decimal is enough


def test_from_ten_wan_up_whole_wan_unless_that_understates_by_five_percent():
    assert zh_number(122_059, approx=True) == "12万余"
    assert zh_number(119_465, approx=True) == "11.9万余"


def test_rates_are_written_with_one_decimal():
    assert zh_number(Decimal("83.75"), "%") == "83.8%"
    assert zh_number(Decimal("90.0"), "%") == "90%"


def test_yi_is_used_from_a_hundred_million():
    assert zh_number(123_000_000) == "1.23亿"


def test_tibetan_puts_the_measure_first_uses_tibetan_digits_and_khri_for_wan():
    assert bo_number(28_036, "ཐེངས་") == "ཐེངས་ཁྲི་༢.༨"
    assert bo_number(2_914_037, "མི་ཐེངས་") == "མི་ཐེངས་ཁྲི་༢༩༡.༤"
    assert bo_number(4430, "ཐེངས་") == "ཐེངས་༤༤༣༠"


def test_tibetan_writes_yu_as_lhag():
    assert bo_number(4026, "ཐེངས་", approx=True) == "ཐེངས་༤༠༠༠ལྷག"
    assert bo_number(119_465, approx=True) == "ཁྲི་༡༡.༩ལྷག"


def test_english_uses_separators_and_over():
    assert en_number(28_036, "sessions") == "28,036 sessions"
    assert en_number(4026, "sessions", approx=True) == "over 4,000 sessions"
