"""What the benchmark scripts share: running one step of a benchmark in a child process.

Each benchmark (``bench/figures.py``, ``bench/ledger.py``) runs standalone and drives its
steps (build, measure, import ...) as ``SCRIPT --worker STEP ...`` in a fresh process, so
that one step's memory and caches do not colour the next one's figures.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_step(script: str, args: list[str], var_dir: Path) -> dict:
    """Run the benchmark ``script`` with ``args`` in a child process, from the project's root,
    with ``XUEJIAO_VAR_DIR`` set to ``var_dir``; the result is the JSON object the child
    prints on its last line. A failed step shows the child's output and ends the benchmark."""
    env = {**os.environ, "XUEJIAO_VAR_DIR": str(var_dir)}
    proc = subprocess.run(
        [sys.executable, script, *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"benchmark step {args} failed")
    return json.loads(proc.stdout.strip().splitlines()[-1])
