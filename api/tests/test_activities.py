"""Activities through the API: list with the page's filters, read, create, update, delete,
and the bulk create of up to 10,000 rows."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry

from api.tests.conftest import JULY, locs
from ledger.models import Activity, ActivityRollup
from orgs.models import Unit

URL = "/api/v1/activities"


def test_a_reporter_records_an_activity_and_reads_it_back(api_as, cg_reporter, kinds):
    c = api_as(cg_reporter)
    r = c.post(URL, {"unit": "540102001", "kind": "collective_study", "date": JULY, "sessions": 2, "participants": 30})
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["unit"], body["kind"], body["sessions"], body["participants"]) == (
        "540102001",
        "collective_study",
        2,
        30,
    )
    got = c.get(f"{URL}/{body['id']}")
    assert got.status_code == 200
    assert got.json()["version"] == 1
    # The rollup of the city follows in the same transaction.
    city = Unit.objects.get(code="540100")
    assert ActivityRollup.objects.filter(unit=city).values_list("sessions", flat=True).first() == 2


def test_bad_input_is_422_with_the_field_names(api_as, cg_reporter, kinds):
    c = api_as(cg_reporter)
    r = c.post(URL, {"unit": "540102001", "kind": "collective_study", "date": "2030-01-01", "sessions": 1})
    assert r.status_code == 422
    assert ("body", "date") in locs(r)
    r = c.post(URL, {"unit": "540102001", "kind": "collective_study", "date": "not a date"})
    assert r.status_code == 422
    assert any(loc[-1] == "date" for loc in locs(r))
    r = c.post(URL, {"unit": "540102001", "kind": "collective_study", "date": JULY, "sessions": 0})
    assert ("body", "sessions") in locs(r)


def test_a_unit_outside_the_scope_cannot_be_written_to(api_as, cg_reporter, kinds):
    r = api_as(cg_reporter).post(URL, {"unit": "540104", "kind": "collective_study", "date": JULY, "sessions": 1})
    assert r.status_code == 422
    assert ("body", "unit") in locs(r)
    assert not Activity.objects.filter(unit__code="540104").exists()


def test_an_activity_outside_the_scope_is_404_for_read_update_and_delete(api_as, dz_reporter, record):
    activity = record("540102001")
    c = api_as(dz_reporter)
    assert c.get(f"{URL}/{activity.pk}").status_code == 404
    assert c.patch(f"{URL}/{activity.pk}", {"version": 1, "sessions": 5}).status_code == 404
    assert c.patch(f"{URL}/{activity.pk}", {"nonsense": True}).status_code == 404
    assert c.delete(f"{URL}/{activity.pk}").status_code == 404
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_a_leader_may_read_but_not_write(api_as, leader, record):
    activity = record("540102001")
    c = api_as(leader)
    assert c.get(f"{URL}/{activity.pk}").status_code == 200
    assert c.post(URL, {"unit": "540100", "kind": "collective_study", "date": JULY}).status_code == 403
    assert c.patch(f"{URL}/{activity.pk}", {"version": 1}).status_code == 403
    assert c.delete(f"{URL}/{activity.pk}").status_code == 403


def test_a_participant_is_refused_every_list(api_as, participant):
    assert api_as(participant).get(URL).status_code == 403


def test_an_update_names_the_version_it_read(api_as, cg_reporter, record):
    activity = record("540102001", participants=10)
    c = api_as(cg_reporter)
    r = c.patch(f"{URL}/{activity.pk}", {"version": 1, "participants": 25})
    assert r.status_code == 200, r.content
    assert (r.json()["participants"], r.json()["version"]) == (25, 2)
    stale = c.patch(f"{URL}/{activity.pk}", {"version": 1, "participants": 99})
    assert stale.status_code == 422
    assert ("body", "version") in locs(stale)


def test_delete_removes_the_row_and_its_rollup(api_as, cg_reporter, record):
    activity = record("540102001")
    r = api_as(cg_reporter).delete(f"{URL}/{activity.pk}")
    assert r.status_code == 204
    assert not Activity.objects.filter(pk=activity.pk).exists()
    assert not ActivityRollup.objects.filter(unit__code="540100").exists()


def test_the_list_filters_like_the_page_and_cursor_pagination_walks_it_fully(api_as, office, record):
    made = {
        record("540102001", title=f"t{i}", date=__import__("datetime").date(2021, 7, 1 + i % 20)).pk for i in range(23)
    }
    record("540104", title="dagze")
    c = api_as(office)
    seen, cursor, pages = [], None, 0
    while True:
        params = {"unit": "540102", "limit": 5, "sort": "-date", **({"cursor": cursor} if cursor else {})}
        r = c.get(URL, params)
        assert r.status_code == 200, r.content
        seen += [a["id"] for a in r.json()["items"]]
        pages += 1
        cursor = r.json()["next"]
        if not cursor:
            break
    assert pages == 5
    assert len(seen) == len(set(seen)) == 23
    assert set(seen) == made
    by_unit = c.get(URL, {"unit": "540104"}).json()["items"]
    assert [a["title"] for a in by_unit] == ["dagze"]
    assert c.get(URL, {"kind": "nonsense"}).status_code == 422
    assert c.get(URL, {"cursor": "garbage"}).status_code == 422
    assert c.get(URL, {"unit": "540200"}).status_code == 404


def test_the_list_never_shows_rows_outside_the_scope(api_as, dz_reporter, record):
    record("540102001", title="chengguan")
    items = api_as(dz_reporter).get(URL).json()["items"]
    assert all(a["unit"].startswith("540104") for a in items)


def _row(**fields):
    row = {"unit": "540102001", "kind": "collective_study", "date": JULY, "sessions": 1, "participants": 10}
    row.update(fields)
    return row


def test_a_bulk_of_ten_thousand_rows_with_one_bad_row_writes_nothing_and_names_it(api_as, cg_reporter, kinds):
    rows = [_row(title=f"r{i}") for i in range(10_000)]
    rows[4321] = _row(unit="540104", date="2021-13-01")
    r = api_as(cg_reporter).post(f"{URL}/bulk", {"rows": rows})
    assert r.status_code == 422
    assert set(locs(r)) == {("body", "rows", 4321, "unit"), ("body", "rows", 4321, "date")}
    assert not Activity.objects.exists()


def test_a_bulk_reports_every_problem_of_every_row_at_once(api_as, cg_reporter, kinds):
    rows = [_row(), _row(sessions="many"), _row(kind="nonsense"), _row(), _row(unit=None, date=None)]
    r = api_as(cg_reporter).post(f"{URL}/bulk", {"rows": rows})
    assert r.status_code == 422
    assert set(locs(r)) == {
        ("body", "rows", 1, "sessions"),
        ("body", "rows", 2, "kind"),
        ("body", "rows", 4, "unit"),
        ("body", "rows", 4, "date"),
    }


def test_a_bulk_of_ten_thousand_good_rows_is_written_with_one_audit_entry(api_as, cg_reporter, kinds):
    rows = [_row(title=f"r{i}") for i in range(10_000)]
    r = api_as(cg_reporter).post(f"{URL}/bulk", {"rows": rows})
    assert r.status_code == 201, r.content[:500]
    assert r.json() == {"created": 10_000}
    assert Activity.objects.filter(unit__code="540102001").count() == 10_000
    city = Unit.objects.get(code="540100")
    assert sum(ActivityRollup.objects.filter(unit=city).values_list("rows", flat=True)) == 10_000
    entries = [e for e in LogEntry.objects.all() if "activities created through the API" in (e.changes or {})]
    assert len(entries) == 1
    assert entries[0].actor == cg_reporter


def test_a_bulk_of_more_than_ten_thousand_rows_is_refused(api_as, cg_reporter, kinds):
    r = api_as(cg_reporter).post(f"{URL}/bulk", {"rows": [_row()] * 10_001})
    assert r.status_code == 422
    assert ("body", "payload", "rows") in locs(r)


@pytest.mark.parametrize("persona", ["leader", "supervisor", "participant"])
def test_only_writers_may_bulk_create(api_as, persona, request, kinds):
    account = request.getfixturevalue(persona)
    assert api_as(account).post(f"{URL}/bulk", {"rows": [_row()]}).status_code == 403
