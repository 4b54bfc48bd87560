"""Each kind of anomaly is flagged: on the write itself for the cheap checks, by a run over the
rows for the others; a corrected row loses its open flag."""

import datetime

import pytest
from django.utils import timezone

from concerns.models import Concern, ConcernCategory, ConcernEvent
from ledger import services as ledger
from ledger.choices import OPTIONAL_FIELD_NAMES
from ledger.models import Activity, ActivityKind, Evidence
from orglife.tests import factories as orglife
from orgs.models import Unit
from quality import services
from quality.checks import REGISTRY
from quality.models import Check, Flag
from quality.tests.conftest import codes_of
from quiz.models import Attempt
from quiz.tests import factories as quiz

pytestmark = pytest.mark.django_db


def _aware(*args):
    return timezone.make_aware(datetime.datetime(*args))


def test_every_check_of_the_catalogue_has_its_code_and_the_other_way_round():
    assert set(Check.objects.values_list("code", flat=True)) == set(REGISTRY)
    assert all(c.name_bo and c.description_bo and c.description_en for c in Check.objects.all())


def test_an_entry_made_long_after_the_event_is_flagged_in_the_same_transaction(record):
    activity = record(date=datetime.date(2021, 7, 1))  # entered years later, today
    assert "activity.late_entry" in codes_of(activity)


def test_an_activity_dated_after_its_entry_is_flagged(record):
    activity = record(date=datetime.date(2021, 7, 1))
    Activity.objects.filter(pk=activity.pk).update(created_at=_aware(2021, 6, 20, 10))
    services.check_rows(Activity, [activity.pk])
    assert "activity.future_date" in codes_of(activity)
    assert "activity.late_entry" not in codes_of(activity)  # the correction removed the open flag


def test_an_activity_dated_outside_the_campaign_is_flagged(record):
    activity = record()
    Activity.objects.filter(pk=activity.pk).update(date=datetime.date(2022, 3, 1))
    services.check_rows(Activity, Activity.objects.filter(pk=activity.pk))
    assert "activity.outside_campaign" in codes_of(activity)


def test_more_participant_times_than_the_units_people_is_flagged_on_entry(record):
    # Township 540102001 has 662 party members and no known headcount.
    activity = record(code="540102001", participants=2000)
    assert "activity.too_many_people" in codes_of(activity)
    plausible = record(code="540102001", participants=600, title="另一场")
    assert "activity.too_many_people" not in codes_of(plausible)


def test_a_lecture_with_more_people_than_its_venue_holds_is_flagged(record):
    lecture = record(kind="lecture_theory", participants=900, venue_kind="offices", title="宣讲")
    assert "activity.venue_capacity" in codes_of(lecture)


def test_the_same_activity_entered_twice_flags_the_second(record):
    first = record(title="学习《中国共产党简史》", participants=20)
    second = record(title="学习 《中国共产党简史》", participants=21)
    assert "activity.duplicate" not in codes_of(first)
    assert "activity.duplicate" in codes_of(second)


def test_a_row_imported_after_a_manual_entry_of_the_same_activity_is_flagged(record, office):
    manual = record(title="党史专题学习", participants=15)
    kind = ActivityKind.objects.get(code="collective_study")
    values = {n: "" for n in OPTIONAL_FIELD_NAMES} | {
        "title": "党史专题学习",
        "sessions": 1,
        "participants": 15,
        "copies": 0,
    }
    # The import itself runs the checks over its batch (ledger.signals.activities_imported).
    ledger.import_activities(
        actor=office,
        rows=[(manual.unit_id, kind.pk, manual.date, *[values[n] for n in OPTIONAL_FIELD_NAMES])],
    )
    imported = Activity.objects.exclude(pk=manual.pk).get(unit=manual.unit, title="党史专题学习")
    assert "activity.duplicate" in codes_of(imported)


def _import(office, unit, n, participants=lambda i: 10 + i, start=datetime.date(2021, 5, 1), step=1):
    kind = ActivityKind.objects.get(code="collective_study")
    rows = []
    for i in range(n):
        values = {name: "" for name in OPTIONAL_FIELD_NAMES} | {
            "title": f"第{i}次学习",
            "sessions": 1,
            "participants": participants(i),
            "copies": 0,
        }
        rows.append(
            (unit.pk, kind.pk, start + datetime.timedelta(days=i * step), *[values[n] for n in OPTIONAL_FIELD_NAMES])
        )
    started = timezone.now()
    ledger.import_activities(actor=office, rows=rows)
    return Activity.objects.filter(unit=unit, created_at__gte=started)


def test_a_months_worth_of_rows_entered_in_minutes_is_a_burst(office):
    rows = _import(office, Unit.objects.get(code="540102001"), 22)
    assert all("activity.burst" in codes_of(a) for a in rows)


def test_many_rows_with_identical_counts_are_flagged(office):
    rows = _import(office, Unit.objects.get(code="540102002"), 6, participants=lambda i: 17, step=3)
    assert all("activity.same_counts" in codes_of(a) for a in rows)
    assert not any("activity.burst" in codes_of(a) for a in rows)  # six rows are no burst


