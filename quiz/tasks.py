"""Background work of the quiz, run by the worker (``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task

from quiz.services import close_expired


@task()
def close_expired_attempts() -> int:
    """Submit every attempt whose deadline has passed. Enqueued every minute by
    ``manage.py run_schedule`` (``QuizConfig.periodic_tasks``); until it runs, the pages and
    the API read such an attempt as closed already (``quiz.selectors.as_read``)."""
    return close_expired()
