"""Running the real management commands in a separate process, against the scratch database
of the ``scratch_env`` fixture (root ``conftest.py``): a file of its own on SQLite, a
database of its own on PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(env: dict[str, str], *args: str, input_text: str | None = None) -> str:
    """Run ``manage.py *args`` with ``env``; fail the test if it fails, else return its
    standard output."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        input=input_text,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout
