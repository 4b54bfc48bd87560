"""Settings for the quiz benchmark: production settings, with the per-address request limit
lifted — every simulated taker comes from 127.0.0.1, as a whole village would from behind
one address. The per-taker limit stays as in production.

``QUIZ_BENCH_SQLITE_PERSISTENT=1`` keeps SQLite connections open between requests
(``CONN_MAX_AGE``), which production settings do not do today: opening a SQLite connection
and running its PRAGMAs costs several milliseconds per request on this machine.
"""

import os

from xuejiao.settings import *  # noqa: F403
from xuejiao.settings import DATABASES

QUIZ_RATE_LIMITS = {"address": 0}  # 0: no limit per address

if os.environ.get("QUIZ_BENCH_SQLITE_PERSISTENT") and DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["CONN_MAX_AGE"] = 600
