"""Rows for tests, written directly (they are the world a test starts from, not what it
checks). Idempotent, so the crawl providers can call them once per persona."""

from __future__ import annotations

import datetime

from campaigns.models import Campaign
from orglife.choices import FindingSource
from orglife.models import Finding, FindingCategory, Measure, Meeting, MeetingNotice
from orgs.choices import UnitKind
from orgs.models import Unit

DAY = datetime.date(2021, 10, 15)
CHENGGUAN_ORG = "540102001001P1"
DAGZE_ORG = "540104001001P1"
SHIGATSE_ORG = "540202P1"


def shigatse_org() -> Unit:
    found = Unit.objects.filter(code=SHIGATSE_ORG).first()
    if found:
        return found
    county = Unit.objects.get(code="540202")
    return Unit.objects.add_child(
        county,
        create_kwargs={
            "code": SHIGATSE_ORG,
            "name_zh": "桑珠孜区支部",
            "name_bo": "བསམ་གྲུབ་རྩེ་ཆུས་ཀྱི་ཏང་ཚོགས་ཡན་ལག",
            "kind": UnitKind.PARTY_BRANCH,
            "region_code": "540200",
        },
    )


def notice(root_code: str = "540100") -> MeetingNotice:
    root = Unit.objects.get(code=root_code)
    found = MeetingNotice.objects.filter(root_unit=root).first()
    if found:
        return found
    return MeetingNotice.objects.create(
        # The campaign of the notice's 2021 dates, where the city runs several.
        campaign=Campaign.objects.filter(root_unit__code=root_code, start__lte=DAY, end__gte=DAY).first(),
        root_unit=root,
        theme_zh="学史明理专题组织生活会",
        theme_bo="ལོ་རྒྱུས་སློབ་ནས་རིགས་པ་གསལ་བའི་ཆེད་དོན་ཚོགས་འདུ།",
        window_from=datetime.date(2021, 10, 1),
        window_to=datetime.date(2021, 11, 30),
        expected_kinds=[UnitKind.PARTY_COMMITTEE, UnitKind.PARTY_GENERAL_BRANCH, UnitKind.PARTY_BRANCH],
        issued_on=datetime.date(2021, 9, 20),
    )


def meeting(org_code: str, day: datetime.date = DAY) -> Meeting:
    org = shigatse_org() if org_code == SHIGATSE_ORG else Unit.objects.get(code=org_code)
    n = notice("540200" if org.region_code == "540200" else "540100")
    found = Meeting.objects.filter(notice=n, unit=org).first()
    if found:
        return found
    return Meeting.objects.create(
        notice=n, unit=org, date=day, place="会议室", attendee_count=12, region_code=org.region_code
    )


def finding(org_code: str) -> Finding:
    m = meeting(org_code)
    found = Finding.objects.filter(meeting=m).first()
    if found:
        return found
    return Finding.objects.create(
        unit=m.unit,
        category=FindingCategory.objects.get(code="style"),
        text="深入基层调研不够",
        source=FindingSource.MEETING,
        meeting=m,
        date=m.date,
        region_code=m.region_code,
    )


def measure(org_code: str) -> Measure:
    f = finding(org_code)
    found = f.measures.first()
    if found:
        return found
    return Measure.objects.create(
        finding=f,
        unit=f.unit,
        set_on=f.date,
        text="每月到联系村调研不少于2次",
        owner="扎西",
        deadline=datetime.date(2021, 12, 31),
        region_code=f.region_code,
    )
