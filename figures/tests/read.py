"""One indicator read the way the pages read it (``figures.reading``), by code or object."""

from campaigns.indicators import Indicator
from figures import catalogue, reading


def _indicator(indicator):
    return indicator if isinstance(indicator, Indicator) else catalogue.get(indicator)


def value(indicator, unit, start, end):
    return reading.breakdown(_indicator(indicator), unit, start, end, children=False, by_month=False).value


def by_children(indicator, unit, start, end):
    return reading.breakdown(_indicator(indicator), unit, start, end, by_month=False).children


def by_month(indicator, unit, start, end):
    return reading.breakdown(_indicator(indicator), unit, start, end, children=False).months
