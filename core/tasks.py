"""Background work of the shell's own, run by the worker (``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task

from core import jobs


@task()
def end_stale_jobs() -> int:
    """End as failed every job still waiting or running past ``XUEJIAO_JOB_STALE_SECONDS``.
    Enqueued every ten minutes by ``manage.py run_schedule`` (``CoreConfig.periodic_tasks``)."""
    return jobs.end_stale_jobs()
