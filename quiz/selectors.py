"""Reads of the quiz: quizzes a person may take or an office may read, papers as shown to
the taker (never with the answer key before submission), reviews and results per subtree."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain
from typing import Any

from django.db.models import Avg, Count, F, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from orgs.models import Unit
from orgs.scope import paths_q, scope_paths
from quiz.choices import COUNTED_REVIEWS, QuestionType
from quiz.models import Attempt, Option, Question, Quiz
from quiz.services import LETTERS, answer_key, scored_copy


def quizzes_for_staff(user: Any) -> QuerySet[Quiz]:
    """Quizzes an office, leader, reporter or supervisor may read the results of: those set
    for a unit in its scope and those set for a unit above it (it reads its own part)."""
    qs = Quiz.objects.select_related("unit", "campaign")
    paths = scope_paths(user)
    if paths is None:
        return qs
    if not paths:
        return qs.none()
    above = {p[:i] for p in paths for i in range(Unit.steplen, len(p) + 1, Unit.steplen)}
    return qs.filter(paths_q("unit__path", paths) | Q(unit__path__in=above))


def quizzes_to_take(unit: Unit | None) -> QuerySet[Quiz]:
    if unit is None:
        return Quiz.objects.none()
    return Quiz.objects.filter(unit__path__in=unit.ancestor_paths()).select_related("unit")


def result_roots(user: Any, quiz: Quiz) -> list[Unit]:
    """Where a reader's view of a quiz's results starts: the quiz's unit when it is in the
    reader's scope, else the reader's own scope roots under the quiz's unit."""
    paths = scope_paths(user)
    if paths is None or any(quiz.unit.path.startswith(p) for p in paths):
        return [quiz.unit]
    return list(Unit.objects.filter(path__in=[p for p in paths if p.startswith(quiz.unit.path)]).order_by("path"))


@dataclass
class ShownQuestion:
    position: int
    number: int
    question: Question
    options: list[tuple[str, str]]  # (letter, text) in the order shown
    chosen: str = ""
    right: str = ""  # only in a review
    mark: str = ""
    explanation: str = ""

    @property
    def multiple(self) -> bool:
        return self.question.type == QuestionType.MULTIPLE


def shown_paper(
    attempt: Attempt, chosen: list[str], *, review: bool = False, positions: list[int] | None = None
) -> list[ShownQuestion]:
    """The attempt's questions as the taker sees them (only ``positions`` when given: the
    one-question page reads one question, not the paper). The answer key is read only for a
    review, which exists only once the attempt is submitted."""
    if review and attempt.submitted_at is None:
        raise ValueError("No review before submission.")
    wanted = range(len(attempt.paper)) if positions is None else positions
    ids = [attempt.paper[i][0] for i in wanted]
    # The questions come with their options, in one query.
    fields = ["id", "question_id", "text_zh", "text_bo", "order", "question__type"]
    fields += ["question__text_zh", "question__text_bo"]
    if review:
        fields += ["is_correct", "question__explanation_zh", "question__explanation_bo"]
    questions: dict[int, Question] = {}
    options: dict[int, list] = {}
    rows = Option.objects.filter(question_id__in=ids).select_related("question").only(*fields)
    for option in rows.order_by("question_id", "order", "pk"):
        questions.setdefault(option.question_id, option.question)
        options.setdefault(option.question_id, []).append(option)
    out = []
    for position in wanted:
        qid, order = attempt.paper[position]
        question = questions.get(qid)
        if question is None:
            continue
        bank = options.get(qid, [])
        shown = [bank[int(i)] for i in order if int(i) < len(bank)]
        item = ShownQuestion(
            position=position,
            number=position + 1,
            question=question,
            options=[(LETTERS[i], o.text) for i, o in enumerate(shown)],
            chosen=chosen[position] if position < len(chosen) else "",
        )
        if review:
            item.right = "".join(LETTERS[i] for i, o in enumerate(shown) if o.is_correct)
            item.mark = attempt.marks[position] if position < len(attempt.marks) else "0"
            item.explanation = question.explanation
        out.append(item)
    return out


