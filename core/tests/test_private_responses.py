"""Private answers are kept out of every cache: pages and API answers to someone signed in,
and every download; static files keep their long caching."""

import pytest
from django.contrib.staticfiles import finders
from django.test import Client, override_settings
from django.urls import reverse

from core.testing import ApiClient

PRIVATE = "private, no-store"


def test_a_page_for_a_signed_in_account_is_private(as_user, cg_reporter):
    for name in ("home", "jobs", "ledger:learning", "orgs:account_list"):
        response = as_user(cg_reporter).get(reverse(name))
        assert response["Cache-Control"] == PRIVATE, name


def test_a_page_that_says_never_cache_is_still_private(as_user, cg_reporter):
    assert as_user(cg_reporter).get("/api/tokens/")["Cache-Control"] == PRIVATE


def test_the_answer_to_a_log_in_is_private(cg_reporter):
    from core.seeding import DEMO_PASSWORD

    response = Client().post(reverse("login"), {"username": "chengguan-reporter", "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response["Cache-Control"] == PRIVATE


def test_a_public_answer_is_left_as_its_view_made_it(db):
    assert Client().get("/open311/v2/discovery.json").get("Cache-Control") != PRIVATE


def test_an_export_is_private(as_user, office):
    response = as_user(office).get(reverse("ledger:learning"), {"format": "xlsx"})
    assert response["Content-Disposition"].startswith("attachment") and response["Cache-Control"] == PRIVATE


def test_api_answers_are_private_refusals_included(api_as, cg_reporter, fresh_rate_limits):
    api = api_as(cg_reporter)
    assert api.get("/api/v1/units/540102")["Cache-Control"] == PRIVATE
    assert api.get("/api/v1/units/540104")["Cache-Control"] == PRIVATE  # 404, out of scope
    refused = ApiClient("xj_bad_bad").get("/api/v1/units/540102")
    assert refused.status_code == 401 and refused["Cache-Control"] == PRIVATE
    assert Client().get("/api/v1/units/540102", headers={"X-Api-Key": "xj_bad_bad"})["Cache-Control"] == PRIVATE


@pytest.mark.parametrize("name", ["core/app.css"])
def test_static_files_keep_their_caching_for_a_signed_in_account(name, cg_reporter):
    assert finders.find(name)
    with override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True):
        client = Client()
        client.force_login(cg_reporter)
        response = client.get(f"/static/{name}")
    assert response.status_code == 200
    assert "no-store" not in response["Cache-Control"] and "max-age" in response["Cache-Control"]


def test_an_open311_answer_for_an_api_key_is_private(token_for, cg_reporter, fresh_rate_limits):
    response = Client().get("/open311/v2/requests.json", {"api_key": token_for(cg_reporter)})
    assert response.status_code == 200 and response["Cache-Control"] == PRIVATE
