"""The reports pages: who may open them, what they show, and that nothing outside the
reader's scope is reachable."""

import re

from reports.models import PublishedReport, ReportBuild, ReportDraft
from reports.tests.conftest import AS_OF

REPORT = "/reports/report/?unit={}&as_of=2021-12-31&language={}"


def test_the_index_offers_the_dashboard_the_report_and_published_reports(as_user, office):
    response = as_user(office).get("/reports/")
    assert response.status_code == 200
    assert 'data-testid="open-dashboard"' in response.text


def test_participants_may_not_open_reports(as_user, participant):
    assert as_user(participant).get("/reports/").status_code == 403
    assert as_user(participant).get("/reports/report/").status_code == 403


def test_the_report_page_links_every_figure_to_its_rows(as_user, office, seed_values):
    response = as_user(office).get(REPORT.format("540100", "zh-hans"))
    assert response.status_code == 200
    links = re.findall(r'<a href="([^"]+)" class="figure" data-code="([^"]+)"[^>]*>([^<]+)</a>', response.text)
    assert (
        "/ledger/indicators/study.sessions/rows/?unit=540100&amp;start=2021-02-20&amp;end=2021-12-31",
        "study.sessions",
        "2.8万场次",
    ) in links
    texts = {text for _url, _code, text in links}
    assert {"291.4万人次", "4000余场次", "12万余条", "1600余次"} <= texts
    assert all(url.startswith("/ledger/indicators/") for url, _c, _t in links)


def test_the_report_page_reads_in_tibetan(as_user, office, seed_values):
    response = as_user(office).get(REPORT.format("540100", "bo"))
    assert response.status_code == 200
    assert "ཐེངས་ཁྲི་༢.༨" in response.text
    assert 'lang="bo"' in response.text


def test_a_report_outside_scope_is_not_found(as_user, cg_office, dz_reporter, supervisor):
    assert as_user(cg_office).get(REPORT.format("540100", "zh-hans")).status_code == 404
    assert as_user(dz_reporter).get(REPORT.format("540102", "zh-hans")).status_code == 404
    assert as_user(supervisor).get(REPORT.format("540102", "bo")).status_code == 404
    assert as_user(cg_office).get(REPORT.format("540200", "zh-hans")).status_code == 404


def test_a_county_reader_sees_its_own_report(as_user, cg_reporter, seed_values):
    response = as_user(cg_reporter).get("/reports/report/")
    assert response.status_code == 200
    assert "城关区党史学习教育" in response.text
    assert 'data-testid="publish"' not in response.text  # reporters do not publish


def test_office_admins_edit_free_text_but_not_figures(as_user, office):
    client = as_user(office)
    url = "/reports/report/edit/?unit=540100&as_of=2021-12-31&language=zh-hans"
    assert client.get(url).status_code == 200
    refused = client.post(url, {"learning_before": "共开展5场"})
    assert refused.status_code == 200
    assert not ReportDraft.objects.exists()
    saved = client.post(url, {"learning_before": "学习方面亮点突出。"})
    assert saved.status_code == 302
    assert ReportDraft.objects.get().texts == {"learning": {"before": "学习方面亮点突出。"}}


def test_reporters_may_not_edit_the_free_text(as_user, cg_reporter):
    assert as_user(cg_reporter).get("/reports/report/edit/?unit=540102").status_code == 403


def test_free_text_of_a_unit_outside_scope_is_not_found(as_user, cg_office):
    assert as_user(cg_office).get("/reports/report/edit/?unit=540100").status_code == 404


def test_publishing_stores_a_snapshot_and_shows_it(as_user, office, seed_values):
    client = as_user(office)
    response = client.post("/reports/report/publish/", {"unit": "540100", "as_of": "2021-12-31", "language": "zh-hans"})
    published = PublishedReport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reports/published/{published.pk}/"
    page = client.get(f"/reports/published/{published.pk}/")
    assert page.status_code == 200
    assert "2.8万场次" in page.text
    assert "snapshot intact" in page.text or "快照完好" in page.text
    assert 'data-testid="differences"' in page.text  # today's rows are empty: every figure differs
    assert 'data-testid="changed"' in page.text  # and the frozen text marks them


