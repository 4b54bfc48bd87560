"""The crawl of ``core/tests/test_crawl.py`` over the quiz's pages only: every persona,
every quiz URL, inside and outside values; nothing outside a persona's scope is shown."""

import pytest
from django.test import Client

from conftest import PERSONAS
from core.tests.test_crawl import ALL, CANARIES, _build_path, _params, _providers
from orgs.models import Account

QUIZ = [(name, route) for name, route, _entry in ALL if route.startswith("quiz/")]


def test_the_quiz_has_pages_to_crawl():
    assert len(QUIZ) > 15


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_no_quiz_page_shows_anything_outside_the_personas_scope(persona, db):
    account = Account.objects.get(username=PERSONAS[persona])
    client = Client()
    client.force_login(account)
    providers = _providers()
    for name, route in QUIZ:
        params = _params(route)
        inside = {p: providers[p](account, True) for p in params}
        outside = {p: providers[p](account, False) for p in params}
        for p in params:
            if outside[p] is None:
                continue
            path = _build_path(route, {**inside, p: outside[p]})
            for method in ("get", "post"):
                response = getattr(client, method)(path)
                assert response.status_code in (403, 404, 405), (persona, method, path, response.status_code)
        if any(v is None for v in inside.values()):
            continue
        response = client.get(_build_path(route, inside))
        assert response.status_code in (200, 302, 403, 404, 405), (persona, name, response.status_code)
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/"):
            body = response.content.decode()
            for canary in CANARIES[persona]:
                assert canary not in body, (persona, name, canary)
