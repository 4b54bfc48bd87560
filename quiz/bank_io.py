"""The question bank as an xlsx workbook, out and in.

One sheet, one question per row: key, category key, type, difficulty, status, text,
explanation (both languages), source, tag keys, up to six options (both languages) and the
letters of the right options. An import reads every row first and collects every problem
(row, column, message); it writes nothing unless there are none, and then writes all rows in
one transaction (a row whose key exists changes that question, others are new).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import xlsx
from quiz import services
from quiz.choices import Difficulty, QuestionStatus, QuestionType
from quiz.models import Category, Question, Tag

LETTERS = services.LETTERS
MAX_ROWS = 20_000  # questions in one workbook (blank rows included)
COLUMNS = [
    "key",
    "category",
    "type",
    "difficulty",
    "status",
    "text_zh",
    "text_bo",
    "explanation_zh",
    "explanation_bo",
    "source",
    "tags",
    *[f"option_{letter}_{lang}" for letter in LETTERS for lang in ("zh", "bo")],
    "right",
]


def export_bank(questions=None) -> bytes:
    wb = xlsx.book()
    ws = wb.active
    ws.title = "questions"
    xlsx.append(ws, COLUMNS)
    qs = questions if questions is not None else Question.objects.all()
    for q in qs.select_related("category").prefetch_related("options", "tags").order_by("key"):
        options = list(q.options.all())
        row: list[Any] = [
            q.key,
            q.category.key,
            q.type,
            q.difficulty,
            q.status,
            q.text_zh,
            q.text_bo,
            q.explanation_zh,
            q.explanation_bo,
            q.source,
            ",".join(t.key for t in q.tags.all()),
        ]
        for i in range(len(LETTERS)):
            row += [options[i].text_zh, options[i].text_bo] if i < len(options) else ["", ""]
        row.append("".join(LETTERS[i] for i, o in enumerate(options) if o.is_correct))
        xlsx.append(ws, row)
    return xlsx.to_bytes(wb)


@dataclass
class ImportProblem:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    problems: list[ImportProblem] = field(default_factory=list)
    created: int = 0
    changed: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _read(upload) -> list[tuple[int, dict[str, str]]]:
    """The rows of the first sheet, read as they stream, once the upload guard has
    accepted the file."""
    wb = xlsx.open_workbook(upload, data_only=True, max_rows=MAX_ROWS)
    try:
        rows = xlsx.rows(wb.worksheets[0], max_rows=MAX_ROWS)
        header = [_text(h) for h in next(rows, (1, ()))[1]]
        out = []
        for number, values in rows:
            record = {name: _text(v) for name, v in zip(header, values, strict=False) if name}
            if any(record.values()):
                out.append((number, record))
        return out
    finally:
        wb.close()


def import_bank(*, actor: Any, upload) -> ImportResult:
    result = ImportResult()
    try:
        rows = _read(upload)
    except xlsx.BadFile as exc:
        result.problems.append(ImportProblem(1, "", str(exc)))
        return result
    except Exception:  # a damaged workbook that openpyxl cannot read to its end
        result.problems.append(ImportProblem(1, "", _("This file is not an xlsx workbook.")))
        return result
    if not rows:
        result.problems.append(ImportProblem(1, "", _("The workbook has no rows of questions.")))
        return result
    categories = {c.key: c for c in Category.objects.all()}
    tags = {t.key: t for t in Tag.objects.all()}
    existing = {q.key: q for q in Question.objects.all()}
    seen: dict[str, int] = {}
    plans = []
    for number, r in rows:
        problems: list[ImportProblem] = []
        key = r.get("key", "")
        if not key:
            problems.append(ImportProblem(number, "key", _("The key is required.")))
        elif key in seen:
            problems.append(
                ImportProblem(
                    number, "key", _("The key %(key)s is also on row %(row)s.") % {"key": key, "row": seen[key]}
                )
            )
        else:
            seen[key] = number
        category = categories.get(r.get("category", ""))
        if category is None:
            problems.append(ImportProblem(number, "category", _("Unknown category key.")))
        qtype = r.get("type", "")
        if qtype not in QuestionType.values:
            problems.append(ImportProblem(number, "type", _("Unknown type of question.")))
        try:
            difficulty = int(r.get("difficulty") or Difficulty.MEDIUM)
            if difficulty not in Difficulty.values:
                raise ValueError
        except ValueError:
            difficulty = Difficulty.MEDIUM
            problems.append(ImportProblem(number, "difficulty", _("Difficulty is 1, 2 or 3.")))
        status = r.get("status") or QuestionStatus.DRAFT
        if status not in QuestionStatus.values:
            problems.append(ImportProblem(number, "status", _("Status is draft or published.")))
        tag_keys = [t.strip() for t in r.get("tags", "").split(",") if t.strip()]
        unknown = [t for t in tag_keys if t not in tags]
        if unknown:
            problems.append(ImportProblem(number, "tags", _("Unknown tags: %(tags)s.") % {"tags": ", ".join(unknown)}))
        right = r.get("right", "").upper()
        if any(c not in LETTERS for c in right):
            problems.append(ImportProblem(number, "right", _("Right options are given as letters A to F.")))
        options = [
            services.OptionData(r.get(f"option_{letter}_zh", ""), r.get(f"option_{letter}_bo", ""), letter in right)
            for letter in LETTERS
            if r.get(f"option_{letter}_zh", "") or r.get(f"option_{letter}_bo", "")
        ]
        errors = services.question_errors(
            type=qtype,
            text_zh=r.get("text_zh", ""),
            text_bo=r.get("text_bo", ""),
            explanation_zh=r.get("explanation_zh", ""),
            explanation_bo=r.get("explanation_bo", ""),
            options=options,
            publish=status == QuestionStatus.PUBLISHED,
        )
        for column, message in errors.items():
            if column == "type" and any(p.column == "type" for p in problems):
                continue
            problems.append(ImportProblem(number, column, message))
        result.problems.extend(problems)
        if not problems:
            plans.append((key, category, qtype, difficulty, status, r, options, [tags[t] for t in tag_keys]))
    if result.problems:
        return result
    try:
        with transaction.atomic():
            for key, category, qtype, difficulty, status, r, options, tag_list in plans:
                services.save_question(
                    actor=actor,
                    question=existing.get(key),
                    key=key,
                    category=category,
                    type=qtype,
                    text_zh=r.get("text_zh", ""),
                    text_bo=r.get("text_bo", ""),
                    explanation_zh=r.get("explanation_zh", ""),
                    explanation_bo=r.get("explanation_bo", ""),
                    difficulty=difficulty,
                    source=r.get("source", ""),
                    tags=tag_list,
                    options=options,
                    publish=status == QuestionStatus.PUBLISHED,
                )
                if key in existing:
                    result.changed += 1
                else:
                    result.created += 1
    except ValidationError as exc:
        result.created = result.changed = 0
        for column, messages in exc.message_dict.items():
            for message in messages:
                result.problems.append(ImportProblem(0, column, message))
    return result
