"""A campaign's set-up as one document, so that one campaign can be copied into the next and
one city's set-up can serve another.

The document holds the campaign's frame (``campaigns``) and a part from each app that keeps
something for a campaign: the kinds of activity and defined indicators (``ledger``), the
report's template (``reports``), the quiz bank (``quiz``) ... Each app registers its part
here from its ``AppConfig.ready``; ``campaigns`` never imports the apps above it.

A part's ``dump`` gives JSON-able rows that name other rows by code, never by primary key;
its ``load`` writes rows for a new campaign inside the caller's transaction and raises
``ValidationError({"<part>": [message naming the row]})`` for a row it cannot take, so that
a document lands whole or not at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from campaigns.models import Campaign

Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class Part:
    """What one app keeps for a campaign. Parts load in ``order`` (lower first), so a part
    may name rows an earlier one wrote (a report template names the defined indicators)."""

    name: str
    dump: Callable[[Campaign], Rows]
    load: Callable[[Campaign, Rows, Any], None]
    order: int = 100


PARTS: dict[str, Part] = {}


def register(part: Part) -> None:
    PARTS[part.name] = part


def parts() -> list[Part]:
    return sorted(PARTS.values(), key=lambda part: (part.order, part.name))
