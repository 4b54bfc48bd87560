"""Background jobs never hang: a job that fails ends as failed with its reason and nothing
written; a job still marked as running long after it started is reported by /health/ and
the jobs page, and ``end_stale_jobs`` ends it."""

from __future__ import annotations

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import Workbook

from core import jobs
from ledger import xlsx as ledger_xlsx
from ledger.choices import ImportStatus
from ledger.models import Activity, ActivityRollup, ImportJob
from orgs.models import Unit


def _activity_file(participants) -> bytes:
    labels = dict(ledger_xlsx.ALL_COLUMNS)
    book = Workbook()
    sheet = book.active
    sheet.title = "activities"
    sheet.append([str(labels[n]) for n in ("unit", "date", "kind", "title", "sessions", "participants")])
    sheet.append(["540102001", datetime.date(2021, 7, 3), "集体学习", "学习", 1, participants])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _stuck_job(user, status=ImportStatus.WRITING, seconds_ago=None) -> ImportJob:
    job = ImportJob.objects.create(
        unit=Unit.objects.get(code="540102"), created_by=user, original_name="big.xlsx", status=status
    )
    ago = seconds_ago if seconds_ago is not None else 3600
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - datetime.timedelta(seconds=ago))
    return ImportJob.objects.get(pk=job.pk)


def test_an_error_while_writing_ends_the_import_as_failed_with_its_reason_and_nothing_written(
    as_user, cg_reporter, monkeypatch
):
    from ledger import services

    def overflow(*args, **kwargs):
        raise OverflowError("Python int too large to convert to SQLite INTEGER")

    monkeypatch.setattr(services, "insert_activity_rows", overflow)
    client = as_user(cg_reporter)
    client.post(
        reverse("ledger:import_start", args=["collective_study"]),
        {"file": SimpleUploadedFile("big.xlsx", _activity_file(5))},
    )
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED and job.finished_at is not None
    with translation.override(job.language):
        said = gettext("The job failed and nothing of it was written: %(reason)s") % {"reason": ""}
    assert job.message.startswith(said) and "OverflowError" in job.message
    assert not Activity.objects.exists() and not ActivityRollup.objects.exists()
    page = client.get(reverse("ledger:import_status", args=[job.pk])).content.decode()
    assert job.message in page
    assert not job.file, "the refused upload is deleted"


def test_a_count_too_large_for_the_database_never_leaves_the_import_writing(as_user, cg_reporter):
    as_user(cg_reporter).post(
        reverse("ledger:import_start", args=["collective_study"]),
        {"file": SimpleUploadedFile("big.xlsx", _activity_file(1e19))},
    )
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED and job.message
    assert not Activity.objects.exists() and not ActivityRollup.objects.exists()


def test_health_reports_a_job_still_running_past_its_time_and_the_command_ends_it(cg_reporter, settings):
    settings.XUEJIAO_JOB_STALE_SECONDS = 600
    fresh = _stuck_job(cg_reporter, seconds_ago=10)
    stuck = _stuck_job(cg_reporter, status=ImportStatus.CHECKING)
    response = Client().get(reverse("health"))
    assert response.status_code == 503 and response.json()["stale_jobs"] == 1
    assert stuck.stopped and not fresh.stopped

    call_command("end_stale_jobs", stdout=io.StringIO())

    stuck.refresh_from_db()
    fresh.refresh_from_db()
    with translation.override(settings.LANGUAGE_CODE):
        said = gettext(
            "Stopped: the job did not finish within %(minutes)s minutes (its worker stopped). Nothing of it was written; start it again."
        ) % {"minutes": 10}
    assert stuck.status == ImportStatus.FAILED and stuck.message == said and stuck.finished_at
    assert fresh.status == ImportStatus.WRITING
    response = Client().get(reverse("health"))
    assert response.status_code == 200 and response.json()["stale_jobs"] == 0


def test_every_kind_of_background_job_is_watched():
    labels = {m._meta.label for m in jobs.job_models()}
    assert {"ledger.ImportJob", "reports.ReportBuild", "quality.Run"} <= labels


def test_the_jobs_page_and_the_owners_page_show_a_stopped_job_as_stopped(as_user, office, cg_reporter):
    stuck = _stuck_job(cg_reporter)
    page = as_user(office).get(reverse("jobs")).content.decode()
    assert 'data-testid="stopped-jobs"' in page
    own = as_user(cg_reporter).get(reverse("ledger:import_status", args=[stuck.pk])).content.decode()
    assert 'data-testid="import-stopped"' in own and "hx-get" not in own.split('data-testid="import-progress"')[1][:5]


def test_a_task_the_queue_still_marks_as_running_is_reported_and_ended(db, settings):
    from django_tasks_db.models import DBTaskResult

    settings.XUEJIAO_JOB_STALE_SECONDS = 600
    DBTaskResult.objects.create(
        status="RUNNING",
        args_kwargs={"args": [], "kwargs": {}},
        task_path="ledger.tasks.import_task",
        backend_name="default",
        run_after=timezone.now() - datetime.timedelta(hours=1),
        started_at=timezone.now() - datetime.timedelta(hours=1),
        queue_name="default",
    )
    assert Client().get(reverse("health")).json()["stale_jobs"] == 1

    call_command("end_stale_jobs", stdout=io.StringIO())

    result = DBTaskResult.objects.get()
    assert result.status == "FAILED" and result.exception_class_path == "core.jobs.StaleJob"
    assert Client().get(reverse("health")).status_code == 200
