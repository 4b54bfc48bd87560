"""Background work: building a report and its docx or PDF (``manage.py db_worker`` runs the
queue; the page polls the build for progress)."""

from __future__ import annotations

from django_tasks import task

from reports.services import run_build


@task()
def build_task(build_id: int) -> None:
    run_build(build_id)
