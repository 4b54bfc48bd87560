from django.core.management.base import BaseCommand, CommandError

from ledger import services


class Command(BaseCommand):
    help = "Compare the ledger rollups with a recomputation from the activities; exit 1 on any difference."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=20, help="Differences to print at most.")

    def handle(self, *args, limit: int, **options):
        problems = services.rollup_differences(limit=limit)
        for line in problems:
            self.stdout.write(line)
        if problems:
            raise CommandError("The rollups differ from the rows; run manage.py rebuild_rollups.")
        self.stdout.write(self.style.SUCCESS("The rollups equal the rows."))
