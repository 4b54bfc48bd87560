"""Every main page of every role, in Tibetan and in Chinese, read in a real browser as a reader
would: no Chinese in a Tibetan page and no English in either, outside the users' own data and
proper names (marked ``data-user`` or ``translate="no"`` in the templates); no control whose
value the browser refused (a date sent as 2021/12/31 opens blank); no text cut off by its box.
The checks are core/tests/page_checks.js."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import DESKTOP, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHECKS = (Path(__file__).with_name("page_checks.js")).read_text(encoding="utf-8")
# Each role and how many pages it reads: its home page, its navigation's sections and the pages
# those link to in their own navigation. A page already read for an earlier role is not read
# again (the words are the template's, whoever reads them); the budget keeps the test to about
# a minute a language.
ROLES = {"lhasa-office": 22, "chengguan-reporter": 6, "supervisor-3": 6, "lhasa-leader": 4, "participant": 3}


def _walk(chromium, base_url: str, lang: str) -> tuple[list[str], list[str]]:
    problems, seen = [], []
    for username, budget in ROLES.items():
        context = chromium.new_context(viewport=DESKTOP, base_url=base_url)
        context.set_default_timeout(15_000)
        context.add_cookies([{"name": "django_language", "value": lang, "url": base_url}])
        page = context.new_page()
        log_in(page, username)
        todo = ["/", *page.eval_on_selector_all("header .sections a", "els => els.map(e => e.getAttribute('href'))")]
        read = 0
        for url in todo:
            if url in seen or read >= budget:
                continue
            seen.append(url)
            read += 1
            response = page.goto(url)
            assert response.status == 200, f"{username} {url}: {response.status}"
            assert page.get_attribute("html", "lang") == lang
            todo += [
                href
                for href in page.eval_on_selector_all("main nav a", "els => els.map(e => e.getAttribute('href'))")
                if href and href.startswith("/") and href not in todo
            ]
            for kind, items in page.evaluate(CHECKS, lang).items():
                problems += [f"{username} {url} {kind}: {item}" for item in items]
        context.close()
    return problems, seen


@pytest.mark.parametrize("lang", ["bo", "zh-hans"])
def test_every_main_page_speaks_the_readers_language_and_shows_its_words_whole(chromium, live_server, world, lang):
    problems, seen = _walk(chromium, live_server.url, lang)
    assert len(seen) >= 15, seen
    assert not problems, "\n".join(problems)
