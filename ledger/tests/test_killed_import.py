"""A worker killed with SIGKILL in the middle of writing a large import leaves the database
as it was — none of the file's rows, rollups that still agree with the rows — and the
import can be retried and then lands whole. The real commands run in separate processes
against a real file (SQLite) or database (PostgreSQL); the worker is really killed."""

from __future__ import annotations

import datetime
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.utils import translation
from openpyxl import Workbook

from core.testing import ROOT, manage

ROWS = 60_000


def _write_file(path: Path, codes: list[str]) -> None:
    from ledger import xlsx

    with translation.override("zh-hans"):
        labels = dict(xlsx.ALL_COLUMNS)
        headers = [str(labels[n]) for n in ("unit", "date", "kind", "title", "sessions", "participants")]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("activities")
    ws.append(headers)
    start = datetime.date(2021, 7, 1)
    for i in range(ROWS):
        ws.append(
            [codes[i % len(codes)], start + datetime.timedelta(days=i % 150), "集体学习", "学习党史", 1, 10 + i % 40]
        )
    wb.save(path)


def _writing_started(env: dict) -> bool:
    """True once the worker's insert is under way (uncommitted rows are being written)."""
    if "DATABASE_URL" in env:
        import psycopg

        with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
            row = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE 'INSERT INTO%%ledger_activity%%'"
            ).fetchone()
            return row[0] > 0
    wal = Path(env["XUEJIAO_VAR_DIR"]) / "xuejiao.sqlite3-wal"
    return wal.exists() and wal.stat().st_size > 2_000_000


def _count(env: dict, sql: str) -> int:
    if "DATABASE_URL" in env:
        import psycopg

        with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
            return conn.execute(sql).fetchone()[0]
    with sqlite3.connect(Path(env["XUEJIAO_VAR_DIR"]) / "xuejiao.sqlite3") as conn:
        return conn.execute(sql).fetchone()[0]


def test_an_import_killed_while_writing_leaves_nothing_and_can_be_retried(scratch_env, tmp_path):
    env = scratch_env
    manage(env, "migrate", "--noinput", "-v0")
    codes = manage(env, "shell", "-v", "0", "-c",
                    "from conftest import build_world; build_world()\n"
                    "from orgs.models import Unit; print(' '.join(Unit.objects.filter(code__startswith='540102', kind='village').values_list('code', flat=True)))").split()  # fmt: skip
    assert codes
    upload = tmp_path / "big.xlsx"
    _write_file(upload, codes)
    job_id = int(
        manage(
            env,
            "shell",
            "-v",
            "0",
            "-c",
            f"""
from django.core.files import File
from ledger.models import ActivityKind, ImportJob
from orgs.models import Account
office = Account.objects.get(username="lhasa-office")
job = ImportJob(unit=office.unit, kind=ActivityKind.objects.get(code="collective_study"), created_by=office, original_name="big.xlsx")
with open({str(upload)!r}, "rb") as fh:
    job.file.save("big.xlsx", File(fh), save=False)
job.save()
print(job.pk)
""",
        ).strip()
    )
    worker = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "shell",
            "-v",
            "0",
            "-c",
            f"from ledger.tasks import run_import; run_import({job_id})",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    for _poll in range(30_000):  # a worker that never writes fails the test instead of hanging it
        if _writing_started(env):
            break
        assert worker.poll() is None, "the import finished before it could be killed: make the file larger"
        time.sleep(0.01)
    else:
        pytest.fail("the import never started writing")
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(timeout=30)
    assert worker.returncode == -signal.SIGKILL

    # Nothing of the file is in the ledger, and the rollups still agree with the rows.
    assert _count(env, "SELECT count(*) FROM ledger_activity") == 0
    assert _count(env, "SELECT count(*) FROM ledger_activityrollup") == 0
    assert "equal the rows" in manage(env, "check_rollups")
    assert _count(env, f"SELECT count(*) FROM ledger_importjob WHERE id = {job_id} AND status = 'writing'") == 1

    # The import can be retried, and then lands whole.
    out = manage(env, "retry_import", str(job_id), "--as", "lhasa-office")
    assert f"import {job_id}" in out
    assert _count(env, "SELECT count(*) FROM ledger_activity") == ROWS
    assert _count(env, f"SELECT count(*) FROM ledger_importjob WHERE id = {job_id} AND status = 'done'") == 1
    assert "equal the rows" in manage(env, "check_rollups")
