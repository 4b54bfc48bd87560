import datetime

import pytest

from ledger.catalogue import ensure_kinds
from ledger.models import ActivityKind

JULY = datetime.date(2021, 7, 1)


@pytest.fixture(autouse=True)
def kinds(db):
    """The catalogue (loaded by a migration; restored here after a flushing test)."""
    ensure_kinds()
    return {k.code: k for k in ActivityKind.objects.all()}


@pytest.fixture
def record(office):
    """Record an activity through the service: ``record("540102", "collective_study", ...)``."""
    from ledger import services
    from orgs.models import Unit

    def make(code="540102001", kind="collective_study", date=JULY, actor=None, **fields):
        fields.setdefault("sessions", 1)
        return services.record_activity(
            actor=actor or office,
            unit=Unit.objects.get(code=code),
            kind=ActivityKind.objects.get(code=kind),
            date=date,
            **fields,
        )

    return make
