"""Units and indicators through the API."""

from __future__ import annotations

import datetime

from api.tests.conftest import locs


def test_a_unit_is_read_by_its_code(api_as, cg_office):
    r = api_as(cg_office).get("/api/v1/units/540102")
    assert r.status_code == 200
    body = r.json()
    assert (body["code"], body["kind"], body["parent"]) == ("540102", "county", "540100")
    assert body["name_bo"]


def test_a_unit_outside_the_scope_is_404(api_as, cg_office):
    assert api_as(cg_office).get("/api/v1/units/540104").status_code == 404
    assert api_as(cg_office).get("/api/v1/units/540104/children").status_code == 404
    assert api_as(cg_office).get("/api/v1/units/nonexistent").status_code == 404


def test_a_participant_may_not_read_units(api_as, participant):
    assert api_as(participant).get("/api/v1/units/540100").status_code == 403


def test_the_children_of_a_unit_are_walked_page_by_page(api_as, office):
    api = api_as(office)
    seen, cursor = [], None
    while True:
        r = api.get("/api/v1/units/540100/children", {"limit": 7, **({"cursor": cursor} if cursor else {})})
        assert r.status_code == 200
        seen += [u["code"] for u in r.json()["items"]]
        cursor = r.json()["next"]
        if not cursor:
            break
    from orgs.models import Unit

    city = Unit.objects.get(code="540100")
    assert seen == sorted(seen)
    assert len(seen) == city.numchild
    assert all(u["parent"] == "540100" for u in api.get("/api/v1/units/540100/children").json()["items"])


def test_the_whole_subtree_is_listed_with_descendants(api_as, cg_office):
    from orgs.models import Unit

    county = Unit.objects.get(code="540102")
    api, codes, cursor = api_as(cg_office), [], None
    while True:
        params = {"descendants": "true", "limit": 200, **({"cursor": cursor} if cursor else {})}
        r = api.get("/api/v1/units/540102/children", params).json()
        codes += [u["code"] for u in r["items"]]
        cursor = r["next"]
        if not cursor:
            break
    assert len(set(codes)) == len(codes)
    assert len(codes) == Unit.objects.filter(path__startswith=county.path).count() - 1


def test_indicator_values_come_with_measure_and_names(api_as, office, record):
    record("540102001", sessions=2, participants=20)
    record("540104", sessions=3, participants=5, date=datetime.date(2021, 8, 2))
    r = api_as(office).get(
        "/api/v1/indicators", {"unit": "540100", "from": "2021-07-01", "to": "2021-08-31", "codes": "study.sessions"}
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["unit"], body["from"], body["to"]) == ("540100", "2021-07-01", "2021-08-31")
    (item,) = body["items"]
    assert item["code"] == "study.sessions"
    assert item["value"] == 5
    assert item["names"]["zh"] and item["names"]["bo"] and item["names"]["en"]
    assert item["measure"]["zh"]
    assert "children" not in item or item["children"] is None


def test_indicator_breakdowns_by_children_and_by_month(api_as, office, record):
    record("540102001", sessions=2)
    record("540104", sessions=3, date=datetime.date(2021, 8, 2))
    api = api_as(office)
    params = {"unit": "540100", "from": "2021-07-01", "to": "2021-08-31", "codes": "study.sessions"}
    children = api.get("/api/v1/indicators", {**params, "breakdown": "children"}).json()["items"][0]["children"]
    by_code = {c["unit"]: c["value"] for c in children}
    assert (by_code["540102"], by_code["540104"]) == (2, 3)
    months = api.get("/api/v1/indicators", {**params, "breakdown": "month"}).json()["items"][0]["months"]
    assert [(m["month"], m["value"]) for m in months] == [("2021-07-01", 2), ("2021-08-01", 3)]


def test_every_registered_indicator_answers(api_as, office):
    from figures import catalogue

    r = api_as(office).get("/api/v1/indicators", {"breakdown": "children"})
    assert r.status_code == 200, r.content
    assert {i["code"] for i in r.json()["items"]} == set(catalogue.codes())


def test_indicator_input_is_checked(api_as, office):
    api = api_as(office)
    r = api.get("/api/v1/indicators", {"codes": "no.such"})
    assert r.status_code == 422 and ("query", "codes") in locs(r)
    r = api.get("/api/v1/indicators", {"from": "2021-09-01", "to": "2021-08-01"})
    assert r.status_code == 422 and ("query", "from") in locs(r)
    r = api.get("/api/v1/indicators", {"breakdown": "week"})
    assert r.status_code == 422 and ("query", "breakdown") in locs(r)


def test_indicators_of_a_unit_outside_the_scope_are_404(api_as, dz_reporter):
    assert api_as(dz_reporter).get("/api/v1/indicators", {"unit": "540102"}).status_code == 404
    assert api_as(dz_reporter).get("/api/v1/indicators/study.sessions/rows", {"unit": "540102"}).status_code == 404


def test_the_rows_behind_a_value_sum_to_it(api_as, office, record):
    for i in range(7):
        record("540102001", sessions=i + 1)
    api = api_as(office)
    params = {"unit": "540102", "from": "2021-07-01", "to": "2021-07-31"}
    value = api.get("/api/v1/indicators", {**params, "codes": "study.sessions"}).json()["items"][0]["value"]
    rows, cursor = [], None
    while True:
        r = api.get(
            "/api/v1/indicators/study.sessions/rows", {**params, "limit": 3, **({"cursor": cursor} if cursor else {})}
        )
        assert r.status_code == 200, r.content
        rows += r.json()["items"]
        cursor = r.json()["next"]
        if not cursor:
            break
    assert len(rows) == 7
    assert value == 28
    assert r.json()["model"] == "ledger.activity"
    assert r.json()["columns"]


def test_an_unknown_indicators_rows_are_404(api_as, office):
    assert api_as(office).get("/api/v1/indicators/no.such/rows").status_code == 404


def test_a_participant_may_not_read_indicators(api_as, participant):
    assert api_as(participant).get("/api/v1/indicators").status_code == 403
