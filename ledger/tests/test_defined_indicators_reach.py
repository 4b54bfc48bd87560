"""Indicators the office defines to count the units reached: the distinct units of the
subtree that recorded at least one activity of the chosen kinds (and filters) in the range,
answered from the tallies kept in each write's transaction. Each figure equals a recount of
the activities (in all, per child unit, per month, over a range that cuts months) after
records are added, imported, edited and deleted, after the indicator is defined over
records that exist and after its kinds change."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from campaigns import tallies
from campaigns.indicators import months
from campaigns.models import Tally
from figures import catalogue, reading
from ledger import defined, reach, services
from ledger.choices import OPTIONAL_FIELD_NAMES
from ledger.indicators import DefinedReach
from ledger.models import Activity, ActivityKind, DefinedIndicator
from orgs.models import Unit

START, END = datetime.date(2021, 3, 1), datetime.date(2021, 10, 31)
CODE = "lecture.units_reached"
NAMES = {
    "name_zh": "开展宣讲的单位",
    "name_bo": "ཁྱབ་བསྒྲགས་བྱས་པའི་ལས་ཁུངས།",
    "name_en": "Units that held lectures",
    "measure_zh": "个单位",
    "measure_bo": "ལས་ཁུངས།",
    "measure_en": "units",
    "section": "lectures",
}
LECTURES = ("lecture_theory", "lecture_arts")
# Ranges a figure is checked over: the whole one, and one cutting its first and last months.
RANGES = [(START, END), (datetime.date(2021, 5, 15), datetime.date(2021, 9, 10))]


@pytest.fixture(autouse=True)
def _forget_rolled_back_definitions():
    with translation.override("en"):
        yield
    # The test's definitions are rolled back: the catalogue and the tallies' rules forget them.
    catalogue.forget_defined()
    catalogue._DEFINED = {}
    reach.forget()


def define(office, code=CODE, kinds=LECTURES, **extra):
    data = {**NAMES, "measure": "reach", **extra}
    return defined.create(actor=office, code=code, kinds=[ActivityKind.objects.get(code=k) for k in kinds], **data)


def recount(unit: Unit, start, end, kinds=LECTURES, **filters) -> int:
    """The distinct units that recorded such an activity in the range, counted from the rows."""
    return (
        Activity.objects.filter(
            unit__path__startswith=unit.path, date__gte=start, date__lte=end, kind__code__in=kinds, **filters
        )
        .values("unit")
        .distinct()
        .count()
    )


def agrees(code, unit, kinds=LECTURES, **filters) -> None:
    """The figure equals the recount: in all, per child, per month, and the unit's own."""
    indicator = catalogue.get(code)
    for start, end in RANGES:
        assert indicator.value(unit, start, end) == recount(unit, start, end, kinds, **filters)
        children = indicator.by_children(unit, start, end)
        assert children
        for child, v in children:
            assert v == recount(child, start, end, kinds, **filters), child.code
        by_month = indicator.by_month(unit, start, end)
        assert [m for m, _v in by_month] == months(start, end)
        for first, v in by_month:
            last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
            assert v == recount(unit, max(first, start), min(last, end), kinds, **filters), first
        # The unit's own figure: whether it recorded such an activity itself.
        own = Activity.objects.filter(unit=unit, date__gte=start, date__lte=end, kind__code__in=kinds, **filters)
        assert reading.Reader(unit, start, end).own([code])[code] == int(own.exists())


def _lectures(record):
    """Several units, some with several lectures, some in two months, some out of range."""

    def lecture(code, kind, day, venue="communities"):
        return record(code=code, kind=kind, date=day, participants=10, venue_kind=venue)

    return [
        lecture("540102001", "lecture_theory", datetime.date(2021, 3, 4)),
        lecture("540102001", "lecture_arts", datetime.date(2021, 3, 4)),
        lecture("540102001", "lecture_theory", datetime.date(2021, 7, 1)),
        lecture("540102001001", "lecture_theory", datetime.date(2021, 5, 20), "villages"),
        lecture("540102002", "lecture_arts", datetime.date(2021, 9, 30)),
        lecture("540102", "lecture_theory", datetime.date(2021, 6, 2)),
        lecture("540103", "lecture_theory", datetime.date(2021, 5, 14), "villages"),
        lecture("540104001001P1", "lecture_arts", datetime.date(2021, 8, 8)),
        lecture("540104001001P1", "lecture_arts", datetime.date(2021, 11, 2)),  # after the range
        record(code="540102002", kind="collective_study", date=datetime.date(2021, 6, 6)),  # another kind
    ]


