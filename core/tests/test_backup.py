"""Backup and restore round-trip the demo database: after a restore every table holds
exactly what it held when the backup was taken. Runs the real commands in a separate
process against a real file (SQLite) or a real database (PostgreSQL). The demo is loaded on
purpose (``seed_demo`` in the scratch database, not the tests' small world): it fills every
app's tables, with every kind of column the round trip must carry."""

from __future__ import annotations

import subprocess
import sys

from core.testing import ROOT, manage

CHECKSUM = """
import hashlib, json
from django.db import connection
out = {}
with connection.cursor() as cur:
    for table in sorted(connection.introspection.table_names()):
        cur.execute(f'SELECT * FROM "{table}" ORDER BY 1')
        digest = hashlib.sha256()
        rows = 0
        for row in cur.fetchall():
            digest.update(repr(row).encode())
            rows += 1
        out[table] = [rows, digest.hexdigest()]
print(json.dumps(out))
"""


def test_backup_and_restore_round_trip_the_demo_database(scratch_env, tmp_path):
    import json

    manage(scratch_env, "migrate", "--noinput", "-v0")
    manage(scratch_env, "seed_demo")
    before = json.loads(manage(scratch_env, "shell", "-v", "0", "-c", CHECKSUM))
    assert before["orgs_unit"][0] > 3000

    backup = tmp_path / "demo.backup"
    manage(scratch_env, "backup", str(backup))
    assert backup.stat().st_size > 0

    # Damage the database after the backup: rows gone, rows changed.
    manage(
        scratch_env,
        "shell",
        "-v",
        "0",
        "-c",
        "from orgs.models import Person, Unit; Person.objects.filter(rank='other').delete(); "
        "Unit.objects.filter(code='540102').update(name_zh='changed')",
    )
    assert json.loads(manage(scratch_env, "shell", "-v", "0", "-c", CHECKSUM)) != before

    manage(scratch_env, "restore", str(backup), "--yes")
    after = json.loads(manage(scratch_env, "shell", "-v", "0", "-c", CHECKSUM))
    assert after == before


def test_restore_refuses_a_file_that_is_not_a_backup(scratch_env, tmp_path):
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    manage(scratch_env, "migrate", "--noinput", "-v0")
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "restore", str(junk), "--yes"],
        env=scratch_env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "junk.sqlite3" in result.stderr or "pg_restore failed" in result.stderr
