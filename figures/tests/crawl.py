"""Inside and outside values of the indicator pages' URL parameters for a persona: an
indicator is the same for everyone (its figures follow the reader's scope)."""

from __future__ import annotations

from orgs.models import Account


def indicator_code(account: Account, inside: bool):
    return "study.sessions" if inside else None


PARAMS = {"indicator": indicator_code}
