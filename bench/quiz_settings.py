"""Settings for the quiz benchmark: production settings, with the per-address request limit
lifted — every simulated taker comes from 127.0.0.1, as a whole village would from behind
one address. The per-taker limit stays as in production.
"""

import os

from xuejiao.settings import *  # noqa: F403  (a settings variant: all of production's, then changes)

QUIZ_RATE_LIMITS = {"address": 0}  # 0: no limit per address

# The SQLite engine, chosen by quiz_load.py --sqlite-backend: Django's own (what the settings
# use) or the writers' kernel lock kept in bench/sqlite_flock for the comparison. The options
# (WAL, BEGIN IMMEDIATE, the busy timeout) are the settings' either way.
_ENGINE = os.environ.get("QUIZ_BENCH_SQLITE_ENGINE", "")
if _ENGINE and DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["ENGINE"] = _ENGINE  # noqa: F405
