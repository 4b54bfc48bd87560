"""The tallies behind the figures outside the ledger: after any write (a service, a bulk
import, an edit, a state change, a delete), the stored tallies equal those computed from the
rows, and every tallied figure equals the figure counted from the rows."""

from __future__ import annotations

import datetime
import io
import itertools
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaigns import tallies
from campaigns.indicators import Tallied
from campaigns.models import Tally
from concerns import services as concern_services
from concerns.choices import ConcernState, Satisfaction
from concerns.models import Concern, ConcernCategory
from figures import catalogue, engine, reading
from orglife import services as orglife_services
from orglife.choices import FindingSource
from orglife.models import Finding, FindingCategory, Measure, Talk
from orglife.services import FindingRow, TalkRow
from orglife.tests import factories as orglife_factories
from orgs.models import Unit
from quiz.choices import Review
from quiz.models import Attempt
from quiz.tests import factories as quiz_factories

START = datetime.date(2021, 2, 1)
END = datetime.date(2021, 12, 31)
# Units under Chengguan (two townships, a community and its party branch) and Dagze.
PLACES = ["540102001", "540102001001", "540102001001P1", "540102002", "540104001001P1"]
DAYS = st.dates(min_value=datetime.date(2021, 3, 1), max_value=datetime.date(2021, 11, 30))
RANGES = [
    (START, END),
    (datetime.date(2021, 3, 17), datetime.date(2021, 8, 9)),
    (datetime.date(2021, 6, 1), datetime.date(2021, 6, 30)),
]
OPEN = itertools.count()
SLOW = settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


def stored() -> Counter:
    out: Counter = Counter()
    for t in Tally.objects.select_related("unit"):
        key = (t.unit.path, t.source, t.day, t.key, t.until, t.due)
        out[key] += t.n
        if t.total:
            out[("total", key)] += t.total
    return +out


def computed() -> Counter:
    out: Counter = Counter()
    for source in tallies.sources():
        out.update(tallies.computed(source))
    return +out


def tallied_indicators() -> list[Tallied]:
    return [i for i in catalogue.all_indicators() if isinstance(i, Tallied)]


def assert_exact(units: list[Unit]) -> None:
    """The stored tallies are those of the rows, and every tallied figure (total, per child,
    per month) is the one counted from the rows, for each unit and range."""
    assert stored() == computed()
    indicators = tallied_indicators()
    codes = [i.code for i in indicators]
    for unit in units:
        for start, end in RANGES:
            got = tallies.answer(unit, start, end, indicators)
            raw = engine.answer(indicators, unit, start, end, per_child=codes, per_month=codes)
            assert got.total == raw.total
            for code in codes:
                assert [(c, v[code]) for c, v in got.children] == raw.children[code], code
                assert [(m, v[code]) for m, v in got.months] == raw.months[code], code


@pytest.fixture
def units(db):
    return [Unit.objects.get(code=c) for c in ("540100", "540102", "540102001")]


def test_every_figure_outside_the_ledger_but_those_over_notices_groups_and_visitors_is_tallied(db):
    raw = {i.code for i in catalogue.all_indicators() if catalogue.rollup_of(i) is None}
    assert raw == {
        "orglife.expected",
        "orglife.completeness",
        "supervision.groups",
        "supervision.units_covered",
        "visits.prefecture_leaders",
        "visits.county_cadres",
        "visits.townships_reached",
        "visits.villages_reached",
        "visits.institutions_reached",
    }


# --- organisational life: bulk services, edits, state changes, deletes ----------------------


measure_change = st.fixed_dictionaries(
    {
        "set_on": DAYS,
        "deadline": DAYS,
        "done_on": st.none() | DAYS,
        "verified_on": st.none() | DAYS,
        "place": st.sampled_from(PLACES),
    }
)


