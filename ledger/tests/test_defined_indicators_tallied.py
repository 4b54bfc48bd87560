"""Indicators the office defines over records outside the ledger (concerns, measures, quiz
attempts ...): answered from the tallies with a state filter, equal to a recount of the raw
rows (in all, per child unit, per month), refused when the kind of record, its states, the
kinds of activity or the measure do not go together, mixed with ledger figures in a rate,
versioned and audited, previewed without saving."""

import datetime
import json

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone, translation

from campaigns import services as campaign_services
from campaigns import transfer
from campaigns.indicators import months, percent
from campaigns.models import Campaign, Tally
from concerns import services as concern_services
from concerns.choices import OPEN_STATES, RESOLVED_STATES, ConcernState
from concerns.models import Concern, ConcernCategory
from figures import catalogue
from ledger import defined
from ledger.models import Activity, DefinedIndicator
from orgs.models import Unit

START, END = datetime.date(2021, 3, 1), datetime.date(2021, 10, 31)
NAMES = {
    "name_zh": "办理中和已办结的群众诉求",
    "name_bo": "སྒྲུབ་བཞིན་པ་དང་ཐག་ཆོད་ཟིན་པའི་མང་ཚོགས་ཀྱི་རེ་བ།",
    "name_en": "Concerns in progress or resolved",
    "measure_zh": "件",
    "measure_bo": "ཚན།",
    "measure_en": "concerns",
    "section": "serving",
}
CODE = "concerns.handled"


@pytest.fixture(autouse=True)
def _catalogue_forgets_rolled_back_definitions():
    with translation.override("en"):
        yield
    catalogue.forget_defined()
    catalogue._DEFINED = {}  # what the rolled-back database defines: nothing


# (unit, collected on, state): in two districts, over several months, in and out of range.
CONCERNS = [
    ("540102001001", datetime.date(2021, 3, 4), ConcernState.IN_PROGRESS),
    ("540102001001", datetime.date(2021, 5, 9), ConcernState.RESOLVED),
    ("540102002", datetime.date(2021, 5, 20), ConcernState.ASSIGNED),
    ("540102001", datetime.date(2021, 7, 1), ConcernState.VERIFIED),
    ("540102001", datetime.date(2021, 7, 2), ConcernState.DUPLICATE),
    ("540102001", datetime.date(2021, 7, 3), ConcernState.CLOSED_NOT_RESOLVABLE),
    ("540104001001P1", datetime.date(2021, 9, 30), ConcernState.COLLECTED),
    ("540104001001P1", datetime.date(2021, 11, 2), ConcernState.IN_PROGRESS),  # after the range
    ("540102001001", datetime.date(2021, 2, 27), ConcernState.RESOLVED),  # before it
]


@pytest.fixture
def concerns(db, office):
    category = ConcernCategory.objects.order_by("pk").first()
    for where, day, state in CONCERNS:
        concern = concern_services.record_concern(
            actor=office,
            unit=Unit.objects.get(code=where),
            category=category,
            source="visit",
            description="小区停车位不足",
            raised_by="次仁",
            contact="13900000001",
            collected_on=day,
        )
        concern.state = state
        concern.resolved_on = day if state in RESOLVED_STATES else None
        concern.save()


def define(office, code=CODE, source="concerns.concern", keys=("in_progress", "resolved_now"), **extra):
    data = {**NAMES, "measure": "rows", **extra}
    kinds = data.pop("kinds", [])
    return defined.create(actor=office, code=code, kinds=kinds, source=source, keys=list(keys), **data)


def recount(unit: Unit, start: datetime.date, end: datetime.date) -> int:
    """The concerns in progress or resolved, collected in the range, counted from the rows."""
    return Concern.objects.filter(
        unit__path__startswith=unit.path,
        collected_on__gte=start,
        collected_on__lte=end,
        state__in=[*OPEN_STATES, *RESOLVED_STATES],
    ).count()


def test_a_tallied_figure_with_a_state_filter_equals_a_recount_of_the_rows(office, concerns, unit):
    define(office)
    indicator = catalogue.get(CODE)
    city = unit("540100")
    assert indicator.value(city, START, END) == recount(city, START, END) == 5
    children = dict(indicator.by_children(city, START, END))
    assert children and all(v == recount(child, START, END) for child, v in children.items())
    assert children[unit("540102")] == 4 and children[unit("540104")] == 1
    by_month = dict(indicator.by_month(city, START, END))
    assert list(by_month) == months(START, END)
    for first, v in by_month.items():
        last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        assert v == recount(city, first, last)
    # Its rows are the tallies, which add up to the figure.
    assert indicator.rows(city, START, END).aggregate(n=Sum("n"))["n"] == 5
    # Answered from the tallies, never from the rows: without them the figure is nothing.
    Tally.objects.filter(source="concerns.concern").delete()
    assert indicator.value(city, START, END) == 0


