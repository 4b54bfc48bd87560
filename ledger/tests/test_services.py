import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from campaigns.models import Campaign
from ledger import services
from ledger.models import Activity, ActivityRollup
from ledger.tests.conftest import JULY

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def _rollup(code, kind, month=JULY):
    return ActivityRollup.objects.get(unit__code=code, kind=kind, month=month)


def test_recording_an_activity_adds_it_to_its_unit_and_every_unit_above(record, kinds):
    record("540102001001", participants=30, sessions=2)
    for code in ("540102001001", "540102001", "540102", "540100"):
        row = _rollup(code, kinds["collective_study"])
        assert (row.sessions, row.participants, row.rows) == (2, 30, 1)
    assert not ActivityRollup.objects.filter(unit__code="540104").exists()


def test_an_activity_carries_its_units_region(record):
    assert record("540102001").region_code == "540100"


def test_editing_an_activity_moves_its_counts(record, kinds, office, unit):
    activity = record("540102001", participants=10)
    services.update_activity(
        actor=office, activity=activity, version=1, unit=unit("540104"), date=datetime.date(2021, 8, 3), participants=7
    )
    assert not ActivityRollup.objects.filter(unit__code="540102").exists()
    moved = _rollup("540104", kinds["collective_study"], datetime.date(2021, 8, 1))
    assert (moved.participants, moved.rows) == (7, 1)
    assert _rollup("540100", kinds["collective_study"], datetime.date(2021, 8, 1)).participants == 7
    assert services.rollup_differences() == []


def test_an_edit_made_on_a_stale_copy_is_refused(record, office):
    activity = record()
    services.update_activity(actor=office, activity=activity, version=1, participants=3)
    with pytest.raises(ValidationError) as exc:
        services.update_activity(actor=office, activity=activity, version=1, participants=4)
    assert "version" in exc.value.message_dict


def test_deleting_an_activity_takes_it_out_of_the_rollups(record, office):
    activity = record(participants=5)
    services.delete_activity(actor=office, activity=activity)
    assert not ActivityRollup.objects.exists()
    assert not Activity.objects.exists()


def test_a_reporter_cannot_record_outside_its_scope(record, cg_reporter):
    with pytest.raises(ValidationError) as exc:
        record("540104", actor=cg_reporter)
    assert "unit" in exc.value.message_dict


def test_a_leader_may_not_record(record, leader):
    with pytest.raises(ValidationError):
        record("540102", actor=leader)


def test_a_date_outside_the_campaign_is_refused(record):
    with pytest.raises(ValidationError) as exc:
        record(date=datetime.date(2022, 1, 5))
    assert "date" in exc.value.message_dict


def test_required_fields_and_negative_counts_are_refused(record):
    with pytest.raises(ValidationError) as exc:
        record(kind="lecture_theory", participants=-3)
    errors = exc.value.message_dict
    assert "participants" in errors and "venue_kind" in errors


def test_fields_that_do_not_apply_to_the_kind_are_dropped(record):
    activity = record(kind="books", copies=200, venue_kind="schools")
    assert activity.venue_kind == "" and activity.copies == 200 and activity.sessions == 1


def test_a_closed_month_locks_its_rows_for_reporters_but_not_for_the_office(record, office, cg_reporter):
    campaign = Campaign.objects.get(root_unit__code="540100")
    activity = record("540102001", actor=cg_reporter)
    services.close_period(actor=office, campaign=campaign, month=JULY)
    with pytest.raises(ValidationError):
        services.update_activity(actor=cg_reporter, activity=activity, version=1, participants=9)
    with pytest.raises(ValidationError):
        record("540102001", actor=cg_reporter)
    services.update_activity(actor=office, activity=activity, version=1, participants=9)
    services.reopen_period(actor=office, campaign=campaign, month=JULY)
    record("540102001", actor=cg_reporter)


def test_only_the_campaign_office_closes_a_month(cg_office):
    campaign = Campaign.objects.get(root_unit__code="540100")
    with pytest.raises(ValidationError):
        services.close_period(actor=cg_office, campaign=campaign, month=JULY)


def test_evidence_is_checked_by_type_and_content(record, office):
    activity = record()
    services.add_evidence(actor=office, activity=activity, upload=SimpleUploadedFile("a.png", PNG))
    with pytest.raises(ValidationError):
        services.add_evidence(actor=office, activity=activity, upload=SimpleUploadedFile("a.exe", b"MZ"))
    with pytest.raises(ValidationError):
        services.add_evidence(actor=office, activity=activity, upload=SimpleUploadedFile("a.png", b"GIF89a"))
    assert activity.evidence.count() == 1


def test_every_write_is_in_the_audit_log_with_its_actor(record, cg_reporter):
    activity = record("540102001", actor=cg_reporter)
    entry = LogEntry.objects.get_for_object(activity).get()
    assert entry.action == LogEntry.Action.CREATE


def test_the_office_adds_a_kind_that_counts_towards_lectures(office, record, cg_office):
    kind = services.create_kind(
        actor=office,
        campaigns=[Campaign.objects.get(root_unit__code="540100")],
        code="lecture_horseback",
        name_zh="马背宣讲",
        name_bo="རྟ་སྒང་ཁྱབ་བསྒྲགས།",
        name_en="Lecture on horseback",
        section="lectures",
        family="lecture",
        fields=["sessions", "participants", "venue_kind"],
        required=["venue_kind"],
    )
    record("540102001", kind="lecture_horseback", venue_kind="villages", participants=40)
    from ledger.indicators import BY_CODE
    from orgs.models import Unit

    city = Unit.objects.get(code="540100")
    assert BY_CODE["lecture.sessions"].value(city, JULY, JULY) == 1
    assert BY_CODE["lecture.sessions.villages"].value(city, JULY, JULY) == 1
    with pytest.raises(ValidationError):
        services.update_kind(actor=office, kind=kind, family="study")
    with pytest.raises(ValidationError):
        services.create_kind(actor=cg_office, code="x", name_zh="x", name_bo="x", name_en="x", section="learning",
                             family="other")  # fmt: skip


def test_rebuilding_the_rollups_gives_the_same_rows(record):
    record("540102001", participants=4)
    record("540104", kind="film", participants=50, date=datetime.date(2021, 3, 2))
    before = sorted(ActivityRollup.objects.values_list("unit_id", "kind_id", "month", "sessions", "participants"))
    services.rebuild_rollups()
    after = sorted(ActivityRollup.objects.values_list("unit_id", "kind_id", "month", "sessions", "participants"))
    assert before == after


def test_a_rollup_that_drifted_from_its_rows_is_reported_and_rebuilt(record):
    activity = record(participants=4)
    Activity.objects.filter(pk=activity.pk).update(participants=40)
    assert services.rollup_differences()
    services.rebuild_rollups()
    assert services.rollup_differences() == []


def test_moving_a_unit_carries_its_totals_to_its_new_ancestors(record, office, unit):
    from orgs.services import move_unit

    record("540102001001", participants=6)
    record("540104001", participants=2)
    township = unit("540102001")
    # The move itself (through orgs' unit_moved signal) carries the totals along.
    move_unit(actor=office, unit=township, new_parent=unit("540104"))
    assert services.rollup_differences() == []
    assert not ActivityRollup.objects.filter(unit__code="540102").exists()
    assert ActivityRollup.objects.get(unit__code="540104").participants == 8