def test_an_imports_flags_are_the_ones_a_run_over_its_units_raises(record, office):
    # The import checks its batch as one query and reads the rows around it once; a run over
    # the subtree reads every row. Both must doubt the same rows, with the same details.
    township = Unit.objects.get(code="540102001")
    record(code="540102001", title="第3次学习", participants=13, date=datetime.date(2021, 5, 7))
    batch = _import(office, township, 24, participants=lambda i: 17 if i % 3 else 10 + i, step=2)
    batch_pks = set(batch.values_list("pk", flat=True))

    def flags():
        return {
            (
                f.check_item.code,
                f.object_id,
                f.detail_code,
                tuple(sorted(f.detail_params.items())),
                f.status,
                f.reason,
                f.cleared_by_id,
                f.cleared_at,
            )  # fmt: skip
            for f in Flag.objects.filter(object_id__in=batch_pks).select_related("check_item")
        }

    from_import = flags()
    assert {code for code, *_rest in from_import} >= {
        "activity.late_entry",
        "activity.burst",
        "activity.same_counts",
        "activity.duplicate",
    }
    assert all(status == "open" and not reason for _c, _o, _d, _p, status, reason, _b, _a in from_import)
    assert Flag.objects.filter(object_id__in=batch_pks, created__isnull=True).count() == 0
    Flag.objects.filter(object_id__in=batch_pks).delete()
    services.run_checks(township)
    assert flags() == from_import


def test_a_kind_that_requires_evidence_flags_rows_without_it_until_it_comes(record, office):
    ActivityKind.objects.filter(code="collective_study").update(requires_evidence=True)
    activity = record()
    Activity.objects.filter(pk=activity.pk).update(created_at=timezone.now() - datetime.timedelta(days=30))
    services.check_rows(Activity, [activity])
    assert "activity.no_evidence" in codes_of(activity)
    Evidence.objects.create(activity=activity, file="x.png", original_name="x.png", content_type="image/png", size=1)
    services.check_rows(Activity, [activity])
    assert "activity.no_evidence" not in codes_of(activity)


def _concern(**fields):
    unit = Unit.objects.get(code="540102001001")
    day = datetime.date(2021, 6, 1)
    return Concern.objects.create(
        unit=unit,
        handling_unit=Unit.objects.get(code="540102001"),
        category=ConcernCategory.objects.first(),
        source="visit",
        description="小区停车位不足",
        raised_by="次仁",
        collected_on=day,
        response_due=day + datetime.timedelta(days=3),
        resolution_due=day + datetime.timedelta(days=30),
        region_code=unit.region_code,
        **fields,
    )


def test_a_concern_resolved_the_day_it_was_collected_is_flagged_on_save():
    concern = _concern(state="verified", resolved_on=datetime.date(2021, 6, 1), evidence="照片")
    assert codes_of(concern) == {"concern.fast_resolution"}


def test_a_concern_resolved_without_evidence_is_flagged_on_save():
    concern = _concern(state="resolved", resolved_on=datetime.date(2021, 6, 20), evidence="  ")
    assert codes_of(concern) == {"concern.no_evidence"}


def test_a_callback_made_by_the_resolver_is_flagged(cg_office):
    concern = _concern(state="resolved", resolved_on=datetime.date(2021, 6, 20), evidence="照片", resolved_by=cg_office)
    assert codes_of(concern) == set()
    ConcernEvent.objects.create(
        concern=concern, kind="callback", at=timezone.now(), actor=cg_office, from_state="resolved", to_state="verified"
    )
    assert "concern.callback_by_resolver" in codes_of(concern)


def test_a_measure_closed_before_it_was_set_is_flagged_on_save():
    measure = orglife.measure(orglife.CHENGGUAN_ORG)
    assert codes_of(measure) == set()
    measure.done_on = measure.verified_on = measure.closed_on = measure.set_on - datetime.timedelta(days=3)
    measure.status = "closed"
    measure.save()
    assert codes_of(measure) == {"measure.dates_out_of_order"}


def _submitted(taker_name, seconds, answers=None):
    q = quiz.open_quiz()
    attempt = quiz.attempt_for(quiz.taker_in("540102001001", taker_name), q)
    Attempt.objects.filter(pk=attempt.pk).update(
        submitted_at=attempt.started_at + datetime.timedelta(seconds=seconds),
        answers=answers or quiz.right_letters(attempt),
    )
    return Attempt.objects.get(pk=attempt.pk)


def test_a_quiz_answered_faster_than_reading_allows_is_flagged():
    fast = _submitted("甲", 5)
    slow = _submitted("乙", 300)
    services.check_rows(Attempt, [fast, slow])
    assert "attempt.too_fast" in codes_of(fast) and "attempt.too_fast" not in codes_of(slow)


def test_identical_answer_sequences_from_many_takers_are_flagged():
    bots = [_submitted(f"机器{i}", 200, answers=["A"] * 5) for i in range(5)]
    # answers of the person's own (their right letters could, by the draw's chance, be all A)
    person = _submitted("人", 200, answers=["B", "A", "C", "A", "B"])
    services.check_rows(Attempt, bots + [person])
    assert all("attempt.same_answers" in codes_of(b) for b in bots)
    assert "attempt.same_answers" not in codes_of(person)


def test_a_run_over_a_subtree_flags_and_a_second_run_raises_nothing_new(record, unit):
    record(code="540102001", participants=2000)
    rows, raised, _seconds = services.run_checks(unit("540102"))
    assert rows > 0 and raised >= 0
    assert services.run_checks(unit("540102"))[1] == 0
    assert Flag.objects.filter(check_item__code="activity.too_many_people", unit__code="540102001").exists()


def test_a_switched_off_check_raises_nothing(record):
    Check.objects.filter(code="activity.too_many_people").update(enabled=False)
    activity = record(code="540102001", participants=2000)
    assert "activity.too_many_people" not in codes_of(activity)
