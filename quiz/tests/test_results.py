import datetime
import io

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from orgs.models import Unit
from quiz import services
from quiz.indicators import BY_CODE
from quiz.models import Attempt
from quiz.tests.factories import answer_right, attempt_for, open_quiz, taker_in


def _take(quiz, unit_code: str, name: str, right: int) -> Attempt:
    attempt = attempt_for(taker_in(unit_code, name), quiz)
    Attempt.objects.filter(pk=attempt.pk).update(started_at=attempt.started_at - datetime.timedelta(minutes=10))
    answer_right(attempt, right)
    return services.submit_attempt(attempt=attempt)


def _results_world():
    quiz = open_quiz()
    _take(quiz, "540102001001", "甲", 5)  # Chengguan, 100
    _take(quiz, "540102001001", "乙", 2)  # Chengguan, 40
    _take(quiz, "540104001001", "丙", 4)  # Dagzê, 80
    return quiz


def test_the_office_reads_results_rolled_up_the_tree(office):
    quiz = _results_world()
    client = Client()
    client.force_login(office)
    response = client.get(reverse("quiz:results", args=[quiz.pk]))
    data = response.context["data"]
    assert data.root.takers == 3 and float(data.root.average) == round((100 + 40 + 80) / 3, 1)
    rows = {r.unit.code: r for r in data.rows}
    assert rows["540102"].takers == 2 and rows["540102"].pass_rate == 50
    assert rows["540104"].takers == 1 and rows["540104"].members == Unit.objects.get(code="540104").party_members
    assert response.context["hardest"]


def test_a_county_office_reads_its_own_part_only(cg_office):
    quiz = _results_world()
    client = Client()
    client.force_login(cg_office)
    response = client.get(reverse("quiz:results", args=[quiz.pk]))
    assert response.context["root"].code == "540102" and response.context["data"].root.takers == 2
    assert "540104" not in response.content.decode()
    assert client.get(reverse("quiz:results", args=[quiz.pk]), {"unit": "540104"}).status_code == 404
    assert client.get(reverse("quiz:results", args=[open_quiz("540200").pk])).status_code == 404


def test_the_results_export_is_a_workbook(office):
    quiz = _results_world()
    client = Client()
    client.force_login(office)
    response = client.get(reverse("quiz:results_export", args=[quiz.pk]), {"unit": "540100"})
    sheet = load_workbook(io.BytesIO(response.content))["results"]
    assert sheet.cell(2, 3).value == 3


def test_the_drill_down_lists_the_attempts_behind_the_figure(office, dz_reporter):
    quiz = _results_world()
    client = Client()
    client.force_login(office)
    page = client.get(reverse("quiz:attempts", args=[quiz.pk]), {"unit": "540102"})
    assert page.context["page"].paginator.count == 2
    client.force_login(dz_reporter)
    assert client.get(reverse("quiz:attempts", args=[quiz.pk]), {"unit": "540102"}).status_code == 404


def test_the_indicators_count_submitted_attempts_with_rows(db, fixed_clock):
    _results_world()
    city = Unit.objects.get(code="540100")
    today = timezone.localdate()
    participants, average, pass_rate = (
        BY_CODE["quiz.participants"],
        BY_CODE["quiz.average_score"],
        BY_CODE["quiz.pass_rate"],
    )
    assert participants.value(city, today, today) == 3
    assert participants.rows(city, today, today).count() == 3
    assert float(average.value(city, today, today)) == round((100 + 40 + 80) / 3, 1)
    assert float(pass_rate.value(city, today, today)) == round(200 / 3, 1)
    children = dict((u.code, v) for u, v in participants.by_children(city, today, today))
    assert children["540102"] == 2 and children["540104"] == 1
    yesterday = today - datetime.timedelta(days=1)
    assert participants.value(city, yesterday, yesterday) == 0


