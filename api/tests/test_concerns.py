"""Concerns through the API: list, read, record, and each step of the handling."""

from __future__ import annotations

from auditlog.models import LogEntry

from api.tests.conftest import locs
from concerns.models import Concern, ConcernCategory

URL = "/api/v1/concerns"


def _category():
    return ConcernCategory.objects.order_by("pk").first()


def _record(api, unit="540102001001", **extra):
    body = {
        "unit": unit,
        "category": _category().pk,
        "source": "hotline",
        "description": "路灯不亮",
        "raised_by": "次仁",
        "contact": "13900000001",
        "collected_on": "2021-06-01",
        **extra,
    }
    return api.post(URL, body)


def test_a_concern_is_recorded_and_walks_its_whole_handling(api_as, cg_reporter, cg_office, office):
    reporter, county, city = api_as(cg_reporter), api_as(cg_office), api_as(office)
    r = _record(reporter)
    assert r.status_code == 201, r.content
    c = r.json()
    assert (c["state"], c["version"], c["contact"]) == ("collected", 1, "13900000001")
    cid = c["id"]
    r = county.post(f"{URL}/{cid}/assign", {"version": 1, "handling_unit": "540102001"})
    assert r.status_code == 200, r.content
    assert r.json()["state"] == "assigned"
    r = reporter.post(f"{URL}/{cid}/start", {"version": 2, "note": "on it"})
    assert r.json()["state"] == "in_progress", r.content
    r = reporter.post(f"{URL}/{cid}/resolve", {"version": 3, "action_taken": "换了灯泡", "evidence": "照片"})
    assert r.json()["state"] == "resolved", r.content
    r = city.post(f"{URL}/{cid}/callback", {"version": 4, "satisfaction": "satisfied"})
    assert r.json()["state"] == "verified", r.content
    r = city.post(f"{URL}/{cid}/reopen", {"version": 5, "reason": "又坏了"})
    assert r.json()["state"] == "reopened", r.content
    detail = reporter.get(f"{URL}/{cid}").json()
    assert [e["kind"] for e in detail["events"]] == ["collect", "assign", "start", "resolve", "callback", "reopen"]
    # Every write is audited with the token's account.
    concern = Concern.objects.get(pk=cid)
    actors = set(LogEntry.objects.get_for_object(concern).values_list("actor__username", flat=True))
    assert actors == {"chengguan-reporter", "chengguan-office", "lhasa-office"}


def test_a_stale_version_is_refused_with_the_version_field(api_as, cg_reporter, cg_office):
    cid = _record(api_as(cg_reporter)).json()["id"]
    r = api_as(cg_office).post(f"{URL}/{cid}/assign", {"version": 7, "handling_unit": "540102001"})
    assert r.status_code == 422
    assert ("body", "version") in locs(r)


def test_a_step_from_the_wrong_state_is_422_on_state(api_as, cg_reporter):
    cid = _record(api_as(cg_reporter)).json()["id"]
    r = api_as(cg_reporter).post(f"{URL}/{cid}/resolve", {"version": 1, "action_taken": "x", "evidence": "y"})
    assert r.status_code == 422
    assert ("body", "state") in locs(r)


def test_not_resolvable_duplicate_return_and_sign_off(api_as, cg_reporter, cg_office):
    reporter, county = api_as(cg_reporter), api_as(cg_office)
    first = _record(reporter).json()["id"]
    second = _record(reporter).json()["id"]
    assert county.post(f"{URL}/{second}/duplicate", {"version": 1, "original": first}).json()["state"] == "duplicate"
    county.post(f"{URL}/{first}/assign", {"version": 1, "handling_unit": "540102001"})
    r = reporter.post(f"{URL}/{first}/return", {"version": 2, "reason": "不归我们管"})
    assert r.json()["state"] == "collected", r.content
    county.post(f"{URL}/{first}/assign", {"version": 3, "handling_unit": "540102001"})
    r = reporter.post(f"{URL}/{first}/mark-not-resolvable", {"version": 4, "reason": "政策不允许"})
    assert r.json()["state"] == "not_resolvable", r.content
    r = county.post(f"{URL}/{first}/sign-off", {"version": 5, "approve": True})
    assert r.json()["state"] == "closed_not_resolvable", r.content


def test_a_concern_outside_the_scope_is_404_for_reads_and_steps(api_as, cg_reporter, dz_reporter):
    cid = _record(api_as(cg_reporter)).json()["id"]
    other = api_as(dz_reporter)
    assert other.get(f"{URL}/{cid}").status_code == 404
    assert other.post(f"{URL}/{cid}/start", {"version": 1}).status_code == 404
    assert other.post(f"{URL}/{cid}/start").status_code == 404
    assert cid not in [c["id"] for c in other.get(URL).json()["items"]]


def test_a_wrong_role_is_403_before_the_body_is_read(api_as, cg_reporter, supervisor, leader):
    cid = _record(api_as(cg_reporter)).json()["id"]
    assert api_as(cg_reporter).post(f"{URL}/{cid}/sign-off").status_code == 403
    assert api_as(supervisor).post(URL, {}).status_code == 403
    assert api_as(leader).post(f"{URL}/{cid}/resolve", {"version": 1}).status_code == 403


def test_bad_input_names_the_fields(api_as, cg_reporter):
    r = _record(api_as(cg_reporter), unit="540104", source="pigeon", description="")
    assert r.status_code == 422
    assert ("body", "unit") in locs(r)
    r = api_as(cg_reporter).post(URL, {"unit": "540102"})
    assert r.status_code == 422
    assert {loc[-1] for loc in locs(r)} >= {"category", "source", "description", "raised_by"}


def test_the_list_filters_and_pages(api_as, cg_reporter, office):
    for _ in range(5):
        _record(api_as(cg_reporter))
    api = api_as(office)
    seen, cursor = [], None
    while True:
        r = api.get(URL, {"limit": 2, "state": "collected", **({"cursor": cursor} if cursor else {})})
        assert r.status_code == 200, r.content
        seen += [c["id"] for c in r.json()["items"]]
        cursor = r.json()["next"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) >= 5
    assert api.get(URL, {"state": "nonsense"}).status_code == 422


def test_supervisors_never_see_the_contact(api_as, cg_reporter, supervisor, dz_reporter):
    cid = _record(api_as(dz_reporter), unit="540104").json()["id"]
    assert api_as(supervisor).get(f"{URL}/{cid}").json()["contact"] is None


def test_categories_are_listed_with_their_names(api_as, cg_reporter):
    r = api_as(cg_reporter).get(f"{URL}/categories")
    assert r.status_code == 200
    assert r.json()[0]["names"]["bo"]
