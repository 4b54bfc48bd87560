import pytest
from django.db import connection

from orgs.models import Account, Person, Unit


def test_a_county_reporter_sees_its_own_subtree_and_nothing_else(cg_reporter, unit):
    chengguan = unit("540102")
    visible = Unit.objects.visible_to(cg_reporter)
    assert visible.count() == chengguan.subtree().count()
    assert not visible.filter(code__in=["540100", "540104", "540200"]).exists()
    assert visible.filter(code="540102001001").exists()


def test_the_city_office_sees_the_whole_city_but_not_another_city(office, unit):
    visible = Unit.objects.visible_to(office)
    assert visible.count() == unit("540100").subtree().count()
    assert not visible.filter(code__startswith="5402").exists()


def test_a_supervisor_sees_exactly_the_units_its_group_covers(supervisor):
    group = supervisor.supervision_groups.get()
    covered = list(group.units.all())
    assert covered, "group 3 covers units"
    expected = set()
    for u in covered:
        expected |= set(u.subtree().values_list("pk", flat=True))
    assert set(Unit.objects.visible_to(supervisor).values_list("pk", flat=True)) == expected
    assert not Unit.objects.visible_to(supervisor).filter(code="540102").exists()


def test_a_supervisor_sees_nothing_when_no_app_answers_for_its_role(supervisor, monkeypatch):
    from orgs import scope

    monkeypatch.setattr(scope, "ROLE_SCOPES", {})
    assert scope.scope_paths(supervisor) == []
    assert not Unit.objects.visible_to(supervisor).exists()


def test_a_registered_role_scope_decides_what_its_accounts_see(cg_reporter, monkeypatch):
    from orgs import scope

    dagze = Unit.objects.get(code="540104")
    monkeypatch.setattr(scope, "ROLE_SCOPES", {"reporter": lambda user: [dagze.path]})
    assert Unit.objects.visible_to(cg_reporter).count() == dagze.subtree().count()
    assert not Unit.objects.visible_to(cg_reporter).filter(code="540102").exists()


def test_a_participant_sees_no_rows(participant):
    assert not Unit.objects.visible_to(participant).exists()
    assert not Person.objects.visible_to(participant).exists()


def test_a_disabled_account_sees_nothing(cg_reporter):
    cg_reporter.is_active = False
    assert not Unit.objects.visible_to(cg_reporter).exists()


def test_people_and_accounts_are_scoped_by_their_unit(cg_reporter):
    assert Person.objects.visible_to(cg_reporter).exists()
    assert all(
        p.unit.code.startswith("540102") for p in Person.objects.visible_to(cg_reporter).select_related("unit")[:200]
    )
    assert not Account.objects.visible_to(cg_reporter).filter(username="dagze-reporter").exists()


def test_a_subtree_query_is_one_indexed_prefix_filter(unit):
    query = unit("540102").subtree()
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(row) for row in cursor.fetchall())
            assert "USING INDEX" in plan and "path>? AND path<?" in plan, plan
        else:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            plan = " ".join(row[0] for row in cursor.fetchall())
            assert "Index" in plan and "path" in plan, plan
    assert sql.count("LIKE") == 1


@pytest.mark.parametrize("code", ["540102", "540103", "540104"])
def test_region_code_is_the_top_unit_for_every_unit(unit, code):
    assert set(unit(code).subtree().values_list("region_code", flat=True)) == {"540100"}