def test_records_added_edited_and_deleted_keep_the_figure_equal_to_a_recount(office, record, unit, kinds):
    define(office)
    made = _lectures(record)
    city, chengguan = unit("540100"), unit("540102")
    assert isinstance(catalogue.get(CODE), DefinedReach)
    assert catalogue.get(CODE).value(city, START, END) == 6
    agrees(CODE, city)
    agrees(CODE, chengguan)
    # A change of date, of unit and of kind, then a delete: each through the path that writes it.
    services.update_activity(actor=office, activity=made[0], version=1, date=datetime.date(2021, 10, 1))
    services.update_activity(actor=office, activity=made[4], version=1, unit=unit("540103"))
    moved = Activity.objects.get(pk=made[9].pk)
    moved.kind = kinds["lecture_theory"]
    moved.save()
    services.delete_activity(actor=office, activity=made[5])
    agrees(CODE, city)
    agrees(CODE, chengguan)
    assert catalogue.get(CODE).value(chengguan, START, END) == 3  # 540102001, its village, 540102002


@pytest.mark.parametrize("upsert_from", [200, 0], ids=["row-by-row", "upserted"])
def test_an_import_is_counted_and_without_such_indicators_writes_no_tallies(
    office, unit, kinds, upsert_from, monkeypatch
):
    # A small change updates tally rows one by one, a large one is upserted: both are tried.
    monkeypatch.setattr(tallies, "UPSERT_FROM", upsert_from)

    def row(code, kind, day):
        values = {n: services.DEFAULTS[n] for n in OPTIONAL_FIELD_NAMES}
        return (unit(code).pk, kinds[kind].pk, day, *[values[n] for n in OPTIONAL_FIELD_NAMES])

    before = Tally.objects.count()
    services.import_activities(actor=office, rows=[row("540102001", "lecture_theory", datetime.date(2021, 4, 1))])
    assert Tally.objects.count() == before  # no indicator counts units: the import adds no tallies
    define(office)
    assert Tally.objects.filter(source="ledger.reach").exists()
    services.import_activities(
        actor=office,
        rows=[
            row("540102001", "lecture_theory", datetime.date(2021, 4, 1)),
            row("540102001", "lecture_arts", datetime.date(2021, 4, 1)),
            row("540102002", "lecture_theory", datetime.date(2021, 6, 30)),
            row("540104001001P1", "lecture_arts", datetime.date(2021, 7, 1)),
            row("540103", "collective_study", datetime.date(2021, 7, 1)),
        ],
    )
    city = unit("540100")
    assert catalogue.get(CODE).value(city, START, END) == 3
    agrees(CODE, city)
    # A second batch over the same units, before, between and after the days they have.
    days = [datetime.date(2021, 3, 30), datetime.date(2021, 5, 1), datetime.date(2021, 7, 15), START, END]
    services.import_activities(
        actor=office,
        rows=[
            row(code, kind, day)
            for code in ("540102001", "540102002", "540102", "540103", "540104001001P1")
            for kind in ("lecture_theory", "collective_study")
            for day in days
        ],
    )
    agrees(CODE, city)
    agrees(CODE, unit("540102"))
    # A tally's key fits its column, whatever the length of the indicator's code.
    long_code = "lecture." + "x" * 52
    define(office, code=long_code)
    agrees(long_code, city)
    assert max(len(k) for k in Tally.objects.filter(source="ledger.reach").values_list("key", flat=True)) <= 40


