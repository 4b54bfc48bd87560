"""The shared frame of ``manage.py seed_demo``.

Each app that has demo data keeps it in its own ``demo.py`` with ``build(ctx)`` (and,
optionally, ``finish(ctx)`` for work done once at the end, such as rebuilding rollups).
The command calls them in the order of ``INSTALLED_APPS``, so a later app can rely on the
tree, people and campaign that earlier apps have built. ``ctx`` carries the random generator
(seeded, so the demo is deterministic), the scale and what earlier steps have made.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from typing import Any

DEMO_PASSWORD = "xuejiao-demo-2021"
CAMPAIGN_START = datetime.date(2021, 2, 20)
CAMPAIGN_END = datetime.date(2021, 12, 31)


def ensure_reference_data() -> None:
    """Catalogues that data migrations write (concern categories, finding categories ...).
    A flush (``seed_demo --reset``, a transactional test) removes them; an app that has such
    data puts it back in its AppConfig's ``ensure_reference_data()``."""
    from django.apps import apps

    for config in apps.get_app_configs():
        if hasattr(config, "ensure_reference_data"):
            config.ensure_reference_data()


@dataclass
class DemoContext:
    scale: int = 1
    seed: int = 2021
    rng: random.Random = field(init=False)
    log: Any = print
    # Filled in by the steps: name -> object(s).
    made: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def random_day(self, start: datetime.date = CAMPAIGN_START, end: datetime.date = CAMPAIGN_END) -> datetime.date:
        return start + datetime.timedelta(days=self.rng.randrange((end - start).days + 1))
