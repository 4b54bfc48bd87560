"""The scope picker: which units a reader may choose, where each account lands, that the
choice is remembered for the session and never widens the scope."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from orgs.choices import UnitKind
from orgs.models import Unit
from orgs.scope import path_in_scope
from orgs.selectors import SCOPE_SESSION_KEY, home_unit, scope_choices, unit_from_request


def test_supervisor_lands_on_the_county_its_group_covers_not_the_first_unit(supervisor):
    home = home_unit(supervisor)
    assert home.kind == UnitKind.COUNTY
    roots = Unit.objects.filter(supervision_groups__accounts=supervisor).distinct()
    assert home in roots
    first = roots.order_by("path").first()
    assert first != home  # the first covered unit by path is not a county
    assert home.subtree().count() == max(r.subtree().count() for r in roots)


def test_a_reporter_and_an_office_land_on_their_own_unit(cg_reporter, cg_office):
    assert home_unit(cg_reporter) == cg_reporter.unit
    assert home_unit(cg_office) == cg_office.unit


def test_a_supervisors_choices_are_its_covered_units_grouped_by_county(supervisor):
    groups = scope_choices(supervisor)
    offered = [u for g in groups for u in g.units]
    assert all(path_in_scope(supervisor, u.path) for u in offered)
    county = home_unit(supervisor)
    county_group = next(g for g in groups if g.label == county.name)
    assert county_group.units[0] == county
    assert all(u.path.startswith(county.path) for u in county_group.units)
    assert len(county_group.units) > 1  # the county's townships too
    # every covered unit is offered, each once
    roots = set(Unit.objects.filter(supervision_groups__accounts=supervisor))
    assert roots <= set(offered)
    assert len(offered) == len(set(offered))


def test_an_offices_choices_are_its_unit_and_what_lies_below(cg_office):
    groups = scope_choices(cg_office)
    offered = [u for g in groups for u in g.units]
    assert offered[0] == cg_office.unit
    assert all(u.path.startswith(cg_office.unit.path) for u in offered)
    assert len(offered) > 1


def _post(client, unit_code, next_url="/reports/dashboard/"):
    return client.post("/orgs/scope/", {"unit": unit_code, "next": next_url})


def test_the_choice_is_remembered_for_the_session_and_read_by_every_subtree_page(as_user, supervisor):
    client = as_user(supervisor)
    other = next(u for g in scope_choices(supervisor) for u in g.units if u != home_unit(supervisor))
    response = _post(client, other.code, "/concerns/list/?state=&page=3")
    assert response.status_code == 302
    assert response["Location"] == "/concerns/list/?state=&page=3"
    assert client.session[SCOPE_SESSION_KEY] == other.code
    for url in (
        "/reports/dashboard/",
        "/reports/",
        "/reports/report/",
        "/ledger/indicators/",
        "/ledger/indicators/lecture.sessions/",
        "/quality/",
        "/orglife/",
        "/concerns/",
        "/concerns/list/",
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        assert page.context["unit"] == other, url
        picker = page.content.decode().split('data-testid="scope-picker"')[1].split("</form>")[0]
        assert f'<option value="{other.code}" selected>' in picker, url


@pytest.mark.parametrize("code", ["540200", "540202", "540102", "540102001", "no-such-unit"])
def test_a_unit_outside_scope_is_refused_never_remembered_never_shown(as_user, supervisor, code):
    client = as_user(supervisor)
    assert _post(client, code).status_code == 404
    assert SCOPE_SESSION_KEY not in client.session
    assert client.get(f"/reports/dashboard/?unit={code}").status_code == 404
    listed = client.get(f"/concerns/list/?unit={code}")  # the list falls back to the reader's own
    assert listed.status_code == 200 and listed.context["unit"] == home_unit(supervisor)


def test_a_remembered_unit_that_left_the_scope_is_ignored(supervisor, unit):
    request = RequestFactory().get("/")
    request.user = supervisor
    request.session = {SCOPE_SESSION_KEY: "540200"}
    assert unit_from_request(request) == home_unit(supervisor)
    assert unit("540200") != home_unit(supervisor)