def test_defined_after_the_records_it_counts_them_and_a_change_of_kinds_recounts(office, record, unit):
    _lectures(record)
    row = define(office)
    city = unit("540100")
    agrees(CODE, city)
    changed = defined.update(
        actor=office,
        indicator=row,
        kinds=[ActivityKind.objects.get(code="lecture_arts")],
        expected_version=1,
        **{**NAMES, "measure": "reach"},
    )
    assert changed.version == 2 and catalogue.get(CODE).version == 2
    agrees(CODE, city, kinds=("lecture_arts",))
    assert catalogue.get(CODE).value(city, START, END) == 3
    # Another measure: its tallies go.
    defined.update(
        actor=office,
        indicator=changed,
        kinds=[ActivityKind.objects.get(code="lecture_arts")],
        expected_version=2,
        **{**NAMES, "measure": "sessions"},
    )
    assert not Tally.objects.filter(source="ledger.reach").exists()


def test_a_ledger_filter_narrows_the_units(office, record, unit):
    _lectures(record)
    define(office, venue_kind="villages")
    city = unit("540100")
    assert catalogue.get(CODE).value(city, START, END) == 2
    agrees(CODE, city, venue_kind="villages")
    record(
        code="540104001001P1",
        kind="lecture_arts",
        date=datetime.date(2021, 8, 9),
        participants=5,
        venue_kind="villages",
    )
    agrees(CODE, city, venue_kind="villages")


def test_the_figure_adds_up_over_children_not_over_months_and_is_read_from_the_tallies(office, record, unit):
    _lectures(record)
    define(office)
    indicator = catalogue.get(CODE)
    city, chengguan = unit("540100"), unit("540102")
    # A unit counts in its own subtree only: the children's figures and the unit's own (0 or
    # 1) make the total, and the "own level" row of a table by unit is the difference.
    assert reading.adds_up(indicator)
    for parent in (city, chengguan):
        children = indicator.by_children(parent, START, END)
        own = int(
            Activity.objects.filter(unit=parent, kind__code__in=LECTURES, date__gte=START, date__lte=END).exists()
        )
        assert indicator.value(parent, START, END) == own + sum(v for _c, v in children)
    assert reading.Reader(chengguan, START, END).own([CODE])[CODE] == 1
    # Not over months: 540102001 lectured in March and July and counts once in the range.
    months_sum = sum(v for _m, v in indicator.by_month(city, START, END))
    assert months_sum > indicator.value(city, START, END) == recount(city, START, END)
    # Answered from the tallies, never from the rows: without them the figure is nothing.
    Tally.objects.filter(source="ledger.reach").delete()
    assert indicator.value(city, START, END) == 0


def test_refusals(office):
    with pytest.raises(ValidationError) as no_kinds:
        define(office, kinds=())
    assert "kinds" in no_kinds.value.message_dict
    with pytest.raises(ValidationError) as tallied:
        defined.create(actor=office, code=CODE, kinds=[], source="concerns.concern", **{**NAMES, "measure": "reach"})
    assert "measure" in tallied.value.message_dict
    assert not DefinedIndicator.objects.exists()


def _form(**extra):
    data = {**NAMES, "code": CODE, "measure": "reach", "source": DefinedIndicator.LEDGER}
    data["kinds"] = [ActivityKind.objects.get(code=k).pk for k in LECTURES]
    data.update(extra)
    return data


def test_the_preview_counts_the_units_and_saves_nothing(office, record, as_user, unit):
    _lectures(record)
    response = as_user(office).post(reverse("ledger:indicator_create"), {**_form(), "preview": "1"})
    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview is not None, response.context["form"].errors
    assert preview["value"] == recount(unit("540100"), preview["start"], preview["end"]) > 0
    assert preview["rows"]
    assert 'data-testid="preview-reach"' in response.content.decode()
    assert not DefinedIndicator.objects.exists()
    assert not Tally.objects.filter(source="ledger.reach").exists()


