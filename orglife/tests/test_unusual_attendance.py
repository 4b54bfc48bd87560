"""The check of a meeting's attendance against what is usual for organisations at its level."""

from __future__ import annotations

import random

from core.quality import Ctx
from orglife.models import Meeting
from orglife.quality_checks import UnusualAttendance
from orglife.tests import factories as F
from orgs.choices import UnitKind
from orgs.models import Unit
from orgs.tests.factories import UnitFactory


def _meetings(counts):
    notice = F.notice()
    village = Unit.objects.get(code="540102001002")
    orgs = [
        UnitFactory(parent=village, code=f"540102001002Q{i:02d}", kind=UnitKind.PARTY_BRANCH)
        for i in range(len(counts))
    ]
    return Meeting.objects.bulk_create(
        Meeting(notice=notice, unit=org, date=F.DAY, attendee_count=n, region_code=org.region_code)
        for org, n in zip(orgs, counts, strict=True)
    )


def _hits(threshold=UnusualAttendance.entry.threshold):
    ctx = Ctx(thresholds={UnusualAttendance.code: threshold}, path="")
    return {h.pk: h.detail for h in UnusualAttendance().find(Meeting.objects.all(), ctx)}


def test_usual_attendance_is_quiet_and_thousands_at_a_branch_are_flagged(db):
    rng = random.Random(4)
    counts = [rng.randint(8, 60) for _ in range(59)] + [9_000]
    meetings = _meetings(counts)
    hits = _hits()
    assert list(hits) == [meetings[-1].pk]
    assert hits[meetings[-1].pk].code == "meeting.unusual_attendance"
    assert hits[meetings[-1].pk].params["count"] == 9_000
    assert "9000" in hits[meetings[-1].pk].text().replace(",", "")
    assert _hits(threshold=50) == {}


def test_the_demos_meetings_are_hardly_ever_flagged(demo_foundation):
    """Measured on the demo's meetings (built here, on the demo's Lhasa)."""
    from orglife import demo

    demo.build(demo_foundation)
    rows = Meeting.objects.count()
    flagged = len(_hits())
    print(f"unusual attendance on the demo's meetings: {flagged}/{rows} = {flagged / rows:.2%}")
    assert rows > 3000
    assert flagged / rows < 0.005