@SLOW
@given(
    batches=st.lists(st.tuples(st.sampled_from(PLACES), DAYS, st.integers(1, 4)), min_size=1, max_size=3),
    changes=st.lists(measure_change, max_size=4),
    deletes=st.integers(0, 2),
    talks=st.lists(st.tuples(st.sampled_from(PLACES), DAYS), max_size=3),
)
def test_orglife_tallies_follow_services_edits_and_deletes(
    units, cg_reporter, dz_reporter, batches, changes, deletes, talks
):
    for code, day, count in batches:
        deadline = day + datetime.timedelta(days=20)
        actor = dz_reporter if code.startswith("540104") else cg_reporter
        rows = [
            FindingRow(row=i, category="style", text=f"问题{i}", measure="整改", owner="扎西", deadline=deadline)
            for i in range(1, count + 1)
        ]
        orglife_services.record_findings(
            actor=actor, unit=Unit.objects.get(code=code), source=FindingSource.SELF, date=day, rows=rows
        )
    for n, (code, day) in enumerate(talks):
        unit = Unit.objects.get(code=code)
        if n % 2:  # one by one, or a sheet of talks written in bulk
            Talk.objects.create(unit=unit, date=day, name_a="甲", name_b="乙", region_code=unit.region_code)
        else:
            actor = dz_reporter if code.startswith("540104") else cg_reporter
            rows = [
                TalkRow(row=1, date=day, name_a="甲", name_b="乙"),
                TalkRow(row=2, date=day, name_a="丙", name_b="丁"),
            ]
            orglife_services.record_talks(actor=actor, unit=unit, talks=rows)
    measures = list(Measure.objects.order_by("-pk")[: len(changes)])
    for measure, change in zip(measures, changes, strict=False):
        unit = Unit.objects.get(code=change.pop("place"))
        for name, value in change.items():
            setattr(measure, name, value)
        measure.unit = unit
        measure.save()
    for finding in Finding.objects.order_by("-pk")[:deletes]:
        finding.delete()  # its measures go with it
    assert_exact(units)


def test_a_measure_marked_done_and_verified_through_the_services_moves_its_figures(
    units, cg_reporter, office, cg_office
):
    meeting = orglife_factories.meeting(orglife_factories.CHENGGUAN_ORG)
    orglife_services.record_findings(
        actor=cg_reporter,
        unit=meeting.unit,
        source="meeting",
        date=meeting.date,
        meeting=meeting,
        rows=[FindingRow(row=1, category="style", text="问题", measure="整改", owner="扎西", deadline=meeting.date)],
    )
    measure = Measure.objects.get(finding__meeting=meeting)
    city = units[0]
    assert reading.values(["orglife.measures_overdue"], city, START, END)["orglife.measures_overdue"] == 1
    orglife_services.mark_measure_done(
        actor=cg_reporter, measure=measure, done_on=meeting.date + datetime.timedelta(days=3), evidence_note="已整改"
    )
    assert reading.values(["orglife.measures_done"], city, START, END)["orglife.measures_done"] == 1
    assert_exact(units)


# --- the quiz: attempts submitted, reviewed, moved, deleted; takers counted once -----------------


attempt_state = st.fixed_dictionaries(
    {
        "taker": st.integers(0, 2),
        "day": st.none() | DAYS,
        "review": st.sampled_from([Review.NONE, Review.PENDING, Review.ACCEPTED, Review.REJECTED]),
        "score": st.integers(0, 1000),
        "passed": st.booleans(),
    }
)


@SLOW
@given(states=st.lists(attempt_state, min_size=1, max_size=6), edits=st.lists(attempt_state, max_size=3))
def test_quiz_tallies_count_each_taker_once_through_submissions_reviews_and_deletes(units, states, edits):
    quiz = quiz_factories.open_quiz()
    takers = [
        quiz_factories.taker_in(code, name=f"答题人{n}")
        for n, code in enumerate(["540102001001", "540102002", "540102001001"])
    ]

    def put(attempt: Attempt, state: dict) -> None:
        day = state["day"]
        attempt.submitted_at = (
            None if day is None else datetime.datetime.combine(day, datetime.time(23, 30), tzinfo=datetime.UTC)
        )
        attempt.review, attempt.passed = state["review"], state["passed"]
        attempt.score = Decimal(state["score"]) / 10
        attempt.save()

    made = []
    for state in states:
        # A taker holds one open attempt of a quiz at a time: an open one gets a taker of its own.
        taker = (
            takers[state["taker"]] if state["day"] else quiz_factories.taker_in("540102002", name=f"未交{next(OPEN)}")
        )
        attempt = Attempt.objects.create(
            quiz=quiz,
            taker=taker,
            unit=taker.unit,
            region_code=taker.region_code,
            paper=[],
            started_at=quiz.opens_at,
            submitted_at=quiz.opens_at if state["day"] else None,
            deadline=quiz.closes_at,
        )
        put(attempt, state)
        made.append(attempt)
    for attempt, state in zip(made, edits, strict=False):
        if state["day"]:
            attempt.taker = takers[state["taker"]]  # another taker's attempt: both are counted again
            attempt.unit = attempt.taker.unit
            put(attempt, state)
    if len(made) > 1:
        made[0].delete()
    assert_exact(units)


