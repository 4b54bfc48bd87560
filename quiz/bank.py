"""The demo's question bank, generated from the facts in ``quiz.bank_data``.

Each fact gives three questions, in Chinese and Tibetan, each with an explanation that
states the fact: the year (single choice); a statement about the year (true or false); and
the place (single choice) — or, where no single place can be named, which of four events
came before a given date (multiple choice). The generator is deterministic.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from quiz.bank_data import CATEGORIES, FACTS, PLACES, SOURCES, TAGS, Fact
from quiz.choices import Difficulty, QuestionType

TIBETAN_DIGITS = str.maketrans("0123456789", "༠༡༢༣༤༥༦༧༨༩")
# Places that must not stand as wrong options for one another (the same city or a part of it).
SAME_PLACE = [{"beijing", "beiping", "lugouqiao"}]


@dataclass
class QuestionData:
    key: str
    category: str
    type: str
    text_zh: str
    text_bo: str
    explanation_zh: str
    explanation_bo: str
    options: list[tuple[str, str, bool]]
    difficulty: int
    source: str
    tags: list[str] = field(default_factory=list)


def bo_digits(n: int | str) -> str:
    return str(n).translate(TIBETAN_DIGITS)


def _bo(phrase: str) -> str:
    """A Tibetan phrase ready for a following word: no final shad, a tsheg after a letter."""
    phrase = phrase.strip().rstrip("།").strip()
    if phrase and phrase[-1] not in "་)》":
        phrase += "་"
    elif phrase and phrase[-1] in ")》":
        phrase += " "
    return phrase


def _bo_place(key: str) -> str:
    return PLACES[key][1].rstrip("།").rstrip("་")


def date_zh(date: str) -> str:
    parts = [int(p) for p in date.split("-")]
    out = f"{parts[0]}年"
    if len(parts) > 1:
        out += f"{parts[1]}月"
    if len(parts) > 2:
        out += f"{parts[2]}日"
    return out


def date_bo(date: str) -> str:
    parts = [int(p) for p in date.split("-")]
    if len(parts) == 1:
        return f"ཕྱི་ལོ་{bo_digits(parts[0])}ལོ"
    out = f"ཕྱི་ལོ་{bo_digits(parts[0])}ལོའི་ཟླ་{bo_digits(parts[1])}"
    return out + (f"ཚེས་{bo_digits(parts[2])}ཉིན" if len(parts) > 2 else "པ")


def year_zh(year: int) -> str:
    return f"{year}年"


def year_bo(year: int) -> str:
    return f"ཕྱི་ལོ་{bo_digits(year)}"


def explanation(fact: Fact) -> tuple[str, str]:
    zh = f"{fact.zh}的时间是{date_zh(fact.date)}"
    bo = f"{_bo(fact.bo)}ནི་{date_bo(fact.date)}་ལ་ཡིན།"
    if fact.place:
        zh += f"，地点是{PLACES[fact.place][0]}"
        bo += f" ས་གནས་ནི་{_bo_place(fact.place)}་ཡིན།"
    return zh + "。", bo


def _year_distractors(rng: random.Random, year: int) -> list[int]:
    offsets = [o for o in range(-6, 7) if o]
    return [year + o for o in rng.sample(offsets, 3)]


def _place_distractors(rng: random.Random, fact: Fact) -> list[str]:
    excluded = {fact.place}
    for group in SAME_PLACE:
        if fact.place in group:
            excluded |= group
    used = sorted({f.place for f in FACTS if f.place and f.category == fact.category} - excluded)
    others = sorted(set(PLACES) - excluded - set(used))
    pool = used if len(used) >= 3 else used + others
    return rng.sample(pool, 3)


def _options(rng: random.Random, right: tuple[str, str], wrong: list[tuple[str, str]]) -> list[tuple[str, str, bool]]:
    options = [(right[0], right[1], True)] + [(zh, bo, False) for zh, bo in wrong]
    rng.shuffle(options)
    return options


def questions_for(fact: Fact) -> list[QuestionData]:
    rng = random.Random(f"xuejiao-bank-{fact.key}")
    exp_zh, exp_bo = explanation(fact)
    source = SOURCES[fact.source]
    tags = sorted({*fact.tags, "date"})
    out = []
    wrong_years = _year_distractors(rng, fact.year)
    out.append(
        QuestionData(
            key=f"{fact.key}-year",
            category=fact.category,
            type=QuestionType.SINGLE,
            text_zh=f"{fact.zh}是在哪一年？",
            text_bo=f"{_bo(fact.bo)}ནི་ཕྱི་ལོ་གང་ལ་ཡིན་ནམ།",
            explanation_zh=exp_zh,
            explanation_bo=exp_bo,
            options=_options(
                rng, (year_zh(fact.year), year_bo(fact.year)), [(year_zh(y), year_bo(y)) for y in wrong_years]
            ),
            difficulty=Difficulty.MEDIUM,
            source=source,
            tags=tags,
        )
    )
    true = rng.random() < 0.5
    stated = fact.year if true else wrong_years[0]
    out.append(
        QuestionData(
            key=f"{fact.key}-tf",
            category=fact.category,
            type=QuestionType.TRUE_FALSE,
            text_zh=f"{fact.zh}是在{stated}年。",
            text_bo=f"{_bo(fact.bo)}ནི་ཕྱི་ལོ་{bo_digits(stated)}ལོར་ཡིན།",
            explanation_zh=exp_zh,
            explanation_bo=exp_bo,
            options=[("正确", "ཡང་དག", true), ("错误", "ནོར་འཁྲུལ།", not true)],
            difficulty=Difficulty.EASY,
            source=source,
            tags=tags,
        )
    )
    if fact.place:
        wrong = [PLACES[p] for p in _place_distractors(rng, fact)]
        out.append(
            QuestionData(
                key=f"{fact.key}-place",
                category=fact.category,
                type=QuestionType.SINGLE,
                text_zh=f"{fact.zh}的地点是哪里？",
                text_bo=f"{_bo(fact.bo)}ནི་ས་གནས་གང་ན་ཡིན་ནམ།",
                explanation_zh=exp_zh,
                explanation_bo=exp_bo,
                options=_options(rng, PLACES[fact.place], wrong),
                difficulty=Difficulty.MEDIUM,
                source=source,
                tags=sorted({*fact.tags, "place"}),
            )
        )
    else:
        out.append(_before_question(rng, fact, source))
    return out


def _before_question(rng: random.Random, fact: Fact, source: str) -> QuestionData:
    """Which of four events (this one and three others of distinct years) came before
    1 January of a year that splits them."""
    candidates = [f for f in FACTS if f.key != fact.key and f.year != fact.year]
    while True:
        others = rng.sample(candidates, 3)
        years = sorted({fact.year, *(o.year for o in others)})
        if len(years) == 4:
            break
    split = rng.choice(years[1:])  # at least one event before, at least one on or after
    events = [fact, *others]
    rng.shuffle(events)
    lines_zh = "；".join(f"{e.zh}：{date_zh(e.date)}" for e in events)
    lines_bo = " ".join(f"{_bo(e.bo)}ནི་{date_bo(e.date)}་ལ་ཡིན།" for e in events)
    return QuestionData(
        key=f"{fact.key}-before",
        category=fact.category,
        type=QuestionType.MULTIPLE,
        text_zh=f"下列事件中，哪些发生在{split}年1月1日以前？（多选）",
        text_bo=f"གཤམ་གྱི་དོན་རྐྱེན་ཁག་ལས་ཕྱི་ལོ་{bo_digits(split)}ལོའི་ཟླ་༡ཚེས་༡ཉིན་གྱི་སྔོན་ལ་བྱུང་བ་གང་དག་ཡིན་ནམ། (མང་འདེམས།)",
        explanation_zh=lines_zh + "。",
        explanation_bo=lines_bo,
        options=[(e.zh, e.bo.rstrip("།"), e.year < split) for e in events],
        difficulty=Difficulty.HARD,
        source=source,
        tags=sorted({*fact.tags, "date"}),
    )


def all_questions() -> list[QuestionData]:
    return [q for fact in FACTS for q in questions_for(fact)]


def load(*, publish: bool = True) -> dict[str, int]:
    """Write the categories, tags and generated questions (bulk inserts); returns the
    number of questions per category key. Existing keys are left as they are."""
    from quiz.choices import QuestionStatus
    from quiz.models import Category, Option, Question, Tag

    categories: dict[str, Category] = {c.key: c for c in Category.objects.all()}
    for key, (zh, bo, parent, order) in CATEGORIES.items():
        if key not in categories:
            categories[key] = Category.objects.create(
                key=key, name_zh=zh, name_bo=bo, parent=categories.get(parent) if parent else None, order=order
            )
    tags = {t.key: t for t in Tag.objects.all()}
    missing = [Tag(key=k, name_zh=zh, name_bo=bo) for k, (zh, bo) in TAGS.items() if k not in tags]
    Tag.objects.bulk_create(missing)
    tags = {t.key: t for t in Tag.objects.all()}
    existing = set(Question.objects.values_list("key", flat=True))
    data = [q for q in all_questions() if q.key not in existing]
    status = QuestionStatus.PUBLISHED if publish else QuestionStatus.DRAFT
    made = Question.objects.bulk_create(
        [
            Question(
                key=q.key,
                category=categories[q.category],
                type=q.type,
                text_zh=q.text_zh,
                text_bo=q.text_bo,
                explanation_zh=q.explanation_zh,
                explanation_bo=q.explanation_bo,
                difficulty=q.difficulty,
                source=q.source,
                status=status,
            )
            for q in data
        ],
        batch_size=500,
    )
    if made and made[0].pk is None:  # backends that do not return ids
        by_key = dict(Question.objects.filter(key__in=[q.key for q in data]).values_list("key", "pk"))
        for obj in made:
            obj.pk = by_key[obj.key]
    Option.objects.bulk_create(
        [
            Option(question=obj, text_zh=zh, text_bo=bo, is_correct=right, order=i)
            for obj, q in zip(made, data, strict=True)
            for i, (zh, bo, right) in enumerate(q.options)
        ],
        batch_size=2000,
    )
    through = Question.tags.through
    through.objects.bulk_create(
        [through(question_id=obj.pk, tag_id=tags[t].pk) for obj, q in zip(made, data, strict=True) for t in q.tags],
        batch_size=2000,
    )
    counts: dict[str, int] = {}
    for q in data:
        counts[q.category] = counts.get(q.category, 0) + 1
    return counts
