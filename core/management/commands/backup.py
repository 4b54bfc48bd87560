"""Back up the database to one file, while the platform keeps running.

SQLite: the online backup API (a consistent copy even with writers active).
PostgreSQL: pg_dump in its custom format (restore with ``manage.py restore``)."""

from __future__ import annotations

import datetime
import os
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection


def pg_env() -> tuple[list[str], dict[str, str]]:
    """Connection arguments and environment for pg_dump/pg_restore from the settings."""
    db = settings.DATABASES["default"]
    args = ["-h", db.get("HOST") or "127.0.0.1", "-p", str(db.get("PORT") or 5432), "-U", db.get("USER") or "postgres"]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


class Command(BaseCommand):
    help = "Write a consistent backup of the database to a file (default: var/backups/<timestamp>)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="Where to write the backup.")
        parser.add_argument(
            "--keep", type=int, default=0, help="After writing, keep only the newest N backups in the folder."
        )

    def handle(self, *args, path: str | None, keep: int, **options):
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        vendor = connection.vendor
        suffix = ".sqlite3" if vendor == "sqlite" else ".pgdump"
        target = Path(path) if path else Path(settings.VAR_DIR) / "backups" / f"xuejiao-{stamp}{suffix}"
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        if vendor == "sqlite":
            source = sqlite3.connect(settings.DATABASES["default"]["NAME"])
            dest = sqlite3.connect(partial)
            with dest:
                source.backup(dest)
            dest.close()
            source.close()
        elif vendor == "postgresql":
            connection_args, env = pg_env()
            name = settings.DATABASES["default"]["NAME"]
            result = subprocess.run(
                ["pg_dump", "-Fc", *connection_args, "-f", str(partial), name], env=env, capture_output=True, text=True
            )
            if result.returncode:
                partial.unlink(missing_ok=True)
                raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        else:
            raise CommandError(f"No backup method for {vendor}.")
        partial.replace(target)  # a backup file exists only once it is complete
        self.stdout.write(str(target))
        if keep:
            backups = sorted(target.parent.glob(f"xuejiao-*{suffix}"))
            for old in backups[:-keep]:
                old.unlink()
