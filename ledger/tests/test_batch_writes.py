"""What a batch shares is worked out once, and what a batch's write changes in the process is
put back: the same refusals on every row, the collector and the page cache as they were."""

import datetime
import gc

import pytest
from django.db import connection

from ledger import services
from ledger.choices import OPTIONAL_FIELD_NAMES
from ledger.models import Activity, ActivityKind
from orgs.models import Unit

JULY = datetime.date(2021, 7, 1)


def _row(unit, kind, day, **fields):
    values = {n: services.DEFAULTS[n] for n in OPTIONAL_FIELD_NAMES} | fields
    return (unit.pk, kind.pk, day, *[values[n] for n in OPTIONAL_FIELD_NAMES])


def test_a_value_refused_once_is_refused_on_every_row_and_a_good_one_kept_on_every_row(office):
    batch = services.BatchCheck(office)
    good = {
        "unit": "540102001",
        "kind": "collective_study",
        "date": JULY,
        "title": "学习",
        "sessions": 1,
        "participants": 12,
    }
    bad = good | {"participants": -3}
    results = [batch.check(dict(cells)) for cells in (bad, good, bad, good)]
    assert [row is None for row, _errors in results] == [True, False, True, False]
    assert results[0][1] == results[2][1] and "participants" in results[0][1]
    assert results[1][0] == results[3][0]
    assert results[1][0][OPTIONAL_FIELD_NAMES.index("participants") + 3] == 12


def test_a_required_field_left_empty_is_refused_with_the_kinds_own_message(office):
    # The quick path of a kind's fields hands a refusal to clean_fields for its words.
    batch = services.BatchCheck(office)
    cells = {"unit": "540102001", "kind": "collective_study", "date": JULY, "participants": 0}
    expected = {}
    try:
        services.clean_fields(ActivityKind.objects.get(code="collective_study"), {"participants": 0}, parsed=True)
    except services.ValidationError as exc:
        expected = {name: messages[0] for name, messages in exc.message_dict.items()}
    row, errors = batch.check(cells)
    assert row is None
    assert expected and all(errors[name] == message for name, message in expected.items())


def test_a_closed_month_is_refused_for_every_row_of_it(cg_reporter, office):
    unit = Unit.objects.filter(path__startswith=cg_reporter.unit.path).exclude(pk=cg_reporter.unit.pk).first()
    campaign = services.campaign_for(unit)
    services.ReportingPeriod.objects.create(campaign=campaign, month=JULY, closed_by=office)
    batch = services.BatchCheck(cg_reporter)
    cells = {"unit": unit.code, "kind": "collective_study", "date": JULY, "participants": 5}
    first = batch.check(dict(cells))
    second = batch.check(dict(cells))
    assert first == second
    assert first[0] is None and "date" in first[1]


def test_an_import_puts_the_collector_and_the_page_cache_back(office):
    unit = Unit.objects.get(code="540102001")
    kind = ActivityKind.objects.get(code="collective_study")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size") if connection.vendor == "sqlite" else cursor.execute("SELECT 1")
        before = cursor.fetchone()[0]
    assert gc.isenabled()
    services.import_activities(actor=office, rows=[_row(unit, kind, JULY, title="a", participants=3)])
    assert gc.isenabled()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size") if connection.vendor == "sqlite" else cursor.execute("SELECT 1")
        assert cursor.fetchone()[0] == before
    assert Activity.objects.filter(unit=unit, title="a").count() == 1


def test_a_refused_batch_puts_the_collector_back_too(office):
    unit = Unit.objects.get(code="540102001")
    kind = ActivityKind.objects.get(code="collective_study")
    with pytest.raises(services.ValidationError):
        services.import_activities(actor=office, rows=[(999_999_999, kind.pk, JULY, *_row(unit, kind, JULY)[3:])])
    assert gc.isenabled()


def test_the_collector_stays_off_when_it_was_off_before():
    gc.disable()
    try:
        with services.collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
