"""The vocabulary a data-quality check is written in. Each app declares the checks of its own
rows in its ``quality_checks.py`` (a ``CHECKS`` list of ``BaseCheck`` subclasses, each with
its catalogue ``Entry``); the quality app finds them at start-up, keeps their catalogue rows
in its ``Check`` table and runs them.

A check answers ``find(queryset, ctx)``: the rows of ``queryset`` it doubts, as ``Hit``
tuples, with a bounded number of queries whatever the number of rows (it reads the columns
it needs in one pass, or lets the database filter). A cheap check may also answer
``hit(obj, ctx)`` for one row already in memory, without any query: that is what runs on
every save.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.apps import apps
from django.db.models import QuerySet
from django.utils import timezone

# A campaign as the checks see it: the path of its root unit, its first and last day.
CampaignSpan = tuple[str, datetime.date, datetime.date]


@dataclass(frozen=True)
class Detail:
    """What a check says about one row, in no language: a message code and its parameters
    (numbers, ISO dates, names as recorded). A flag stores both; the words are chosen when a
    reader sees them (``render_detail``), from the message the check declares for the code in
    its ``messages``."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def text(self) -> str:
        return render_detail(self.code, self.params)


class Hit(NamedTuple):
    pk: int
    unit_id: int
    region_code: str
    detail: Detail


# Every check's messages by code, gathered from the checks' ``messages`` as they are defined.
DETAIL_MESSAGES: dict[str, Any] = {}


def _shown(value: Any) -> str:
    from django.utils.formats import number_format

    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, float):
        return number_format(value, decimal_pos=1, use_l10n=True)
    return number_format(value, use_l10n=True, force_grouping=True)


def render_detail(code: str, params: Mapping[str, Any]) -> str:
    """A flag's detail in the active language: its check's message for ``code`` with the
    parameters filled in (numbers grouped as the language groups them). A detail written
    before details had codes (code "") is shown as it was stored."""
    message = DETAIL_MESSAGES.get(code)
    if message is None:
        return str(params.get("text", ""))
    try:
        return str(message) % {key: _shown(value) for key, value in params.items()}
    except (KeyError, TypeError, ValueError):
        return str(params.get("text", ""))


def _no_campaigns() -> Iterable[CampaignSpan]:
    return ()


@dataclass
class Ctx:
    """What a run knows: the thresholds, today, and the subtree it covers (when it covers
    one), plus small caches shared by the checks of one run. ``campaign_source`` gives the
    campaigns (read once per run, when a check first asks); the quality app fills it in."""

    thresholds: Mapping[str, float]
    path: str | None = None
    now: datetime.datetime = field(default_factory=timezone.now)
    cache: dict[str, Any] = field(default_factory=dict)
    campaign_source: Callable[[], Iterable[CampaignSpan]] = _no_campaigns

    def t(self, code: str) -> float:
        return float(self.thresholds.get(code, 0))

    @property
    def today(self) -> datetime.date:
        return timezone.localdate(self.now)

    def local_date(self, moment: datetime.datetime) -> datetime.date:
        """The local day of a stored moment, with the zone's offset read once per run (the
        platform's zones keep no daylight saving): a hundred thousand conversions stay cheap."""
        if "offset" not in self.cache:
            self.cache["offset"] = timezone.localtime(self.now).utcoffset() or datetime.timedelta(0)
        if timezone.is_naive(moment):
            return moment.date()
        return (
            moment.replace(tzinfo=None) + self.cache["offset"] - (moment.utcoffset() or datetime.timedelta(0))
        ).date()

    def campaigns(self) -> list[CampaignSpan]:
        if "campaigns" not in self.cache:
            self.cache["campaigns"] = sorted(self.campaign_source(), key=lambda c: -len(c[0]))
        return self.cache["campaigns"]

    def campaign_of(self, path: str) -> CampaignSpan | None:
        for campaign in self.campaigns():
            if path.startswith(campaign[0]):
                return campaign
        return None


@dataclass(frozen=True)
class Entry:
    """A check's row in the catalogue: how serious a hit is, the threshold the office may
    tune (its default), the place in the list, and names and descriptions in Chinese, Tibetan
    and English (a description says what the threshold means)."""

    severity: str
    threshold: float
    order: int
    names: tuple[str, str, str]
    descriptions: tuple[str, str, str]

    def row(self, code: str, model: str) -> dict[str, Any]:
        return {
            "code": code,
            "model": model,
            "severity": self.severity,
            "threshold": self.threshold,
            "name_zh": self.names[0],
            "name_bo": self.names[1],
            "name_en": self.names[2],
            "description_zh": self.descriptions[0],
            "description_bo": self.descriptions[1],
            "description_en": self.descriptions[2],
            "order": self.order,
        }


class BaseCheck:
    code: str = ""
    model_label: str = ""
    cheap: bool = False
    entry: Entry
    # The words of the check's details, by message code (lazy translations, %-formats).
    messages: Mapping[str, Any] = {}
    # Fields whose save is the first after which this check may flag a row: a save that
    # writes one of them finds no flag of this check on the row from before (as a row just
    # created has none), so its flags need not be read.
    first_flaggable_on: frozenset[str] = frozenset()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        DETAIL_MESSAGES.update(cls.messages)

    @property
    def model(self):
        return apps.get_model(self.model_label)

    def candidates(self, path: str) -> QuerySet:
        """The rows of a subtree this check looks at."""
        return self.model.objects.filter(unit__path__startswith=path)

    def find(self, qs: QuerySet, ctx: Ctx) -> Iterable[Hit]:
        raise NotImplementedError

    # A cheap check may define ``hit(obj, ctx) -> Detail | None`` (no query).
    hit: Callable[[Any, Ctx], Detail | None] | None = None

    @classmethod
    def catalogue_row(cls) -> dict[str, Any]:
        return cls.entry.row(cls.code, cls.model_label)


# --- robust spreads (counts against their own kind's distribution) ---------------------------

# The least spread a distribution is given, on the log scale: where nearly every row has
# the same count (one session, thirty trainees), a count must still be e^(threshold × floor)
# times the usual one before it is doubted (about 12 times at the default threshold of 5).
LOG_SPREAD_FLOOR = 0.5
# Fewer values than this say too little about what is usual.
MIN_SPREAD_VALUES = 30


@dataclass(frozen=True)
class Spread:
    """What is usual for a positive count: the median and the scaled median absolute
    deviation of its logarithm (robust: a few wild values move neither)."""

    median: float
    scale: float
    n: int

    @classmethod
    def of(cls, values: list[float]) -> Spread | None:
        if len(values) < MIN_SPREAD_VALUES:
            return None
        logs = sorted(math.log(v) for v in values if v > 0)
        if len(logs) < MIN_SPREAD_VALUES:
            return None
        median = _median(logs)
        mad = _median(sorted(abs(x - median) for x in logs))
        return cls(median, max(1.4826 * mad, LOG_SPREAD_FLOOR), len(logs))

    def score(self, value: float) -> float:
        """How many spreads above the usual ``value`` lies (negative below)."""
        return (math.log(value) - self.median) / self.scale if value > 0 else -math.inf

    @property
    def usual(self) -> float:
        return math.exp(self.median)


def _median(ordered: list[float]) -> float:
    n = len(ordered)
    mid = n // 2
    return ordered[mid] if n % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def spreads(groups: Mapping[Any, list[float]]) -> dict[Any, Spread]:
    """The spread of every group that has enough values."""
    out = {}
    for key, values in groups.items():
        spread = Spread.of(values)
        if spread is not None:
            out[key] = spread
    return out
