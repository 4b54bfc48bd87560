"""Background run of every check over a subtree (the page's button); ``manage.py db_worker``
runs the queue, and tests use the immediate backend."""

from __future__ import annotations

from django_tasks import task

from quality import services


@task()
def run_task(run_id: int) -> None:
    services.execute_run(run_id)
