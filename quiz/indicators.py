"""The quiz's figures in the indicator catalogue: participants, average score, pass rate.

Rows are attempts: submitted ones, in the unit's subtree (by the taker's unit), submitted
within the date range, and counted — not flagged as answered too fast, or flagged and
accepted by the office.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from campaigns.indicators import Column, Fact, Facts, Number, Part, Section, Source, State, Tallied
from campaigns.tallies import tenths_average
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


def _one_decimal(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.1"))


COLUMNS = [
    Column(_("Taker"), lambda a: a.taker.name),
    Column(_("Unit"), lambda a: a.unit.name),
    Column(_("Quiz"), lambda a: a.quiz.title),
    Column(pgettext_lazy("time", "Submitted"), lambda a: timezone.localtime(a.submitted_at).strftime("%Y-%m-%d %H:%M")),
    Column(_("Score"), lambda a: a.score),
    Column(_("Passed"), lambda a: a.passed),
]


@dataclass
class QuizIndicator(Tallied):
    """A figure over the counted attempts, grouped by the taker's unit and by the month of
    submission (in the local time zone; a taker counts in each month in which they
    submitted)."""

    facts: Facts | None = counted_attempts
    date_field: str = "submitted_at"
    related: tuple[str, ...] = ("taker", "unit", "quiz")
    ordering: tuple[str, ...] = ("submitted_at", "pk")


class Participants(QuizIndicator):
    def measures(self, start: datetime.date, end: datetime.date) -> dict[str, Any]:
        return {"takers": Count("taker", distinct=True)}

    def figure(self, got: dict[str, Any]) -> Number:
        return got.get("takers") or 0

    def summable(self) -> bool:
        return False


class AverageScore(QuizIndicator):
    def from_tally(self, got: dict[str, Any]) -> Number:
        return tenths_average(got.get("tenths") or 0, got.get("count") or 0)

    def measures(self, start: datetime.date, end: datetime.date) -> dict[str, Any]:
        return {"average": Avg("score")}

    def figure(self, got: dict[str, Any]) -> Number:
        return _one_decimal(got.get("average"))

    def summable(self) -> bool:
        return False


class PassRate(QuizIndicator):
    def measures(self, start: datetime.date, end: datetime.date) -> dict[str, Any]:
        return {"attempts": Count("pk"), "passed": Count("pk", filter=Q(passed=True))}

    def figure(self, got: dict[str, Any]) -> Number:
        if not got.get("attempts"):
            return Decimal("0.0")
        return _one_decimal(Decimal(got["passed"]) * 100 / Decimal(got["attempts"]))


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
    tally={"takers": Part("quiz.attempt", ("taker",), when="first")},
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
    tally={"tenths": Part("quiz.attempt", ("counted",), "total"), "count": Part("quiz.attempt", ("counted",))},
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
    tally={"attempts": Part("quiz.attempt", ("counted",)), "passed": Part("quiz.attempt", ("passed",))},
    row_columns=COLUMNS,
)

INDICATORS = [PARTICIPANTS, AVERAGE_SCORE, PASS_RATE]
BY_CODE = {i.code: i for i in INDICATORS}


def _attempt_facts(row: dict) -> list[Fact]:
    """A counted attempt counts on the local day of its submission, with its score (in
    tenths) and whether it passed; its taker counts once per subtree and range."""
    if row["submitted_at"] is None or row["review"] not in COUNTED_REVIEWS:
        return []
    path, day = row["unit__path"], timezone.localdate(row["submitted_at"])
    out = [
        Fact(path, day, "counted", total=int((row["score"] or 0) * 10)),
        Fact(path, day, "taker", who=row["taker_id"]),
    ]
    if row["passed"]:
        out.append(Fact(path, day, "passed"))
    return out


TALLIES = [
    Source(
        "quiz.attempt",
        Attempt,
        ("unit__path", "submitted_at", "review", "score", "passed", "taker_id"),
        _attempt_facts,
        # A submission writes only while the attempt is still open, checked under lock
        # (``services._submit``): counted against the attempt as read, it reads nothing more.
        as_read=True,
        names=("网上答题答卷", "དྲ་ཐོག་དྲི་ལན་གྱི་དྲི་ཤོག", "quiz attempts"),
        states=(
            State("counted", ("计入统计", "རྩིས་སུ་བཅུག་པ།", "counted"), "counted", total=True),
            State("passed", ("及格", "ཚད་ལོན་པ།", "passed"), "passed"),
        ),
        total_names=("得分（十分之一分）", "སྐར་མ། (སྐར་མའི་བཅུ་ཆ།)", "score, in tenths of a point"),
    )
]
