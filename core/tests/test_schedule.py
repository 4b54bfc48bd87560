"""The schedule of periodic tasks: each app's tasks enqueued on their period, never a second
copy while one still waits for the worker."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.schedule import Schedule, periodic_tasks

CLOSE = "quiz.tasks.close_expired_attempts"


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_the_apps_declare_their_periodic_tasks():
    assert periodic_tasks()[CLOSE] == 60


def test_a_task_is_enqueued_on_its_period_and_not_while_it_still_waits(db):
    clock = Clock()
    schedule = Schedule(tasks={CLOSE: 60}, clock=clock)
    assert schedule.tick() == [CLOSE]
    clock.now += 30
    assert schedule.tick() == [] and schedule.wait() == 30
    clock.now += 300
    assert schedule.tick() == []  # nobody ran the first: no second copy
    # The worker takes it and ends it (marked so here: the worker's own connection handling
    # would close the test's transaction on PostgreSQL).
    DBTaskResult.objects.update(status=TaskResultStatus.SUCCESSFUL, finished_at=timezone.now())
    assert schedule.tick() == [CLOSE]


def test_the_command_enqueues_every_periodic_task_once(db):
    out = io.StringIO()
    call_command("run_schedule", "--once", stdout=out)
    assert f"enqueued {CLOSE}" in out.getvalue()
