"""Background work: building a report and its docx or PDF (``manage.py db_worker`` runs the
queue; the page polls the build for progress). ``reports.services.request_build`` records a
build and enqueues it."""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django.utils import timezone, translation
from django_tasks import task

from reports import exports
from reports.choices import BuildFormat, BuildStatus
from reports.models import ReportBuild
from reports.report import build_report, serialise
from reports.selectors import draft_texts

log = logging.getLogger(__name__)


@task()
def build_task(build_id: int) -> None:
    """Build the report of a ``ReportBuild``, reporting progress as the indicators are read,
    then render the export it asked for."""
    build = ReportBuild.objects.select_related("unit").get(pk=build_id)
    if build.status != BuildStatus.PENDING:
        return
    ReportBuild.objects.filter(pk=build.pk).update(status=BuildStatus.RUNNING, progress=5)

    def progress(done: int, total: int) -> None:
        ReportBuild.objects.filter(pk=build.pk).update(progress=5 + int(75 * done / max(total, 1)))

    try:
        with translation.override(build.language):
            report = build_report(
                build.unit,
                build.as_of,
                build.language,
                draft_texts=draft_texts(build.unit, build.as_of, build.language),
                progress=progress,
            )
            ReportBuild.objects.filter(pk=build.pk).update(progress=80)
            _body, figures = serialise(report)
            build.text = report.as_text()
            build.figures = figures
            if build.format == BuildFormat.DOCX:
                build.file.save(f"report-{build.pk}.docx", ContentFile(exports.docx_bytes(report)), save=False)
            elif build.format == BuildFormat.PDF:
                build.file.save(f"report-{build.pk}.pdf", ContentFile(exports.pdf_bytes(report)), save=False)
    except Exception as exc:  # a build must never stay "running" forever
        ReportBuild.objects.filter(pk=build.pk).update(
            status=BuildStatus.FAILED, progress=100, message=str(exc)[:2000], finished_at=timezone.now()
        )
        log.exception("report build %s failed", build.pk)
        return
    build.status = BuildStatus.DONE
    build.progress = 100
    build.finished_at = timezone.now()
    build.save(update_fields=["status", "progress", "text", "figures", "file", "finished_at"])
