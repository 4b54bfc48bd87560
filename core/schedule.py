"""Time-driven work, as tasks on Django's task framework: an app declares on its AppConfig
``periodic_tasks = {"app.tasks.some_task": seconds}`` (a task that takes no argument, and
how often it runs), and ``manage.py run_schedule`` enqueues each on its period for the
worker (``manage.py db_worker``) to run. A GET changes nothing: what time changes (an
attempt's deadline passing) is written by such a task, and the reads show it meanwhile.

A task is not enqueued again while its previous run still waits or runs, so a stopped
worker does not find a pile of copies when it starts again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist

log = logging.getLogger(__name__)

_PENDING = (TaskResultStatus.READY, TaskResultStatus.RUNNING)


def periodic_tasks() -> dict[str, int]:
    """Every app's periodic tasks: ``{dotted path: seconds between runs}``."""
    found: dict[str, int] = {}
    for config in apps.get_app_configs():
        found.update(getattr(config, "periodic_tasks", {}))
    return found


@dataclass
class Schedule:
    """When each periodic task was last enqueued, and its result (kept in this process)."""

    tasks: dict[str, int] = field(default_factory=periodic_tasks)
    clock: Callable[[], float] = time.monotonic
    last: dict[str, tuple[float, str]] = field(default_factory=dict)

    def _pending(self, task, result_id: str) -> bool:
        try:
            return task.get_result(result_id).status in _PENDING
        except (TaskResultDoesNotExist, NotImplementedError):
            return False

    def tick(self) -> list[str]:
        """Enqueue every task whose period has passed since it was last enqueued and whose
        last run is over; return their paths."""
        now = self.clock()
        done = []
        for path, seconds in self.tasks.items():
            seen = self.last.get(path)
            task = import_string(path)
            if seen is not None and (now - seen[0] < seconds or self._pending(task, seen[1])):
                continue
            result = task.enqueue()
            self.last[path] = (now, result.id)
            done.append(path)
        return done

    def wait(self) -> float:
        """Seconds until the next task is due (at least one)."""
        now = self.clock()
        due = [seen[0] + self.tasks[path] - now for path, seen in self.last.items() if path in self.tasks]
        return max(1.0, min(due, default=1.0))
