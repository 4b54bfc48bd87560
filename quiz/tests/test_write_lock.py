"""What the quiz's busiest writes do inside their transaction. Under SQLite one writer at a
time holds the database, so a sign-in or a submission that reads or draws while holding it
stops every other taker's answer; these read first, then write."""

import re

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orgs.models import Unit
from quiz import services
from quiz.models import Answer, Attempt, QuizCode, QuizTaker
from quiz.tests.factories import answer_right, open_quiz

VILLAGE = "540102001001"


def _inside_transaction(captured) -> list[str]:
    """The statements inside the first transaction opened: BEGIN to COMMIT, or, within the
    test's own transaction, its savepoint to the savepoint's release."""
    sqls = [q["sql"] for q in captured]
    start = next(i for i, sql in enumerate(sqls) if sql.startswith(("BEGIN", "SAVEPOINT")))
    if sqls[start].startswith("SAVEPOINT"):
        end = sqls.index(f"RELEASE {sqls[start]}")
    else:
        end = sqls.index("COMMIT", start)
    return sqls[start + 1 : end]


def test_a_light_sign_in_and_start_read_nothing_while_they_write(db):
    quiz = open_quiz()
    QuizCode.objects.create(quiz=quiz, code="LOCK2345")
    unit = Unit.objects.get(code=VILLAGE)
    services.draw_paper(quiz, services.random.Random(1))  # the bank's pool, as a warm server has it
    with CaptureQueriesContext(connection) as captured:
        taker, attempt, refused = services.sign_in_and_start(quiz=quiz, name="王 芳", unit=unit, code="lock-2345")
    inside = _inside_transaction(captured)
    reads = [sql for sql in inside if sql.startswith("SELECT") and "django_content_type" not in sql]
    assert reads == []
    assert refused is None and taker.name == "王 芳"
    assert QuizCode.objects.get(code="LOCK2345").taker == taker
    assert list(attempt.live_answers.order_by("position").values_list("position", "chosen", "answered_at")) == [
        (i, "", None) for i in range(len(attempt.paper))
    ]


def test_a_code_bound_by_another_sign_in_meanwhile_resumes_its_holder_or_is_refused(db, monkeypatch):
    quiz = open_quiz()
    QuizCode.objects.create(quiz=quiz, code="RACE2345")
    unit = Unit.objects.get(code=VILLAGE)
    # The code as a first sign-in read it, before a second one, the same person's other
    # tap, bound it: the first finds the code taken when it binds, and reads it again.
    stale = QuizCode.objects.get(code="RACE2345")
    holder, first_attempt, _ = services.sign_in_and_start(quiz=quiz, name="王芳", unit=unit, code="RACE2345")
    real = services.check_light_sign_in
    reads = []

    def read_stale_once(**kwargs):
        reads.append(1)
        name, found = real(**kwargs)
        return (name, stale) if len(reads) == 1 else (name, found)

    monkeypatch.setattr(services, "check_light_sign_in", read_stale_once)
    taker, attempt, refused = services.sign_in_and_start(quiz=quiz, name="王芳", unit=unit, code="RACE2345")
    assert len(reads) == 2 and refused is None
    assert taker == holder and attempt == first_attempt
    assert QuizTaker.objects.filter(name="王芳").count() == 1  # the losing taker rolled back

    reads.clear()
    with pytest.raises(services.ValidationError) as other:
        services.sign_in_and_start(quiz=quiz, name="另一个人", unit=unit, code="RACE2345")
    assert "code" in other.value.message_dict
    assert not QuizTaker.objects.filter(name="另一个人").exists()


def test_a_submission_reads_its_key_and_the_checks_before_it_writes(db, participant):
    quiz = open_quiz()
    taker = services.taker_for_account(participant)
    attempt = services.start_attempt(quiz=quiz, taker=taker)
    answer_right(attempt)
    with CaptureQueriesContext(connection) as captured:
        submitted = services.submit_own_attempt(attempt_id=attempt.pk, taker_id=taker.pk)
    assert submitted.score == 100 and submitted.submitted_at is not None
    inside = _inside_transaction(captured)
    assert not [sql for sql in inside if re.search(r'FROM "(quiz_option|quality_check)"', sql)]
    # the attempt is not read again inside: under the row's lock it is only checked to be still
    # open, and the audit entry compares with the reading before the transaction
    reads = [sql for sql in inside if re.match(r'SELECT .* FROM "quiz_attempt"', sql)]
    assert len(reads) == 1 and re.match(r'SELECT 1 AS "a" FROM "quiz_attempt" WHERE .*"submitted_at" IS NULL', reads[0])
    assert [sql for sql in inside if sql.startswith('UPDATE "quiz_attempt"')]
    entry = LogEntry.objects.get_for_object(attempt).get(action=LogEntry.Action.UPDATE)
    assert entry.changes_dict["score"] == ["None", "100.0"]
    assert entry.changes_dict["submitted_at"][0] == "None"
    assert Answer.objects.filter(attempt=attempt).exclude(chosen="").count() == len(attempt.paper)
    again = services.submit_own_attempt(attempt_id=attempt.pk, taker_id=taker.pk)
    assert again.submitted_at == submitted.submitted_at
    assert (
        LogEntry.objects.get_for_object(Attempt.objects.get(pk=attempt.pk))
        .filter(action=LogEntry.Action.UPDATE)
        .count()
        == 1
    )