def live_answers(attempt: Attempt) -> list[str]:
    if attempt.submitted_at is not None:
        return list(attempt.answers)
    rows = dict(attempt.live_answers.values_list("position", "chosen"))
    return [rows.get(i, "") for i in range(len(attempt.paper))]


def is_expired(attempt: Attempt, now: datetime.datetime | None = None) -> bool:
    """Open in the database but past its deadline: it reads as closed."""
    return attempt.submitted_at is None and attempt.deadline <= (now or timezone.now())


def as_read(attempt: Attempt, now: datetime.datetime | None = None) -> Attempt:
    """The attempt as every page and the API show it: one past its deadline reads as closed,
    scored with the answers saved in time, exactly as the scheduled task
    (``quiz.tasks.close_expired_attempts``) will write it; nothing is written here. Needs the
    attempt's quiz."""
    now = now or timezone.now()
    if not is_expired(attempt, now):
        return attempt
    return scored_copy(attempt, now, answer_key([qid for qid, _order in attempt.paper]))


def counted(quiz: Quiz) -> QuerySet[Attempt]:
    """The quiz's submitted attempts that count (see ``expired_counted`` for the others)."""
    return Attempt.objects.filter(quiz=quiz, submitted_at__isnull=False, review__in=COUNTED_REVIEWS)


def expired_counted(quiz: Quiz, root: Unit, now: datetime.datetime | None = None) -> list[Attempt]:
    """The attempts of the root's subtree past their deadline but not closed yet, as they
    read (``as_read``), that count. Few: the scheduled task closes them every minute."""
    now = now or timezone.now()
    rows = Attempt.objects.filter(
        quiz=quiz, unit__path__startswith=root.path, submitted_at__isnull=True, deadline__lte=now
    ).select_related("quiz", "unit")
    return [a for a in (as_read(row, now) for row in rows) if a.review in COUNTED_REVIEWS]


@dataclass
class ResultRow:
    unit: Unit
    takers: int = 0
    attempts: int = 0
    passed: int = 0
    average: Decimal | None = None
    children: int = 0
    score_total: Decimal = Decimal(0)
    own: bool = False  # the unit's own takers ("本级"), in none of its children

    @property
    def members(self) -> int | None:
        # A unit's party members are those of the branches below it: its own row has none.
        return None if self.own else self.unit.party_members

    def holds(self, path: str) -> bool:
        """Whether an attempt of the unit at ``path`` counts in this row."""
        return path == self.unit.path if self.own else path.startswith(self.unit.path)

    @property
    def participation(self) -> Decimal | None:
        if not self.members:
            return None
        return (Decimal(self.takers) * 100 / Decimal(self.members)).quantize(Decimal("0.1"))

    @property
    def pass_rate(self) -> Decimal | None:
        if not self.attempts:
            return None
        return (Decimal(self.passed) * 100 / Decimal(self.attempts)).quantize(Decimal("0.1"))


@dataclass
class Results:
    root: ResultRow
    rows: list[ResultRow] = field(default_factory=list)


def _aggregate(qs: QuerySet) -> dict:
    return {
        "takers": Count("taker", distinct=True),
        "attempts": Count("pk"),
        "passed": Count("pk", filter=Q(passed=True)),
        "average": Avg("score"),
        "total": Sum("score"),
    }


def _fill(row: ResultRow, agg: dict) -> ResultRow:
    row.takers, row.attempts, row.passed = agg["takers"], agg["attempts"], agg["passed"]
    row.average = Decimal(str(agg["average"])).quantize(Decimal("0.1")) if agg["average"] is not None else None
    row.score_total = Decimal(str(agg["total"] or 0))
    return row


