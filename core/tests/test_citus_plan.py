from io import StringIO

from django.core.management import call_command

from core.management.commands.citus_plan import plan


def test_every_ledger_table_is_distributed_by_region_and_the_tree_is_a_reference_table():
    distributed, children, reference = plan()
    for table in (
        "ledger_activity",
        "concerns_concern",
        "concerns_visit",
        "orglife_finding",
        "orglife_measure",
        "orglife_meeting",
        "orglife_talk",
        "quiz_attempt",
    ):
        assert table in distributed, table
    assert "orgs_unit" in reference and "ledger_activitykind" in reference
    assert ("quiz_answer", "quiz_attempt") in children


def test_the_plan_prints_sql_colocating_every_distributed_table():
    out = StringIO()
    call_command("citus_plan", stdout=out)
    sql = out.getvalue()
    assert "SELECT create_distributed_table('ledger_activity', 'region_code'" in sql
    assert "SELECT create_reference_table('orgs_unit');" in sql
