import time

from django.core.management.base import BaseCommand

from ledger import services


class Command(BaseCommand):
    help = "Recompute every ledger rollup row from the activities (one transaction)."

    def handle(self, *args, **options):
        started = time.monotonic()
        n = services.rebuild_rollups()
        self.stdout.write(self.style.SUCCESS(f"{n} rollup rows rebuilt in {time.monotonic() - started:.1f} s."))
