import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from campaigns.models import SupervisionGroup
from orglife import services
from orglife.choices import FindingSource, MeasureStatus
from orglife.models import Finding, Measure, MeasureRefusal, Meeting, Talk
from orglife.services import FindingRow, TalkRow
from orglife.tests import factories as F
from orgs.models import Person

DAY = datetime.date(2021, 11, 5)


@pytest.fixture(autouse=True)
def in_english():
    """Messages are checked in English, their message ids."""
    with translation.override("en"):
        yield


def _errors(exc_info) -> dict:
    return exc_info.value.message_dict


def _record(actor, notice, unit, **kwargs):
    return services.record_meeting(actor=actor, notice=notice, unit=unit, date=kwargs.pop("date", DAY), **kwargs)


def test_a_reporter_records_a_meeting_of_an_organisation_in_its_scope(cg_reporter, notice, unit):
    leader = Person.objects.filter(unit__code="540102", rank="county").first()
    meeting = _record(
        cg_reporter,
        notice,
        unit(F.CHENGGUAN_ORG),
        place="党员活动室",
        attendee_count=23,
        attendees=[(leader, True)],
        minutes=SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes"),
    )
    assert meeting.region_code == "540100"
    assert meeting.attendance.get().as_ordinary_member
    assert meeting.minutes.read() == b"%PDF-1.4 minutes"


def test_a_meeting_outside_the_reporters_scope_is_refused(dz_reporter, notice, unit):
    with pytest.raises(ValidationError) as exc:
        _record(dz_reporter, notice, unit(F.CHENGGUAN_ORG))
    assert "outside your scope" in _errors(exc)["unit"][0]
    assert not Meeting.objects.filter(unit__code=F.CHENGGUAN_ORG).exists()


def test_an_organisation_records_its_meeting_once_per_notice(cg_reporter, notice, unit):
    _record(cg_reporter, notice, unit(F.CHENGGUAN_ORG))
    with pytest.raises(ValidationError) as exc:
        _record(cg_reporter, notice, unit(F.CHENGGUAN_ORG))
    assert "already" in _errors(exc)["unit"][0]


def test_a_unit_that_is_not_a_party_organisation_is_not_called_to_meet(cg_reporter, notice, unit):
    with pytest.raises(ValidationError) as exc:
        _record(cg_reporter, notice, unit("540102001001"))
    assert "unit" in _errors(exc)


def test_a_future_date_is_refused(cg_reporter, notice, unit, fixed_clock):
    with pytest.raises(ValidationError) as exc:
        _record(cg_reporter, notice, unit(F.CHENGGUAN_ORG), date=datetime.date.today() + datetime.timedelta(days=3))
    assert "date" in _errors(exc)


def test_only_members_of_the_covering_group_sit_in_as_supervisors(cg_reporter, dz_reporter, notice, unit):
    group1 = SupervisionGroup.objects.get(campaign__root_unit__code="540100", number=1)  # covers Chengguan
    group3 = SupervisionGroup.objects.get(campaign__root_unit__code="540100", number=3)
    meeting = _record(cg_reporter, notice, unit(F.CHENGGUAN_ORG), supervisors=[group1.head])
    assert list(meeting.supervisors.all()) == [group1.head]
    with pytest.raises(ValidationError) as exc:
        _record(dz_reporter, notice, unit(F.DAGZE_ORG), supervisors=[group1.head])
    assert "supervisors" in _errors(exc)
    assert _record(dz_reporter, notice, unit(F.DAGZE_ORG), supervisors=[group3.head]).pk


def test_talks_are_recorded_in_bulk_and_audited_as_one_batch(cg_reporter, unit):
    org = unit(F.CHENGGUAN_ORG)
    n = services.record_talks(
        actor=cg_reporter, unit=org, talks=[TalkRow(i, DAY, f"甲{i}", f"乙{i}") for i in range(1, 31)]
    )
    assert n == 30 and Talk.objects.filter(unit=org).count() == 30
    first = Talk.objects.filter(unit=org).order_by("pk").first()
    assert LogEntry.objects.get_for_object(first).get().changes["batch"] == ["talks", "30"]


