"""The quiz's part of a campaign's set-up document (``quiz.bank``): the question bank the
campaign's quizzes draw from — the categories their quotas name, with every category below
them (and those above, to keep the tree), their questions with options and tags. A campaign
without quizzes yet carries the whole bank, which its quizzes will draw from.

The bank is shared by every campaign (rows are named by their ``key``): loading keeps a
category, tag or question that exists here with the same content, creates one that does not
(a question through ``quiz.services.save_question``, checked as on its page), and refuses a
key that exists with other content, naming it. Nothing here changes an existing row."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from campaigns.transfer import Context, Part, RowReader, Rows
from orgs.models import Unit
from quiz import services
from quiz.choices import Difficulty, QuestionStatus, QuestionType
from quiz.models import Category, Question, Quiz, QuizQuota, Tag

NAME = "quiz.bank"
QUESTION_TEXTS = {"text_zh": 4000, "text_bo": 8000, "explanation_zh": 4000, "explanation_bo": 8000}


def _categories(campaign: Campaign) -> list[Category]:
    every = {c.pk: c for c in Category.objects.select_related("parent")}
    quota_ids = set(QuizQuota.objects.filter(quiz__campaign=campaign).values_list("category_id", flat=True))
    if not quota_ids:
        chosen = set(every)
    else:
        chosen = set()
        for pk in quota_ids:
            chosen.update(services.category_subtree_ids(pk))
        for pk in list(chosen):
            parent = every[pk].parent_id
            while parent is not None and parent not in chosen:
                chosen.add(parent)
                parent = every[parent].parent_id

    def depth(c: Category) -> int:
        d, p = 0, c.parent_id
        while p is not None:
            d, p = d + 1, every[p].parent_id
        return d

    return sorted((every[pk] for pk in chosen), key=lambda c: (depth(c), c.order, c.key))


def _question_row(q: Question) -> dict[str, Any]:
    return {
        "type": "question",
        "key": q.key,
        "category": q.category.key,
        "question_type": q.type,
        **{name: getattr(q, name) for name in QUESTION_TEXTS},
        "difficulty": q.difficulty,
        "source": q.source,
        "status": q.status,
        "tags": sorted(t.key for t in q.tags.all()),
        "options": [{"text_zh": o.text_zh, "text_bo": o.text_bo, "is_correct": o.is_correct} for o in q.options.all()],
    }


def dump(campaign: Campaign) -> Rows:
    categories = _categories(campaign)
    questions = list(
        Question.objects.filter(category__in=categories)
        .select_related("category")
        .prefetch_related("tags", "options")
        .order_by("key")
    )
    tags = sorted({t.key: t for q in questions for t in q.tags.all()}.values(), key=lambda t: t.key)
    rows: Rows = [
        {
            "type": "category",
            "key": c.key,
            "parent": c.parent.key if c.parent_id else "",
            "name_zh": c.name_zh,
            "name_bo": c.name_bo,
            "order": c.order,
        }
        for c in categories
    ]
    rows += [{"type": "tag", "key": t.key, "name_zh": t.name_zh, "name_bo": t.name_bo} for t in tags]
    rows += [_question_row(q) for q in questions]
    quizzes = Quiz.objects.filter(campaign=campaign).select_related("unit").prefetch_related("quotas__category")
    rows += [
        {
            "type": "quiz",
            "unit": quiz.unit.code,
            "title_zh": quiz.title_zh,
            "title_bo": quiz.title_bo,
            "opens_at": quiz.opens_at.isoformat(),
            "closes_at": quiz.closes_at.isoformat(),
            "time_limit_seconds": quiz.time_limit_seconds,
            "attempts_allowed": quiz.attempts_allowed,
            "pass_mark": quiz.pass_mark,
            "min_seconds_per_question": str(quiz.min_seconds_per_question),
            "quotas": [{"category": q.category.key, "count": q.count} for q in quiz.quotas.all()],
        }
        for quiz in quizzes.order_by("opens_at", "pk")
    ]
    return rows


def _differs(reader: RowReader, n: int, key: str, fields: list[str]) -> None:
    reader.problem(
        n,
        "key",
        _("%(key)s exists here with other content (%(fields)s); give the new one another key.")
        % {"key": key, "fields": ", ".join(fields)},
    )


def _options(reader: RowReader, n: int, row: dict[str, Any]) -> list[services.OptionData]:
    value = row.get("options")
    if not isinstance(value, list) or not 2 <= len(value) <= 6:
        reader.problem(n, "options", _("A question has between 2 and 6 options."))
        return []
    out = []
    for option in value:
        if not isinstance(option, dict):
            reader.problem(n, "options", _("An option is an object with “text_zh”, “text_bo” and “is_correct”."))
            return []
        out.append(
            services.OptionData(
                text_zh=reader.text(n, option, "text_zh", max_length=400, required=True),
                text_bo=reader.text(n, option, "text_bo", max_length=800),
                is_correct=reader.flag(n, option, "is_correct"),
            )
        )
    return out


def load(campaign: Campaign, rows: Rows, context: Context) -> None:
    reader = RowReader(NAME)
    categories = {c.key: c for c in Category.objects.select_related("parent")}
    tags = {t.key: t for t in Tag.objects.all()}
    questions: list[tuple[int, dict[str, Any]]] = []
    quizzes: list[tuple[int, dict[str, Any]]] = []
    for n, row in reader.rows(rows):
        kind = row.get("type")
        if kind == "quiz":
            quizzes.append((n, row))
            continue
        key = reader.text(n, row, "key", max_length=40, required=True)
        if kind == "category":
            values = {
                "name_zh": reader.text(n, row, "name_zh", max_length=120, required=True),
                "name_bo": reader.text(n, row, "name_bo", max_length=240, required=True),
                "order": reader.count(n, row, "order", most=32767),
            }
            parent_key = reader.text(n, row, "parent", max_length=40)
            parent = categories.get(parent_key) if parent_key else None
            if parent_key and parent is None:
                reader.problem(n, "parent", _("Not known here: %(names)s.") % {"names": parent_key})
                continue
            found = categories.get(key)
            if found is not None:
                differ = [k for k, v in values.items() if getattr(found, k) != v]
                if (found.parent.key if found.parent_id else "") != parent_key:
                    differ.append("parent")
                if differ:
                    _differs(reader, n, key, differ)
            elif key and not reader.problems:
                categories[key] = Category.objects.create(key=key, parent=parent, **values)
        elif kind == "tag":
            values = {
                "name_zh": reader.text(n, row, "name_zh", max_length=60, required=True),
                "name_bo": reader.text(n, row, "name_bo", max_length=120, required=True),
            }
            found_tag = tags.get(key)
            if found_tag is not None:
                differ = [k for k, v in values.items() if getattr(found_tag, k) != v]
                if differ:
                    _differs(reader, n, key, differ)
            elif key and not reader.problems:
                tags[key] = Tag.objects.create(key=key, **values)
        elif kind == "question":
            questions.append((n, row))
        else:
            reader.problem(n, "type", _("Must be “category”, “tag”, “question” or “quiz”."))
    reader.check()
    existing = {
        q.key: q
        for q in Question.objects.filter(key__in=[r.get("key") for _n, r in questions if isinstance(r.get("key"), str)])
        .select_related("category")
        .prefetch_related("tags", "options")
    }
    for n, row in questions:
        key = reader.text(n, row, "key", max_length=40, required=True)
        category_key = reader.text(n, row, "category", max_length=40, required=True)
        values: dict[str, Any] = {
            name: reader.text(n, row, name, max_length=limit, required=name == "text_zh", multiline=True)
            for name, limit in QUESTION_TEXTS.items()
        }
        values["source"] = reader.text(n, row, "source", max_length=240)
        question_type = reader.choice(n, row, "question_type", QuestionType)
        difficulty = reader.count(n, row, "difficulty", least=1, most=3) or Difficulty.MEDIUM
        status = reader.choice(n, row, "status", QuestionStatus, required=False) or QuestionStatus.DRAFT
        tag_keys = reader.texts(n, row, "tags", max_length=40)
        options = _options(reader, n, row)
        category = categories.get(category_key)
        if category_key and category is None:
            reader.problem(n, "category", _("Not known here: %(names)s.") % {"names": category_key})
        unknown = [t for t in tag_keys if t not in tags]
        if unknown:
            reader.problem(n, "tags", _("Not known here: %(names)s.") % {"names": ", ".join(unknown)})
        if reader.problems:
            continue
        found = existing.get(key)
        if found is not None:
            differ = [k for k, v in values.items() if getattr(found, k) != v]
            if found.type != question_type:
                differ.append("question_type")
            if found.difficulty != difficulty:
                differ.append("difficulty")
            if found.category.key != category_key:
                differ.append("category")
            if sorted(t.key for t in found.tags.all()) != sorted(tag_keys):
                differ.append("tags")
            held = [(o.text_zh, o.text_bo, o.is_correct) for o in found.options.all()]
            if held != [(o.text_zh, o.text_bo, o.is_correct) for o in options]:
                differ.append("options")
            if differ:
                _differs(reader, n, key, differ)
            continue
        try:
            services.save_question(
                actor=context.actor,
                key=key,
                category=category,
                type=question_type,
                difficulty=difficulty,
                tags=[tags[t] for t in tag_keys],
                options=options,
                publish=status == QuestionStatus.PUBLISHED,
                **values,
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    reader.problem(n, name, message)
    reader.check()
    for n, row in quizzes:
        _load_quiz(reader, n, row, campaign, context, categories)
    reader.check()


def _moment(reader: RowReader, n: int, row: dict[str, Any], name: str) -> datetime.datetime | None:
    value = row.get(name)
    try:
        moment = datetime.datetime.fromisoformat(value) if isinstance(value, str) and len(value) <= 40 else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        reader.problem(n, name, _("Enter a date and time with its offset, e.g. 2021-06-01T08:00:00+08:00."))
        return None
    return moment


def _load_quiz(
    reader: RowReader, n: int, row: dict[str, Any], campaign: Campaign, context: Context, categories: dict
) -> None:
    """One quiz of the campaign, its times moved with the period, its quotas by category."""
    code = reader.text(n, row, "unit", max_length=32, required=True)
    unit = Unit.objects.filter(code=code, path__startswith=campaign.root_unit.path).first() if code else None
    if code and unit is None:
        reader.problem(n, "unit", _("Not a unit of the campaign: %(names)s.") % {"names": code})
    fields: dict[str, Any] = {
        "time_limit_seconds": reader.count(n, row, "time_limit_seconds", least=60, most=86_400),
        "attempts_allowed": reader.count(n, row, "attempts_allowed", least=1, most=100),
        "pass_mark": reader.count(n, row, "pass_mark", most=100),
    }
    try:
        seconds = Decimal(str(row.get("min_seconds_per_question", "2")))
        if not Decimal(0) <= seconds <= Decimal("999.9"):
            raise InvalidOperation
        fields["min_seconds_per_question"] = seconds.quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        reader.problem(n, "min_seconds_per_question", _("Enter a number of seconds below 1000."))
    opens_at, closes_at = _moment(reader, n, row, "opens_at"), _moment(reader, n, row, "closes_at")
    quotas: dict[int, int] = {}
    raw = row.get("quotas", [])
    if not isinstance(raw, list) or len(raw) > 100:
        reader.problem(n, "quotas", _("Enter a list of quotas."))
        raw = []
    for quota in raw:
        if not isinstance(quota, dict):
            reader.problem(n, "quotas", _("Enter a list of quotas."))
            break
        category = categories.get(quota.get("category")) if isinstance(quota.get("category"), str) else None
        count = reader.count(n, quota, "count", least=1, most=1000)
        if category is None:
            reader.problem(n, "quotas", _("Not known here: %(names)s.") % {"names": str(quota.get("category"))[:40]})
        else:
            quotas[category.pk] = count
    title_zh = reader.text(n, row, "title_zh", max_length=200, required=True)
    title_bo = reader.text(n, row, "title_bo", max_length=400, required=True)
    if reader.problems or unit is None or opens_at is None or closes_at is None:
        return
    try:
        quiz = services.create_quiz(
            actor=context.actor,
            campaign=campaign,
            unit=unit,
            title_zh=title_zh,
            title_bo=title_bo,
            opens_at=opens_at + context.shift,
            closes_at=closes_at + context.shift,
            region_code=unit.region_code,
            **fields,
        )
        services.set_quotas(actor=context.actor, quiz=quiz, quotas=quotas)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            for message in messages:
                reader.problem(n, name, message)


PART = Part(name=NAME, dump=dump, load=load, order=40)
