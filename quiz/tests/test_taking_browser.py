"""A person without an account takes a quiz in a real browser: signs in with a name, a unit
found in the tree or by its name and a one-time code, answers on a phone, switches to
Tibetan, loses the connection, submits twice and reads the review."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from orgs.models import Unit
from quiz.models import Attempt, Question, QuizCode
from quiz.tests.factories import open_quiz

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_sideways_scroll(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the screen"


def _open_level(page, name: str) -> None:
    """Open the units below ``name`` in the tree and wait for that level."""
    row = page.locator("[data-testid=unit-level] > li").filter(has=page.locator(f"[data-unit-name='{name}']"))
    row.locator("[data-testid=unit-open]").click()
    expect(page.locator("[data-testid=unit-here]")).to_have_text(name)


def _switch_language(page, code: str) -> None:
    page.select_option("#lang-select", code)
    page.click("[data-testid=set-language]")
    page.wait_for_selector(f"html[lang={code}]")


def _answer_first_option(page, position: int) -> None:
    """Tap the first option of the question at ``position`` and wait until it is saved."""
    question = page.locator("[data-testid=question]").filter(has=page.locator(f"#saved-{position}"))
    question.locator("label").first.click()
    expect(page.locator(f"#saved-{position}")).to_contain_text("✓")


@pytest.mark.parametrize("screen", ["phone"])
def test_a_taker_without_an_account_takes_the_quiz_on_a_phone(page, screen):
    quiz = open_quiz()
    QuizCode.objects.create(quiz=quiz, code="PHON2345")
    village = Unit.objects.get(code="540102001001")
    assert page.viewport_size["width"] == 360

    # The door: a name, the unit found two levels down the tree, the one-time code.
    page.goto(reverse("quiz:take", args=[quiz.pk]))
    page.fill("#id_name", "次仁卓玛")
    page.click("[data-testid=unit-browse]")
    expect(page.locator("[data-testid=unit-here]")).to_have_text("拉萨市")
    expect(page.locator("[data-testid=unit-up]")).to_have_count(0)  # nothing above the quiz's unit
    _open_level(page, "城关区")
    _open_level(page, "八廓街道")
    expect(page.locator("[data-testid=unit-crumb]")).to_have_text(["拉萨市", "城关区"])
    page.click("[data-testid=unit-up]")
    expect(page.locator("[data-testid=unit-here]")).to_have_text("城关区")
    _open_level(page, "八廓街道")
    _no_sideways_scroll(page)
    page.shot("quiz-door-tree")
    page.click(f"[data-testid=unit-level] [data-unit-name='{village.name_zh}']")
    expect(page.locator("[data-testid=unit-picked]")).to_have_text(village.name_zh)
    expect(page.locator("#id_unit")).to_have_value(str(village.pk))
    expect(page.locator("#unit-tree")).to_be_empty()
    page.fill("#id_code", "phon-2345")
    page.click("[data-testid=light-sign-in] button[type=submit]")
    page.wait_for_url(re.compile(r"/quiz/attempt/\d+/"))
    attempt = Attempt.objects.get(taker__name="次仁卓玛", taker__account__isnull=True)
    assert attempt.unit_id == village.pk and len(attempt.paper) == 5

    # One question at a time, each answer saved as it is given.
    for position in (0, 1):
        _answer_first_option(page, position)
        page.click("[data-testid=question] button[name=next]")
        page.wait_for_url(re.compile(rf"\?n={position + 1}$"))
    _no_sideways_scroll(page)

    # Tibetan, mid-quiz: the same attempt, the same answers, the question in Tibetan.
    _switch_language(page, "bo")
    assert page.url.endswith(f"/quiz/attempt/{attempt.pk}/?n=2")
    third = Question.objects.get(pk=attempt.paper[2][0])
    expect(page.locator("[data-testid=question] legend")).to_contain_text(third.text_bo)
    expect(page.locator(".dots a.done")).to_have_count(2)
    _answer_first_option(page, 2)
    _no_sideways_scroll(page)
    page.shot("quiz-question-bo")

    # A dropped connection: the page comes back with every answer still chosen.
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "bo")
    expect(page.locator("[data-testid=question] input[name=chosen]:checked")).to_have_count(1)
    expect(page.locator(".dots a.done")).to_have_count(3)

    # The whole paper: the three answers are there; the last two are given here.
    page.click("a[href='?all=1']")
    page.wait_for_url(re.compile(r"\?all=1$"))
    expect(page.locator("[data-testid=question]")).to_have_count(5)
    expect(page.locator("input[name=chosen]:checked")).to_have_count(3)
    for position in (3, 4):
        _answer_first_option(page, position)
    _no_sideways_scroll(page)
    page.shot("quiz-paper-bo")

    # The paper is still open in another tab when it is submitted; submitting it there again
    # changes nothing and shows the same result.
    stale = page.context.new_page()
    stale.goto(page.url)
    page.click("[data-testid=submit]")
    page.click("[data-testid=submit-confirm]")
    page.wait_for_url(re.compile(rf"/quiz/attempt/{attempt.pk}/result/$"))
    score = page.inner_text("[data-testid=score]")
    attempt.refresh_from_db()
    submitted_at = attempt.submitted_at
    assert submitted_at is not None and all(attempt.answers)
    stale.click("[data-testid=submit]")
    stale.click("[data-testid=submit-confirm]")
    stale.wait_for_url(re.compile(rf"/quiz/attempt/{attempt.pk}/result/$"))
    expect(stale.locator("[data-testid=score]")).to_have_text(score)
    stale.close()
    attempt.refresh_from_db()
    assert attempt.submitted_at == submitted_at and str(attempt.score) == score
    assert Attempt.objects.filter(taker=attempt.taker).count() == 1

    # The score and the review, with every question's explanation, in Tibetan.
    expect(page.locator(".review > li")).to_have_count(5)
    with translation.override("bo"):
        explanations = [Question.objects.get(pk=qid).explanation for qid, _order in attempt.paper]
    for explanation in explanations:
        expect(page.locator(".review")).to_contain_text(explanation)
    _no_sideways_scroll(page)
    page.shot("quiz-result-bo")


def test_a_taker_finds_their_unit_by_typing_part_of_its_name(page):
    quiz = open_quiz()
    QuizCode.objects.create(quiz=quiz, code="SRCH2345")
    township = Unit.objects.get(code="540102001")
    page.goto(reverse("quiz:take", args=[quiz.pk]))
    page.fill("#id_name", "扎西")
    page.fill("#unit-search", "八廓")
    choice = page.locator(f"#unit-results [data-unit-name='{township.name_zh}']")
    choice.click()
    expect(page.locator("[data-testid=unit-picked]")).to_have_text(township.name_zh)
    expect(page.locator("#id_unit")).to_have_value(str(township.pk))
    expect(page.locator("#unit-results")).to_be_empty()
    page.fill("#id_code", "SRCH2345")
    page.click("[data-testid=light-sign-in] button[type=submit]")
    page.wait_for_url(re.compile(r"/quiz/attempt/\d+/"))
    assert Attempt.objects.get(taker__name="扎西").unit_id == township.pk


def test_the_unit_tree_reads_in_tibetan_and_fits_the_screen(page):
    quiz = open_quiz()
    county = Unit.objects.get(code="540102")
    township = Unit.objects.get(code="540102001")
    page.goto(reverse("quiz:take", args=[quiz.pk]))
    _switch_language(page, "bo")
    page.click("[data-testid=unit-browse]")
    _open_level(page, county.name_bo)
    _open_level(page, township.name_bo)
    expect(page.locator("[data-testid=unit-level]")).to_contain_text("འདེམས།")
    _no_sideways_scroll(page)
    page.shot("quiz-door-tree-bo")
    page.click("[data-testid=unit-choose-here]")
    expect(page.locator("[data-testid=unit-picked]")).to_have_text(township.name_bo)
    expect(page.locator("#id_unit")).to_have_value(str(township.pk))
