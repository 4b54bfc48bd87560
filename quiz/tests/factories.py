"""Idempotent rows for the quiz's tests and crawl providers: the real bank, an open quiz
for Lhasa and one for Shigatse (outside every Lhasa persona's scope), and attempts."""

from __future__ import annotations

import datetime

from django.utils import timezone

from campaigns.models import Campaign
from orgs.models import Unit
from quiz import bank, services
from quiz.models import Attempt, Category, Question, Quiz, QuizQuota, QuizTaker

QUOTAS = {"newdem": 3, "tibet": 2}


def ensure_bank() -> None:
    if not Question.objects.exists():
        bank.load()


def open_quiz(city_code: str = "540100", **fields) -> Quiz:
    """An open quiz for the city (five questions: 3 + 2), made once per test transaction."""
    ensure_bank()
    marker = f"test quiz {city_code}"
    quiz = Quiz.objects.filter(title_zh=marker).first()
    if quiz is not None:
        return quiz
    city = Unit.objects.get(code=city_code)
    now = timezone.now()
    quiz = Quiz.objects.create(
        campaign=Campaign.objects.filter(root_unit=city).first(),
        unit=city,
        region_code=city.region_code,
        title_zh=marker,
        title_bo="ཚོད་ལྟའི་དྲི་ལན།",
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=30),
        time_limit_seconds=fields.pop("time_limit_seconds", 600),
        attempts_allowed=fields.pop("attempts_allowed", 2),
        pass_mark=60,
        **fields,
    )
    categories = {c.key: c for c in Category.objects.all()}
    QuizQuota.objects.bulk_create(QuizQuota(quiz=quiz, category=categories[k], count=n) for k, n in QUOTAS.items())
    return quiz


def taker_in(unit_code: str, name: str = "测试答题人") -> QuizTaker:
    unit = Unit.objects.get(code=unit_code)
    return QuizTaker.objects.get_or_create(
        name=name, unit=unit, account=None, defaults={"region_code": unit.region_code}
    )[0]


def attempt_for(taker: QuizTaker, quiz: Quiz) -> Attempt:
    return services.start_attempt(quiz=quiz, taker=taker)


def right_letters(attempt: Attempt) -> list[str]:
    key = services.answer_key([qid for qid, _o in attempt.paper])
    return [
        "".join(services.LETTERS[i] for i, pos in enumerate(order) if int(pos) in key[qid][1])
        for qid, order in attempt.paper
    ]


def answer_right(attempt: Attempt, count: int | None = None) -> None:
    """Save the right letters for the attempt's questions (the first ``count`` of them)."""
    for position, letters in enumerate(right_letters(attempt)[:count]):
        services.save_answer(attempt_id=attempt.pk, taker_id=attempt.taker_id, position=position, chosen=letters)
