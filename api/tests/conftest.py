"""Fixtures of the API tests. A token per persona and a client that sends it are the root
``conftest.py``'s (``token_for``, ``api_as``)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fresh_rate_limits(fresh_rate_limits):
    yield


JULY = "2021-07-01"


@pytest.fixture
def kinds(db):
    from ledger.catalogue import ensure_kinds
    from ledger.models import ActivityKind

    ensure_kinds()
    return {k.code: k for k in ActivityKind.objects.all()}


@pytest.fixture
def record(office, kinds):
    """Record an activity through the ledger's service: ``record("540102001", title="x")``."""
    import datetime

    from ledger import services
    from orgs.models import Unit

    def make(code="540102001", kind="collective_study", date=datetime.date(2021, 7, 1), actor=None, **fields):
        fields.setdefault("sessions", 1)
        return services.record_activity(
            actor=actor or office, unit=Unit.objects.get(code=code), kind=kinds[kind], date=date, **fields
        )

    return make


def locs(response) -> list:
    """The ``loc`` of every problem of a 422 answer."""
    return [tuple(item["loc"]) for item in response.json()["detail"]]
