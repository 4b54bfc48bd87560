"""Several processes writing at once all succeed: SQLite runs in WAL mode with a busy
timeout and IMMEDIATE transactions, so writers queue instead of failing."""

from __future__ import annotations

import subprocess
import sys

from django.db import connection

from core.testing import ROOT, manage

WRITER = """
from django.db import transaction
from orgs.models import Person, Unit
unit = Unit.objects.get(code="W1")
for i in range({rows}):
    with transaction.atomic():
        person = Person.objects.create(name_zh="writer{n}-%d" % i, unit=unit)
        Unit.objects.filter(pk=unit.pk).update(headcount=Person.objects.filter(unit=unit).count())
print("done")
"""


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(db):
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
    # The test database lives in memory (journal "memory"); a file database reports "wal".
    assert mode in ("wal", "memory")
    assert connection.settings_dict["OPTIONS"]["timeout"] >= 10
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_four_processes_writing_at_once_lose_nothing(scratch_env):
    manage(scratch_env, "migrate", "--noinput", "-v0")
    manage(
        scratch_env,
        "shell",
        "-v",
        "0",
        "-c",
        "from orgs.services import create_root_unit; create_root_unit(code='W1', name_zh='写', name_bo='འབྲི།', kind='city')",
    )
    if "DATABASE_URL" not in scratch_env:
        mode = manage(
            scratch_env,
            "shell",
            "-v",
            "0",
            "-c",
            "from django.db import connection; c=connection.cursor(); c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])",
        )
        assert mode.strip() == "wal"
    rows = 60
    writers = [
        subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "shell", "-v", "0", "-c", WRITER.format(rows=rows, n=n)],
            env=scratch_env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(4)
    ]
    for writer in writers:
        out, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err[-2000:]
        assert "done" in out
    count = manage(
        scratch_env,
        "shell",
        "-v",
        "0",
        "-c",
        "from orgs.models import Person, Unit; u=Unit.objects.get(code='W1'); print(Person.objects.filter(unit=u).count(), u.headcount)",
    )
    persons, headcount = count.split()
    assert persons == str(4 * rows)
    if "DATABASE_URL" not in scratch_env:
        # SQLite's IMMEDIATE transactions serialise writers: the last one saw every row.
        assert headcount == str(4 * rows)