def test_bad_talk_rows_are_all_reported_and_none_written(cg_reporter, unit):
    with pytest.raises(ValidationError) as exc:
        services.record_talks(
            actor=cg_reporter,
            unit=unit(F.CHENGGUAN_ORG),
            talks=[TalkRow(1, DAY, "甲", "乙"), TalkRow(2, None, "甲", "乙"), TalkRow(3, DAY, "", "乙")],
        )
    assert len(_errors(exc)["talks"]) == 2
    assert not Talk.objects.exists()


def _rows(n=3, **override):
    return [
        FindingRow(
            row=i,
            person_name="扎西",
            category="工作作风",
            text=f"问题{i}",
            measure="整改",
            owner="扎西",
            deadline=datetime.date(2021, 12, 31),
            **override,
        )
        for i in range(1, n + 1)
    ]


def test_a_meetings_findings_are_recorded_with_their_measures(cg_reporter, unit):
    meeting = F.meeting(F.CHENGGUAN_ORG)
    found = services.record_findings(
        actor=cg_reporter,
        unit=meeting.unit,
        source=FindingSource.MEETING,
        date=meeting.date,
        rows=_rows(40),
        meeting=meeting,
    )
    assert len(found) == 40 and meeting.findings.count() == 40
    assert Measure.objects.filter(finding__meeting=meeting, unit=meeting.unit).count() == 40


def test_every_bad_finding_row_is_reported_at_once_and_nothing_is_written(cg_reporter, unit):
    rows = _rows(3)
    rows[0].category = "不存在"
    rows[1].text = ""
    rows[2].deadline = datetime.date(2021, 1, 1)
    with pytest.raises(ValidationError) as exc:
        services.record_findings(actor=cg_reporter, unit=unit(F.CHENGGUAN_ORG), source="self", date=DAY, rows=rows)
    messages = _errors(exc)["rows"]
    assert len(messages) == 3
    assert "2021-11-05" in messages[2]
    assert not Finding.objects.exists() and not Measure.objects.exists()


def test_findings_outside_scope_are_refused(dz_reporter, unit):
    with pytest.raises(ValidationError):
        services.record_findings(actor=dz_reporter, unit=unit(F.CHENGGUAN_ORG), source="self", date=DAY, rows=_rows(1))


def test_a_deadline_before_the_findings_date_is_refused(cg_reporter):
    finding = F.finding(F.CHENGGUAN_ORG)
    with pytest.raises(ValidationError) as exc:
        services.add_measure(
            actor=cg_reporter,
            finding=finding,
            text="整改",
            owner="扎西",
            deadline=finding.date - datetime.timedelta(days=1),
        )
    assert "deadline" in _errors(exc)
    assert not finding.measures.exists()


def test_a_measure_is_done_only_with_evidence(dz_reporter):
    measure = F.measure(F.DAGZE_ORG)
    with pytest.raises(ValidationError) as exc:
        services.mark_measure_done(actor=dz_reporter, measure=measure, done_on=DAY)
    assert "evidence" in _errors(exc)
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.OPEN
    services.mark_measure_done(
        actor=dz_reporter,
        measure=measure,
        done_on=DAY,
        evidence=SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff\xe0 a photo"),
    )
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.DONE and measure.evidence


def test_the_covering_groups_supervisor_verifies_and_the_measure_is_closed(dz_reporter, supervisor):
    measure = F.measure(F.DAGZE_ORG)
    services.mark_measure_done(actor=dz_reporter, measure=measure, done_on=DAY, evidence_note="附台账")
    services.verify_measure(actor=supervisor, measure=measure, verified_on=DAY)
    services.close_measure(actor=supervisor, measure=measure, closed_on=DAY)
    measure.refresh_from_db()
    assert (measure.status, measure.verified_by) == (MeasureStatus.CLOSED, supervisor)


