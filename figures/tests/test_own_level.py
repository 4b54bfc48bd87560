"""A breakdown by child unit shows the unit's own records as a row of their own ("本级"),
so that the rows of a count or a sum add up to the unit's figure: on the indicator page, in
the API's answer, on the dashboard and on the apps' figure pages."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import translation

from figures import catalogue, reading
from orgs.models import Unit

START, END = datetime.date(2021, 1, 1), datetime.date(2021, 12, 31)
RANGE = {"start": START.isoformat(), "end": END.isoformat()}


def _chengguan_with_own_records(record, new_concern):
    """Chengguan (540102) with records of its own and of two of its townships."""
    record("540102", sessions=4)
    record("540102", sessions=2, date=datetime.date(2021, 8, 2))
    record("540102001", sessions=3)
    record("540102002", sessions=5)
    new_concern(where="540102")
    new_concern(where="540102001001")
    new_concern(where="540102002")


def test_the_rows_of_a_summable_figure_add_up_to_the_total(record, new_concern, unit):
    _chengguan_with_own_records(record, new_concern)
    chengguan = unit("540102")
    for code, own in (("study.sessions", 6), ("concerns.collected", 1)):
        got = reading.breakdown(catalogue.get(code), chengguan, START, END)
        assert got.own is not None
        assert got.own[1] == own
        assert got.rows[0][0].own and got.rows[0][0].code == "540102"
        assert sum(v for _c, v in got.rows) == got.value
        assert sum(v for _c, v in got.children) == got.value - own


def test_a_figure_that_does_not_add_up_is_read_from_the_units_own_rows(new_concern, unit):
    _chengguan_with_own_records(lambda *a, **k: None, new_concern)
    got = reading.breakdown(catalogue.get("concerns.response_rate"), unit("540102"), START, END)
    assert got.own is not None
    own = catalogue.get("concerns.response_rate")
    mine = own.figure(
        own.facts(unit("540102"), START, END).filter(unit__code="540102").aggregate(**own.measures(START, END))
    )
    assert got.own[1] == mine


def test_a_leaf_has_no_own_row(record, unit):
    leaf = Unit.objects.filter(path__startswith=unit("540102").path, numchild=0).order_by("path").first()
    record(leaf.code, sessions=1)
    got = reading.breakdown(catalogue.get("study.sessions"), leaf, START, END)
    assert got.value == 1
    assert got.children == [] and got.own is None and got.rows == []


def test_the_indicator_page_shows_the_own_row_in_three_languages(as_user, record, new_concern, cg_office):
    _chengguan_with_own_records(record, new_concern)
    client = as_user(cg_office)
    url = reverse("figures:detail", args=["study.sessions"])
    for language, word in (("zh-hans", "本级"), ("bo", "རང་རིམ།"), ("en", "Own level")):
        client.cookies["django_language"] = language
        body = client.get(url, {"unit": "540102", **RANGE}).content.decode()
        assert f'<tr data-own="1"><th scope="row">{word}</th>' in body, language
        own = body.split('data-own="1"')[1].split("</tr>")[0]
        assert "own=1" in own and ">6</a>" in own


def test_the_api_answer_puts_the_own_row_first_and_its_rows_add_up(api_as, record, new_concern, cg_office):
    _chengguan_with_own_records(record, new_concern)
    r = api_as(cg_office).get(
        "/api/v1/indicators",
        {
            "unit": "540102",
            "from": "2021-01-01",
            "to": "2021-12-31",
            "codes": "study.sessions,concerns.collected",
            "breakdown": "children",
        },
    )
    assert r.status_code == 200, r.content
    for item in r.json()["items"]:
        first, *others = item["children"]
        assert first["own"] is True and first["unit"] == "540102"
        assert not any(c["own"] for c in others)
        assert first["value"] + sum(c["value"] for c in others) == item["value"]


def test_the_dashboard_tables_start_with_the_own_row(as_user, record, new_concern, cg_office, unit):
    _chengguan_with_own_records(record, new_concern)
    response = as_user(cg_office).get(reverse("reports:dashboard"), {"unit": "540102", **RANGE})
    assert response.status_code == 200
    table = response.context["board"]["breakdown"]
    (own, cells), *rows = table.rows
    assert own.own
    codes = [code for code, _heading in table.columns]
    totals = reading.values(codes, unit("540102"), START, END)
    assert totals["study.sessions"] == 14 and cells[codes.index("study.sessions")].value == 6
    for n, code in enumerate(codes):
        if reading.adds_up(catalogue.get(code)):
            assert cells[n].value + sum(c[n].value for _u, c in rows) == totals[code], code
    with translation.override("zh-hans"):
        assert "本级" in response.content.decode()


def test_the_own_row_opens_exactly_the_units_own_rows(as_user, record, new_concern, cg_office):
    _chengguan_with_own_records(record, new_concern)
    client = as_user(cg_office)
    response = client.get(reverse("figures:rows", args=["study.sessions"]), {"unit": "540102", "own": "1", **RANGE})
    assert response.status_code == 200
    rows = list(response.context["page"])
    assert len(rows) == 2 and all(r.unit.code == "540102" for r in rows)
    response = client.get(reverse("figures:rows", args=["concerns.collected"]), {"unit": "540102", "own": "1", **RANGE})
    assert [c.unit.code for c in response.context["page"]] == ["540102"]
