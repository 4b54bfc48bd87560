"""What a person sees when a form refuses a value, and what survives a change of language, in a
real browser."""

import pytest

from conftest import log_in, switch_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _switch_to(page, lang):
    switch_language(page, lang)
    page.wait_for_selector(f"html[lang={lang}]")


def test_letters_in_a_count_are_refused_by_the_server_in_tibetan(page, live_server):
    page.context.add_cookies([{"name": "django_language", "value": "bo", "url": live_server.url}])
    log_in(page, "chengguan-reporter")
    page.goto("/ledger/activities/new/lecture_theory/")
    page.fill("#id_title", "ལྟ་གྲུབ་སློབ་སྦྱོང་།")
    page.fill("#id_sessions", "abc")
    page.fill("#id_participants", "45")
    page.click("[data-testid=save]")
    page.wait_for_selector(".errorlist")
    errors = page.inner_text("[data-testid=activity-form]")
    # "Enter a whole number" in Tibetan (the record's own wording, or Django's), not "required".
    assert "ཧྲིལ" in errors
    assert "输入" not in errors and "Enter" not in errors
    assert page.input_value("#id_sessions") == "abc"


def test_switching_language_keeps_the_page_and_what_was_typed(page):
    log_in(page, "chengguan-reporter")
    page.goto("/ledger/activities/new/lecture_theory/?from=test")
    page.fill("#id_title", "党的光辉历程")
    page.fill("#id_sessions", "3")
    _switch_to(page, "bo")
    assert page.url.endswith("/ledger/activities/new/lecture_theory/?from=test")
    assert page.input_value("#id_title") == "党的光辉历程"
    assert page.input_value("#id_sessions") == "3"
    # Kept once: a later visit starts empty.
    page.reload()
    assert page.input_value("#id_title") == ""
