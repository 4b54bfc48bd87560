"""Settings for the quiz benchmark: production settings, with the per-address request limit
lifted — every simulated taker comes from 127.0.0.1, as a whole village would from behind
one address. The per-taker limit stays as in production.
"""

from xuejiao.settings import *  # noqa: F403  (a settings variant: all of production's, then changes)

QUIZ_RATE_LIMITS = {"address": 0}  # 0: no limit per address
