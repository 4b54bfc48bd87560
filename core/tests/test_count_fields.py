"""Letters typed into a count field stay where they were typed and the page says "enter a
whole number" in the reader's language, instead of the browser dropping them and the
server answering "this field is required": count fields are text inputs with the numeric
keyboard, whatever the form, with or without scripts."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from ledger.models import Activity

WORDS = {"zh-hans": "请输入", "bo": "ཧྲིལ་གྲངས", "en": "Enter a whole number"}
REQUIRED = {"zh-hans": "必填", "bo": "ངེས་པར", "en": "required"}


def _input(body: str, name: str) -> str:
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', body).group(0)


@pytest.mark.parametrize("language", ["zh-hans", "bo", "en"])
def test_letters_in_a_count_stay_and_are_refused_as_not_a_whole_number(as_user, cg_reporter, language):
    client = as_user(cg_reporter)
    client.cookies["django_language"] = language
    url = reverse("ledger:activity_create", args=["collective_study"])
    blank = _input(client.get(url).content.decode(), "sessions")
    assert 'type="text"' in blank and 'inputmode="numeric"' in blank and 'type="number"' not in blank
    body = client.post(
        url, {"unit": "540102001", "date": "2021-07-01", "sessions": "abc", "participants": 20}
    ).content.decode()
    field = _input(body, "sessions")
    assert 'value="abc"' in field
    message = body.split('data-field="sessions"')[1][:600]
    assert WORDS[language] in message and REQUIRED[language] not in message
    assert not Activity.objects.exists()


def test_every_count_of_the_office_forms_is_a_text_input_with_the_numeric_keyboard():
    from concerns.forms import ActionForm, MilestoneForm
    from core.forms import WholeNumberInput
    from orglife.forms import MeetingForm
    from orgs.forms import UnitForm
    from quiz.forms import CodesForm, QuizForm

    fields = [
        UnitForm.base_fields["party_members"],
        UnitForm.base_fields["headcount"],
        CodesForm.base_fields["count"],
        QuizForm.base_fields["pass_mark"],
        MeetingForm.base_fields["attendee_count"],
        ActionForm.base_fields["original"],
        MilestoneForm.base_fields["weight"],
    ]
    assert all(isinstance(f.widget, WholeNumberInput) for f in fields)
    html = fields[0].widget.render("n", "abc")
    assert 'type="text"' in html and 'inputmode="numeric"' in html and 'value="abc"' in html


def test_letters_in_a_quiz_quota_stay_with_their_reason(as_user, office):
    from quiz.models import Category
    from quiz.tests.factories import open_quiz

    quiz = open_quiz()
    category = Category.objects.first()
    client = as_user(office)
    body = client.post(reverse("quiz:manage", args=[quiz.pk]), {f"quota_{category.pk}": "abc"}).content.decode()
    field = _input(body, f"quota_{category.pk}")
    assert 'value="abc"' in field and 'type="text"' in field
    assert WORDS["zh-hans"] in body
