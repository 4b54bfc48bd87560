#!/usr/bin/env bash
# Django's own SQLite backend against the writers' kernel lock (bench/sqlite_flock), in one
# sitting: quiz_load.py runs alternate between the two, ROUNDS times each (default 2), so a
# shared machine's drift falls on both. Extra arguments go to every run (e.g. --takers 3000).
#   bench/sqlite_backends.sh [ROUNDS] [quiz_load.py arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-2}
shift || true
for round in $(seq "$rounds"); do
  for backend in flock django; do
    echo "==> round $round, $backend"
    .venv/bin/python bench/quiz_load.py --sqlite-backend "$backend" "$@" |
      grep -E "^(scratch|takers|answer |answer submissions|trivial endpoint|processor|  per |answers saved|targets)"
  done
done
