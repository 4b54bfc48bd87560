"""Figures in any page, without its view importing the figures app:

    {% load figures %}
    {% figure_values indicators unit start end as figures %}   {# [(indicator, value)] #}
    {% figure_breakdown indicator unit start end as figure %}  {# .value .children .months #}

``indicators`` is a list of indicators or of their codes (unknown codes are left out); the
figures are read together, as the indicator pages read them (``figures.reading``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django import template

from campaigns.indicators import Indicator, Number
from figures import catalogue, reading
from orgs.models import Unit

register = template.Library()


def _code(item: Indicator | str) -> str:
    return item if isinstance(item, str) else item.code


@register.simple_tag
def figure_values(
    indicators: Iterable[Indicator | str], unit: Unit, start: datetime.date, end: datetime.date
) -> list[tuple[Indicator, Number]]:
    codes = catalogue.registered(_code(i) for i in indicators)
    got = reading.values(codes, unit, start, end)
    return [(catalogue.get(code), got[code]) for code in codes]


@register.simple_tag
def figure_breakdown(
    indicator: Indicator | str, unit: Unit, start: datetime.date, end: datetime.date
) -> reading.Breakdown:
    return reading.breakdown(catalogue.get(_code(indicator)), unit, start, end)
