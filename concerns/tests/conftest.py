import datetime

import pytest

from concerns import services
from concerns.models import ConcernCategory

DAY = datetime.date(2021, 6, 1)


@pytest.fixture
def category(db):
    return ConcernCategory.objects.get(name_zh="停车")


@pytest.fixture
def new_concern(cg_reporter, unit, category):
    """A concern collected by Chengguan's reporter in a Barkor community."""

    def make(actor=None, where="540102001001", **kwargs):
        fields = {
            "unit": unit(where),
            "category": category,
            "source": "visit",
            "description": "小区停车位不足",
            "raised_by": "次仁",
            "contact": "13900000001",
            "collected_on": DAY,
        }
        fields.update(kwargs)
        return services.record_concern(actor=actor or cg_reporter, **fields)

    return make
