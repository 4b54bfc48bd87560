import datetime

import pytest

from concerns import services
from concerns.models import Concern
from figures import catalogue, engine
from figures.tests import read
from orgs.models import Person

# Concerns are collected in 2021 and handled "now": on the fixed clock's day (2026-06-15).
START, END = datetime.date(2021, 1, 1), datetime.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _on_the_fixed_clock(fixed_clock):
    return fixed_clock


def _value(code, unit):
    return read.value(code, unit, START, END)


def _fresh(concern):
    return Concern.objects.select_related("unit", "handling_unit").get(pk=concern.pk)


def _through(concern, cg_office, cg_reporter, unit, *, satisfaction=None):
    services.assign_concern(actor=cg_office, concern=concern, version=concern.version, handling_unit=unit("540102001"))
    concern = _fresh(concern)
    services.start_concern(actor=cg_reporter, concern=concern, version=concern.version)
    concern = _fresh(concern)
    services.resolve_concern(
        actor=cg_reporter, concern=concern, version=concern.version, action_taken="a", evidence="b"
    )
    concern = _fresh(concern)
    if satisfaction:
        services.record_callback(actor=cg_office, concern=concern, version=concern.version, satisfaction=satisfaction)
    return _fresh(concern)


def test_the_rates_follow_their_written_definitions(new_concern, cg_office, cg_reporter, unit):
    barkor = unit("540102001")
    satisfied = _through(new_concern(), cg_office, cg_reporter, unit, satisfaction="satisfied")
    _through(new_concern(), cg_office, cg_reporter, unit, satisfaction="partly")
    _through(new_concern(), cg_office, cg_reporter, unit, satisfaction="not_satisfied")  # reopened
    waiting = new_concern()  # collected, not responded
    impossible = new_concern()
    services.assign_concern(actor=cg_office, concern=impossible, version=1, handling_unit=barkor)
    impossible = _fresh(impossible)
    services.mark_not_resolvable(actor=cg_reporter, concern=impossible, version=impossible.version, reason="规划")
    impossible = _fresh(impossible)
    services.sign_off_not_resolvable(actor=cg_office, concern=impossible, version=impossible.version, approve=True)
    copy = new_concern()
    services.mark_duplicate(actor=cg_office, concern=copy, version=copy.version, original=satisfied)

    assert _value("concerns.collected", barkor) == 5  # the duplicate counts once, with its original
    assert _value("concerns.resolved", barkor) == 2  # the reopened one is out until resolved again
    # responded: the three taken up and the one declared not resolvable, of five
    assert _value("concerns.response_rate", barkor) == 80
    # resolved 2 of 4: the signed-off not-resolvable one leaves the denominator
    assert _value("concerns.resolution_rate", barkor) == 50
    # satisfied 1 of 3 callbacks: partly and not satisfied count in the denominator only
    assert float(_value("concerns.satisfaction_rate", barkor)) == 33.3
    assert waiting.pk in catalogue.get("concerns.overdue").rows(barkor, START, END).values_list("pk", flat=True)


def test_visit_figures_count_people_and_places_not_visits(office, unit):
    leader = Person.objects.filter(rank="prefecture").first()
    cadre = Person.objects.filter(rank="county", unit__code="540102").first()
    for place in ("540102001", "540102001", "540102001001"):
        services.record_visit(
            actor=office, unit=unit(place), date=datetime.date(2021, 5, 1), purpose="research", people=[leader, cadre]
        )
    county = unit("540102")
    assert _value("visits.count", county) == 3
    assert _value("visits.prefecture_leaders", county) == 1
    assert _value("visits.county_cadres", county) == 1
    assert _value("visits.townships_reached", county) == 1
    assert _value("visits.villages_reached", county) == 1
    children = dict(read.by_children("visits.count", county, START, END))
    assert children[unit("540102001")] == 3


def test_visit_figures_read_together_agree_with_each_read_alone(office, unit):
    leader = Person.objects.filter(rank="prefecture").first()
    cadre = Person.objects.filter(rank="county", unit__code="540102").first()
    for place, day in (("540102001", 1), ("540102001", 2), ("540102001001", 3), ("540102002", 4)):
        services.record_visit(
            actor=office,
            unit=unit(place),
            date=datetime.date(2021, 5, day),
            purpose="research",
            people=[leader, cadre],
        )
    county = unit("540102")
    codes = [c for c in catalogue.codes() if c.startswith("visits.")]
    together = engine.answer([catalogue.get(c) for c in codes], county, START, END, per_child=codes, per_month=codes)
    # Counting people joins each visit's people; the visits themselves still count once.
    assert together.total["visits.count"] == 4
    for code in codes:
        indicator = catalogue.get(code)
        assert together.total[code] == read.value(indicator, county, START, END), code
        assert together.children[code] == read.by_children(indicator, county, START, END), code
        assert together.months[code] == read.by_month(indicator, county, START, END), code


def test_the_concerns_collected_and_their_rates_are_read_with_one_query(new_concern, unit, django_assert_num_queries):
    new_concern()
    new_concern(where="540102002")
    codes = [
        "concerns.collected",
        "concerns.response_rate",
        "concerns.resolution_rate",
        "concerns.satisfaction_rate",
        "concerns.overdue",
    ]
    county = unit("540102")
    alone = {code: read.value(code, county, START, END) for code in codes}
    with django_assert_num_queries(1):
        together = engine.answer([catalogue.get(c) for c in codes], county, START, END)
    assert together.total == alone
    assert alone["concerns.collected"] == 2
