"""Writes of the quiz: the question bank, quizzes and their quotas and codes, sign-in,
attempts, answers and their scoring.

Every write validates and writes in one transaction and raises ``ValidationError`` keyed by
field when it refuses. Saving an answer is the hot path: one UPDATE, no audit entry (the
submission of the attempt is audited, with its answers folded into it).
"""

from __future__ import annotations

import copy
import datetime
import random
import re
import secrets
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, cast

from auditlog.models import LogEntry
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.auditing import save_changed
from orgs.models import Unit
from orgs.scope import path_in_scope
from quiz.choices import QuestionStatus, QuestionType, Review
from quiz.models import Answer, Attempt, Category, Option, Question, Quiz, QuizCode, QuizQuota, QuizTaker, Tag

LETTERS = "ABCDEF"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
_CHOSEN = re.compile(r"^[A-F]{0,6}$")


# --- the question bank ---------------------------------------------------------------------


@dataclass
class OptionData:
    text_zh: str
    text_bo: str
    is_correct: bool


def question_errors(
    *,
    type: str,
    text_zh: str,
    text_bo: str,
    explanation_zh: str,
    explanation_bo: str,
    options: list[OptionData],
    publish: bool,
) -> dict[str, str]:
    """Everything wrong with a question, keyed by field (empty when none)."""
    errors: dict[str, str] = {}
    if type not in QuestionType.values:
        errors["type"] = _("Unknown type of question.")
    if not (text_zh or "").strip():
        errors["text_zh"] = _("The Chinese text is required.")
    options = [o for o in options if (o.text_zh or "").strip() or (o.text_bo or "").strip()]
    right = sum(1 for o in options if o.is_correct)
    if type == QuestionType.TRUE_FALSE and len(options) != 2:
        errors["options"] = _("A true-or-false question has exactly two options.")
    elif len(options) < 2 or len(options) > len(LETTERS):
        errors["options"] = _("A question has between 2 and 6 options.")
    elif type in (QuestionType.SINGLE, QuestionType.TRUE_FALSE) and right != 1:
        errors["options"] = _("Exactly one option must be right.")
    elif type == QuestionType.MULTIPLE and right < 1:
        errors["options"] = _("At least one option must be right.")
    elif any(not (o.text_zh or "").strip() for o in options):
        errors["options"] = _("Every option needs its Chinese text.")
    if publish:
        missing = (
            not (text_bo or "").strip() or not (explanation_zh or "").strip() or not (explanation_bo or "").strip()
        )
        if missing or any(not (o.text_bo or "").strip() for o in options):
            errors["status"] = _(
                "A question is published only when its text, explanation and options exist in Chinese and Tibetan."
            )
    return errors


def _require_office(actor: Any) -> None:
    if not (actor.is_superuser or actor.role == "office_admin"):
        raise ValidationError({"role": _("Only an office admin edits the quiz.")})


def may_edit_bank(actor: Any) -> bool:
    """The bank is shared by every quiz of the platform: the office of a top unit (a city
    or a region) edits it; county offices use it."""
    return bool(
        actor.is_authenticated
        and (actor.is_superuser or (actor.role == "office_admin" and actor.unit_id and actor.unit.depth == 1))
    )


def _require_bank_editor(actor: Any) -> None:
    if not may_edit_bank(actor):
        raise ValidationError({"role": _("Only the office of the top unit edits the question bank.")})