def test_with_no_state_it_counts_every_record_of_the_source(office, concerns, unit):
    define(office, code="concerns.all_collected", keys=())
    city = unit("540100")
    collected = Concern.objects.filter(collected_on__gte=START, collected_on__lte=END).exclude(
        state=ConcernState.DUPLICATE
    )
    assert catalogue.get("concerns.all_collected").value(city, START, END) == collected.count() == 6


def test_states_of_another_source_kinds_and_ledger_filters_are_refused(office, kinds):
    with pytest.raises(ValidationError) as foreign:
        define(office, keys=("done",))  # a state of rectification measures
    assert "have no state done" in str(foreign.value.message_dict["keys"])
    with pytest.raises(ValidationError) as with_kinds:
        define(office, kinds=[kinds["lecture_theory"]])
    assert "only for the ledger's activities" in str(with_kinds.value.message_dict["kinds"])
    with pytest.raises(ValidationError) as filtered:
        define(office, venue_kind="monasteries")
    assert "venue_kind" in filtered.value.message_dict
    with pytest.raises(ValidationError) as summed:
        define(office, measure="total")
    assert "no value to sum" in str(summed.value.message_dict["measure"])
    with pytest.raises(ValidationError) as sessions:
        define(office, measure="sessions")
    assert "measure" in sessions.value.message_dict
    with pytest.raises(ValidationError) as unknown:
        define(office, source="no.such")
    assert "source" in unknown.value.message_dict
    with pytest.raises(ValidationError) as ledger_keys:
        define(office, source=DefinedIndicator.LEDGER, kinds=[kinds["lecture_theory"]], measure="sessions")
    assert "keys" in ledger_keys.value.message_dict
    with translation.override("bo"), pytest.raises(ValidationError) as in_tibetan:
        define(office, kinds=[kinds["lecture_theory"]])
    assert "ལས་དོན" in str(in_tibetan.value.message_dict["kinds"])
    assert not DefinedIndicator.objects.exists()