def test_the_office_sets_up_a_quiz_with_quotas_and_codes(office):
    client = Client()
    client.force_login(office)
    open_quiz()  # the bank
    response = client.post(
        reverse("quiz:quiz_new"),
        {
            "title_zh": "城关区答题",
            "title_bo": "ཁྲིན་ཀོན་ཆུས་ཀྱི་དྲི་ལན།",
            "unit": "540102",
            "opens_at": "2026-01-01T09:00",
            "closes_at": "2027-01-01T09:00",
            "time_limit_seconds": 600,
            "attempts_allowed": 1,
            "pass_mark": 60,
            "min_seconds_per_question": 2,
        },
    )
    assert response.status_code == 302
    quiz_id = int(response["Location"].rstrip("/").split("/")[-1])
    manage = client.get(response["Location"])
    category = manage.context["rows"][1]["category"]
    assert client.post(response["Location"], {f"quota_{category.pk}": 4}).status_code == 302
    too_many = client.post(response["Location"], {f"quota_{category.pk}": 4000})
    assert too_many.status_code == 200 and too_many.context["rows"][1]["error"]
    client.post(reverse("quiz:codes", args=[quiz_id]), {"count": 25})
    from quiz.models import Quiz

    quiz = Quiz.objects.get(pk=quiz_id)
    assert quiz.paper_size == 4 and quiz.codes.count() == 25


def _walked_away(quiz, unit_code: str, name: str, right: int) -> Attempt:
    """An attempt answered in part, then left open past its deadline."""
    attempt = attempt_for(taker_in(unit_code, name), quiz)
    Attempt.objects.filter(pk=attempt.pk).update(started_at=attempt.started_at - datetime.timedelta(minutes=10))
    answer_right(attempt, right)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - datetime.timedelta(seconds=1))
    return attempt


def _read(client, quiz):
    response = client.get(reverse("quiz:results", args=[quiz.pk]))
    data = response.context["data"]
    rows = [(r.unit.code, r.takers, r.attempts, r.passed, r.average) for r in [data.root, *data.rows]]
    attempts = client.get(reverse("quiz:attempts", args=[quiz.pk]), {"unit": "540100"}).context["page"]
    hardest = [(f.question.pk, f.asked, f.right) for f in response.context["hardest"]]
    return rows, hardest, sorted((a.pk, a.score) for a in attempts)


def test_an_attempt_past_its_deadline_counts_in_the_results_before_the_task_closes_it(office):
    quiz = _results_world()
    late = _walked_away(quiz, "540102001001", "丁", 3)  # Chengguan, 60, not submitted
    client = Client()
    client.force_login(office)
    before = _read(client, quiz)
    assert before[0][0][1:3] == (4, 4) and dict(before[2])[late.pk] == 60
    assert Attempt.objects.get(pk=late.pk).submitted_at is None
    assert services.close_expired() == 1
    assert _read(client, quiz) == before


def test_the_results_by_unit_start_with_the_roots_own_takers_and_add_up(office, api_as):
    quiz = _results_world()
    _take(quiz, "540102", "丁", 3)  # a taker of Chengguan itself, in none of its townships
    client = Client()
    client.force_login(office)
    for language, word in (("zh-hans", "本级"), ("bo", "རང་རིམ།"), ("en", "Own level")):
        client.cookies["django_language"] = language
        response = client.get(reverse("quiz:results", args=[quiz.pk]), {"unit": "540102"})
        own, *children = response.context["data"].rows
        assert own.own and own.takers == 1 and own.members is None
        assert own.takers + sum(r.takers for r in children) == response.context["data"].root.takers == 3
        assert f'<tr data-own="1">\n      <td>{word}</td>' in response.content.decode()
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("quiz:results_export", args=[quiz.pk]), {"unit": "540102"}).content)
    )["results"]
    assert (sheet.cell(3, 1).value, sheet.cell(3, 3).value) == ("Own level", 1)
    answer = api_as(office).get(f"/api/v1/quiz/quizzes/{quiz.pk}/results", {"unit": "540102"})
    assert answer.status_code == 200, answer.content
    first, *others = answer.json()["children"]
    assert first["own"] and first["party_members"] is None and not any(c["own"] for c in others)
    assert first["takers"] + sum(c["takers"] for c in others) == answer.json()["root"]["takers"]
