import datetime
import io
import json
import re

import pytest
from auditlog.models import LogEntry
from django.core.cache import caches
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from core.http import client_address
from orgs.models import Account, Unit
from quiz import services
from quiz.choices import Review
from quiz.indicators import PARTICIPANTS
from quiz.models import Attempt, Quiz, QuizCode, QuizTaker
from quiz.tests.factories import answer_right, attempt_for, open_quiz, right_letters, taker_in


@pytest.fixture(autouse=True)
def _fresh_cache():
    for alias in ("default", "ratelimit"):
        caches[alias].clear()
    yield
    for alias in ("default", "ratelimit"):
        caches[alias].clear()


def _start(client: Client, quiz) -> Attempt:
    response = client.post(reverse("quiz:take", args=[quiz.pk]))
    assert response.status_code == 302
    return Attempt.objects.get(pk=int(re.search(r"/attempt/(\d+)/", response["Location"]).group(1)))


def _slow_down(attempt: Attempt, seconds: int = 600) -> None:
    """Pretend the attempt started ``seconds`` ago, so that answering is not too fast."""
    Attempt.objects.filter(pk=attempt.pk).update(started_at=attempt.started_at - datetime.timedelta(seconds=seconds))


def test_the_participant_takes_the_quiz_and_reads_the_review_with_explanations(participant):
    quiz = open_quiz()
    client = Client()
    client.force_login(participant)
    attempt = _start(client, quiz)
    assert client.get(reverse("quiz:attempt", args=[attempt.pk])).status_code == 200
    for position, letters in enumerate(right_letters(attempt)):
        response = client.post(
            reverse("quiz:answer", args=[attempt.pk]), {"position": position, "chosen": list(letters)}
        )
        assert response.status_code == 200 and response.json() == {"ok": True}
    _slow_down(attempt)
    response = client.post(reverse("quiz:submit", args=[attempt.pk]), {"confirm": "1"})
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.score == 100 and attempt.passed and not attempt.flagged_fast
    page = client.get(reverse("quiz:result", args=[attempt.pk])).content.decode()
    assert "100.0" in page and "的时间是" in page  # the explanations


def test_the_taking_page_needs_the_takers_unit_under_the_quizs_unit(participant):
    client = Client()
    client.force_login(participant)
    assert client.get(reverse("quiz:take", args=[open_quiz("540200").pk])).status_code == 404
    assert client.post(reverse("quiz:take", args=[open_quiz("540200").pk])).status_code == 404


