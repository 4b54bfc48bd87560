"""The inbox's scheduled work, run by the worker (``manage.py db_worker``) and enqueued by
``manage.py run_schedule`` (``InboxConfig.periodic_tasks``)."""

from __future__ import annotations

from django_tasks import task

from inbox import services


@task()
def send_deadline_notices() -> int:
    """Notices of the limits falling in three days and of those just passed."""
    return services.send_deadline_notices()


@task()
def send_daily_digest() -> int:
    """The day's digest e-mail to each account with work waiting (once a day)."""
    return services.send_daily_digest()
