"""Date inputs carry ISO dates whatever the reader's language (a browser's date input refuses
2021/12/31 and opens blank), and the browser leaves checking to the server."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGES = ["reports:index", "reports:dashboard", "ledger:activity_list", "orglife:index", "concerns:index"]


@pytest.mark.parametrize("lang", ["zh-hans", "bo", "en"])
@pytest.mark.parametrize("name", PAGES)
def test_every_date_input_holds_an_iso_date(as_user, office, lang, name):
    client = as_user(office)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    response = client.get(reverse(name))
    assert response.status_code == 200
    page = response.content.decode()
    for tag in re.findall(r"<input[^>]*type=\"date\"[^>]*>", page):
        value = re.search(r'value="([^"]*)"', tag)
        assert value is None or re.fullmatch(r"(\d{4}-\d{2}-\d{2})?", value.group(1)), tag


def test_every_page_loads_the_script_that_leaves_checking_to_the_server(client):
    assert "core/app.js" in client.get(reverse("login")).content.decode()


@pytest.mark.parametrize("lang", ["zh-hans", "bo"])
def test_a_hidden_field_shows_no_english_label(as_user, office, lang):
    client = as_user(office)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    page = client.get(reverse("orglife:finding_batch")).content.decode()
    assert 'name="meeting"' in page
    assert ">Meeting<" not in page
