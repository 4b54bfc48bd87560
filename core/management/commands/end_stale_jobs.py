"""End as failed every background job (import, report build, run of the checks) that is
still marked as waiting or running past ``XUEJIAO_JOB_STALE_SECONDS``: its worker died or
hangs, and its owner should see it failed and start it again rather than wait for ever.
The periodic task ``core.tasks.end_stale_jobs`` does the same every ten minutes."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from core import jobs


class Command(BaseCommand):
    help = (
        "End as failed every background job still waiting or running past XUEJIAO_JOB_STALE_SECONDS "
        "(an import, a report build, a run of the checks), with the reason shown to its owner."
    )

    def handle(self, *args, **options) -> None:
        n = jobs.end_stale_jobs()
        self.stdout.write(f"{n} stale jobs ended.")