def test_the_form_saves_it_and_the_dashboard_lists_it(office, record, as_user, api_as):
    _lectures(record)
    client = as_user(office)
    assert client.post(reverse("ledger:indicator_create"), _form()).status_code == 302
    assert DefinedIndicator.objects.get().measure == "reach"
    response = client.get(reverse("reports:dashboard"), {"unit": "540100", "start": "2021-01-01", "end": "2021-12-31"})
    assert response.status_code == 200
    cells = {label: (cell, measure) for label, cell, measure in response.context["board"]["defined"]}
    cell, measure = cells[NAMES["name_zh"]]
    assert measure == NAMES["measure_zh"]
    assert cell.value == recount(
        Unit.objects.get(code="540100"), datetime.date(2021, 1, 1), datetime.date(2021, 12, 31)
    )
    # Its rows are the activities that count; the API gives the same figure.
    query = {"unit": "540100", "start": START.isoformat(), "end": END.isoformat()}
    rows = client.get(reverse("figures:rows", args=[CODE]), query)
    assert rows.status_code == 200 and list(rows.context["page"])
    assert {a.pk for a in rows.context["page"]} <= set(
        Activity.objects.filter(kind__code__in=LECTURES).values_list("pk", flat=True)
    )
    r = api_as(office).get(
        "/api/v1/indicators",
        {"unit": "540102", "from": START.isoformat(), "to": END.isoformat(), "codes": CODE, "breakdown": "children"},
    )
    assert r.status_code == 200, r.content
    item = r.json()["items"][0]
    assert item["value"] == recount(Unit.objects.get(code="540102"), START, END) == 4
    # The unit's own row: it reached itself once, not its total less its children's.
    (own, *children) = item["children"]
    assert own["own"] is True and own["value"] == 1
    for child in children:
        assert child["value"] == recount(Unit.objects.get(code=child["unit"]), START, END)
    with translation.override("zh-hans"):
        listing = client.get(reverse("ledger:indicator_list"))
    assert NAMES["name_zh"] in listing.content.decode()


def test_another_process_counts_for_a_definition_once_it_sees_the_shared_stamp(office, record, unit):
    define(office)
    # What a process that read the definitions before this one was saved holds.
    reach._state.update(rules={}, stamp="read before", checked=0.0)
    record(code="540103", kind="lecture_theory", date=datetime.date(2021, 6, 1), participants=3, venue_kind="villages")
    assert reach._state["rules"]
    agrees(CODE, unit("540100"))
    assert catalogue.get(CODE).value(unit("540103"), START, END) == 1


def test_a_unit_moved_with_its_subtree_takes_its_units_reached_along(office, record, unit):
    from orgs import services as org_services

    _lectures(record)
    define(office)
    org_services.move_unit(actor=office, unit=unit("540102001"), new_parent=unit("540103"))
    agrees(CODE, unit("540100"))
    agrees(CODE, unit("540102"))
    assert catalogue.get(CODE).value(unit("540103"), START, END) == 3  # itself, 540102001 and its village


def test_it_travels_with_a_campaigns_set_up_and_counts_where_it_lands(office, record, unit):
    import json

    from campaigns import services as campaign_services
    from campaigns import transfer
    from campaigns.models import Campaign

    _lectures(record)
    campaign = Campaign.objects.get(root_unit__code="540100")
    define(office, venue_kind="villages").campaigns.add(campaign)
    document = json.loads(json.dumps(transfer.dump_document(campaign)))
    row = next(r for r in document["parts"]["ledger.indicators"] if r["code"] == CODE)
    assert (row["measure"], sorted(row["kinds"])) == ("reach", sorted(LECTURES))
    # Into a database that lacks it: its tallies go with it, and come back made from the rows.
    DefinedIndicator.objects.filter(code=CODE).delete()
    assert not Tally.objects.filter(source="ledger.reach").exists()
    campaign_services.import_campaign(
        actor=office, document=transfer.read_document(json.dumps(document).encode()), name_zh="第二次", name_bo="གཉིས་པ།"
    )
    agrees(CODE, unit("540100"), venue_kind="villages")
    assert catalogue.get(CODE).value(unit("540100"), START, END) == 2
