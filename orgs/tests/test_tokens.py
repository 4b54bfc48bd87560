"""API tokens: created on the account's settings page, shown once, stored hashed, revoked,
rate-limited; the token acts with exactly its account's role and scope, and the audit log
records that account."""

from __future__ import annotations

import hashlib
import re

import pytest
from auditlog.models import LogEntry
from django.test import Client, override_settings

from core.testing import ApiClient
from ledger.models import Activity
from orgs.models import ApiToken
from orgs.tokens import create_token

pytestmark = pytest.mark.usefixtures("fresh_rate_limits")
JULY = "2021-07-01"


@pytest.fixture
def kinds(db):
    from ledger.catalogue import ensure_kinds

    ensure_kinds()


def _page(account) -> Client:
    client = Client()
    client.force_login(account)
    return client


def test_the_settings_page_creates_a_token_and_shows_it_only_once(cg_reporter):
    client = _page(cg_reporter)
    r = client.post("/api/tokens/", {"name": "city hotline"})
    assert r.status_code == 200
    secret = re.search(r'data-testid="token-secret">([^<]+)<', r.content.decode()).group(1)
    assert secret.startswith("xj_")
    assert "no-store" in r["Cache-Control"]
    again = client.get("/api/tokens/").content.decode()
    assert "city hotline" in again
    assert secret not in again
    token = ApiToken.objects.get(account=cg_reporter)
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(list(ApiToken.objects.values_list()))


def test_a_token_is_stored_only_as_its_hash(cg_reporter):
    row, secret = create_token(actor=cg_reporter, name="x")
    row.refresh_from_db()
    assert secret not in (row.prefix, row.secret_hash, row.name)
    assert row.secret_hash == hashlib.sha256(secret.encode()).hexdigest()


def test_a_token_needs_a_name(cg_reporter):
    r = _page(cg_reporter).post("/api/tokens/", {"name": "  "})
    assert r.status_code == 200
    assert not ApiToken.objects.filter(account=cg_reporter).exists()


def test_a_revoked_token_is_refused(cg_reporter):
    row, secret = create_token(actor=cg_reporter, name="x")
    api = ApiClient(secret)
    assert api.get("/api/v1/units/540102").status_code == 200
    r = _page(cg_reporter).post(f"/api/tokens/{row.pk}/revoke")
    assert r.status_code == 302
    assert api.get("/api/v1/units/540102").status_code == 401


def test_an_account_cannot_revoke_anothers_token(cg_reporter, dz_reporter):
    row, _secret = create_token(actor=dz_reporter, name="x")
    assert _page(cg_reporter).post(f"/api/tokens/{row.pk}/revoke").status_code == 404
    row.refresh_from_db()
    assert row.revoked is None


def test_an_unknown_or_malformed_token_is_401(db):
    for token in ("xj_deadbeef_nope", "garbage", ""):
        assert ApiClient(token).get("/api/v1/units/540100").status_code == 401
    assert Client().get("/api/v1/units/540100").status_code == 401


def test_a_disabled_accounts_token_is_refused(cg_reporter):
    _row, secret = create_token(actor=cg_reporter, name="x")
    cg_reporter.is_active = False
    cg_reporter.save(update_fields=["is_active"])
    assert ApiClient(secret).get("/api/v1/units/540102").status_code == 401


def test_a_token_has_exactly_its_accounts_scope(api_as, cg_reporter):
    api = api_as(cg_reporter)
    assert api.get("/api/v1/units/540102").status_code == 200
    assert api.get("/api/v1/units/540100").status_code == 404
    assert api.get("/api/v1/units/540104").status_code == 404


def test_the_token_may_also_come_as_an_x_api_key_header(token_for, cg_reporter):
    secret = token_for(cg_reporter)
    r = Client().get("/api/v1/units/540102", headers={"X-Api-Key": secret})
    assert r.status_code == 200


def test_the_browser_session_works_and_needs_csrf_for_writes(cg_reporter, kinds):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cg_reporter)
    assert client.get("/api/v1/units/540102").status_code == 200
    body = {"unit": "540102001", "kind": "collective_study", "date": JULY, "sessions": 1}
    refused = client.post("/api/v1/activities", body, content_type="application/json")
    assert refused.status_code in (401, 403)
    client.get("/api/tokens/")
    csrf = client.cookies["csrftoken"].value
    r = client.post("/api/v1/activities", body, content_type="application/json", headers={"X-CSRFToken": csrf})
    assert r.status_code == 201, r.content


def test_every_write_through_a_token_is_audited_with_the_tokens_account(api_as, cg_reporter, kinds):
    r = api_as(cg_reporter).post(
        "/api/v1/activities", {"unit": "540102001", "kind": "collective_study", "date": JULY, "sessions": 1}
    )
    assert r.status_code == 201
    activity = Activity.objects.get(pk=r.json()["id"])
    entry = LogEntry.objects.get_for_object(activity).get()
    assert entry.actor == cg_reporter


@override_settings(API_TOKEN_RATE_PER_MINUTE=5)
def test_token_use_is_rate_limited(api_as, cg_reporter):
    api = api_as(cg_reporter)
    codes = [api.get("/api/v1/units/540102").status_code for _ in range(7)]
    assert codes == [200] * 5 + [429] * 2
    r = api.get("/api/v1/units/540102")
    assert int(r["Retry-After"]) >= 1
    # Another token of the same account counts on its own.
    assert api_as(cg_reporter).get("/api/v1/units/540102").status_code == 200


def test_the_token_page_lists_only_the_accounts_own_tokens(cg_reporter, dz_reporter):
    create_token(actor=dz_reporter, name="dagze system")
    create_token(actor=cg_reporter, name="chengguan system")
    page = _page(cg_reporter).get("/api/tokens/").content.decode()
    assert "chengguan system" in page
    assert "dagze system" not in page


def test_a_bad_token_beside_a_session_still_meets_the_role_check(participant):
    client = Client()
    client.force_login(participant)
    r = client.get("/api/v1/activities", headers={"Authorization": "Bearer xj_bad_bad"})
    assert r.status_code == 403


def test_a_call_with_a_token_writes_nothing_and_its_use_is_recorded_by_the_task(api_as, cg_reporter):
    from core.testing import Writes
    from orgs.tasks import record_token_use

    client = api_as(cg_reporter)
    with Writes() as writes:
        assert client.get("/api/v1/units/540102").status_code == 200
    assert not writes.statements
    token = ApiToken.objects.get(account=cg_reporter)
    assert token.last_used is None
    assert record_token_use.call() == 1
    token.refresh_from_db()
    assert token.last_used is not None
    assert record_token_use.call() == 0
