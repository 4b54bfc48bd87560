"""The quiz's figures in the indicator catalogue: participants, average score, pass rate.

Rows are attempts: submitted ones, in the unit's subtree (by the taker's unit), submitted
within the date range, and counted — not flagged as answered too fast, or flagged and
accepted by the office.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import Substr, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.indicators import Column, Indicator, Number, Section, months
from orgs.models import Unit
from quiz.choices import COUNTED_REVIEWS
from quiz.models import Attempt


def _bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    lo = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    hi = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return lo, hi


def counted_attempts(unit: Unit, start: datetime.date, end: datetime.date) -> QuerySet[Attempt]:
    lo, hi = _bounds(start, end)
    return Attempt.objects.filter(
        unit__path__startswith=unit.path,
        submitted_at__gte=lo,
        submitted_at__lt=hi,
        review__in=COUNTED_REVIEWS,
    )


EMPTY = {"takers": 0, "attempts": 0, "passed": 0, "average": None}


def _measures() -> dict:
    """What every quiz figure is made from, for one group of attempts."""
    return {
        "takers": Count("taker", distinct=True),
        "attempts": Count("pk"),
        "passed": Count("pk", filter=Q(passed=True)),
        "average": Avg("score"),
    }


def _one_decimal(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.1"))


COLUMNS = [
    Column(_("Taker"), lambda a: a.taker.name),
    Column(_("Unit"), lambda a: a.unit.name),
    Column(_("Quiz"), lambda a: a.quiz.title),
    Column(_("Submitted"), lambda a: timezone.localtime(a.submitted_at).strftime("%Y-%m-%d %H:%M")),
    Column(_("Score"), lambda a: a.score),
    Column(_("Passed"), lambda a: a.passed),
]


class QuizIndicator(Indicator):
    """Shared shape: one grouped query per child breakdown."""

    def rows(self, unit: Unit, start: datetime.date, end: datetime.date) -> QuerySet:
        return counted_attempts(unit, start, end).select_related("taker", "unit", "quiz").order_by("submitted_at", "pk")

    def _aggregate(self, qs: QuerySet) -> dict:
        return qs.aggregate(**_measures())

    def _figure(self, agg: dict) -> Number:
        raise NotImplementedError

    def value(self, unit: Unit, start: datetime.date, end: datetime.date) -> Number:
        return self._figure(self._aggregate(counted_attempts(unit, start, end)))

    def by_children(self, unit: Unit, start: datetime.date, end: datetime.date) -> list[tuple[Unit, Number]]:
        children = list(Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1).order_by("code"))
        width = (unit.depth + 1) * Unit.steplen
        grouped = (
            counted_attempts(unit, start, end)
            .annotate(prefix=Substr("unit__path", 1, width))
            .values("prefix")
            .annotate(**_measures())
        )
        by_prefix = {row["prefix"]: row for row in grouped}
        return [(child, self._figure(by_prefix.get(child.path, EMPTY))) for child in children]

    def by_month(self, unit: Unit, start: datetime.date, end: datetime.date) -> list[tuple[datetime.date, Number]]:
        """One grouped query over the months of the range (a taker counts in each month in
        which they submitted)."""
        grouped = (
            counted_attempts(unit, start, end)
            .annotate(month=TruncMonth("submitted_at", tzinfo=timezone.get_current_timezone()))
            .values("month")
            .annotate(**_measures())
        )
        by_month = {
            timezone.localtime(row["month"]).date()
            if isinstance(row["month"], datetime.datetime)
            else row["month"]: row
            for row in grouped
        }
        return [(first, self._figure(by_month.get(first, EMPTY))) for first in months(start, end)]


class Participants(QuizIndicator):
    def _figure(self, agg: dict) -> Number:
        return agg["takers"]


class AverageScore(QuizIndicator):
    def _figure(self, agg: dict) -> Number:
        return _one_decimal(agg["average"])


class PassRate(QuizIndicator):
    def _figure(self, agg: dict) -> Number:
        if not agg["attempts"]:
            return Decimal("0.0")
        return _one_decimal(Decimal(agg["passed"]) * 100 / Decimal(agg["attempts"]))


PARTICIPANTS = Participants(
    code="quiz.participants",
    section=Section.QUIZ,
    name={"zh-hans": "网上答题参与人数", "bo": "དྲ་ཐོག་དྲི་ལན་ལ་ཞུགས་མཁན་གྱི་གྲངས།", "en": "Online quiz participants"},
    measure={"zh-hans": "人", "bo": "མི།", "en": "people"},
    definition={
        "zh-hans": "在期间内提交了答卷（未被标记为过快，或经办公室认可）的不同答题人数，按答题人所在单位归入。",
        "bo": "དུས་ཚིགས་འདིའི་ནང་དྲི་ཤོག་ཕུལ་བའི་དྲི་ལན་པ་སོ་སོའི་གྲངས། (མྱུར་དྲགས་པའི་རྟགས་མ་བརྒྱབ་པའམ་ལས་ཁང་གིས་ཆོག་མཆན་ཐོབ་པ།) དྲི་ལན་པའི་ལས་ཁུངས་ལྟར་རྩིས།",
        "en": "Distinct takers with a submitted attempt in the period (not flagged as too fast, or accepted by the office), counted at the taker's unit.",
    },
    kind="count",
    row_columns=COLUMNS,
)
AVERAGE_SCORE = AverageScore(
    code="quiz.average_score",
    section=Section.QUIZ,
    name={"zh-hans": "网上答题平均分", "bo": "དྲ་ཐོག་དྲི་ལན་གྱི་སྐར་མ་ཆ་སྙོམས།", "en": "Online quiz average score"},
    measure={"zh-hans": "分（百分制）", "bo": "སྐར་མ། (བརྒྱ་ཆའི་ལམ་ལུགས།)", "en": "points out of 100"},
    definition={
        "zh-hans": "期间内计入统计的已提交答卷的平均得分（百分制）。",
        "bo": "དུས་ཚིགས་འདིའི་ནང་རྩིས་སུ་བཅུག་པའི་ཕུལ་ཟིན་པའི་དྲི་ཤོག་གི་སྐར་མ་ཆ་སྙོམས། (བརྒྱ་ཆའི་ལམ་ལུགས།)",
        "en": "Mean score (out of 100) of the counted attempts submitted in the period.",
    },
    kind="average",
    row_columns=COLUMNS,
)
PASS_RATE = PassRate(
    code="quiz.pass_rate",
    section=Section.QUIZ,
    name={"zh-hans": "网上答题及格率", "bo": "དྲ་ཐོག་དྲི་ལན་གྱི་ཚད་ལོན་བརྒྱ་ཆ།", "en": "Online quiz pass rate"},
    measure={"zh-hans": "%", "bo": "%", "en": "%"},
    definition={
        "zh-hans": "期间内计入统计的已提交答卷中，得分达到该答题及格线的比例。",
        "bo": "དུས་ཚིགས་འདིའི་ནང་རྩིས་སུ་བཅུག་པའི་ཕུལ་ཟིན་པའི་དྲི་ཤོག་ཁྲོད་ཚད་ལོན་ཐིག་ལ་སླེབས་པའི་བརྒྱ་ཆ།",
        "en": "Share of the counted attempts submitted in the period whose score reached the quiz's pass mark.",
    },
    kind="rate",
    row_columns=COLUMNS,
)

INDICATORS = [PARTICIPANTS, AVERAGE_SCORE, PASS_RATE]
