"""Background work: checking and writing an uploaded spreadsheet. A small file is run in
the request; a large one is enqueued and the page polls the job (``manage.py db_worker``
runs the queue)."""

from __future__ import annotations

import io
import logging

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from core import jobs, reimport, uploads
from core import xlsx as core_xlsx
from ledger import services, xlsx
from ledger.choices import ImportStatus
from ledger.models import ImportJob
from ledger.signals import import_refused

log = logging.getLogger(__name__)


IMPORT = "activities"


def import_place(unit) -> str:
    """Where an import of activities writes, for telling a file imported twice."""
    return f"{IMPORT}:{unit.code}"


def run_import(job_id: int) -> None:
    """Check every row of the job's file; write them all in one transaction only if no row
    has a problem, else keep the problems and an annotated copy of the file. Whatever
    happens, the job ends done or failed (``core.jobs.failing_on_error``), and the uploaded
    file is deleted unless its rows were written."""
    job = ImportJob.objects.select_related("created_by", "kind", "unit").get(pk=job_id)
    if job.status not in (ImportStatus.PENDING,):
        return
    user = job.created_by
    with translation.override(job.language), set_actor(user):
        with jobs.failing_on_error(job):
            _run(job, user)
        job.refresh_from_db()
        if job.status == ImportStatus.FAILED and job.file:
            uploads.discard(job.file)
            ImportJob.objects.filter(pk=job.pk).update(file="")


def _run(job: ImportJob, user) -> None:
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.CHECKING)
    path = job.file.path

    def progress(n: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(processed=n)

    try:
        checked = xlsx.check_file(path, user, job.kind, progress=progress)
    except xlsx.BadFile as exc:
        _finish(job, ImportStatus.FAILED, message=str(exc))
        return
    ImportJob.objects.filter(pk=job.pk).update(total=checked.total, processed=checked.total)
    if checked.problems or not checked.rows:
        problems = [list(p) for p in checked.problems]
        message = (
            _("Nothing was written: %(n)s problems. Correct them and upload the file again.") % {"n": len(problems)}
            if problems
            else _("The file holds no rows.")
        )
        if problems:
            buf = io.BytesIO()
            core_xlsx.annotate(path, checked.problems, buf, sheet=xlsx.SHEET, max_rows=xlsx.MAX_ROWS + 1)
            job.annotated.save(f"problems-{job.pk}.xlsx", ContentFile(buf.getvalue()), save=False)
            ImportJob.objects.filter(pk=job.pk).update(annotated=job.annotated.name)
        _finish(job, ImportStatus.FAILED, message=message, errors=problems[:5000])
        return
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.WRITING, total=len(checked.rows))
    try:
        n = services.import_activities(actor=user, rows=checked.rows, job=job)
    except ValidationError as exc:
        _finish(job, ImportStatus.FAILED, message=" ".join(exc.messages))
        return
    _finish(job, ImportStatus.DONE, message=_("%(n)s activities written.") % {"n": n}, created=n)
    reimport.remember(place=import_place(job.unit), sha256=uploads.sha256_of(path), name=job.original_name, actor=user)


def _finish(job: ImportJob, status: str, **fields) -> None:
    job.refresh_from_db()
    job.status = status
    job.finished_at = timezone.now()
    for k, v in fields.items():
        setattr(job, k, v)
    job.save()
    if status == ImportStatus.FAILED:
        import_refused.send(sender=ImportJob, job=job)


@task()
def import_task(job_id: int) -> None:
    run_import(job_id)