@transaction.atomic
def save_question(
    *,
    actor: Any,
    question: Question | None = None,
    key: str,
    category: Category,
    type: str,
    text_zh: str,
    text_bo: str = "",
    explanation_zh: str = "",
    explanation_bo: str = "",
    difficulty: int = 2,
    source: str = "",
    tags: list[Tag] | None = None,
    options: list[OptionData],
    publish: bool | None = None,
) -> Question:
    """Create or change a question and replace its options. ``publish`` True publishes it
    (both languages must then be complete), False makes it a draft, None keeps its status."""
    _require_bank_editor(actor)
    key = (key or "").strip()
    if publish is None:
        publish = question is not None and question.status == QuestionStatus.PUBLISHED
    errors = question_errors(
        type=type,
        text_zh=text_zh,
        text_bo=text_bo,
        explanation_zh=explanation_zh,
        explanation_bo=explanation_bo,
        options=options,
        publish=publish,
    )
    if not key:
        errors["key"] = _("The key is required.")
    elif Question.objects.filter(key=key).exclude(pk__in=[question.pk] if question else []).exists():
        errors["key"] = _("The key %(key)s is already used.") % {"key": key}
    if errors:
        raise ValidationError(errors)
    fields = {
        "key": key,
        "category": category,
        "type": type,
        "text_zh": text_zh.strip(),
        "text_bo": (text_bo or "").strip(),
        "explanation_zh": (explanation_zh or "").strip(),
        "explanation_bo": (explanation_bo or "").strip(),
        "difficulty": difficulty,
        "source": (source or "").strip(),
        "status": QuestionStatus.PUBLISHED if publish else QuestionStatus.DRAFT,
    }
    if question is None:
        question = Question.objects.create(**fields)
    else:
        for name, value in fields.items():
            setattr(question, name, value)
        question.version = F("version") + 1
        question.save()
        question.refresh_from_db()
        question.options.all().delete()
    kept = [o for o in options if (o.text_zh or "").strip()]
    Option.objects.bulk_create(
        Option(
            question=question,
            text_zh=o.text_zh.strip(),
            text_bo=(o.text_bo or "").strip(),
            is_correct=o.is_correct,
            order=i,
        )
        for i, o in enumerate(kept)
    )
    if tags is not None:
        question.tags.set(tags)
    _forget_pools()
    return question


@transaction.atomic
def set_question_status(*, actor: Any, question: Question, status: str) -> Question:
    _require_bank_editor(actor)
    if status == QuestionStatus.PUBLISHED:
        options = [OptionData(o.text_zh, o.text_bo, o.is_correct) for o in question.options.all()]
        errors = question_errors(
            type=question.type,
            text_zh=question.text_zh,
            text_bo=question.text_bo,
            explanation_zh=question.explanation_zh,
            explanation_bo=question.explanation_bo,
            options=options,
            publish=True,
        )
        if errors:
            raise ValidationError(errors)
    if question.status != status:
        question.status = status
        question.save(update_fields=["status", "updated_at"])
        _forget_pools()
    return question


# --- quizzes -------------------------------------------------------------------------------


