import datetime

from orglife import selectors
from orglife.tests import factories as F
from orgs.models import Unit


def _orgs(code: str):
    root = Unit.objects.get(code=code)
    return list(
        Unit.objects.filter(
            path__startswith=root.path, kind__in=["party_branch", "party_general_branch", "party_committee"]
        ).order_by("path")
    )


def test_every_active_party_organisation_of_the_subtree_is_expected(notice, unit):
    barkor = unit("540102001")
    total = selectors.completeness(notice, barkor)
    assert total.expected == len(_orgs("540102001")) > 0
    assert (total.held, total.in_window, total.rate) == (0, 0, 0.0)


def test_held_and_held_within_the_window_are_counted_apart(notice, unit):
    orgs = _orgs("540102001")
    F.meeting(orgs[0].code, datetime.date(2021, 10, 15))  # in the window
    F.meeting(orgs[1].code, datetime.date(2021, 12, 20))  # late
    total = selectors.completeness(notice, unit("540102001"))
    assert (total.held, total.in_window) == (2, 1)
    assert orgs[0] not in selectors.missing_orgs(notice, unit("540102001"))
    assert orgs[2] in selectors.missing_orgs(notice, unit("540102001"))


def test_a_closed_organisation_is_not_expected_and_the_rate_never_exceeds_100(notice, unit):
    orgs = _orgs("540102001001")
    for org in orgs[:-1]:
        F.meeting(org.code)
    closed = orgs[-1]
    F.meeting(closed.code)
    Unit.objects.filter(pk=closed.pk).update(active=False)
    total = selectors.completeness(notice, unit("540102001001"))
    assert total.expected == len(orgs) - 1
    assert total.held == len(orgs) - 1
    assert total.rate == 100.0


def test_completeness_by_children_adds_up_to_the_total(notice, unit):
    orgs = _orgs("540102")
    for org in orgs[::7]:
        F.meeting(org.code)
    chengguan = unit("540102")
    rows = selectors.completeness_by_children(notice, chengguan)
    total = selectors.completeness(notice, chengguan)
    assert sum(r.expected for r in rows) == total.expected
    assert sum(r.held for r in rows) == total.held
    assert all(r.rate <= 100 for r in rows)


def test_a_county_reader_sees_a_city_notice_at_its_own_unit(cg_reporter, notice):
    assert [u.code for u in selectors.reading_roots(cg_reporter, notice)] == ["540102"]
    assert notice in selectors.notices_for(cg_reporter)


def test_a_notice_of_another_city_is_not_listed(cg_reporter):
    other = F.notice("540200")
    assert other not in selectors.notices_for(cg_reporter)


def test_an_organisation_expected_itself_is_its_own_row_and_the_rows_add_up(notice, unit):
    committee = next(o for o in _orgs("540102001001") if o.numchild)  # a general branch with branches
    F.meeting(committee.code)
    rows = selectors.completeness_by_children(notice, committee)
    total = selectors.completeness(notice, committee)
    own, *children = rows
    assert own.own and own.unit == committee and (own.expected, own.held) == (1, 1)
    assert not any(r.own for r in children)
    assert sum(r.expected for r in rows) == total.expected and sum(r.held for r in rows) == total.held
