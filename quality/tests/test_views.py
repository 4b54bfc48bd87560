"""The data-quality pages: per scope, out of scope is 404, bounded queries, decisions."""

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.urls import reverse

from quality.models import Flag, Run
from quality.selectors import prefetch_flags

pytestmark = pytest.mark.django_db
PAGES = ["index", "flag_list", "figures", "completeness", "burden", "check_list"]


@pytest.fixture
def flagged(record):
    return record(code="540102001", participants=2000)


@pytest.mark.parametrize("name", PAGES)
def test_the_office_opens_every_page(as_user, office, flagged, name):
    response = as_user(office).get(reverse(f"quality:{name}"))
    assert response.status_code == 200


@pytest.mark.parametrize("name", PAGES[:-1])
def test_a_unit_outside_the_scope_is_404(as_user, cg_office, name):
    assert as_user(cg_office).get(reverse(f"quality:{name}") + "?unit=540104").status_code == 404


def test_a_reporter_and_a_participant_may_not_open_data_quality(as_user, cg_reporter, participant):
    assert as_user(cg_reporter).get(reverse("quality:index")).status_code == 403
    assert as_user(participant).get(reverse("quality:index")).status_code == 403


def test_the_counts_page_links_each_check_to_its_rows(as_user, cg_office, flagged, django_assert_max_num_queries):
    client = as_user(cg_office)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("quality:index")).content.decode()
    assert 'data-check="activity.too_many_people"' in page
    assert "check=activity.too_many_people&status=open" in page


def test_the_flag_list_is_bounded_in_queries_and_links_to_the_rows(
    as_user, office, record, django_assert_max_num_queries
):
    for i in range(12):
        record(code="540102001", participants=2000 + i, title=f"大会{i}")
    client = as_user(office)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("quality:flag_list") + "?check=activity.too_many_people").content.decode()
    assert page.count('data-flag="') == 12
    assert (
        reverse("ledger:activity_detail", args=[Flag.objects.first().object_id]) in page
        or "/ledger/activities/" in page
    )


def test_an_office_clears_a_flag_through_the_page_with_a_reason(as_user, cg_office, flagged):
    flag = Flag.objects.get(object_id=flagged.pk, check_item__code="activity.too_many_people")
    url = reverse("quality:flag_decide", args=[flag.pk])
    client = as_user(cg_office)
    client.post(url, {"decision": "clear", "reason": ""})
    flag.refresh_from_db()
    assert flag.status == "open"
    client.post(url, {"decision": "clear", "reason": "全乡大会"})
    flag.refresh_from_db()
    assert flag.status == "cleared" and flag.reason == "全乡大会"


def test_a_flag_outside_the_scope_is_404_to_decide(as_user, dz_reporter, supervisor, flagged):
    flag = Flag.objects.filter(object_id=flagged.pk).first()
    response = as_user(supervisor).post(reverse("quality:flag_decide", args=[flag.pk]), {"decision": "confirm"})
    assert response.status_code == 404


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}})
def test_the_run_button_runs_every_check_over_the_unit(as_user, cg_office, flagged):
    response = as_user(cg_office).post(reverse("quality:run"), {"unit": "540102"})
    run = Run.objects.get()
    assert response.status_code == 302 and run.status == "done" and run.rows_checked > 0
    assert as_user(cg_office).get(reverse("quality:run_status", args=[run.pk])).status_code == 200


def test_the_badge_shows_on_a_flagged_row_with_one_query_for_the_page(record, django_assert_num_queries):
    from ledger.models import Activity
    from quality.models import Check

    Check.objects.filter(code="activity.late_entry").update(enabled=False)
    flagged = record(code="540102001", participants=2000)
    clean = record(code="540102001", participants=10, title="小组学习")
    rows = list(Activity.objects.filter(pk__in=[flagged.pk, clean.pk]).order_by("pk"))
    with django_assert_num_queries(1):
        prefetch_flags(rows)
    template = Template("{% load quality %}{% for r in rows %}<p>{% flag_badge r %}</p>{% endfor %}")
    with django_assert_num_queries(0):
        html = template.render(Context({"rows": rows}))
    assert html.count('data-testid="flag-badge"') == 1


def test_a_list_fetches_its_rows_flags_in_one_query_through_the_tag(record, django_assert_num_queries):
    from ledger.models import Activity
    from quality.models import Check

    Check.objects.filter(code="activity.late_entry").update(enabled=False)
    flagged = record(code="540102001", participants=2000)
    record(code="540102001", participants=10, title="小组学习")
    rows = Activity.objects.filter(unit__code="540102001").order_by("pk")
    template = Template(
        "{% load quality %}{% fetch_flags rows %}{% for r in rows %}<p>{{ r.pk }} {% flag_badge r %}</p>{% endfor %}"
    )
    with django_assert_num_queries(2):  # the rows, their flags
        html = template.render(Context({"rows": rows}))
    assert html.count('data-testid="flag-badge"') == 1
    assert f"{flagged.pk} <span" in html


def test_the_city_office_tunes_a_check_through_the_page(as_user, office, cg_office):
    url = reverse("quality:check_edit", args=["activity.late_entry"])
    assert as_user(cg_office).get(url).status_code == 404
    response = as_user(office).post(url, {"threshold": "45", "severity": "low", "enabled": "on"})
    assert response.status_code == 302
    from quality.models import Check

    assert Check.objects.get(code="activity.late_entry").threshold == 45
