"""交卷 (submitting the paper) asks first, on a phone, in Chinese and in Tibetan, with and
without scripts: the button opens the question in place, "keep answering" goes back to the
paper with nothing submitted, "yes" submits."""

import re

import pytest
from playwright.sync_api import expect

from conftest import PHONE, log_in
from quiz.models import Attempt
from quiz.tests.factories import open_quiz

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "zh-hans": ("交卷", "确定现在交卷吗？", "继续答题"),
    "bo": ("དྲི་ཤོག་འབུལ།", "ད་ལྟ་ཤོག་བུ་སྤྲོད་དམ།", "མུ་མཐུད་དུ་ལན་འདེབས།"),
}


def _walk(page, language: str) -> None:
    quiz = open_quiz()
    log_in(page, "participant")
    if language != "zh-hans":
        page.select_option("#lang-select", language)
        page.click("[data-testid=set-language]")
        page.wait_for_selector(f"html[lang={language}]")
    page.goto(f"/quiz/take/{quiz.pk}/")
    page.click("[data-testid=start]")
    page.wait_for_url(re.compile(r"/quiz/attempt/\d+/"))
    attempt = Attempt.objects.get(pk=int(re.search(r"/attempt/(\d+)/", page.url).group(1)))
    submit, question, keep = WORDS[language]
    confirm = page.locator("[data-testid=submit-confirm]")
    expect(confirm).to_be_hidden()
    expect(page.locator("[data-testid=submit]")).to_have_text(submit)
    page.click("[data-testid=submit]")
    expect(confirm).to_be_visible()
    expect(page.locator("[data-testid=submit-confirm-box]")).to_contain_text(question)
    if hasattr(page, "shot"):
        page.shot(f"quiz-submit-confirm-{language}")
    expect(page.locator("[data-testid=submit-cancel]")).to_have_text(keep)
    page.click("[data-testid=submit-cancel]")
    expect(confirm).to_be_hidden()
    attempt.refresh_from_db()
    assert attempt.submitted_at is None
    page.click("[data-testid=submit]")
    page.click("[data-testid=submit-confirm]")
    page.wait_for_url(re.compile(rf"/quiz/attempt/{attempt.pk}/result/$"))
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None


@pytest.mark.parametrize("screen", ["phone"])
@pytest.mark.parametrize("language", ["zh-hans", "bo"])
def test_submitting_the_paper_asks_first_on_a_phone(page, screen, language):
    assert page.viewport_size["width"] == 360
    _walk(page, language)
    page.shot(f"quiz-submitted-{language}")


def test_submitting_the_paper_asks_first_without_scripts(chromium, live_server, world):
    context = chromium.new_context(
        viewport=PHONE, base_url=live_server.url, locale="zh-CN", is_mobile=True, java_script_enabled=False
    )
    context.set_default_timeout(15_000)
    try:
        _walk(context.new_page(), "zh-hans")
    finally:
        context.close()
