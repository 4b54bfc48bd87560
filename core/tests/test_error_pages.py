"""Error pages are pages of the platform: in the reader's language, with the navigation and a
way home; and no page links a person to a page they may not open."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _links(html: str) -> list[str]:
    return sorted({href for href in re.findall(r'href="(/[^"#]*)"', html) if not href.startswith("/static/")})


@pytest.mark.parametrize("persona", ["participant", "cg_reporter", "leader", "supervisor", "office"])
def test_no_link_on_a_home_page_leads_to_a_refusal(as_user, persona, request):
    client = as_user(request.getfixturevalue(persona))
    home = client.get(reverse("home"))
    assert home.status_code == 200
    refused = [href for href in _links(home.content.decode()) if client.get(href).status_code in (403, 404)]
    assert refused == []


@pytest.mark.parametrize(
    ("lang", "title"), [("zh-hans", "此页面不对您的账号开放"), ("bo", "ཤོག་ངོས་འདི་ཁྱེད་ཀྱི་རྩིས་ཐོར་སྒོ་ཕྱེ་མེད།")]
)
def test_a_refused_page_is_a_page_of_the_platform_in_the_readers_language(as_user, participant, lang, title):
    client = as_user(participant)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    response = client.get(reverse("orgs:account_list"))
    assert response.status_code == 403
    page = response.content.decode()
    assert title in page and f'lang="{lang}"' in page
    assert 'data-testid="logout"' in page and f'href="{reverse("home")}"' in page


def test_a_missing_page_says_so_in_tibetan_and_links_home(as_user, cg_reporter):
    client = as_user(cg_reporter)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "bo"
    response = client.get("/orgs/units/999999/")
    assert response.status_code == 404
    assert "ཤོག་ངོས་རྙེད་མ་སོང་།" in response.content.decode()


def test_a_form_refused_by_the_csrf_check_explains_itself_in_the_readers_language(cg_reporter):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cg_reporter)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "bo"
    response = client.post(reverse("logout"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "འགེངས་ཤོག་ཕུལ་མ་ཐུབ།" in page and "CSRF verification" not in page


def test_a_server_error_page_is_translated_and_links_home(rf):
    from django.utils import translation
    from django.views.defaults import server_error

    with translation.override("bo"):
        page = server_error(rf.get("/")).content.decode()
    assert "ནོར་འཁྲུལ་བྱུང་སོང་།" in page and 'href="/"' in page
