"""The fixtures of the apps whose indicators are tested here: activities recorded through the
ledger's service, concerns through the concerns' service."""

from concerns.tests.conftest import category, new_concern
from ledger.tests.conftest import kinds, record

__all__ = ["category", "kinds", "new_concern", "record"]
