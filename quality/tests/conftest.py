import datetime

import pytest

from ledger.catalogue import ensure_kinds
from ledger.models import ActivityKind
from quality.catalogue import ensure_checks

JULY = datetime.date(2021, 7, 1)


@pytest.fixture(autouse=True)
def catalogues(db):
    """The kinds and the checks (loaded by migrations; restored after a flushing test)."""
    ensure_kinds()
    ensure_checks()


@pytest.fixture
def record(office):
    """Record an activity through the ledger's service: ``record("540102001", ...)``."""
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


def codes_of(obj) -> set[str]:
    from quality.selectors import flags_for

    return {f.check_item.code for f in flags_for(obj)}