def quiz_errors(
    *, opens_at, closes_at, time_limit_seconds: int, attempts_allowed: int, pass_mark: int
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if opens_at and closes_at and closes_at <= opens_at:
        errors["closes_at"] = _("The quiz must close after it opens.")
    if not time_limit_seconds or time_limit_seconds < 60:
        errors["time_limit_seconds"] = _("The time limit is at least 60 seconds.")
    if not attempts_allowed or attempts_allowed < 1:
        errors["attempts_allowed"] = _("At least one attempt is allowed.")
    if pass_mark is None or not 0 <= pass_mark <= 100:
        errors["pass_mark"] = _("The pass mark is a percentage between 0 and 100.")
    return errors


@transaction.atomic
def create_quiz(*, actor: Any, campaign: Any, unit: Unit, title_zh: str, title_bo: str, **fields: Any) -> Quiz:
    _require_office(actor)
    if not path_in_scope(actor, unit.path):
        raise ValidationError({"unit": _("No unit with this code in your scope.")})
    errors = quiz_errors(
        opens_at=fields.get("opens_at"),
        closes_at=fields.get("closes_at"),
        time_limit_seconds=fields.get("time_limit_seconds", 1200),
        attempts_allowed=fields.get("attempts_allowed", 1),
        pass_mark=fields.get("pass_mark", 60),
    )
    if not (title_zh or "").strip():
        errors["title_zh"] = _("The Chinese title is required.")
    if not (title_bo or "").strip():
        errors["title_bo"] = _("The Tibetan title is required.")
    if errors:
        raise ValidationError(errors)
    return Quiz.objects.create(
        campaign=campaign, unit=unit, title_zh=title_zh.strip(), title_bo=title_bo.strip(), **fields
    )


def category_subtree_ids(category_id: int) -> list[int]:
    """The category and every category below it (the tree is small: read it whole)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent in Category.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    out, todo = [], [category_id]
    while todo:
        pk = todo.pop()
        out.append(pk)
        todo.extend(children.get(pk, []))
    return out


def published_count(category_id: int) -> int:
    return Question.objects.filter(
        category_id__in=category_subtree_ids(category_id), status=QuestionStatus.PUBLISHED
    ).count()


@transaction.atomic
def set_quotas(*, actor: Any, quiz: Quiz, quotas: dict[int, int]) -> Quiz:
    """Replace the quiz's quotas: ``{category id: number of questions}``. Refused when a
    category has fewer published questions than its quota, or once anybody has started."""
    _require_office(actor)
    if not path_in_scope(actor, quiz.unit.path):
        raise ValidationError({"unit": _("This quiz is outside your scope.")})
    if quiz.attempts.exists():
        raise ValidationError({"quotas": _("The paper cannot change once somebody has started the quiz.")})
    errors = {}
    for category_id, count in quotas.items():
        if count and count > published_count(category_id):
            errors[f"quota_{category_id}"] = _("Not enough published questions in this category.")
    if errors:
        raise ValidationError(errors)
    quiz.quotas.all().delete()
    QuizQuota.objects.bulk_create(QuizQuota(quiz=quiz, category_id=c, count=n) for c, n in quotas.items() if n)
    _forget_pools()
    return quiz


@transaction.atomic
def generate_codes(*, actor: Any, quiz: Quiz, count: int) -> list[str]:
    """``count`` new one-time codes for the quiz."""
    _require_office(actor)
    if not path_in_scope(actor, quiz.unit.path):
        raise ValidationError({"unit": _("This quiz is outside your scope.")})
    if not 1 <= count <= 50000:
        raise ValidationError({"count": _("Between 1 and 50,000 codes at a time.")})
    existing = set(quiz.codes.values_list("code", flat=True))
    made: list[str] = []
    while len(made) < count:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
        if code not in existing:
            existing.add(code)
            made.append(code)
    QuizCode.objects.bulk_create([QuizCode(quiz=quiz, code=c) for c in made], batch_size=2000)
    return made


# --- takers --------------------------------------------------------------------------------


def may_take(quiz: Quiz, unit: Unit | None) -> bool:
    """People of the quiz's unit and of every unit below it may take it."""
    return unit is not None and unit.path.startswith(quiz.unit.path)


def taker_for_account(account: Any) -> QuizTaker:
    taker = QuizTaker.objects.filter(account=account).select_related("unit").first()
    if taker is None:
        taker, _created = QuizTaker.objects.get_or_create(
            account=account,
            defaults={"name": str(account)[:60], "unit": account.unit, "region_code": account.unit.region_code},
        )
    elif taker.unit_id != account.unit_id:
        taker.unit = account.unit
        taker.region_code = account.unit.region_code
        taker.save(update_fields=["unit", "region_code"])
    return taker


def normalise_code(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").upper()


def check_light_sign_in(*, quiz: Quiz, name: str, unit: Unit | None, code: str) -> tuple[str, QuizCode]:
    """What a light sign-in reads before it writes anything: the name tidied, the unit one of
    the quiz's subtree, the one-time code one of the quiz's. Raises ``ValidationError``
    keyed by field; returns the name and the code's row as read."""
    name = " ".join((name or "").split())
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Your name is required.")
    if unit is None or not may_take(quiz, unit):
        errors["unit"] = _("Choose your unit from the list.")
    found = QuizCode.objects.filter(quiz=quiz, code=normalise_code(code)).first()
    if found is None:
        errors["code"] = _("This code is not valid for this quiz.")
    if errors or found is None:
        raise ValidationError(errors)
    return name, found


def _code_holder(found: QuizCode, name: str, unit: Unit) -> QuizTaker:
    """The taker a used code belongs to, when it is the person signing in again."""
    taker = found.taker
    if taker is None or taker.name != name or taker.unit_id != unit.pk:
        raise ValidationError({"code": _("This code has already been used by somebody else.")})
    return taker


class _CodeTaken(Exception):
    """The code was bound by another sign-in between reading it and binding it."""


def _bind_code(*, found: QuizCode, taker: QuizTaker) -> None:
    """The code bound to the new taker, in the caller's transaction, while it is still free
    (``_CodeTaken`` otherwise, for the caller to roll back): the code was read before the
    transaction. The taker's creation is the audit entry of the sign-in; the code keeps who
    used it and when in its own row."""
    if not QuizCode.objects.filter(pk=found.pk, taker__isnull=True).update(taker=taker, used_at=timezone.now()):
        raise _CodeTaken


def sign_in_and_start(
    *,
    quiz: Quiz,
    name: str,
    unit: Unit | None,
    code: str,
    now: datetime.datetime | None = None,
    rng: random.Random | None = None,
) -> tuple[QuizTaker, Attempt | None, Refused | None]:
    """A light sign-in, with a name, a unit of the quiz's subtree and a one-time code of the
    quiz, and the start of the attempt (``start_attempt``). The first use of a code binds it
    to a new taker; the same name, unit and code later resume as that taker; any other use of
    the code is refused.

    What only reads (the checks, the code, the paper's draw) is done before the one
    transaction that writes the taker, the code's binding, the attempt and its answers: a
    database that lets one writer at a time hold it (SQLite) is held for the writes alone.
    Returns the taker and either the attempt or why it was not started; the sign-in stands
    even when the start is refused. Raises ``ValidationError`` for a refused sign-in."""
    now = _now(now)
    for _try in range(2):
        name, found = check_light_sign_in(quiz=quiz, name=name, unit=unit, code=code)
        assert unit is not None  # refused by the check
        if found.taker_id is not None:
            taker = _code_holder(found, name, unit)
            return taker, *start_or_refusal(quiz=quiz, taker=taker, now=now, rng=rng)
        refused = None
        paper: list[list] = []
        try:
            _require_open(quiz, now)
            paper = _draw_or_refuse(quiz, rng)
        except Refused as exc:
            refused = exc
        try:
            with transaction.atomic():
                taker = QuizTaker(name=name, unit=unit, region_code=unit.region_code)
                attempt = None
                if refused is not None:
                    taker.save(force_insert=True)
                else:
                    # A taker made in this transaction has no attempts, and nobody else can
                    # start one for them before it commits.
                    attempt = _new_attempt(quiz=quiz, taker=taker, paper=paper, now=now, new_taker=True)
                _bind_code(found=found, taker=taker)
                return taker, attempt, refused
        except _CodeTaken:
            continue
    raise ValidationError({"code": _("This code has already been used by somebody else.")})


# --- papers --------------------------------------------------------------------------------

POOL_SECONDS = 60


def _pool_version() -> int:
    return cast(int, cache.get_or_set("quiz:pool-version", 1, None))


def _forget_pools() -> None:
    try:
        cache.incr("quiz:pool-version")
    except ValueError:
        cache.set("quiz:pool-version", 2, None)


def quiz_pool(quiz: Quiz) -> list[tuple[int, list[tuple[int, int]]]]:
    """For each quota: its count and the published questions (id, number of options) it
    draws from. Cached briefly: 20,000 takers do not each read the bank."""
    key = f"quiz:pool:{quiz.pk}:{quiz.created_at.timestamp() if quiz.created_at else 0}:{_pool_version()}"
    pool = cache.get(key)
    if pool is None:
        pool = []
        for quota in quiz.quotas.all():
            ids = category_subtree_ids(quota.category_id)
            rows = (
                Option.objects.filter(question__category_id__in=ids, question__status=QuestionStatus.PUBLISHED)
                .values_list("question_id")
                .order_by("question_id")
            )
            counts: dict[int, int] = {}
            for (qid,) in rows:
                counts[qid] = counts.get(qid, 0) + 1
            pool.append((quota.count, sorted(counts.items())))
        cache.set(key, pool, POOL_SECONDS)
    return pool


def draw_paper(quiz: Quiz, rng: random.Random, pool: list | None = None) -> list[list]:
    """A paper of its own for one taker: per quota, that many distinct questions drawn at
    random, each with its options in a random order; then the whole paper shuffled.
    ``[[question id, "2031"], ...]`` where the string gives the bank positions of the
    options in the order shown."""
    paper: list[list] = []
    taken: set[int] = set()
    for count, questions in pool if pool is not None else quiz_pool(quiz):
        free = [q for q in questions if q[0] not in taken] if taken else questions
        for qid, n in rng.sample(free, min(count, len(free))):
            taken.add(qid)
            order = list(range(n))
            rng.shuffle(order)
            paper.append([qid, "".join(str(i) for i in order)])
    rng.shuffle(paper)
    return paper


# --- attempts ------------------------------------------------------------------------------


class Refused(Exception):
    """An answer or a start refused; ``reason`` is one of ``closed``, ``late``, ``gone``,
    ``invalid``, ``used_up``, ``not_open``."""

    def __init__(self, reason: str, message: str = ""):
        super().__init__(message or reason)
        self.reason = reason
        self.message = message or reason


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


def _require_open(quiz: Quiz, now: datetime.datetime) -> None:
    if not (quiz.opens_at <= now < quiz.closes_at):
        raise Refused("not_open", _("This quiz is not open now."))


def _draw_or_refuse(quiz: Quiz, rng: random.Random | None) -> list[list]:
    """A new paper (``draw_paper``); ``Refused`` when the quiz has nothing to draw from."""
    # Seeded from the system's randomness for each paper; drawing from the system's source
    # itself would cost a system call for each of the paper's hundred or so choices.
    paper = draw_paper(quiz, rng or random.Random(secrets.randbits(128)))
    if not paper:
        raise Refused("not_open", _("This quiz has no questions yet."))
    return paper


def start_attempt(
    *, quiz: Quiz, taker: QuizTaker, now: datetime.datetime | None = None, rng: random.Random | None = None
) -> Attempt:
    """The taker's open attempt at the quiz (resumed), or a new one with a paper of its own.
    One open attempt per person and quiz; no more attempts than allowed."""
    now = _now(now)
    made = list(Attempt.objects.filter(quiz=quiz, taker=taker).values_list("pk", "submitted_at"))
    open_pk = next((pk for pk, submitted in made if submitted is None), None)
    if open_pk is not None:
        open_attempt = Attempt.objects.get(pk=open_pk)
        if open_attempt.deadline > now:
            return open_attempt
        submit_attempt(attempt=open_attempt, now=now)
    _require_open(quiz, now)
    if not may_take(quiz, taker.unit):
        raise Refused("gone", _("This quiz is not for your unit."))
    if len(made) >= quiz.attempts_allowed:
        raise Refused("used_up", _("You have used all the attempts this quiz allows."))
    paper = _draw_or_refuse(quiz, rng)
    try:
        with transaction.atomic():
            return _new_attempt(quiz=quiz, taker=taker, paper=paper, now=now)
    except IntegrityError:
        # Two starts at once (a double tap): the other one won; resume it.
        return Attempt.objects.get(quiz=quiz, taker=taker, submitted_at__isnull=True)


def start_or_refusal(
    *, quiz: Quiz, taker: QuizTaker, now: datetime.datetime | None = None, rng: random.Random | None = None
) -> tuple[Attempt | None, Refused | None]:
    """``start_attempt`` in one transaction, returning the attempt or why it was refused. A
    refused start keeps what was written before it (an expired attempt closed), as a
    resumed one would."""
    with transaction.atomic():
        try:
            return start_attempt(quiz=quiz, taker=taker, now=now, rng=rng), None
        except Refused as exc:
            return None, exc


# An empty answer for each question of a new paper, in one statement: building twenty rows
# through the ORM would cost more than writing them.
_EMPTY_ANSWERS_SQL = (
    f"INSERT INTO {Answer._meta.db_table} (attempt_id, position, chosen) "
    "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < %s) SELECT %s, i, '' FROM n"
)


def _new_attempt(
    *, quiz: Quiz, taker: QuizTaker, paper: list[list], now: datetime.datetime, new_taker: bool = False
) -> Attempt:
    """The attempt with its paper, and an empty answer per question for the answers'
    UPDATEs to fill, in the caller's transaction. With ``new_taker``, the taker (not saved
    yet) is created too."""
    attempt = Attempt(
        quiz=quiz,
        taker=taker,
        unit_id=taker.unit_id,
        region_code=taker.unit.region_code,
        started_at=now,
        deadline=min(now + datetime.timedelta(seconds=quiz.time_limit_seconds), quiz.closes_at),
        paper=paper,
    )
    if new_taker:
        taker.save(force_insert=True)
    attempt.save(force_insert=True)
    with connection.cursor() as cursor:
        cursor.execute(_EMPTY_ANSWERS_SQL, [len(paper), attempt.pk])
    return attempt


def normalise_chosen(chosen: Any) -> str:
    if isinstance(chosen, list | tuple):
        chosen = "".join(chosen)
    letters = "".join(sorted(set((chosen or "").upper().replace(",", "").replace(" ", ""))))
    if not _CHOSEN.match(letters):
        raise Refused("invalid", _("Choose among the options shown."))
    return letters


# The hot path's statement, written out: the ORM would build ``id IN (SELECT … JOIN …)`` for
# an UPDATE filtered across the relation, and building it costs more than running it.
_SAVE_ANSWER_SQL = (
    f"UPDATE {Answer._meta.db_table} SET chosen = %s, answered_at = %s "
    f"WHERE attempt_id = %s AND position = %s AND EXISTS ("
    f"SELECT 1 FROM {Attempt._meta.db_table} a WHERE a.id = %s AND a.taker_id = %s "
    f"AND a.submitted_at IS NULL AND a.deadline > %s)"
)


def save_answer(
    *, attempt_id: int, taker_id: int, position: int, chosen: Any, now: datetime.datetime | None = None
) -> None:
    """Record the letters chosen for one question of an open attempt: one UPDATE, which
    itself checks that the attempt is the taker's, still open and within its deadline.
    Refused (``Refused``) otherwise; an attempt found past its deadline closes itself."""
    now = _now(now)
    letters = normalise_chosen(chosen)
    stamp = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(_SAVE_ANSWER_SQL, [letters, stamp, attempt_id, position, attempt_id, taker_id, stamp])
        if cursor.rowcount:
            return
    attempt = Attempt.objects.filter(pk=attempt_id, taker_id=taker_id).first()
    if attempt is None or not 0 <= position < len(attempt.paper):
        raise Refused("gone", _("There is no such question in your paper."))
    if attempt.submitted_at is not None:
        raise Refused("closed", _("This attempt has been submitted; answers can no longer change."))
    submit_attempt(attempt=attempt, now=now)
    raise Refused("late", _("Time is up: the answer came after the deadline and was not saved."))


def answer_key(question_ids: list[int]) -> dict[int, tuple[str, frozenset[int]]]:
    """For each question: its type and the bank positions of its right options."""
    key: dict[int, tuple[str, set[int]]] = {}
    rows = (
        Option.objects.filter(question_id__in=question_ids)
        .order_by("question_id", "order", "pk")
        .values_list("question_id", "question__type", "is_correct")
    )
    position: dict[int, int] = {}
    for qid, qtype, right in rows:
        i = position.get(qid, 0)
        position[qid] = i + 1
        entry = key.setdefault(qid, (qtype, set()))
        if right:
            entry[1].add(i)
    return {qid: (t, frozenset(s)) for qid, (t, s) in key.items()}


def mark(paper: list[list], answers: list[str], key: dict[int, tuple[str, frozenset[int]]]) -> str:
    """ "1" for each right answer, "0" for each wrong or missing one. Letters index the
    options as shown; the paper's order string maps them back to bank positions."""
    out = []
    for (qid, order), chosen in zip(paper, answers, strict=False):
        _type, right = key.get(qid, ("", frozenset()))
        try:
            picked = frozenset(int(order[LETTERS.index(c)]) for c in chosen)
        except (ValueError, IndexError):
            picked = frozenset()
        out.append("1" if picked and picked == right else "0")
    return "".join(out).ljust(len(paper), "0")


def score_of(correct: int, total: int) -> Decimal:
    if not total:
        return Decimal("0.0")
    return (Decimal(correct) * 100 / Decimal(total)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


_SCORED = ("answers", "marks", "correct", "score", "passed", "submitted_at", "flagged_fast", "review")


def submit_attempt(*, attempt: Attempt, now: datetime.datetime | None = None) -> Attempt:
    """Score and close an attempt; harmless when repeated (the second call returns the
    attempt as the first left it). Answers given after the deadline were never saved, so
    a late submission scores what was saved in time."""
    return _submit(Attempt.objects.select_related("quiz").get(pk=attempt.pk), _now(now))


def submit_own_attempt(*, attempt_id: int, taker_id: int, now: datetime.datetime | None = None) -> Attempt:
    """``submit_attempt`` for the taker submitting (``Refused("gone")`` when the attempt is
    not theirs)."""
    seen = Attempt.objects.select_related("quiz").filter(pk=attempt_id, taker_id=taker_id).first()
    if seen is None:
        raise Refused("gone", _("There is no such attempt."))
    return _submit(seen, _now(now))


def _submit(seen: Attempt, now: datetime.datetime) -> Attempt:
    """Score and close the attempt as ``seen``. Its paper's answer key is read before the
    transaction, which reads the answers and writes the score only while the attempt is
    still open, a condition its UPDATE checks: a database that lets one writer at a time
    hold it (SQLite) is held for the scoring alone, and the attempt is not read again under
    lock. (The data-quality checks that look at the save keep their settings in memory.)"""
    if seen.submitted_at is not None:
        return seen
    key = answer_key([qid for qid, _order in seen.paper])
    with transaction.atomic():
        scored = scored_copy(seen, now, key)
        if save_changed(scored, before=seen, update_fields=_SCORED, where=Q(submitted_at__isnull=True)):
            return scored
    # Submitted meanwhile (another tab, time running out): as that submission left it.
    return Attempt.objects.select_related("quiz").get(pk=seen.pk)


def scored_copy(attempt: Attempt, now: datetime.datetime, key: dict[int, tuple[str, frozenset[int]]]) -> Attempt:
    """A copy of the open ``attempt``, scored and closed, not saved: its answers as saved,
    read in the caller's transaction, marked with the paper's answer ``key``. A submission
    saves it; a read of an attempt past its deadline shows it (``selectors.as_read``)."""
    scored = copy.copy(attempt)
    rows = list(Answer.objects.filter(attempt_id=attempt.pk).order_by("position").values_list("chosen", "answered_at"))
    answers = [chosen for chosen, _at in rows]
    marks = mark(attempt.paper, answers, key)
    quiz = attempt.quiz
    last = max((at for _c, at in rows if at is not None), default=None)
    answered = sum(1 for c in answers if c)
    fast = False
    if answered and last is not None:
        seconds = (last - attempt.started_at).total_seconds()
        fast = seconds < float(quiz.min_seconds_per_question) * len(attempt.paper)
    scored.answers = answers
    scored.marks = marks
    scored.correct = marks.count("1")
    scored.score = score_of(scored.correct, len(attempt.paper))
    scored.passed = scored.score >= quiz.pass_mark
    scored.submitted_at = min(now, attempt.deadline)
    scored.flagged_fast = fast
    scored.review = Review.PENDING if fast else Review.NONE
    return scored


def close_expired(*, quiz: Quiz | None = None, now: datetime.datetime | None = None) -> int:
    """Submit every open attempt whose deadline has passed (the taker walked away). The
    scheduled task ``quiz.tasks.close_expired_attempts`` runs it every minute; until then the
    reads show such an attempt as closed already (``selectors.as_read``)."""
    now = _now(now)
    qs = Attempt.objects.filter(submitted_at__isnull=True, deadline__lte=now)
    if quiz is not None:
        qs = qs.filter(quiz=quiz)
    done = 0
    for attempt in qs.only("pk"):
        submit_attempt(attempt=attempt, now=now)
        done += 1
    return done


@transaction.atomic
def review_attempt(*, actor: Any, attempt: Attempt, accept: bool) -> Attempt:
    """The office accepts a flagged attempt (it counts) or rejects it (it does not)."""
    _require_office(actor)
    if not path_in_scope(actor, attempt.unit.path):
        raise ValidationError({"attempt": _("This attempt is outside your scope.")})
    if not attempt.flagged_fast:
        raise ValidationError({"attempt": _("Only flagged attempts are reviewed.")})
    attempt.review = Review.ACCEPTED if accept else Review.REJECTED
    attempt.save(update_fields=["review"])
    return attempt


def record_batch(*, actor: Any, model: type, count: int, what: str) -> None:
    """One audit entry for a bulk insert (the demo, an import)."""
    from django.contrib.contenttypes.models import ContentType

    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_pk="batch",
        object_repr=f"{what}: {count}",
        action=LogEntry.Action.CREATE,
        actor=actor if getattr(actor, "pk", None) else None,
        changes={"batch": [what, str(count)]},
    )
