"""The Lhasa demo's online quiz: the bilingual question bank, the closed quiz on the 6th
Plenum and Party history that 20,000 cadres, members, farmers and herders took (seed section
2), and an open quiz that the demo's participant account can take today.

Takers are spread over the city's units in proportion to their party members; every
attempt has its own paper, answers and marks, so results and the hardest questions are
computed from rows. A few attempts were answered faster than a person can read: they are
flagged and wait for the office's review, so they do not count in the 20,000.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from campaigns import tallies
from core.seeding import DemoContext
from orgs.choices import UnitKind
from orgs.demo_names import HAN_GIVEN, HAN_SURNAMES, TIBETAN_GIVEN
from orgs.models import Unit
from quiz import bank, services
from quiz.choices import QuestionType, Review
from quiz.models import Attempt, Category, Quiz, QuizCode, QuizQuota, QuizTaker

TAKERS = 20_000
FLAGGED = 36
TAKER_KINDS = (
    UnitKind.VILLAGE,
    UnitKind.DEPARTMENT,
    UnitKind.SCHOOL,
    UnitKind.ENTERPRISE,
    UnitKind.MONASTERY,
    UnitKind.BARRACKS,
)
CLOSED_QUOTAS = {"newdem": 5, "socialist": 3, "reform": 3, "newera": 3, "tibet": 3, "plenum": 3}
OPEN_QUOTAS = {"newdem": 2, "socialist": 2, "reform": 2, "newera": 1, "tibet": 2, "plenum": 1}
OPEN_CODES = 200


def _aware(*args: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args))


def _allocate(units: list[Unit], total: int) -> list[tuple[Unit, int]]:
    """``total`` takers over the units in proportion to party members (largest remainder)."""
    weight = sum(u.party_members for u in units)
    shares = [(u, total * u.party_members / weight) for u in units]
    counts = [(u, int(s)) for u, s in shares]
    left = total - sum(c for _u, c in counts)
    order = sorted(range(len(shares)), key=lambda i: -(shares[i][1] - int(shares[i][1])))
    out = dict(enumerate(counts))
    for i in order[:left]:
        out[i] = (out[i][0], out[i][1] + 1)
    return [out[i] for i in range(len(counts))]


def _name(rng: random.Random) -> str:
    if rng.random() < 0.8:
        (a, _a_bo), (b, _b_bo) = rng.sample(TIBETAN_GIVEN, 2)
        return a + b
    return rng.choice(HAN_SURNAMES) + rng.choice(HAN_GIVEN)


def _quotas(quiz: Quiz, quotas: dict[str, int]) -> None:
    categories = {c.key: c for c in Category.objects.filter(key__in=quotas)}
    QuizQuota.objects.bulk_create(QuizQuota(quiz=quiz, category=categories[k], count=n) for k, n in quotas.items())


def _answers(rng: random.Random, paper: list[list], key: dict, ability: float, difficulty: dict[int, int]) -> list[str]:
    letters = services.LETTERS
    out = []
    for qid, order in paper:
        qtype, right = key[qid]
        shown_right = [letters[i] for i, pos in enumerate(order) if int(pos) in right]
        p = ability + {1: 0.12, 2: 0.0, 3: -0.25}[difficulty[qid]]
        if rng.random() < p:
            out.append("".join(shown_right))
            continue
        wrong = [letters[i] for i in range(len(order)) if letters[i] not in shown_right]
        if qtype == QuestionType.MULTIPLE:
            picked = set(shown_right)
            if len(picked) > 1 and rng.random() < 0.5:
                picked.discard(rng.choice(shown_right))
            else:
                picked.add(rng.choice(wrong))
            out.append("".join(sorted(picked)))
        else:
            out.append(rng.choice(wrong))
    return out


def build(ctx: DemoContext) -> None:
    rng = ctx.rng
    city: Unit = ctx.made["city"]
    campaign = ctx.made["campaign"]
    counts = bank.load()
    ctx.log(f"  question bank: {sum(counts.values())} questions")

    closed = Quiz.objects.create(
        campaign=campaign,
        unit=city,
        region_code=city.region_code,
        title_zh="学习党的十九届六中全会精神和党史知识网上答题",
        title_bo="ཏང་གི་ཚོགས་ཆེན་ཐེངས་བཅུ་དགུ་པའི་ཀྲུང་དབྱང་ཨུ་ཡོན་ལྷན་ཁང་གི་ཞིབ་ཚོགས་ཐེངས་དྲུག་པའི་དགོངས་དོན་དང་ཏང་གི་ལོ་རྒྱུས་ཤེས་བྱའི་དྲ་ཐོག་དྲི་ལན།",
        opens_at=_aware(2021, 11, 20, 9, 0),
        closes_at=_aware(2021, 12, 20, 22, 0),
        time_limit_seconds=20 * 60,
        attempts_allowed=1,
        pass_mark=60,
    )
    _quotas(closed, CLOSED_QUOTAS)
    ctx.made["quiz_closed"] = closed

    units = list(
        Unit.objects.filter(path__startswith=city.path, kind__in=TAKER_KINDS, party_members__gt=0).order_by("path")
    )
    plan = [(u, n) for u, n in _allocate(units, TAKERS + FLAGGED) if n]
    takers = [QuizTaker(name=_name(rng), unit=u, region_code=u.region_code) for u, n in plan for _ in range(n)]
    takers = QuizTaker.objects.bulk_create(takers, batch_size=5000)
    flagged_at = set(rng.sample(range(len(takers)), FLAGGED))

    pool = services.quiz_pool(closed)
    pool_ids = [qid for _count, questions in pool for qid, _n in questions]
    key = services.answer_key(pool_ids)
    from quiz.models import Question

    difficulty = dict(Question.objects.filter(pk__in=pool_ids).values_list("pk", "difficulty"))
    window = int((closed.closes_at - closed.opens_at).total_seconds()) - 3600
    attempts = []
    for i, taker in enumerate(takers):
        paper = services.draw_paper(closed, rng, pool)
        fast = i in flagged_at
        ability = min(0.98, max(0.25, rng.gauss(0.8, 0.13)))
        answers = _answers(rng, paper, key, ability, difficulty)
        marks = services.mark(paper, answers, key)
        correct = marks.count("1")
        score = services.score_of(correct, len(paper))
        started = closed.opens_at + datetime.timedelta(seconds=rng.randrange(window))
        seconds = rng.randint(10, 35) if fast else rng.randint(240, 1150)
        attempts.append(
            Attempt(
                quiz=closed,
                taker=taker,
                unit_id=taker.unit_id,
                region_code=taker.unit.region_code,
                started_at=started,
                deadline=started + datetime.timedelta(seconds=closed.time_limit_seconds),
                submitted_at=started + datetime.timedelta(seconds=seconds),
                paper=paper,
                answers=answers,
                marks=marks,
                correct=correct,
                score=score,
                passed=score >= closed.pass_mark,
                flagged_fast=fast,
                review=Review.PENDING if fast else Review.NONE,
            )
        )
    Attempt.objects.bulk_create(attempts, batch_size=2000)
    services.record_batch(actor=None, model=Attempt, count=len(attempts), what="demo attempts")
    ctx.log(f"  closed quiz: {len(attempts)} attempts ({FLAGGED} flagged as too fast) over {len(plan)} units")

    now = timezone.now().replace(second=0, microsecond=0)
    open_quiz = Quiz.objects.create(
        campaign=campaign,
        unit=city,
        region_code=city.region_code,
        title_zh="党史知识常态化网上答题",
        title_bo="ཏང་གི་ལོ་རྒྱུས་ཤེས་བྱའི་དུས་རྒྱུན་གྱི་དྲ་ཐོག་དྲི་ལན།",
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=365),
        time_limit_seconds=15 * 60,
        attempts_allowed=3,
        pass_mark=60,
    )
    _quotas(open_quiz, OPEN_QUOTAS)
    codes = ["".join(rng.choice(services.CODE_ALPHABET) for _ in range(8)) for _ in range(OPEN_CODES)]
    codes = sorted(set(codes))
    QuizCode.objects.bulk_create(QuizCode(quiz=open_quiz, code=c) for c in codes)
    ctx.made["quiz_open"] = open_quiz
    ctx.log(
        f"  open quiz: /quiz/take/{open_quiz.pk}/ — one-time codes for a light sign-in, e.g. {', '.join(codes[:3])}"
    )
    # Written in bulk, without the signals that keep the tallies.
    tallies.recount(Attempt)
