import time

from django.core.management.base import BaseCommand

from campaigns import tallies


class Command(BaseCommand):
    help = "Recompute every tally (the counts behind the figures outside the ledger) from the rows, in one transaction."

    def handle(self, *args, **options):
        started = time.monotonic()
        n = tallies.rebuild()
        self.stdout.write(self.style.SUCCESS(f"{n} tally rows rebuilt in {time.monotonic() - started:.1f} s."))