def test_another_persons_attempt_is_not_found(participant, cg_reporter):
    quiz = open_quiz()
    theirs = attempt_for(services.taker_for_account(cg_reporter), quiz)
    client = Client()
    client.force_login(participant)
    assert client.get(reverse("quiz:attempt", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("quiz:answer", args=[theirs.pk]), {"position": 0, "chosen": "A"}).status_code == 404
    assert client.post(reverse("quiz:submit", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("quiz:result", args=[theirs.pk])).status_code == 404


def test_the_page_source_and_json_never_hold_the_answer_key_before_submission(participant):
    quiz = open_quiz()
    client = Client()
    client.force_login(participant)
    attempt = _start(client, quiz)
    page = client.get(reverse("quiz:attempt", args=[attempt.pk]) + "?all=1").content.decode()
    assert "is_correct" not in page and "correct" not in page.lower()
    # Every option is drawn the same way: nothing but its letter and text tells them apart.
    inputs = re.findall(r'<input type="(?:radio|checkbox)" name="chosen" value="[A-F]"[^>]*>', page)
    assert len(inputs) >= 5 * 2
    assert {re.sub(r'value="[A-F]"', "", i) for i in inputs} <= {
        '<input type="radio" name="chosen" >',
        '<input type="checkbox" name="chosen" >',
    }
    # No explanation (it states the answer) before submission.
    assert "的时间是" not in page and "ཡིན། ས་གནས་ནི" not in page
    answer = client.post(reverse("quiz:answer", args=[attempt.pk]), {"position": 0, "chosen": "A"})
    assert set(answer.json()) == {"ok"}
    htmx = client.post(
        reverse("quiz:answer", args=[attempt.pk]), {"position": 0, "chosen": "B"}, HTTP_HX_REQUEST="true"
    )
    assert "correct" not in htmx.content.decode().lower()
    assert htmx.content.decode() == '<span class="saved">✓ 已保存</span>'
    client.cookies["django_language"] = "bo"
    htmx = client.post(
        reverse("quiz:answer", args=[attempt.pk]), {"position": 0, "chosen": "A"}, HTTP_HX_REQUEST="true"
    )
    assert htmx.content.decode() == '<span class="saved">✓ ཉར་ཚགས་བྱས་ཟིན།</span>'


def _first_answered_then_time_up(person) -> tuple[Client, Attempt]:
    """The person's attempt, started in their client, its first question answered right,
    and then its time run out."""
    client = Client()
    client.force_login(person)
    attempt = _start(client, open_quiz())
    client.post(reverse("quiz:answer", args=[attempt.pk]), {"position": 0, "chosen": right_letters(attempt)[0]})
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=timezone.now() - datetime.timedelta(seconds=700),
        deadline=timezone.now() - datetime.timedelta(seconds=1),
    )
    return client, attempt


def test_an_answer_after_the_deadline_is_refused_and_the_attempt_closes_itself(participant):
    client, attempt = _first_answered_then_time_up(participant)
    late = client.post(reverse("quiz:answer", args=[attempt.pk]), {"position": 1, "chosen": right_letters(attempt)[1]})
    assert late.status_code == 410 and late.json()["error"] == "late"
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None and attempt.submitted_at <= attempt.deadline
    assert attempt.answers[0] and not attempt.answers[1]
    assert attempt.correct == 1


def test_the_paper_opened_after_the_deadline_shows_the_result_and_writes_nothing(participant):
    client, attempt = _first_answered_then_time_up(participant)
    page = client.get(reverse("quiz:attempt", args=[attempt.pk]) + "?n=0")
    assert page.status_code == 302 and page["Location"] == reverse("quiz:result", args=[attempt.pk])
    result = client.get(page["Location"])
    assert "时间已到：您的试卷已按截止前保存的答案提交。" in result.content.decode()
    attempt.refresh_from_db()
    assert attempt.submitted_at is None
    assert result.context["attempt"].correct == 1 and result.context["attempt"].submitted_at == attempt.deadline


def test_the_scheduled_task_writes_the_expired_attempt_as_the_pages_read_it(participant):
    from quiz.tasks import close_expired_attempts

    client, attempt = _first_answered_then_time_up(participant)
    shown = client.get(reverse("quiz:result", args=[attempt.pk])).context["attempt"]
    assert close_expired_attempts.call() == 1
    attempt.refresh_from_db()
    assert attempt.submitted_at == shown.submitted_at
    assert (attempt.correct, attempt.score, attempt.marks) == (shown.correct, shown.score, shown.marks)


def test_the_service_refuses_an_answer_one_second_after_the_deadline(participant):
    attempt = attempt_for(services.taker_for_account(participant), open_quiz())
    with pytest.raises(services.Refused) as refused:
        services.save_answer(
            attempt_id=attempt.pk,
            taker_id=attempt.taker_id,
            position=0,
            chosen="A",
            now=attempt.deadline + datetime.timedelta(seconds=1),
        )
    assert refused.value.reason == "late"


def test_submitting_twice_is_harmless(participant):
    quiz = open_quiz()
    client = Client()
    client.force_login(participant)
    attempt = _start(client, quiz)
    _slow_down(attempt)
    client.post(reverse("quiz:answer", args=[attempt.pk]), {"position": 0, "chosen": right_letters(attempt)[0]})
    first = client.post(reverse("quiz:submit", args=[attempt.pk]), HTTP_ACCEPT="application/json").json()
    attempt.refresh_from_db()
    submitted = attempt.submitted_at
    second = client.post(reverse("quiz:submit", args=[attempt.pk]), HTTP_ACCEPT="application/json").json()
    attempt.refresh_from_db()
    assert first == second and attempt.submitted_at == submitted
    entries = LogEntry.objects.get_for_object(attempt).filter(action=LogEntry.Action.UPDATE)
    assert entries.count() == 1
    refused = client.post(reverse("quiz:answer", args=[attempt.pk]), {"position": 1, "chosen": "A"})
    assert refused.status_code == 409


def test_a_submission_that_finds_the_attempt_submitted_meanwhile_writes_nothing(participant, monkeypatch):
    taker = services.taker_for_account(participant)
    attempt = attempt_for(taker, open_quiz())
    _slow_down(attempt)
    answer_right(attempt, 2)
    real_key, others = services.answer_key, []

    def key_read_while_another_tab_submits(question_ids):
        if not others:  # between this submission's reading the attempt and its writing the score
            others.append(None)  # the other tab's submission reads the key too
            others[0] = services.submit_attempt(attempt=attempt)
        return real_key(question_ids)

    monkeypatch.setattr(services, "answer_key", key_read_while_another_tab_submits)
    result = services.submit_own_attempt(attempt_id=attempt.pk, taker_id=taker.pk)
    attempt.refresh_from_db()
    assert others and result.submitted_at == attempt.submitted_at == others[0].submitted_at
    assert result.correct == attempt.correct == 2
    assert LogEntry.objects.get_for_object(attempt).filter(action=LogEntry.Action.UPDATE).count() == 1


def test_a_person_has_one_open_attempt_and_no_more_attempts_than_allowed(participant):
    quiz = open_quiz()
    taker = services.taker_for_account(participant)
    first = services.start_attempt(quiz=quiz, taker=taker)
    assert services.start_attempt(quiz=quiz, taker=taker).pk == first.pk
    services.submit_attempt(attempt=first)
    second = services.start_attempt(quiz=quiz, taker=taker)
    assert second.pk != first.pk
    services.submit_attempt(attempt=second)
    with pytest.raises(services.Refused) as refused:
        services.start_attempt(quiz=quiz, taker=taker)
    assert refused.value.reason == "used_up"


def test_each_taker_gets_a_paper_of_their_own_drawn_by_the_quotas(db):
    quiz = open_quiz()
    papers = [attempt_for(taker_in("540102001001", f"人{i}"), quiz).paper for i in range(6)]
    from quiz.models import Question

    for paper in papers:
        keys = Question.objects.filter(pk__in=[q for q, _o in paper]).values_list("category__key", flat=True)
        assert sorted(keys) == ["newdem"] * 3 + ["tibet"] * 2
    assert len({json.dumps(p) for p in papers}) == 6


def test_a_light_sign_in_keeps_no_account_and_binds_the_one_time_code(db):
    quiz = open_quiz()
    QuizCode.objects.create(quiz=quiz, code="ABCD2345")
    village = Unit.objects.get(code="540102001001")
    accounts = Account.objects.count()
    client = Client()
    page = client.get(reverse("quiz:take", args=[quiz.pk]))
    assert page.status_code == 200 and "light-sign-in" in page.content.decode()
    response = client.post(
        reverse("quiz:take", args=[quiz.pk]),
        {"name": "次仁卓玛", "unit": village.pk, "code": "abcd-2345"},
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 302
    taker = QuizTaker.objects.get(name="次仁卓玛")
    assert taker.account is None and taker.unit == village and Account.objects.count() == accounts
    assert QuizCode.objects.get(code="ABCD2345").taker == taker
    attempt = Attempt.objects.get(taker=taker)
    for row in (taker, attempt):  # the sign-in's audit entries: who (nobody's account) and from where
        entry = LogEntry.objects.get_for_object(row).get()
        assert entry.action == LogEntry.Action.CREATE and entry.actor is None and entry.remote_addr == "198.51.100.7"
    assert client.post(reverse("quiz:answer", args=[attempt.pk]), {"position": 0, "chosen": "A"}).status_code == 200
    stranger = Client().post(
        reverse("quiz:take", args=[quiz.pk]), {"name": "另一个人", "unit": village.pk, "code": "ABCD2345"}
    )
    assert stranger.status_code == 200 and 'role="alert"' in stranger.content.decode()
    assert QuizTaker.objects.filter(name="另一个人").count() == 0


def test_a_light_sign_in_whose_start_is_refused_keeps_the_taker_and_says_why(db):
    quiz = open_quiz()
    Quiz.objects.filter(pk=quiz.pk).update(opens_at=timezone.now() + datetime.timedelta(hours=1))
    QuizCode.objects.create(quiz=quiz, code="WAIT2345")
    village = Unit.objects.get(code="540102001001")
    client = Client()
    response = client.post(
        reverse("quiz:take", args=[quiz.pk]), {"name": "早到的人", "unit": village.pk, "code": "WAIT2345"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("quiz:take", args=[quiz.pk])
    taker = QuizTaker.objects.get(name="早到的人")
    assert QuizCode.objects.get(code="WAIT2345").taker == taker  # the sign-in stays, though the start did not
    assert not Attempt.objects.filter(taker=taker).exists()
    page = client.get(response["Location"]).content.decode()
    assert page.count("flash-error") == 2  # the refusal's message and the closed quiz's notice


def test_a_light_sign_in_refuses_a_unit_outside_the_quiz(db):
    quiz = open_quiz()
    QuizCode.objects.create(quiz=quiz, code="WXYZ2345")
    outside = Unit.objects.get(code="540202")
    with pytest.raises(services.ValidationError) as refused:
        services.sign_in_and_start(quiz=quiz, name="某人", unit=outside, code="WXYZ2345")
    assert "unit" in refused.value.message_dict


def test_the_unit_search_lists_only_units_of_the_quiz(db):
    quiz = open_quiz()
    body = Client().get(reverse("quiz:unit_choices", args=[quiz.pk]), {"q": "桑珠孜"}).content.decode()
    assert "data-unit-id" not in body
    body = Client().get(reverse("quiz:unit_choices", args=[quiz.pk]), {"q": "八廓"}).content.decode()
    assert "data-unit-id" in body


def test_answers_faster_than_a_person_reads_are_flagged_and_not_counted_until_accepted(
    participant, office, fixed_clock
):
    quiz = open_quiz()
    taker = services.taker_for_account(participant)
    attempt = services.start_attempt(quiz=quiz, taker=taker)
    answer_right(attempt)
    attempt = services.submit_attempt(attempt=attempt)
    assert attempt.flagged_fast and attempt.review == Review.PENDING
    today = timezone.localdate()
    city = Unit.objects.get(code="540100")
    assert PARTICIPANTS.value(city, today, today) == 0
    services.review_attempt(actor=office, attempt=attempt, accept=True)
    assert PARTICIPANTS.value(city, today, today) == 1


@override_settings(QUIZ_RATE_LIMITS={"taker": 3})
def test_too_many_requests_from_one_taker_get_429(participant):
    quiz = open_quiz()
    client = Client()
    client.force_login(participant)
    attempt = _start(client, quiz)  # one request counted for this taker
    codes = [
        client.post(reverse("quiz:answer", args=[attempt.pk]), {"position": 0, "chosen": "A"}).status_code
        for _ in range(4)
    ]
    assert codes[:2] == [200, 200] and codes[-1] == 429


def test_the_language_switches_mid_quiz_and_keeps_the_attempt(participant):
    quiz = open_quiz()
    client = Client()
    client.force_login(participant)
    attempt = _start(client, quiz)
    url = reverse("quiz:attempt", args=[attempt.pk]) + "?n=0"
    switched = client.post(reverse("set_language"), {"language": "bo", "next": url})
    assert switched["Location"] == url
    page = client.get(url).content.decode()
    assert 'lang="bo"' in page and ("ཡིན་ནམ།" in page or "ལོར་ཡིན།" in page)
    assert Attempt.objects.filter(taker__account=participant, submitted_at__isnull=True).count() == 1


def test_a_dropped_connection_resumes_where_it_stopped(participant):
    quiz = open_quiz()
    client = Client()
    client.force_login(participant)
    attempt = _start(client, quiz)
    client.post(reverse("quiz:answer", args=[attempt.pk]), {"position": 0, "chosen": "B"})
    again = Client()
    again.force_login(participant)
    door = again.get(reverse("quiz:take", args=[quiz.pk])).content.decode()
    assert reverse("quiz:attempt", args=[attempt.pk]) in door
    page = again.get(reverse("quiz:attempt", args=[attempt.pk]) + "?n=0").content.decode()
    assert 'value="B" checked' in page


def test_the_command_closes_attempts_whose_time_is_up(participant):
    from django.core.management import call_command

    attempt = attempt_for(services.taker_for_account(participant), open_quiz())
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - datetime.timedelta(seconds=1))
    call_command("quiz_close_expired", stdout=io.StringIO())
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None and attempt.score == 0


def test_a_light_sign_in_with_a_garbled_unit_shows_the_form_again(db):
    quiz = open_quiz()
    response = Client().post(reverse("quiz:take", args=[quiz.pk]), {"name": "某人", "unit": "abc", "code": "X"})
    assert response.status_code == 200 and QuizTaker.objects.filter(name="某人").count() == 0


def _level(client: Client, quiz, parent=None):
    query = {} if parent is None else {"parent": parent}
    return client.get(reverse("quiz:unit_tree", args=[quiz.pk]), query)


def test_the_unit_tree_lists_the_active_units_right_below_a_level_with_their_kind(db):
    quiz = open_quiz()
    top = _level(Client(), quiz)
    body = top.content.decode()
    assert top.status_code == 200
    assert 'data-unit-name="城关区"' in body and "区县" in body  # a county, with its kind
    assert 'data-unit-name="拉萨市"' in body  # the quiz's own unit may be chosen too
    assert "八廓街道" not in body  # two levels down: not yet
    county = Unit.objects.get(code="540102")
    body = _level(Client(), quiz, county.pk).content.decode()
    assert 'data-unit-name="八廓街道"' in body and "卓麦社区" not in body
    assert body.index('data-unit-name="八廓街道"') < body.index('data-unit-name="城关区委办公室"')  # townships first
    assert "540202" not in body and "桑珠孜" not in body


def test_a_level_of_the_unit_tree_is_a_few_queries_however_deep(db, django_assert_num_queries):
    quiz = open_quiz()
    township = Unit.objects.get(code="540102001")
    village = Unit.objects.get(code="540102001001")
    client = Client()
    for parent in (township, village):
        with django_assert_num_queries(4):  # the quiz, the parent, the way up, the level
            assert _level(client, quiz, parent.pk).status_code == 200


def test_the_way_back_up_the_tree_stops_at_the_quizs_unit(db):
    from quiz.models import Quiz

    quiz = open_quiz()
    county = Unit.objects.get(code="540102")
    Quiz.objects.filter(pk=quiz.pk).update(unit=county)
    body = _level(Client(), quiz, Unit.objects.get(code="540102001").pk).content.decode()
    assert 'data-testid="unit-crumb"' in body and "城关区" in body and "拉萨市" not in body
    assert _level(Client(), quiz, Unit.objects.get(code="540100").pk).status_code == 404


def test_a_parent_outside_the_quizs_subtree_is_not_found(db):
    quiz = open_quiz()
    assert _level(Client(), quiz, Unit.objects.get(code="540202").pk).status_code == 404
    assert _level(Client(), quiz, "abc").status_code == 404
    assert _level(Client(), quiz, "9" * 30).status_code == 404


def test_an_account_outside_the_quiz_gets_no_level_of_its_tree(participant):
    client = Client()
    client.force_login(participant)
    assert _level(client, open_quiz("540200")).status_code == 404


def test_closed_units_are_neither_listed_nor_opened(db):
    quiz = open_quiz()
    county = Unit.objects.get(code="540102")
    closed = Unit.objects.get(code="540102001")
    Unit.objects.filter(pk=closed.pk).update(active=False)
    body = _level(Client(), quiz, county.pk).content.decode()
    assert "八廓街道" not in body and "吉日街道" in body
    assert _level(Client(), quiz, closed.pk).status_code == 404


@override_settings(QUIZ_RATE_LIMITS={"address": 2})
def test_the_unit_tree_is_rate_limited_like_the_search(db):
    quiz = open_quiz()
    codes = [_level(Client(), quiz).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_the_taking_pages_let_htmx_show_a_refusal_in_the_page(participant):
    """The quiz pages add their response handling to the site's htmx settings (one meta
    tag: htmx reads only the first), so a refused answer's message is swapped in."""
    quiz = open_quiz()
    client = Client()
    client.force_login(participant)
    attempt = _start(client, quiz)
    page = client.get(reverse("quiz:attempt", args=[attempt.pk])).content.decode()
    metas = re.findall(r'<meta name="htmx-config" content=\'([^\']*)\'>', page)
    assert len(metas) == 1
    config = json.loads(metas[0])
    assert config["allowEval"] is False
    assert {"code": "[45]..", "swap": True, "error": True} in config["responseHandling"]
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - datetime.timedelta(seconds=1))
    late = client.post(
        reverse("quiz:answer", args=[attempt.pk]), {"position": 0, "chosen": "A"}, HTTP_HX_REQUEST="true"
    )
    assert late.status_code == 410
    assert 'role="alert"' in late.content.decode()
    assert late["HX-Redirect"] == reverse("quiz:result", args=[attempt.pk])


def test_one_question_at_a_time_shows_one_question_and_the_whole_paper_all(participant):
    quiz = open_quiz()
    client = Client()
    client.force_login(participant)
    attempt = _start(client, quiz)
    one = client.get(reverse("quiz:attempt", args=[attempt.pk]), {"n": 3}).content.decode()
    whole = client.get(reverse("quiz:attempt", args=[attempt.pk]), {"all": "1"}).content.decode()
    assert one.count('name="position"') == 1 and 'name="position" value="3"' in one
    assert whole.count('name="position"') == len(attempt.paper)


def test_behind_the_proxy_the_address_limit_counts_the_address_the_proxy_saw(rf):
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.9, 203.0.113.7")
    assert client_address(request) == "127.0.0.1"  # not behind a proxy: the header is not trusted
    with override_settings(BEHIND_PROXY=True):
        assert client_address(request) == "203.0.113.7"  # the hop nginx appended
        assert client_address(rf.get("/", REMOTE_ADDR="127.0.0.1")) == "127.0.0.1"


def test_reading_any_page_of_an_attempt_past_its_deadline_writes_nothing(participant, office):
    from core.testing import Writes

    client, attempt = _first_answered_then_time_up(participant)
    staff = Client()
    staff.force_login(office)
    quiz = attempt.quiz
    reads = [
        (client, reverse("quiz:index")),
        (client, reverse("quiz:take", args=[quiz.pk])),
        (client, reverse("quiz:attempt", args=[attempt.pk])),
        (client, reverse("quiz:result", args=[attempt.pk])),
        (staff, reverse("quiz:results", args=[quiz.pk])),
        (staff, reverse("quiz:results_export", args=[quiz.pk])),
        (staff, reverse("quiz:attempts", args=[quiz.pk])),
        (staff, f"/api/v1/quiz/quizzes/{quiz.pk}/results"),
    ]
    for reader, path in reads:
        with Writes() as writes:
            status = reader.get(path).status_code
        assert status in (200, 302) and not writes.statements, (path, writes.statements)
    assert Attempt.objects.get(pk=attempt.pk).submitted_at is None


def test_submitting_the_paper_asks_first_and_a_post_without_the_answer_submits_nothing(participant):
    quiz = open_quiz()
    client = Client()
    client.force_login(participant)
    attempt = _start(client, quiz)
    paper = client.get(reverse("quiz:attempt", args=[attempt.pk])).content.decode()
    assert 'data-testid="submit-confirm"' in paper and 'name="confirm" value="1"' in paper
    asked = client.post(reverse("quiz:submit", args=[attempt.pk]))
    assert asked.status_code == 200
    assert 'data-testid="submit-confirm"' in asked.content.decode()
    assert asked.context["answered"] == 0 and asked.context["total"] == len(attempt.paper)
    attempt.refresh_from_db()
    assert attempt.submitted_at is None
    done = client.post(reverse("quiz:submit", args=[attempt.pk]), {"confirm": "1"})
    assert done.status_code == 302
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None
    # Once submitted, a post without the answer just shows the result.
    assert client.post(reverse("quiz:submit", args=[attempt.pk]))["Location"].endswith("/result/")
