"""How the report writes a figure: the Chinese newspaper style of the seed, and its Tibetan
counterpart.

The seed writes every figure in one of two ways, and the sentence decides which (the writer
chose, figure by figure; a report template writes it as ``{code|余}`` for ``approx=True``):

**As counted** (``approx=False``)
  - below 万 (10,000): the exact number — 13次, 361场次, 4430场次, 2308个;
  - from 万 up: in 万 with one decimal, the ".0" dropped — 2.8万 (28,036), 291.4万
    (2,914,037), 17万 (170,215), 20万 (200,318) — and a second decimal only where one
    decimal would misstate the figure by more than 0.5% — 4.63万 (46,312: 4.6万 would be
    0.7% short).

**Round figure and 余** (``approx=True``): a round figure the value reaches, then 余 ("and
more") when the value is above it. The round figure is the value cut down (never rounded
up) to a step that depends on its size:
  - below 万: whole hundreds — 200余 (213), 1000余 (1,012), 1600余 (1,624), 3000余 (3,0xx),
    4000余 (4,026); below a hundred the exact number;
  - from 万 to 10万: tenths of 万 — 2万余 (20,137), 5.2万余 (52,xxx);
  - from 10万 up: whole 万 — 12万余 (12x,xxx) — unless that understates the value by 5% or
    more, then tenths of 万 — 11.9万余 (119,xxx: 11万 would be 8% short).
  A value that is exactly round gets no 余 (20,000 → 2万).

Rates and averages (Decimals) are written with one decimal (96.3%).

Tibetan: the noun of measure comes before the number (མི་ཐེངས་ཁྲི་༢.༨), digits are Tibetan,
万 is ཁྲི placed before the count of ten-thousands, and 余 is ལྷག after the figure.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

WAN = 10_000
YI = 100_000_000
TIBETAN_DIGITS = str.maketrans("0123456789", "༠༡༢༣༤༥༦༧༨༩")


def _plain(number: Decimal) -> str:
    """A Decimal without trailing zeros or exponent: 2.80 → "2.8", 17.0 → "17"."""
    text = format(number.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _wan_as_counted(value: int) -> tuple[str, str]:
    """(digits, big unit) for a value of at least 万, written as counted."""
    unit, size = ("亿", YI) if value >= YI else ("万", WAN)
    exact = Decimal(value) / size
    one = exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if abs(one * size - value) > Decimal(value) * Decimal("0.005"):
        one = exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return _plain(one), unit


def round_figure(value: int) -> tuple[int, bool]:
    """The round figure that ``approx`` style writes for ``value`` (cut down, never up) and
    whether the value is above it (so that 余 follows)."""
    if value < 100:
        return value, False
    if value < WAN:
        step = 100
    elif value < 10 * WAN:
        step = WAN // 10
    else:
        step = WAN
        if value - value // step * step >= Decimal(value) * Decimal("0.05"):
            step = WAN // 10
    rounded = value // step * step
    return rounded, rounded != value


def _parts(value, approx: bool) -> tuple[str, str, bool]:
    """(digits, big unit "" / 万 / 亿, whether 余 follows)."""
    if isinstance(value, Decimal) or isinstance(value, float):
        return _plain(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)), "", False
    value = int(value)
    if value < 0:
        digits, unit, more = _parts(-value, approx)
        return "-" + digits, unit, more
    more = False
    if approx:
        value, more = round_figure(value)
        if value >= WAN:
            size = YI if value >= YI else WAN
            digits = _plain((Decimal(value) / size).quantize(Decimal("0.1"), rounding=ROUND_DOWN))
            return digits, "亿" if size == YI else "万", more
        return str(value), "", more
    if value < WAN:
        return str(value), "", False
    digits, unit = _wan_as_counted(value)
    return digits, unit, False


def zh_number(value, measure: str = "", *, approx: bool = False) -> str:
    """The figure as the seed writes it in Chinese, with its measure word:
    ``zh_number(28036, "场次")`` → "2.8万场次"; ``zh_number(4026, "场次", approx=True)`` →
    "4000余场次"."""
    digits, unit, more = _parts(value, approx)
    return f"{digits}{unit}{'余' if more else ''}{measure}"


def tibetan_digits(text: str) -> str:
    return text.translate(TIBETAN_DIGITS)


def bo_number(value, measure: str = "", *, approx: bool = False) -> str:
    """The figure in Tibetan: the measure first, Tibetan digits, ཁྲི for 万 (before the
    count), ལྷག for 余: ``bo_number(28036, "ཐེངས་")`` → "ཐེངས་ཁྲི་༢.༨"."""
    digits, unit, more = _parts(value, approx)
    digits = tibetan_digits(digits)
    big = {"万": "ཁྲི་", "亿": "དུང་ཕྱུར་"}.get(unit, "")
    return f"{measure}{big}{digits}{'ལྷག' if more else ''}"


def number(value, language: str, measure: str = "", *, approx: bool = False) -> str:
    if language == "bo":
        return bo_number(value, measure, approx=approx)
    if language.startswith("zh"):
        return zh_number(value, measure, approx=approx)
    return en_number(value, measure, approx=approx)


def en_number(value, measure: str = "", *, approx: bool = False) -> str:
    """English, for readers of the English interface: thousands separators, "over" for 余."""
    if isinstance(value, Decimal | float):
        text = _plain(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
        return f"{text}{measure}" if measure == "%" else f"{text} {measure}".strip()
    shown, more = round_figure(int(value)) if approx else (int(value), False)
    text = f"{'over ' if more else ''}{shown:,}"
    return f"{text} {measure}".strip()


# The ways a report template writes a figure, named as the office knows them: as counted (exact
# below 万, in 万 from there: 2.8万), as a round figure with 余 (4000余), or exact (28036).
AS_COUNTED = "万"
ROUNDED = "余"
EXACT = "exact"
FIGURE_STYLES = (AS_COUNTED, ROUNDED, EXACT)


def styled(value, language: str, measure: str = "", style: str = AS_COUNTED) -> str:
    """The figure in one of ``FIGURE_STYLES``; rates and averages (Decimals) are written with
    one decimal whatever the style."""
    if style != EXACT or isinstance(value, Decimal | float):
        return number(value, language, measure, approx=style == ROUNDED)
    value = int(value)
    if language == "bo":
        return f"{measure}{tibetan_digits(str(value))}"
    if language.startswith("zh"):
        return f"{value}{measure}"
    return f"{value:,} {measure}".strip()