def test_the_form_refuses_a_state_of_another_source(office, as_user):
    form = {**NAMES, "code": CODE, "measure": "rows", "source": "concerns.concern"}
    response = as_user(office).post(
        reverse("ledger:indicator_create"), {**form, "keys": ["orglife.measure:done"], "preview": "1"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["keys"]
    assert response.context["preview"] is None


def test_a_rate_mixes_a_ledger_and_a_tallied_code(office, concerns, record, unit):
    for code, sessions in (("540102001", 3), ("540104001001P1", 2)):
        record(
            code=code,
            kind="lecture_theory",
            sessions=sessions,
            participants=10,
            venue_kind="villages",
            date=datetime.date(2021, 6, 1),
        )
    define(office)
    define(
        office,
        code="concerns.handled_per_lecture",
        source=DefinedIndicator.LEDGER,
        keys=(),
        measure="rate",
        numerator=CODE,
        denominator="lecture.sessions",
    )
    rate = catalogue.get("concerns.handled_per_lecture")
    city = unit("540100")
    sessions = Activity.objects.filter(kind__family="lecture", date__gte=START, date__lte=END)
    assert rate.value(city, START, END) == percent(
        recount(city, START, END), sessions.aggregate(n=Sum("sessions"))["n"]
    )
    for child, v in rate.by_children(city, START, END):
        lectures = sessions.filter(unit__path__startswith=child.path).aggregate(n=Sum("sessions"))["n"] or 0
        assert v == percent(recount(child, START, END), lectures)
    # And the other way round, with a declared tallied code.
    define(
        office,
        code="lectures.per_concern",
        source=DefinedIndicator.LEDGER,
        keys=(),
        measure="rate",
        numerator="lecture.sessions",
        denominator="concerns.collected",
    )
    assert catalogue.get("lectures.per_concern").value(city, START, END) == percent(5, 6)


def _form(**extra):
    data = {**NAMES, "code": CODE, "measure": "rows", "source": "concerns.concern"}
    data["keys"] = ["concerns.concern:in_progress", "concerns.concern:resolved_now"]
    data.update(extra)
    return data


def test_the_preview_shows_the_value_and_the_tallies_and_saves_nothing(office, concerns, as_user, unit):
    entries = LogEntry.objects.count()
    response = as_user(office).post(reverse("ledger:indicator_create"), {**_form(), "preview": "1"})
    assert response.status_code == 200
    preview = response.context["preview"]
    period = (preview["start"], preview["end"])
    assert preview["value"] == recount(unit("540100"), *period)
    assert preview["tallied"] and preview["rows"]
    assert 'data-testid="preview-tallied"' in response.content.decode()
    assert not DefinedIndicator.objects.exists()
    assert LogEntry.objects.count() == entries
    assert CODE not in catalogue.codes()


def test_a_change_of_states_raises_the_version_and_is_audited(office, concerns, as_user, api_as, unit):
    saved = as_user(office).post(reverse("ledger:indicator_create"), _form())
    assert saved.status_code == 302
    row = DefinedIndicator.objects.get()
    assert (row.source, row.keys, row.version) == ("concerns.concern", ["in_progress", "resolved_now"], 1)
    edit = as_user(office).get(reverse("ledger:indicator_edit", args=[row.pk]))
    assert edit.context["form"].initial["keys"] == _form()["keys"]
    changed = as_user(office).post(
        reverse("ledger:indicator_edit", args=[row.pk]),
        {**_form(keys=["concerns.concern:resolved_now"]), "version": 1},
    )
    assert changed.status_code == 302
    row.refresh_from_db()
    assert row.version == 2 and row.keys == ["resolved_now"]
    assert catalogue.get(CODE).version == 2
    entries = LogEntry.objects.get_for_object(row)
    assert entries.filter(action=LogEntry.Action.CREATE).count() == 1
    assert entries.filter(action=LogEntry.Action.UPDATE, actor=office).exists()
    resolved = Concern.objects.filter(collected_on__gte=START, collected_on__lte=END, state__in=RESOLVED_STATES)
    r = api_as(office).get(
        "/api/v1/indicators", {"unit": "540100", "from": START.isoformat(), "to": END.isoformat(), "codes": CODE}
    )
    assert r.status_code == 200, r.content
    assert r.json()["items"][0]["value"] == resolved.count() == 2
    listing = as_user(office).get(reverse("ledger:indicator_list"))
    assert NAMES["name_zh"] in listing.content.decode() and "群众诉求" in listing.content.decode()


def test_the_rows_page_and_the_table_show_a_tallied_definition(office, concerns, as_user):
    define(office)
    query = {"unit": "540100", "start": START.isoformat(), "end": END.isoformat()}
    rows = as_user(office).get(reverse("figures:rows", args=[CODE]), query)
    assert rows.status_code == 200
    table = as_user(office).get(reverse("figures:table"), query)
    assert table.status_code == 200 and f'data-code="{CODE}"' in table.content.decode()
    detail = as_user(office).get(reverse("figures:detail", args=[CODE]), query)
    assert detail.status_code == 200 and NAMES["name_zh"] in detail.content.decode()


def test_measures_done_by_the_end_read_as_the_declared_figure(office, cg_reporter, unit):
    from figures import reading
    from orglife import services as orglife_services
    from orglife.models import Measure
    from orglife.services import FindingRow
    from orglife.tests import factories

    meeting = factories.meeting(factories.CHENGGUAN_ORG)
    orglife_services.record_findings(
        actor=cg_reporter,
        unit=meeting.unit,
        source="meeting",
        date=meeting.date,
        meeting=meeting,
        rows=[
            FindingRow(row=n, category="style", text="问题", measure="整改", owner="扎西", deadline=meeting.date)
            for n in (1, 2)
        ],
    )
    measure = Measure.objects.filter(finding__meeting=meeting).first()
    orglife_services.mark_measure_done(
        actor=cg_reporter, measure=measure, done_on=meeting.date + datetime.timedelta(days=3), evidence_note="已整改"
    )
    define(office, code="orglife.defined_done", source="orglife.measure", keys=("done",))
    define(office, code="orglife.defined_overdue", source="orglife.measure", keys=("overdue",))
    city = unit("540100")
    start, end = datetime.date(2021, 1, 1), datetime.date(2021, 12, 31)
    got = reading.values(
        ["orglife.measures_done", "orglife.defined_done", "orglife.measures_overdue", "orglife.defined_overdue"],
        city,
        start,
        end,
    )
    assert got["orglife.defined_done"] == got["orglife.measures_done"] == 1
    assert got["orglife.defined_overdue"] == got["orglife.measures_overdue"] == 1


def test_a_campaign_shows_a_tallied_definition_whatever_its_kinds_of_activity(office, kinds):
    from campaigns.models import Campaign
    from ledger.campaign_setup import set_campaign_catalogue

    campaign = Campaign.objects.get(root_unit__code="540100")
    row = define(office)
    set_campaign_catalogue(actor=office, campaign=campaign, kinds=[kinds["collective_study"]], indicators=[row])
    assert list(campaign.defined_indicators.all()) == [row]


def test_a_sum_over_quiz_attempts_equals_their_scores_in_tenths(office, unit):
    from decimal import Decimal

    from quiz.choices import COUNTED_REVIEWS
    from quiz.models import Attempt
    from quiz.tests import factories

    quiz = factories.open_quiz()
    for n, (where, score, passed) in enumerate(
        [("540102001001", "87.5", True), ("540102002", "42", False), ("540104001001P1", "60", True)]
    ):
        taker = factories.taker_in(where, name=f"答题人{n}")
        Attempt.objects.create(
            quiz=quiz,
            taker=taker,
            unit=taker.unit,
            region_code=taker.region_code,
            paper=[],
            started_at=quiz.opens_at,
            submitted_at=quiz.opens_at,
            deadline=quiz.closes_at,
            score=Decimal(score),
            passed=passed,
        )
    define(office, code="quiz.score_tenths", source="quiz.attempt", keys=("counted",), measure="total")
    define(office, code="quiz.passed_attempts", source="quiz.attempt", keys=("passed",))
    city, day = unit("540100"), timezone.localdate(quiz.opens_at)
    start, end = day.replace(day=1), day.replace(month=12, day=31)
    counted = Attempt.objects.filter(review__in=COUNTED_REVIEWS, submitted_at__isnull=False)
    assert catalogue.get("quiz.score_tenths").value(city, start, end) == sum(int(a.score * 10) for a in counted)
    assert catalogue.get("quiz.passed_attempts").value(city, start, end) == counted.filter(passed=True).count() == 2
    with pytest.raises(ValidationError) as refused:
        define(office, code="quiz.wrong", source="quiz.attempt", keys=("taker",))
    assert "keys" in refused.value.message_dict
    with pytest.raises(ValidationError) as no_value:  # a pass carries no score of its own
        define(office, code="quiz.wrong", source="quiz.attempt", keys=("passed",), measure="total")
    assert "no value to sum" in str(no_value.value.message_dict["measure"])
    define(office, code="quiz.all_score_tenths", source="quiz.attempt", keys=(), measure="total")


def test_a_tallied_definition_travels_with_a_campaigns_set_up(office):
    campaign = Campaign.objects.get(root_unit__code="540100")
    define(office).campaigns.add(campaign)
    document = json.loads(json.dumps(transfer.dump_document(campaign)))
    row = next(r for r in document["parts"]["ledger.indicators"] if r["code"] == CODE)
    assert (row["source"], row["keys"], row["kinds"]) == ("concerns.concern", ["in_progress", "resolved_now"], [])

    # Into a database that lacks it: made from its definition, source and states kept.
    DefinedIndicator.objects.filter(code=CODE).delete()
    imported = campaign_services.import_campaign(
        actor=office,
        document=transfer.read_document(json.dumps(document).encode()),
        name_zh="第二次",
        name_bo="གཉིས་པ།",
    )
    made = imported.defined_indicators.get(code=CODE)
    assert (made.source, made.keys) == ("concerns.concern", ["in_progress", "resolved_now"])

    # A document whose states differ from the indicator here is refused, naming the field.
    row["keys"] = ["in_progress"]
    with pytest.raises(ValidationError) as refused:
        campaign_services.import_campaign(
            actor=office,
            document=transfer.read_document(json.dumps(document).encode()),
            name_zh="第三次",
            name_bo="གསུམ་པ།",
        )
    assert "keys" in str(refused.value)


def test_the_dashboard_lists_a_tallied_definition_with_its_value(as_user, office, concerns):
    define(office)
    lhasa = Unit.objects.get(code="540100")
    response = as_user(office).get(
        reverse("reports:dashboard"), {"unit": "540100", "start": START.isoformat(), "end": END.isoformat()}
    )
    assert response.status_code == 200
    shown = {label: cell.value for label, cell, _measure in response.context["board"]["defined"]}
    assert shown[NAMES["name_zh"]] == recount(lhasa, START, END) > 0
