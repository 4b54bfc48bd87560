"""Background work of the accounts, run by the worker (``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task

from orgs import tokens


@task()
def record_token_use() -> int:
    """The API tokens' last use, from the cache to the tokens; enqueued every minute by
    ``manage.py run_schedule`` (``OrgsConfig.periodic_tasks``)."""
    return tokens.record_token_use()
