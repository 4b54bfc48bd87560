"""Submit every open attempt whose deadline has passed (takers who walked away), now. The
scheduled task ``quiz.tasks.close_expired_attempts`` does the same every minute
(``manage.py run_schedule``); pages never write it, they read such an attempt as closed."""

from django.core.management.base import BaseCommand

from quiz.services import close_expired


class Command(BaseCommand):
    help = "Submit every open quiz attempt whose deadline has passed."

    def handle(self, *args, **options):
        done = close_expired()
        self.stdout.write(f"{done} attempts closed.")
