"""Deciding on flags, tuning checks, and what flags do (and do not do) to figures."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from ledger.indicators import BY_CODE
from ledger.models import Activity
from orgs.models import Unit
from quality import enabled, selectors, services
from quality.choices import FlagStatus
from quality.models import Check, Flag
from quality.tests.conftest import codes_of

pytestmark = pytest.mark.django_db
START, END = datetime.date(2021, 2, 20), datetime.date(2021, 12, 31)


@pytest.fixture
def punctual(db):
    """Rows recorded in a test are entered years after their 2021 dates: leave the late-entry
    check out where it would blur what a test is about."""
    Check.objects.filter(code="activity.late_entry").update(enabled=False)


def _people_flag(record):
    activity = record(code="540102001", participants=2000)
    return activity, Flag.objects.get(check_item__code="activity.too_many_people", object_id=activity.pk)


def test_clearing_a_flag_needs_a_reason_and_is_audited(record, office):
    _activity, flag = _people_flag(record)
    with pytest.raises(ValidationError):
        services.clear_flag(actor=office, flag=flag, reason="  ")
    services.clear_flag(actor=office, flag=flag, reason="全乡大会，各村群众都参加了")
    flag.refresh_from_db()
    assert flag.status == FlagStatus.CLEARED and flag.cleared_by == office and flag.cleared_at
    entry = LogEntry.objects.get_for_object(flag).latest("timestamp")
    assert "status" in entry.changes_dict and entry.changes_dict["status"][1] == "cleared"


def test_a_cleared_flag_is_not_raised_again(record, office, unit):
    activity, flag = _people_flag(record)
    services.clear_flag(actor=office, flag=flag, reason="核实无误")
    services.run_checks(unit("540102001"))
    services.check_rows(Activity, [activity])
    assert list(
        Flag.objects.filter(object_id=activity.pk, check_item=flag.check_item).values_list("status", flat=True)
    ) == ["cleared"]
    assert "activity.too_many_people" not in codes_of(activity)


def test_a_reporter_may_not_decide_and_nobody_decides_outside_scope(record, cg_reporter, dz_reporter, supervisor):
    _activity, flag = _people_flag(record)  # in Chengguan
    with pytest.raises(ValidationError):
        services.confirm_flag(actor=cg_reporter, flag=flag)
    with pytest.raises(ValidationError):
        services.clear_flag(actor=supervisor, flag=flag, reason="x")  # group 3 covers Dagzê only


def test_a_flagged_row_still_counts_and_the_figure_without_it_is_shown(record, unit, punctual):
    record(code="540102001", participants=2000, title="全乡大会")
    record(code="540102001", participants=30, title="支部学习")
    study = BY_CODE["study.sessions"]
    assert study.value(unit("540102"), START, END) == 2  # the flag changes nothing
    pairs = {p.indicator.code: p for p in selectors.figures_with_and_without(unit("540102"), START, END)}
    assert pairs["study.sessions"].value == 2 and pairs["study.sessions"].without == 1
    assert pairs["study.sessions"].flagged_rows == 1


def test_a_cleared_flag_no_longer_takes_its_row_out_of_the_figure(record, office, unit, punctual):
    _activity, flag = _people_flag(record)
    services.clear_flag(actor=office, flag=flag, reason="核实无误")
    codes = {p.indicator.code for p in selectors.figures_with_and_without(unit("540102"), START, END)}
    assert "study.sessions" not in codes


def test_the_city_office_tunes_a_threshold_and_a_county_office_may_not(office, cg_office):
    check = Check.objects.get(code="activity.late_entry")
    services.update_check(actor=office, check=check, threshold="90", severity="medium", enabled=True)
    check.refresh_from_db()
    assert check.threshold == 90 and check.severity == "medium"
    with pytest.raises(ValidationError):
        services.update_check(actor=cg_office, check=check, threshold="1", severity="low", enabled=True)
    with pytest.raises(ValidationError):
        services.update_check(actor=office, check=check, threshold="-1", severity="low", enabled=True)


def test_completeness_never_exceeds_100_percent_and_leaves_closed_units_out(record, unit):
    township = unit("540102001")
    for _ in range(3):
        record(code="540102001", date=datetime.date(2021, 7, 5))  # three rows, one unit-month
    record(code="540102001001P1", date=datetime.date(2021, 7, 9))  # a branch counts for its village
    july = (datetime.date(2021, 7, 1), datetime.date(2021, 7, 31))
    result = selectors.activity_reporting(township, *july)
    expected_units = Unit.objects.filter(
        path__startswith=township.path, kind__in=selectors.REPORTING_KINDS, active=True
    ).count()
    assert result.expected == expected_units and result.submitted == 2
    assert result.submitted <= result.expected and result.submitted_rate <= 100
    assert result.on_time == 0  # entered years after July
    Unit.objects.filter(code="540102001001").update(active=False)
    closed = selectors.activity_reporting(township, *july)
    assert closed.expected == expected_units - 1 and closed.submitted == 1
    assert all(g.unit.code != "540102001001" for g in closed.gaps)
    assert {g.unit.code for g in closed.gaps} == set(
        Unit.objects.filter(path__startswith=township.path, kind__in=selectors.REPORTING_KINDS, active=True)
        .exclude(code="540102001")
        .values_list("code", flat=True)
    ) | {"540102001"}


def test_entry_delays_and_month_end_units_are_measured(record, unit):
    record(code="540102001", date=datetime.date(2021, 7, 5))
    delays = selectors.entry_delays(unit("540102"), START, END)
    assert delays.rows == 1 and sum(n for _b, n in delays.buckets) == 1
    assert delays.buckets[-1][1] == 1  # years late: the last bucket


def test_a_new_row_that_trips_no_check_reads_and_writes_nothing(world, django_assert_num_queries):
    """Starting a quiz attempt is on the quiz's hot path: its check (answered too fast)
    cannot trip before the attempt is submitted, so it reads and writes nothing."""
    from quiz.tests.factories import attempt_for, open_quiz, taker_in

    attempt = attempt_for(taker_in("540102001"), open_quiz())
    with django_assert_num_queries(0):  # not even a savepoint
        assert services.check_object(attempt, created=True) == 0
    attempt.submitted_at = attempt.started_at + datetime.timedelta(seconds=1)  # 20 questions in a second
    enabled.forget()  # a process that has not read the checks yet
    with django_assert_num_queries(6):  # the checks in a savepoint, then the flag in the check's
        assert services.check_object(attempt, created=True) == 1
    Flag.objects.filter(object_id=attempt.pk).delete()
    with django_assert_num_queries(3):  # the checks known to the process: the flag alone
        assert services.check_object(attempt, created=True) == 1


def test_no_check_flags_a_quiz_attempt_before_it_is_submitted(world):
    """What ``first_flaggable_on`` of an attempt's submission stands on: every check of
    attempts, cheap or batch, passes an open attempt by, however it looks; submitted, the
    same attempts are flagged."""
    from quiz.models import Attempt
    from quiz.tests.factories import attempt_for, open_quiz, taker_in

    Check.objects.filter(code="attempt.same_answers").update(threshold=2)
    quiz = open_quiz()
    pks = [attempt_for(taker_in("540102001", name=f"答题人{i}"), quiz).pk for i in range(3)]
    Attempt.objects.filter(pk__in=pks).update(answers=["A"] * 5)
    attempts = list(Attempt.objects.filter(pk__in=pks))
    assert services.check_rows(Attempt, attempts) == 0
    for attempt in attempts:
        assert services.check_object(attempt) == 0
    assert not Flag.objects.filter(object_id__in=pks).exists()
    for attempt in attempts:
        Attempt.objects.filter(pk=attempt.pk).update(submitted_at=attempt.started_at + datetime.timedelta(seconds=1))
    assert services.check_rows(Attempt, pks) == 6
    assert {codes_of(a) == {"attempt.too_fast", "attempt.same_answers"} for a in attempts} == {True}


def test_a_first_submission_reads_no_flags(world, django_assert_num_queries):
    from quiz.tests.factories import attempt_for, open_quiz, taker_in

    attempt = attempt_for(taker_in("540102001"), open_quiz())
    attempt.submitted_at = attempt.started_at + datetime.timedelta(seconds=1)
    submission = {"answers", "score", "submitted_at"}  # the save that closes an open attempt
    enabled.enabled_checks()  # as a process that has checked a row before
    with django_assert_num_queries(3):
        assert services.check_object(attempt, update_fields=submission) == 1  # the flag alone, in its savepoint
    attempt.submitted_at = attempt.started_at + datetime.timedelta(seconds=600)
    # Written again as if it were the first submission: the flag, unread, stays.
    assert services.check_object(attempt, update_fields=submission) == 0
    assert Flag.objects.filter(object_id=attempt.pk).exists()
    assert services.check_object(attempt, update_fields={"review"}) == 0  # read, and dropped: no longer trips
    assert not Flag.objects.filter(object_id=attempt.pk).exists()


def test_a_tuned_check_applies_to_the_next_save_and_its_transaction_alone_sees_it_first(record, office):
    """The process keeps the enabled checks in memory; a change to the catalogue is read by
    the transaction that makes it, and by every process once it is committed."""
    enabled.enabled_checks()  # known to the process
    check = Check.objects.get(code="activity.too_many_people")
    services.update_check(actor=office, check=check, threshold="10", severity="high", enabled=True)
    assert enabled.enabled_checks()["activity.too_many_people"].threshold == 10  # read, not kept
    assert "activity.too_many_people" not in codes_of(record(code="540102001", participants=2000))
    Check.objects.filter(code="activity.too_many_people").update(enabled=False)
    assert "activity.too_many_people" not in enabled.enabled_checks()


def test_a_committed_change_to_the_catalogue_is_read_again_by_every_process(world, office):
    from django.core.cache import cache
    from django.db import transaction

    with transaction.atomic():
        before = enabled.enabled_checks()
        assert enabled.enabled_checks() is before  # known: not read again
    version = cache.get(enabled.KEY)
    cache.set(enabled.KEY, "another process committed a change")
    try:
        assert enabled.enabled_checks() is not before
    finally:
        cache.set(enabled.KEY, version)
    enabled.forget()


def test_a_change_rolled_back_leaves_the_checks_as_they_were(db, django_capture_on_commit_callbacks):
    from django.db import transaction

    known = enabled.enabled_checks()
    with transaction.atomic():
        Check.objects.filter(code="activity.late_entry").update(threshold=1)
        assert enabled.enabled_checks()["activity.late_entry"].threshold == 1
        transaction.set_rollback(True)
    assert enabled.enabled_checks() is known
    assert known["activity.late_entry"].threshold == 60
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            with transaction.atomic():
                Check.objects.filter(code="activity.late_entry").update(threshold=2)
        assert len(callbacks) == 1  # the new version, once committed
        assert enabled.enabled_checks()["activity.late_entry"].threshold == 2
    finally:
        enabled.forget()  # the test's "commit" is rolled back


def test_a_change_after_a_rolled_back_one_in_the_same_transaction_is_published_once(
    db, django_capture_on_commit_callbacks
):
    from django.db import transaction

    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            with transaction.atomic():
                with transaction.atomic():
                    Check.objects.filter(code="activity.late_entry").update(threshold=1)
                    transaction.set_rollback(True)  # the savepoint and its callback are gone
                Check.objects.filter(code="activity.late_entry").update(threshold=3)
                assert enabled.enabled_checks()["activity.late_entry"].threshold == 3
                Check.objects.filter(code="activity.late_entry").update(threshold=4)
        assert len(callbacks) == 1
        assert enabled.enabled_checks()["activity.late_entry"].threshold == 4
    finally:
        enabled.forget()
