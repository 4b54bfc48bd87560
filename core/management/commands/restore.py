"""Replace the database with a backup written by ``manage.py backup``."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from core.management.commands.backup import pg_env


class Command(BaseCommand):
    help = "Replace the database with the given backup file. Stop the app servers and the worker first."

    def add_arguments(self, parser):
        parser.add_argument("path", help="A file written by manage.py backup.")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, path: str, yes: bool, **options):
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"No backup file at {source}.")
        if not yes and input(f"Replace the database with {source}? [y/N] ").strip().lower() != "y":
            raise CommandError("Not restored.")
        vendor = connection.vendor
        connection.close()
        if vendor == "sqlite":
            try:
                with sqlite3.connect(source) as check:
                    intact = check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                    intact = (
                        intact
                        and check.execute(
                            "SELECT count(*) FROM sqlite_master WHERE name = 'django_migrations'"
                        ).fetchone()[0]
                        == 1
                    )
            except sqlite3.DatabaseError:
                intact = False
            if not intact:
                raise CommandError(f"{source} is not a backup of this platform's database.")
            src = sqlite3.connect(source)
            dest = sqlite3.connect(settings.DATABASES["default"]["NAME"])
            with dest:
                src.backup(dest)
            dest.close()
            src.close()
        elif vendor == "postgresql":
            connection_args, env = pg_env()
            name = settings.DATABASES["default"]["NAME"]
            result = subprocess.run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    *connection_args,
                    "-d",
                    name,
                    str(source),
                ],
                env=env,
                capture_output=True,
                text=True,
            )
            if result.returncode:
                raise CommandError(f"pg_restore failed: {result.stderr.strip()}")
        else:
            raise CommandError(f"No restore method for {vendor}.")
        self.stdout.write(f"Restored {source}.")