def _fold_expired(rows: list[ResultRow], late: list[Attempt], submitted: QuerySet[Attempt]) -> None:
    """Count the attempts that read as closed (``expired_counted``) in each row of the
    subtree they lie in; a taker counted already in a row is not counted twice."""
    known = set(submitted.filter(taker_id__in={a.taker_id for a in late}).values_list("taker_id", "unit__path"))
    for row in rows:
        mine = [a for a in late if row.holds(a.unit.path)]
        if not mine:
            continue
        counted_takers = {taker for taker, path in known if row.holds(path)}
        row.takers += len({a.taker_id for a in mine} - counted_takers)
        row.attempts += len(mine)
        row.passed += sum(1 for a in mine if a.passed)
        row.score_total += sum((a.score or Decimal(0) for a in mine), Decimal(0))
        row.average = (row.score_total / row.attempts).quantize(Decimal("0.1"))


def results(quiz: Quiz, root: Unit) -> Results:
    """Takers, participation against party members, average score and pass rate for the
    root unit's subtree, for its own takers ("本级") and for each unit directly below it
    (two grouped queries)."""
    qs = counted(quiz).filter(unit__path__startswith=root.path)
    top = _fill(ResultRow(unit=root, children=root.numchild), qs.aggregate(**_aggregate(qs)))
    width = (root.depth + 1) * Unit.steplen
    grouped = {
        row["prefix"]: row
        for row in qs.annotate(prefix=Substr("unit__path", 1, width)).values("prefix").annotate(**_aggregate(qs))
    }
    rows = []
    for child in Unit.objects.filter(path__startswith=root.path, depth=root.depth + 1).order_by("code"):
        agg = grouped.get(child.path)
        row = ResultRow(unit=child, children=child.numchild)
        rows.append(_fill(row, agg) if agg else row)
    if rows:  # the root's own takers first, so that the rows add up to the root's
        own = ResultRow(unit=root, own=True)
        rows.insert(0, _fill(own, grouped[root.path]) if root.path in grouped else own)
    late = expired_counted(quiz, root)
    if late:
        _fold_expired([top, *rows], late, qs)
    return Results(root=top, rows=rows)


@dataclass
class Facility:
    question: Question
    asked: int
    right: int

    @property
    def index(self) -> Decimal:
        return (Decimal(self.right) * 100 / Decimal(self.asked)).quantize(Decimal("0.1")) if self.asked else Decimal(0)


def hardest(quiz: Quiz, root: Unit, limit: int = 10) -> list[Facility]:
    """The questions with the lowest facility index (share of right answers) among the
    counted attempts of the subtree (those that read as closed too)."""
    asked: dict[int, int] = {}
    right: dict[int, int] = {}
    submitted = counted(quiz).filter(unit__path__startswith=root.path).values_list("paper", "marks")
    late = [(a.paper, a.marks) for a in expired_counted(quiz, root)]
    for paper, marks in chain(submitted.iterator(chunk_size=2000), late):
        for (qid, _order), m in zip(paper, marks, strict=False):
            asked[qid] = asked.get(qid, 0) + 1
            if m == "1":
                right[qid] = right.get(qid, 0) + 1
    ranked = sorted(asked, key=lambda q: (right.get(q, 0) / asked[q], q))[:limit]
    questions = Question.objects.in_bulk(ranked)
    return [Facility(questions[q], asked[q], right.get(q, 0)) for q in ranked if q in questions]


def attempts_in(user: Any, quiz: Quiz, root: Unit, *, flagged: bool = False) -> QuerySet[Attempt]:
    """The closed attempts of the subtree: submitted, or past their deadline (the latest
    first; show each through ``as_read``)."""
    closed = Q(submitted_at__isnull=False) | Q(deadline__lte=timezone.now())
    qs = (
        Attempt.objects.visible_to(user)
        .filter(closed, quiz=quiz, unit__path__startswith=root.path)
        .select_related("taker", "unit", "quiz")
        .order_by(F("submitted_at").desc(nulls_first=True), "pk")
    )
    if flagged:
        qs = qs.filter(flagged_fast=True)
    return qs


def seconds_left(attempt: Attempt) -> int:
    return max(0, int((attempt.deadline - timezone.now()).total_seconds()))
