import datetime

import pytest

from concerns import services
from concerns.models import ConcernCategory
from orgs.models import Account

DAY = datetime.date(2021, 6, 1)


@pytest.fixture
def barkor(db):
    """The reporter of Barkor township (Chengguan), below the county's office."""
    return Account.objects.get(username="barkor-reporter")


@pytest.fixture
def new_concern(cg_reporter, unit):
    """A concern collected by Chengguan's reporter in a Barkor community."""

    def make(actor=None, where="540102001001", **kwargs):
        fields = {
            "unit": unit(where),
            "category": ConcernCategory.objects.get(name_zh="停车"),
            "source": "visit",
            "description": "小区停车位不足",
            "raised_by": "次仁",
            "collected_on": DAY,
        }
        fields.update(kwargs)
        return services.record_concern(actor=actor or cg_reporter, **fields)

    return make
