"""Indicators the office defines as data: their checks, their figures (read from the rollups,
equal to the sums over the rows), their place in the catalogue and the API, the page with
its preview, who may use it, versions and the audit log."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.urls import reverse
from django.utils import translation

from figures import catalogue
from ledger import services
from ledger.models import Activity, ActivityKind, DefinedIndicator

START, END = datetime.date(2021, 2, 20), datetime.date(2021, 12, 31)
NAMES = {
    "name_zh": "寺庙宣讲受众",
    "name_bo": "དགོན་སྡེར་ཁྱབ་བསྒྲགས་ཉན་མཁན།",
    "name_en": "Lecture audience in monasteries",
    "measure_zh": "人次",
    "measure_bo": "མི་ཐེངས།",
    "measure_en": "person-times",
    "section": "lectures",
}


@pytest.fixture(autouse=True)
def _catalogue_forgets_rolled_back_definitions():
    with translation.override("en"):
        yield
    # The test's rows are rolled back: so are the definitions the catalogue read.
    catalogue.forget_defined()
    catalogue._DEFINED = {}  # what the rolled-back database defines: nothing


def define(office, code="lecture.monastery_audience", kinds=("lecture_theory", "lecture_arts"), **extra):
    data = {**NAMES, "measure": "participants", "venue_kind": "monasteries", **extra}
    return services.create_indicator(
        actor=office, code=code, kinds=[ActivityKind.objects.get(code=k) for k in kinds], **data
    )


def _lectures(record):
    record(code="540102001", kind="lecture_theory", participants=40, venue_kind="monasteries")
    record(code="540102001", kind="lecture_arts", participants=25, venue_kind="monasteries")
    record(
        code="540103", kind="lecture_theory", participants=7, venue_kind="monasteries", date=datetime.date(2021, 9, 3)
    )
    record(code="540102001", kind="lecture_theory", participants=100, venue_kind="villages")
    record(code="540102001", kind="lecture_quiz", participants=9, venue_kind="monasteries")


def test_a_code_of_a_declared_indicator_is_refused_with_a_message(office):
    with pytest.raises(ValidationError) as refused:
        define(office, code="lecture.sessions")
    assert "already used by an indicator of the platform" in str(refused.value.message_dict["code"])
    define(office)
    with pytest.raises(ValidationError) as again:
        define(office)
    assert "already used" in str(again.value.message_dict["code"])


def test_a_rate_of_itself_or_of_an_unknown_code_is_refused(office):
    with pytest.raises(ValidationError) as refused:
        define(
            office,
            code="lecture.rate",
            kinds=(),
            measure="rate",
            numerator="lecture.rate",
            denominator="lecture.audience",
        )
    assert "itself" in str(refused.value.message_dict["numerator"])
    with pytest.raises(ValidationError) as unknown:
        define(
            office, code="lecture.rate", kinds=(), measure="rate", numerator="no.such", denominator="lecture.audience"
        )
    assert "no.such" in str(unknown.value.message_dict["numerator"])
    with pytest.raises(ValidationError) as no_kinds:
        define(office, kinds=())
    assert "kinds" in no_kinds.value.message_dict


def test_the_figure_equals_the_sum_over_the_rows_of_its_kinds(office, record, unit):
    _lectures(record)
    define(office)
    indicator = catalogue.get("lecture.monastery_audience")
    city = unit("540100")
    raw = Activity.objects.filter(
        unit__path__startswith=city.path,
        kind__code__in=["lecture_theory", "lecture_arts"],
        venue_kind="monasteries",
        date__gte=START,
        date__lte=END,
    ).aggregate(n=Sum("participants"))["n"]
    assert raw == 72
    assert indicator.value(city, START, END) == raw
    assert indicator.rows(city, START, END).aggregate(n=Sum("participants"))["n"] == raw
    by_child = dict(indicator.by_children(city, START, END))
    assert by_child[unit("540102")] == 65 and by_child[unit("540103")] == 7
    # Counting records: one per activity, on cut months too.
    define(office, code="lecture.monastery_records", measure="rows")
    assert catalogue.get("lecture.monastery_records").value(city, datetime.date(2021, 7, 1), END) == 3


def test_a_rate_of_two_indicators_is_their_percentage(office, record, unit):
    _lectures(record)
    define(office)
    define(
        office,
        code="lecture.monastery_share",
        kinds=(),
        measure="rate",
        numerator="lecture.monastery_audience",
        denominator="lecture.audience",
    )
    rate = catalogue.get("lecture.monastery_share")
    # 72 of all lecture audience (40 + 25 + 7 + 100 + 9 = 181).
    assert str(rate.value(unit("540100"), START, END)) == "39.8"
    assert rate.version == 1
    part = DefinedIndicator.objects.get(code="lecture.monastery_audience")
    services.update_indicator(
        actor=office,
        indicator=part,
        kinds=list(part.kinds.all()),
        expected_version=1,
        **{f: getattr(part, f) for f in services.INDICATOR_FIELDS},
    )
    assert catalogue.get("lecture.monastery_share").version == 2


def test_it_is_in_the_catalogue_the_pages_and_the_api(office, record, as_user, api_as):
    _lectures(record)
    define(office)
    assert "lecture.monastery_audience" in catalogue.codes()
    assert "lecture.monastery_audience" in [i.code for i in catalogue.all_indicators("lectures")]
    page = as_user(office).get(reverse("figures:detail", args=["lecture.monastery_audience"]), {"unit": "540100"})
    assert page.status_code == 200 and "寺庙宣讲受众" in page.content.decode()
    r = api_as(office).get(
        "/api/v1/indicators",
        {"unit": "540100", "from": "2021-01-01", "to": "2021-12-31", "codes": "lecture.monastery_audience"},
    )
    assert r.status_code == 200, r.content
    (item,) = r.json()["items"]
    assert item["value"] == 72


def _form(**extra):
    data = {**NAMES, "code": "lecture.monastery_audience", "measure": "participants", "venue_kind": "monasteries"}
    data["kinds"] = [
        ActivityKind.objects.get(code="lecture_theory").pk,
        ActivityKind.objects.get(code="lecture_arts").pk,
    ]
    data.update(extra)
    return data


def test_the_preview_shows_the_value_and_rows_and_saves_nothing(office, record, as_user):
    _lectures(record)
    entries = LogEntry.objects.count()
    response = as_user(office).post(reverse("ledger:indicator_create"), {**_form(), "preview": "1"})
    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview["value"] == 72 and preview["total_rows"] == 3 and len(preview["rows"]) == 3
    assert 'data-testid="preview-value">72<' in response.content.decode()
    assert not DefinedIndicator.objects.exists()
    assert LogEntry.objects.count() == entries
    assert "lecture.monastery_audience" not in catalogue.codes()
    saved = as_user(office).post(reverse("ledger:indicator_create"), _form())
    assert saved.status_code == 302
    assert DefinedIndicator.objects.get().changed_by == office


def test_bad_input_is_shown_on_the_form(office, as_user):
    response = as_user(office).post(
        reverse("ledger:indicator_create"), {**_form(code="lecture.sessions"), "preview": "1"}
    )
    assert response.status_code == 200
    assert "已被平台的指标使用" in response.content.decode()


@pytest.mark.parametrize("persona", ["cg_office", "leader", "cg_reporter", "supervisor"])
def test_only_the_city_office_uses_the_page(persona, request, office, as_user):
    row = define(office)
    client = as_user(request.getfixturevalue(persona))
    for url in (
        reverse("ledger:indicator_list"),
        reverse("ledger:indicator_create"),
        reverse("ledger:indicator_edit", args=[row.pk]),
    ):
        assert client.get(url).status_code in (403, 404)
    assert client.post(reverse("ledger:indicator_create"), {**_form(code="x.y"), "preview": "1"}).status_code in (
        403,
        404,
    )
    assert as_user(office).get(reverse("ledger:indicator_list")).status_code == 200


def test_a_change_raises_the_version_and_is_audited(office, as_user):
    row = define(office)
    assert row.version == 1
    assert LogEntry.objects.get_for_object(row).filter(action=LogEntry.Action.CREATE).count() == 1
    response = as_user(office).post(
        reverse("ledger:indicator_edit", args=[row.pk]), {**_form(name_en="Monastery audience"), "version": 1}
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.version == 2 and row.name_en == "Monastery audience"
    assert catalogue.get(row.code).version == 2
    changed = LogEntry.objects.get_for_object(row).filter(changes_text__icontains="Monastery audience")
    if not changed.exists():
        changed = LogEntry.objects.get_for_object(row).filter(changes__icontains="Monastery audience")
    assert changed.filter(action=LogEntry.Action.UPDATE, actor=office).exists()
    # An edit made from the version before is refused, not written over.
    client = as_user(office)
    client.cookies["django_language"] = "en"
    stale = client.post(reverse("ledger:indicator_edit", args=[row.pk]), {**_form(), "version": 1})
    assert stale.status_code == 200 and "Someone else changed" in stale.content.decode()


def test_the_rows_page_and_a_rate_read_through_the_pages_and_the_api(office, record, as_user, api_as):
    _lectures(record)
    define(office)
    define(
        office,
        code="lecture.monastery_share",
        kinds=(),
        measure="rate",
        numerator="lecture.monastery_audience",
        denominator="lecture.audience",
    )
    rows = as_user(office).get(
        reverse("figures:rows", args=["lecture.monastery_audience"]),
        {"unit": "540100", "start": "2021-01-01", "end": "2021-12-31"},
    )
    assert rows.status_code == 200
    page = as_user(office).get(reverse("figures:table"), {"unit": "540100", "start": "2021-01-01", "end": "2021-12-31"})
    assert page.status_code == 200 and 'data-code="lecture.monastery_share"' in page.content.decode()
    r = api_as(office).get(
        "/api/v1/indicators",
        {"unit": "540100", "from": "2021-01-01", "to": "2021-12-31", "codes": "lecture.monastery_share"},
    )
    assert r.status_code == 200, r.content
    assert str(r.json()["items"][0]["value"]) == "39.8"


def test_the_dashboard_shows_the_defined_indicators(office, record, as_user):
    _lectures(record)
    define(office)
    response = as_user(office).get(
        reverse("reports:dashboard"), {"unit": "540100", "start": "2021-01-01", "end": "2021-12-31"}
    )
    assert response.status_code == 200
    (label, cell, measure), *_others = response.context["board"]["defined"]
    assert label == "寺庙宣讲受众" and cell.value == 72 and measure == "人次"
    assert 'data-testid="defined-indicators"' in response.content.decode()


def test_another_process_sees_a_definition_once_the_shared_stamp_changes(office, django_assert_num_queries):
    from django.core.cache import cache

    assert "lecture.monastery_audience" not in catalogue.codes()
    # Written as another process would: the row, then a new stamp in the shared cache, with
    # no signal reaching this process.
    catalogue.indicators_changed.disconnect(dispatch_uid="figures.catalogue.forget_defined")
    try:
        define(office)
    finally:
        catalogue.indicators_changed.connect(catalogue.forget_defined, dispatch_uid="figures.catalogue.forget_defined")
    with django_assert_num_queries(0):
        assert "lecture.monastery_audience" not in catalogue.codes()  # read a moment ago
    cache.set(catalogue._STAMP_KEY, "another process")
    catalogue._state["checked"] = 0.0  # a second has passed
    assert "lecture.monastery_audience" in catalogue.codes()
