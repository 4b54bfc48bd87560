"""Run again an import whose worker died while it was checking or writing (nothing of it
was written: the rows go in one transaction)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ledger import services
from ledger.models import ImportJob
from ledger.tasks import run_import
from orgs.models import Account


class Command(BaseCommand):
    help = "Retry an interrupted import (status checking or writing) now, in this process."

    def add_arguments(self, parser):
        parser.add_argument("job_id", type=int)
        parser.add_argument("--as", dest="username", required=True, help="The office account that retries it.")

    def handle(self, *args, job_id: int, username: str, **options):
        try:
            job = ImportJob.objects.get(pk=job_id)
            actor = Account.objects.get(username=username)
            services.retry_import(actor=actor, job=job)
        except (ImportJob.DoesNotExist, Account.DoesNotExist) as exc:
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        run_import(job.pk)
        job.refresh_from_db()
        self.stdout.write(f"import {job.pk}: {job.get_status_display()} — {job.message}")
