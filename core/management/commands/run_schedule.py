"""Enqueue the apps' periodic tasks on their periods (``core/schedule.py``), for the worker
to run. Runs beside ``manage.py db_worker``: ``scripts/demo`` starts both, and so does the
deployment (``deploy/xuejiao-schedule.service``)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from core.schedule import Schedule


class Command(BaseCommand):
    help = (
        "Enqueue the periodic tasks the apps declare (AppConfig.periodic_tasks) on their periods, "
        "for manage.py db_worker to run; --once enqueues each once and exits."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Enqueue every periodic task once, then exit.")

    def handle(self, *args, once=False, **options):
        schedule = Schedule()
        while True:
            for path in schedule.tick():
                self.stdout.write(f"enqueued {path}")
            if once:
                return
            time.sleep(schedule.wait())