def test_a_supervisor_outside_the_covering_group_may_not_verify(cg_reporter, supervisor):
    measure = F.measure(F.CHENGGUAN_ORG)  # Chengguan: group 1, not supervisor-3's group 3
    services.mark_measure_done(actor=cg_reporter, measure=measure, done_on=DAY, evidence_note="附台账")
    with pytest.raises(ValidationError) as exc:
        services.verify_measure(actor=supervisor, measure=measure, verified_on=DAY)
    assert "supervision group covering" in _errors(exc)["verified_by"][0]
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.DONE and measure.verified_by is None


def test_an_office_admin_may_not_verify(office, dz_reporter):
    measure = F.measure(F.DAGZE_ORG)
    services.mark_measure_done(actor=dz_reporter, measure=measure, done_on=DAY, evidence_note="附台账")
    with pytest.raises(ValidationError):
        services.verify_measure(actor=office, measure=measure, verified_on=DAY)


def test_a_refusal_sends_the_measure_back_with_its_reason(dz_reporter, supervisor):
    measure = F.measure(F.DAGZE_ORG)
    services.mark_measure_done(actor=dz_reporter, measure=measure, done_on=DAY, evidence_note="附台账")
    with pytest.raises(ValidationError) as exc:
        services.refuse_measure(actor=supervisor, measure=measure, reason=" ")
    assert "reason" in _errors(exc)
    services.refuse_measure(actor=supervisor, measure=measure, reason="佐证材料不全")
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.OPEN and measure.done_on is None
    assert MeasureRefusal.objects.get(measure=measure).reason == "佐证材料不全"


def test_a_measure_is_never_closed_without_evidence_or_verification(office, dz_reporter):
    measure = F.measure(F.DAGZE_ORG)
    with pytest.raises(ValidationError) as exc:
        services.close_measure(actor=office, measure=measure, closed_on=DAY)
    assert "evidence" in _errors(exc)
    services.mark_measure_done(actor=dz_reporter, measure=measure, done_on=DAY, evidence_note="附台账")
    with pytest.raises(ValidationError) as exc:
        services.close_measure(actor=office, measure=measure, closed_on=DAY)
    assert "status" in _errors(exc)


def test_a_group_records_an_inspection_whose_problems_become_the_units_findings(supervisor, unit):
    group = SupervisionGroup.objects.get(campaign__root_unit__code="540100", number=3)
    inspection = services.record_inspection(
        actor=supervisor, group=group, unit=unit("540104001"), date=DAY, checked="查阅会议记录", rows=_rows(2)
    )
    assert inspection.findings.filter(source=FindingSource.INSPECTION, unit__code="540104001").count() == 2


def test_a_group_may_not_inspect_a_unit_it_does_not_cover(supervisor, unit):
    group = SupervisionGroup.objects.get(campaign__root_unit__code="540100", number=3)
    with pytest.raises(ValidationError) as exc:
        services.record_inspection(actor=supervisor, group=group, unit=unit("540102"), date=DAY, checked="x")
    assert "unit" in _errors(exc)


def test_only_an_office_admin_issues_a_notice(cg_reporter, cg_office, unit):
    from campaigns.models import Campaign

    kwargs = dict(
        campaign=Campaign.objects.get(root_unit__code="540100"),
        root_unit=unit("540102"),
        theme_zh="专题组织生活会",
        window_from=DAY,
        window_to=DAY,
        expected_kinds=["party_branch"],
        issued_on=DAY,
    )
    with pytest.raises(ValidationError):
        services.issue_notice(actor=cg_reporter, **kwargs)
    assert services.issue_notice(actor=cg_office, **kwargs).root_unit.code == "540102"
    with pytest.raises(ValidationError) as exc:
        services.issue_notice(actor=cg_office, **{**kwargs, "window_to": DAY - datetime.timedelta(days=1)})
    assert "window_to" in _errors(exc)