def test_a_submitted_and_reviewed_attempt_is_counted_through_the_services(units, office):
    from quiz import services as quiz_services

    quiz = quiz_factories.open_quiz()
    attempt = quiz_factories.attempt_for(quiz_factories.taker_in("540102001001"), quiz)
    quiz_factories.answer_right(attempt)
    quiz_services.submit_attempt(attempt=attempt)
    city = units[0]
    today = datetime.date.today()
    # Answered at once: flagged as too fast, not counted until the office accepts it.
    assert reading.values(["quiz.participants"], city, today, today)["quiz.participants"] == 0
    quiz_services.review_attempt(actor=office, attempt=Attempt.objects.get(pk=attempt.pk), accept=True)
    assert reading.values(["quiz.participants"], city, today, today)["quiz.participants"] == 1
    assert_exact(units)


# --- concerns: recorded through the service, then every state, deleted ------------------------


concern_change = st.fixed_dictionaries(
    {
        "state": st.sampled_from(list(ConcernState.values)),
        "responded": st.booleans(),
        "resolved_on": st.none() | DAYS,
        "satisfaction": st.sampled_from(["", *Satisfaction.values]),
        "collected_on": DAYS,
        "place": st.sampled_from(PLACES[:2] + ["540102002"]),
    }
)


@SLOW
@given(changes=st.lists(concern_change, min_size=1, max_size=5), delete=st.booleans())
def test_concern_tallies_follow_every_state_and_date(units, cg_reporter, changes, delete):
    category = ConcernCategory.objects.get(name_zh="停车")
    for change in changes:
        concern = concern_services.record_concern(
            actor=cg_reporter,
            unit=Unit.objects.get(code=change["place"]),
            category=category,
            source="visit",
            description="小区停车位不足",
            raised_by="次仁",
            contact="13900000001",
            collected_on=change["collected_on"],
        )
        concern.state = change["state"]
        concern.responded_on = change["collected_on"] if change["responded"] else None
        concern.resolved_on = change["resolved_on"]
        concern.satisfaction = change["satisfaction"]
        concern.save()
    if delete:
        Concern.objects.order_by("-pk").first().delete()
    assert_exact(units)


# --- rebuilding, moving units --------------------------------------------------------------------


def test_rebuild_tallies_restores_tallies_that_went_wrong(units, cg_reporter):
    orglife_services.record_findings(
        actor=cg_reporter,
        unit=Unit.objects.get(code="540102001001P1"),
        source=FindingSource.SELF,
        date=datetime.date(2021, 6, 3),
        rows=[
            FindingRow(
                row=1, category="style", text="问题", measure="整改", owner="扎西", deadline=datetime.date(2021, 7, 1)
            )
        ],
    )
    right = stored()
    assert right
    Tally.objects.filter(source="orglife.finding").update(n=99)
    Tally.objects.filter(source="orglife.measure").delete()
    call_command("rebuild_tallies", stdout=io.StringIO())
    assert stored() == right == computed()


def test_a_moved_unit_takes_its_tallies_to_its_new_parent(units, office, cg_reporter):
    from orgs.services import move_unit

    branch = Unit.objects.get(code="540102001001P1")
    category = FindingCategory.objects.get(code="style")
    Finding.objects.create(
        unit=branch,
        category=category,
        text="问题",
        source=FindingSource.SELF,
        date=datetime.date(2021, 5, 5),
        region_code=branch.region_code,
    )
    move_unit(actor=office, unit=branch, new_parent=Unit.objects.get(code="540102002"))
    assert_exact(units)


def test_a_row_saved_from_a_stale_copy_is_counted_against_the_row_as_the_database_holds_it(units, new_concern):
    concern = new_concern()
    first, second = Concern.objects.get(pk=concern.pk), Concern.objects.get(pk=concern.pk)
    first.state = ConcernState.RESOLVED
    first.resolved_on = datetime.date(2021, 10, 20)
    first.save()
    second.state = ConcernState.IN_PROGRESS  # written over the first, as the last write wins
    second.responded_on = datetime.date(2021, 10, 16)
    second.save()
    assert stored() == computed()
