"""Meetings, findings and measures; quiz results per unit; report builds and published
reports — through the API."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from api.tests.conftest import locs
from orglife.tests import factories as orglife_rows
from quiz.tests import factories as quiz_rows

ORG = orglife_rows.CHENGGUAN_ORG
DZ_ORG = orglife_rows.DAGZE_ORG


# --- meetings, findings, measures --------------------------------------------------------------


def test_a_reporter_records_a_meeting_and_reads_it(api_as, cg_reporter):
    notice = orglife_rows.notice()
    api = api_as(cg_reporter)
    r = api.post(
        "/api/v1/orglife/meetings", {"notice": notice.pk, "unit": ORG, "date": "2021-10-15", "attendee_count": 9}
    )
    assert r.status_code == 201, r.content
    mid = r.json()["id"]
    assert api.get(f"/api/v1/orglife/meetings/{mid}").json()["attendee_count"] == 9
    assert mid in [m["id"] for m in api.get("/api/v1/orglife/meetings").json()["items"]]
    again = api.post("/api/v1/orglife/meetings", {"notice": notice.pk, "unit": ORG, "date": "2021-10-15"})
    assert again.status_code == 422 and ("body", "unit") in locs(again)
    assert notice.pk in [n["id"] for n in api.get("/api/v1/orglife/notices").json()]


def test_meetings_outside_the_scope_are_404_and_leaders_may_not_record(api_as, dz_reporter, leader):
    meeting = orglife_rows.meeting(ORG)
    assert api_as(dz_reporter).get(f"/api/v1/orglife/meetings/{meeting.pk}").status_code == 404
    assert api_as(leader).post("/api/v1/orglife/meetings", {}).status_code == 403


def test_findings_are_recorded_as_a_batch_and_a_bad_row_writes_nothing(api_as, cg_reporter):
    meeting = orglife_rows.meeting(ORG)
    api = api_as(cg_reporter)
    body = {
        "unit": ORG,
        "source": "meeting",
        "date": "2021-10-15",
        "meeting": meeting.pk,
        "rows": [
            {"category": "style", "text": "调研不够", "measure": "每月调研", "owner": "扎西", "deadline": "2021-12-31"},
            {"category": "learning", "text": "学习不深"},
        ],
    }
    r = api.post("/api/v1/orglife/findings", body)
    assert r.status_code == 201, r.content
    first, second = r.json()
    assert (len(first["measures"]), len(second["measures"])) == (1, 0)
    assert api.get(f"/api/v1/orglife/findings/{first['id']}").json()["category"] == "style"
    bad = {**body, "rows": [{"category": "nonsense", "text": "x"}]}
    r = api.post("/api/v1/orglife/findings", bad)
    assert r.status_code == 422 and ("body", "rows") in locs(r)
    r = api.post(
        f"/api/v1/orglife/findings/{first['id']}/measures",
        {"text": "再整改", "owner": "次仁", "deadline": "2021-12-01"},
    )
    assert r.status_code == 201, r.content


def test_a_measure_is_done_verified_and_closed_each_by_its_own_role(
    api_as, dz_reporter, supervisor, office, fixed_clock
):
    measure = orglife_rows.measure(DZ_ORG)
    url = f"/api/v1/orglife/measures/{measure.pk}"
    today = timezone.localdate().isoformat()
    assert api_as(dz_reporter).post(f"{url}/verify", {"verified_on": today}).status_code == 403
    r = api_as(dz_reporter).post(f"{url}/done", {"done_on": today, "evidence_note": "调研记录三份"})
    assert r.status_code == 200 and r.json()["status"] == "done", r.content
    r = api_as(supervisor).post(f"{url}/refuse", {"reason": ""})
    assert r.status_code == 422 and ("body", "reason") in locs(r)
    r = api_as(supervisor).post(f"{url}/verify", {"verified_on": today})
    assert r.json()["status"] == "verified", r.content
    r = api_as(office).post(f"{url}/close", {"closed_on": today})
    assert r.json()["status"] == "closed", r.content
    assert api_as(office).get(url).json()["closed_on"] == today


def test_measures_outside_the_scope_are_404(api_as, cg_reporter):
    measure = orglife_rows.measure(DZ_ORG)
    api = api_as(cg_reporter)
    assert api.get(f"/api/v1/orglife/measures/{measure.pk}").status_code == 404
    assert api.post(f"/api/v1/orglife/measures/{measure.pk}/done", {}).status_code == 404
    assert measure.pk not in [m["id"] for m in api.get("/api/v1/orglife/measures").json()["items"]]
    assert api.get("/api/v1/orglife/measures", {"status": "nonsense"}).status_code == 422


# --- quiz --------------------------------------------------------------------------------------


def test_quiz_results_per_unit(api_as, office, dz_reporter):
    quiz = quiz_rows.open_quiz()
    r = api_as(office).get(f"/api/v1/quiz/quizzes/{quiz.pk}/results")
    assert r.status_code == 200, r.content
    assert r.json()["root"]["unit"] == "540100"
    assert len(r.json()["children"]) > 5
    mine = api_as(dz_reporter).get(f"/api/v1/quiz/quizzes/{quiz.pk}/results")
    assert mine.json()["root"]["unit"] == "540104"
    assert api_as(dz_reporter).get(f"/api/v1/quiz/quizzes/{quiz.pk}/results", {"unit": "540102"}).status_code == 404
    assert quiz.pk in [q["id"] for q in api_as(office).get("/api/v1/quiz/quizzes").json()["items"]]


def test_a_quiz_of_another_city_is_404_and_participants_are_refused(api_as, office, participant):
    other = quiz_rows.open_quiz("540200")
    assert api_as(office).get(f"/api/v1/quiz/quizzes/{other.pk}/results").status_code == 404
    assert api_as(participant).get("/api/v1/quiz/quizzes").status_code == 403


# --- reports -----------------------------------------------------------------------------------


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_a_report_is_built_in_the_background_and_polled(
    api_as, cg_office, immediate_tasks, django_capture_on_commit_callbacks
):
    api = api_as(cg_office)
    with django_capture_on_commit_callbacks(execute=True):
        r = api.post("/api/v1/reports/builds", {"unit": "540102", "as_of": "2021-12-31", "format": "page"})
    assert r.status_code == 202, r.content
    build = r.json()
    assert build["status"] in ("pending", "running", "done")
    polled = api.get(f"/api/v1/reports/builds/{build['id']}").json()
    assert polled["status"] == "done", polled["message"]
    assert polled["text"]


def test_report_builds_check_input_and_scope(api_as, cg_office, dz_reporter, participant):
    api = api_as(cg_office)
    r = api.post("/api/v1/reports/builds", {"unit": "540102", "format": "exe"})
    assert r.status_code == 422 and ("body", "format") in locs(r)
    r = api.post("/api/v1/reports/builds", {"unit": "540104"})
    assert r.status_code == 422 and ("body", "unit") in locs(r)
    assert api_as(participant).post("/api/v1/reports/builds", {"unit": "540102"}).status_code == 403


def test_a_published_report_is_read_as_its_frozen_snapshot(api_as, office, dz_reporter):
    from orgs.models import Unit
    from reports import services

    published = services.publish_report(
        actor=office, unit=Unit.objects.get(code="540100"), as_of=datetime.date(2021, 12, 31), language="zh-hans"
    )
    r = api_as(office).get(f"/api/v1/reports/published/{published.pk}")
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["sha256"], body["intact"]) == (published.sha256, True)
    assert body["figures"]
    assert api_as(dz_reporter).get(f"/api/v1/reports/published/{published.pk}").status_code == 404
    assert published.pk in [p["id"] for p in api_as(office).get("/api/v1/reports/published").json()["items"]]
