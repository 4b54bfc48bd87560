"""A question's texts check through its definition at both doors, the page and the bank
import: control characters and text longer than its column are refused, nothing written."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from quiz import bank_io, services
from quiz.models import Question
from quiz.tests.factories import ensure_bank
from quiz.tests.test_bank import GOOD, _workbook


@pytest.mark.parametrize(
    ("column", "value"),
    [("text_zh", "遵义_x000B_会议" + "x" * 4000), ("option_A_zh", "x" * 401), ("source", "s" * 241)],
)
def test_the_bank_import_refuses_overlong_text(office, column, value):
    ensure_bank()
    before = Question.objects.count()
    result = bank_io.import_bank(actor=office, upload=_workbook([{**GOOD, column: value}]))
    assert result.problems and result.problems[0].row == 2
    assert Question.objects.count() == before


@pytest.mark.parametrize("text", ["遵义\x0b会议", "ཙུན\x1bདབྱི"])
def test_the_shared_check_refuses_control_characters(text):
    # A control character cannot be written into an xlsx cell; the import and the page
    # both check through this function.
    errors = services.question_errors(
        type="single",
        text_zh=text,
        text_bo="",
        explanation_zh="",
        explanation_bo=text,
        options=[services.OptionData("甲", "", True), services.OptionData("乙", "", False)],
        publish=False,
    )
    assert set(errors) == {"text_zh", "explanation_bo"}


def test_the_question_page_refuses_control_characters(office):
    ensure_bank()
    question = Question.objects.get(key="zunyi-year")
    client = Client()
    client.force_login(office)
    page = client.get(reverse("quiz:question_edit", args=[question.pk]))
    data = {k: v for k, v in page.context["form"].initial.items() if k != "tags"}
    data["text_zh"] = "遵义\x1b[31m会议"
    data["category"] = question.category_id
    for key in [k for k, v in data.items() if v is False]:
        del data[key]
    response = client.post(reverse("quiz:question_edit", args=[question.pk]), data)
    assert response.status_code == 200 and "text_zh" in response.context["form"].errors
    question.refresh_from_db()
    assert "\x1b" not in question.text_zh
