"""The checks in the API (/api/v1/quality): list flags (open or cleared) a page at a time,
clear with a reason, scope as everywhere."""

import pytest

from core.testing import ApiClient
from orgs.tokens import create_token
from quality.models import Flag

pytestmark = pytest.mark.django_db
BASE = "/api/v1/quality"


def as_account(account) -> ApiClient:
    return ApiClient(create_token(actor=account, name="quality test")[1])


@pytest.fixture
def flag(record):
    activity = record(code="540102001", participants=2000)
    return Flag.objects.get(object_id=activity.pk, check_item__code="activity.too_many_people")


def test_the_flags_of_the_readers_scope_are_listed(cg_office, flag):
    found = as_account(cg_office).get(f"{BASE}/flags", {"check": "activity.too_many_people"}).json()
    assert [f["id"] for f in found["items"]] == [flag.pk] and found["items"][0]["unit"] == "540102001"
    assert found["next"] is None
    item = found["items"][0]
    assert item["detail_code"] == "activity.too_many_people" and item["detail_values"]["participants"] == 2000
    assert "2000" in item["detail"].replace(",", "")


def test_a_flag_outside_the_scope_is_404_and_a_role_that_may_not_read_is_403(dz_reporter, supervisor, flag):
    outsider = as_account(supervisor)
    assert outsider.get(f"{BASE}/flags/{flag.pk}").status_code == 404
    assert outsider.get(f"{BASE}/flags", {"unit": "540102"}).status_code == 404
    assert as_account(dz_reporter).get(f"{BASE}/flags").status_code == 403


def test_clearing_through_the_api_needs_a_reason_and_shows_in_the_cleared_list(cg_office, flag):
    client = as_account(cg_office)
    refused = client.post(f"{BASE}/flags/{flag.pk}/clear", {"reason": ""})
    assert refused.status_code == 422
    response = client.post(f"{BASE}/flags/{flag.pk}/clear", {"reason": "核实无误"})
    assert response.status_code == 200 and response.json()["status"] == "cleared"
    cleared = client.get(f"{BASE}/flags", {"status": "cleared"}).json()
    assert [f["id"] for f in cleared["items"]] == [flag.pk]


def test_the_catalogue_is_listed(office):
    codes = {c["code"] for c in as_account(office).get(f"{BASE}/checks").json()}
    assert "activity.duplicate" in codes and "attempt.too_fast" in codes
