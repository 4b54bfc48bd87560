"""Every door of the ledger — the entry form, the xlsx import, the bulk API and the single
API — refuses the same bad values, with a message at the field (or cell) at fault and
nothing written, and accepts the same good ones."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from core.records import has_control_characters
from ledger import xlsx
from ledger.models import Activity, ImportJob

DAY = datetime.date(2021, 7, 3)
# (field, value, column of the test sheet); each must be refused at every door.
BAD = [
    ("participants", "²", "F"),
    ("participants", "①", "F"),
    ("participants", "1E19", "F"),
    ("participants", 10**19, "F"),
    ("participants", 10**12, "F"),
    ("participants", -1, "F"),
    ("participants", "12.5", "F"),
    ("sessions", 10_001, "E"),
    ("title", "x" * 250, "D"),
    ("title", "a\x0bb", "D"),
    ("title", "a\x1bb", "D"),
]
GOOD = [("participants", "１２", 12), ("participants", "༡༢", 12), ("participants", 1_000_000, 1_000_000)]
COLUMNS = ["unit", "date", "kind", "title", "sessions", "participants"]


def _cells(**fields):
    row = {"unit": "540102001", "date": DAY, "kind": "集体学习", "title": "", "sessions": 1, "participants": 20}
    row.update(fields)
    return row


def _import(client, row):
    wb = Workbook()
    ws = wb.active
    ws.title = "activities"
    labels = dict(xlsx.ALL_COLUMNS)
    ws.append([str(labels[c]) for c in COLUMNS])
    ws.append([row[c] for c in COLUMNS])
    buf = io.BytesIO()
    wb.save(buf)
    url = reverse("ledger:import_start", args=["collective_study"])
    client.post(url, {"file": SimpleUploadedFile("a.xlsx", buf.getvalue())}, follow=True)
    return ImportJob.objects.order_by("-pk").first()


def _api_row(**fields):
    row = {"unit": "540102001", "kind": "collective_study", "date": DAY.isoformat(), "sessions": 1, "participants": 20}
    row.update(fields)
    return row


@pytest.mark.parametrize(("field", "value", "column"), BAD, ids=[f"{f}={str(v)[:12]!r}" for f, v, _c in BAD])
def test_a_bad_value_is_refused_at_every_door_naming_its_place(as_user, api_as, cg_reporter, field, value, column):
    # The entry form: the message sits at the field.
    body = (
        as_user(cg_reporter)
        .post(
            reverse("ledger:activity_create", args=["collective_study"]),
            {"unit": "540102001", "date": DAY.isoformat(), "sessions": 1, "participants": 20, field: value},
        )
        .content.decode()
    )
    assert f'data-field="{field}"' in body
    # The xlsx import: the problem names row 2 and the column.
    # The xlsx import: the problem names row 2 and the column. (A control character cannot
    # be written into an xlsx cell; the reader never gives one back.)
    if not (isinstance(value, str) and has_control_characters(value)):
        job = _import(as_user(cg_reporter), _cells(**{field: value}))
        assert job.status == "failed"
        assert [2, column] in [e[:2] for e in job.errors], job.errors
    # The bulk API: 422 at the row's field.
    r = api_as(cg_reporter).post("/api/v1/activities/bulk", {"rows": [_api_row(), _api_row(**{field: value})]})
    assert r.status_code == 422
    assert ["body", "rows", 1, field] in [item["loc"] for item in r.json()["detail"]]
    # The single API: 422 naming the field.
    r = api_as(cg_reporter).post("/api/v1/activities", _api_row(**{field: value}))
    assert r.status_code == 422
    assert any(item["loc"][-1] == field for item in r.json()["detail"]), r.json()
    assert not Activity.objects.exists()


def test_a_month_13_is_refused_at_every_door(as_user, api_as, cg_reporter):
    body = (
        as_user(cg_reporter)
        .post(
            reverse("ledger:activity_create", args=["collective_study"]),
            {"unit": "540102001", "date": "2021-13-01", "sessions": 1, "participants": 20},
        )
        .content.decode()
    )
    assert 'data-field="date"' in body
    r = api_as(cg_reporter).post("/api/v1/activities/bulk", {"rows": [_api_row(date="2021-13-01")]})
    assert r.status_code == 422 and ["body", "rows", 0, "date"] in [i["loc"] for i in r.json()["detail"]]
    r = api_as(cg_reporter).post("/api/v1/activities", _api_row(date="2021-13-01"))
    assert r.status_code == 422
    assert not Activity.objects.exists()


@pytest.mark.parametrize(("field", "value", "stored"), GOOD)
def test_a_good_value_is_taken_the_same_at_every_door(as_user, api_as, cg_reporter, field, value, stored):
    response = as_user(cg_reporter).post(
        reverse("ledger:activity_create", args=["collective_study"]),
        {"unit": "540102001", "date": DAY.isoformat(), "sessions": 1, "participants": 20, field: value},
    )
    assert response.status_code == 302
    job = _import(as_user(cg_reporter), _cells(**{field: value}))
    assert job.status == "done", job.errors
    r = api_as(cg_reporter).post("/api/v1/activities/bulk", {"rows": [_api_row(**{field: value})]})
    assert r.status_code == 201, r.content
    r = api_as(cg_reporter).post("/api/v1/activities", _api_row(**{field: value}))
    assert r.status_code == 201, r.content
    assert list(Activity.objects.values_list(field, flat=True)) == [stored] * 4


def test_a_superscript_in_a_bulk_is_422_not_a_server_error(api_as, cg_reporter):
    r = api_as(cg_reporter).post("/api/v1/activities/bulk", {"rows": [_api_row(sessions="²")]})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "rows", 0, "sessions"]
