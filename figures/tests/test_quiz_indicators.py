"""The quiz's figures read by the figures app: a monthly breakdown in one query."""

import datetime

from django.utils import timezone

from figures import engine
from orgs.models import Unit
from quiz.indicators import BY_CODE
from quiz.models import Attempt
from quiz.tests.test_results import _results_world


def test_the_monthly_breakdown_is_one_query_and_agrees_with_the_values(office, django_assert_num_queries, fixed_clock):
    quiz = _results_world()
    # Spread the three attempts over three months.
    for months_back, attempt in enumerate(Attempt.objects.filter(quiz=quiz).order_by("pk")):
        Attempt.objects.filter(pk=attempt.pk).update(
            submitted_at=attempt.submitted_at - datetime.timedelta(days=31 * months_back)
        )
    city = Unit.objects.get(code="540100")
    end = timezone.localdate()
    start = (end - datetime.timedelta(days=100)).replace(day=1)
    for code in ("quiz.participants", "quiz.average_score", "quiz.pass_rate"):
        indicator = BY_CODE[code]
        with django_assert_num_queries(1):
            monthly = engine.by_month(indicator, city, start, end)
        assert monthly[0][0] == start
        for first, value in monthly:
            last = min(end, (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1))
            assert value == indicator.value(city, first, last), (code, first)
    assert sum(v for _, v in engine.by_month(BY_CODE["quiz.participants"], city, start, end)) == 3
