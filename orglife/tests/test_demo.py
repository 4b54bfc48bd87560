"""The Lhasa demo reproduces seed section 5 as of 2021-12-31, read through the indicators."""

import datetime

import pytest

from campaigns.models import Campaign
from campaigns.selectors import coverage
from orglife import demo, selectors
from orglife.indicators import BY_CODE
from orglife.models import Meeting, MeetingNotice
from orgs.models import Unit

START, END = datetime.date(2021, 2, 20), datetime.date(2021, 12, 31)


@pytest.fixture
def lhasa_demo(demo_foundation):
    """The demo's Lhasa and its organisational life, built for the test on its own."""
    ctx = demo_foundation
    demo.build(ctx)
    return ctx.made["city"]


def _value(code, unit):
    return BY_CODE[code].value(unit, START, END)


def test_the_demo_reproduces_section_5_and_the_supervision_of_section_1(lhasa_demo):
    """One test, because building the demo takes a few seconds."""
    city = lhasa_demo
    assert 3000 < _value("orglife.meetings", city) < 3100  # 3,000余
    assert 52000 < _value("orglife.talks", city) < 53000  # 5.2万余
    assert 119000 < _value("orglife.findings", city) < 120000  # 11.9万余
    assert 120000 < _value("orglife.measures", city) < 125000  # 12万余
    expected = _value("orglife.expected", city)
    assert expected > _value("orglife.meetings", city)
    assert 90 < _value("orglife.completeness", city) < 100
    # the demos measures are mostly done and verified with a few overdue
    measures = _value("orglife.measures", city)
    done, verified = _value("orglife.measures_done", city), _value("orglife.measures_verified", city)
    overdue = _value("orglife.measures_overdue", city)
    assert measures > done > verified > 0.4 * measures
    assert 0 < overdue < 0.05 * measures
    # the eight groups inspected every county and department they cover
    campaign = Campaign.objects.get(root_unit=city)
    assert _value("supervision.groups", city) == 8
    assert _value("supervision.inspections", city) > 100
    rows = selectors.inspection_coverage(campaign)
    assert len(rows) == 8 and all(cov.inspected == len(cov.rows) for cov in rows)
    assert all(r.status == "covered" for r in coverage(campaign))
    assert Meeting.objects.filter(supervisors__isnull=False).exists()
    assert Meeting.objects.filter(touring_group_present=True).exists()
    # the figures open down to the same rows
    dagze = Unit.objects.get(code="540104")
    indicator = BY_CODE["orglife.findings"]
    assert indicator.rows(dagze, START, END).count() == indicator.value(dagze, START, END)
    notice = MeetingNotice.objects.get(root_unit=lhasa_demo)
    total = selectors.completeness(notice, lhasa_demo)
    assert total.held == _value("orglife.meetings", lhasa_demo)
    assert total.expected - total.held == selectors.missing_orgs(notice, lhasa_demo).count() > 0