def test_a_published_report_outside_scope_is_not_found(as_user, office, cg_office, seed_values):
    as_user(office).post("/reports/report/publish/", {"unit": "540100", "as_of": "2021-12-31", "language": "zh-hans"})
    published = PublishedReport.objects.get()
    assert as_user(cg_office).get(f"/reports/published/{published.pk}/").status_code == 404


def test_publishing_outside_scope_is_refused(as_user, cg_office):
    response = as_user(cg_office).post("/reports/report/publish/", {"unit": "540100", "as_of": "2021-12-31"})
    assert response.status_code == 404
    assert not PublishedReport.objects.exists()


def test_an_export_is_built_in_the_background_and_downloaded(
    as_user, office, seed_values, immediate_tasks, django_capture_on_commit_callbacks
):
    client = as_user(office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/reports/builds/", {"unit": "540100", "as_of": "2021-12-31", "language": "bo", "format": "pdf"}
        )
    build = ReportBuild.objects.get()
    assert response["Location"] == f"/reports/builds/{build.pk}/"
    status = client.get(f"/reports/builds/{build.pk}/", headers={"HX-Request": "true"})
    assert 'data-testid="download"' in status.text and "100%" in status.text
    download = client.get(f"/reports/builds/{build.pk}/file/")
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_running_build_is_polled(as_user, office, unit):
    build = ReportBuild.objects.create(
        unit=unit("540100"), as_of=AS_OF, language="zh-hans", requested_by=office, progress=40, status="running"
    )
    response = as_user(office).get(f"/reports/builds/{build.pk}/", headers={"HX-Request": "true"})
    assert 'hx-trigger="every 1s"' in response.text and "40%" in response.text


def test_someone_elses_build_is_not_found(as_user, office, leader, unit):
    build = ReportBuild.objects.create(unit=unit("540100"), as_of=AS_OF, language="zh-hans", requested_by=office)
    assert as_user(leader).get(f"/reports/builds/{build.pk}/").status_code == 404
    assert as_user(leader).get(f"/reports/builds/{build.pk}/file/").status_code == 404


def test_the_dashboard_shows_cards_matrices_and_chart_data_with_links(
    as_user, office, record, django_assert_max_num_queries
):
    record(code="540102001", kind="collective_study", sessions=3)
    record(code="540102001", kind="lecture_theory", sessions=2, participants=80, venue_kind="villages")
    client = as_user(office)
    with django_assert_max_num_queries(80):
        response = client.get("/reports/dashboard/?unit=540100&start=2021-02-20&end=2021-12-31")
    assert response.status_code == 200
    html = response.text
    assert 'data-testid="cards"' in html and 'data-testid="venues"' in html
    assert "/ledger/indicators/study.sessions/rows/?unit=540100&amp;start=2021-02-20&amp;end=2021-12-31" in html
    assert "/ledger/indicators/lecture.sessions.villages/rows/?unit=540102" in html
    assert 'id="dashboard-data" type="application/json"' in html
    assert "<script>" not in html  # no inline executable script under the CSP


def test_the_dashboard_query_count_does_not_grow_with_the_data(as_user, office, record, django_assert_max_num_queries):
    client = as_user(office)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get("/reports/dashboard/?unit=540100")
    for code in ("540102001", "540102002", "540104001"):
        record(code=code, kind="collective_study", sessions=2)
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get("/reports/dashboard/?unit=540100")


def test_the_dashboard_of_a_unit_outside_scope_is_not_found(as_user, cg_office, supervisor):
    assert as_user(cg_office).get("/reports/dashboard/?unit=540100").status_code == 404
    assert as_user(supervisor).get("/reports/dashboard/?unit=540102").status_code == 404


def test_a_supervisor_sees_only_the_coverage_of_its_units(as_user, supervisor):
    response = as_user(supervisor).get("/reports/dashboard/")
    assert response.status_code == 200
    assert "540102" not in response.text
