"""Submit every open attempt whose deadline has passed (takers who walked away). Pages
close such attempts lazily when they are touched; run this from cron to keep the figures
current without waiting for a page view."""

from django.core.management.base import BaseCommand

from quiz.services import close_expired


class Command(BaseCommand):
    help = "Submit every open quiz attempt whose deadline has passed."

    def handle(self, *args, **options):
        done = close_expired()
        self.stdout.write(f"{done} attempts closed.")
