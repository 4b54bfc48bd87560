"""Work that runs in the background (an import, a report build, a run of the checks) never
hangs: it ends done or failed, with the reason shown to its owner, and a job still waiting
or running long after it was asked for is seen and ended.

A model of such work mixes in ``BackgroundJob`` and names its statuses; it has
``status``, ``message``, ``created_at`` and ``finished_at`` fields. ``failing_on_error``
wraps the work so that any exception ends the job as failed (the work's own transaction is
rolled back with it, so nothing of the batch is written). ``stale`` finds jobs waiting or
running past ``XUEJIAO_JOB_STALE_SECONDS`` in every such model (core imports no app: the
models are found among the installed ones); ``/health/`` counts them and
``manage.py end_stale_jobs`` ends them as failed."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)


class BackgroundJob:
    """Mixin for a model whose rows are pieces of background work."""

    #: Statuses in which the job is still to finish (waiting, checking, running…).
    job_running_statuses: ClassVar[tuple[str, ...]] = ()
    #: The status of a job that ended without its result.
    job_failed_status: ClassVar[str] = "failed"
    # Fields every such model has.
    status: str
    created_at: datetime.datetime

    @property
    def stopped(self) -> bool:
        """Still marked as waiting or running, but for longer than any such job takes: its
        worker died or hangs. Shown as stopped; ``end_stale_jobs`` ends it."""
        return self.status in self.job_running_statuses and self.created_at < stale_before()


def stale_before() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=settings.XUEJIAO_JOB_STALE_SECONDS)


def job_models() -> list[Any]:
    return [m for m in apps.get_models() if issubclass(m, BackgroundJob)]


def stale(model: Any) -> models.QuerySet:
    return model._default_manager.filter(status__in=model.job_running_statuses, created_at__lt=stale_before()).order_by(
        "created_at"
    )


def stale_jobs() -> Iterator[models.Model]:
    """Every stopped job, of every kind."""
    for model in job_models():
        yield from stale(model)


def stale_tasks() -> models.QuerySet:
    """Tasks the queue still marks as running past the limit (their worker died)."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status="RUNNING", started_at__lt=stale_before())


def stale_count() -> int:
    return sum(stale(model).count() for model in job_models()) + stale_tasks().count()


def health() -> dict[str, Any]:
    """What ``/health/`` says of the jobs: how many have stopped (0 when all is well)."""
    return {"stale_jobs": stale_count()}


def fail(job: Any, message: str) -> None:
    """End a job as failed with ``message`` for its owner (a job already finished is left
    as it is)."""
    model: Any = type(job)
    model._default_manager.filter(pk=job.pk, status__in=model.job_running_statuses).update(
        status=model.job_failed_status, message=message[:2000], finished_at=timezone.now()
    )


class StaleJob(Exception):
    """What a task that the queue still marked as running past the limit ended with."""


def end_stale_jobs() -> int:
    """End every stopped job as failed, and every task the queue still marks as running
    past the limit (its worker died); returns how many jobs."""
    n = 0
    for result in list(stale_tasks()):
        result.set_failed(StaleJob(f"still running after {settings.XUEJIAO_JOB_STALE_SECONDS} s: its worker stopped"))
    message = _(
        "Stopped: the job did not finish within %(minutes)s minutes (its worker stopped). Nothing of it was written; start it again."
    ) % {"minutes": settings.XUEJIAO_JOB_STALE_SECONDS // 60}
    for job in list(stale_jobs()):
        fail(job, message)
        n += 1
    return n


def reason(exc: BaseException) -> str:
    """A failure's reason as its owner reads it."""
    detail = " ".join(getattr(exc, "messages", []) or [str(exc)]).strip()
    return _("The job failed and nothing of it was written: %(reason)s") % {
        "reason": f"{type(exc).__name__}: {detail}"[:500] if not hasattr(exc, "messages") else detail
    }


@contextmanager
def failing_on_error(job: models.Model) -> Iterator[None]:
    """Run the work of ``job``; if it raises, end the job as failed with the reason (and
    swallow the error, so the queue does not run it again). Wrap the work's transaction in
    this, not this in the transaction, so the batch is rolled back before the job is
    marked."""
    try:
        yield
    except Exception as exc:  # a job must never stay "running" for ever
        log.exception("%s %s failed", type(job).__name__, job.pk)
        fail(job, reason(exc))
