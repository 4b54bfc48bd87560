import datetime

from django.urls import reverse

from campaigns.models import SupervisionGroup
from orglife.choices import MeasureStatus
from orglife.models import Finding, Measure, Meeting, Talk
from orglife.tests import factories as F


def _group(number=3):
    return SupervisionGroup.objects.get(campaign__root_unit__code="540100", number=number)


def test_the_overview_shows_the_figures_of_the_readers_scope(
    as_user, cg_reporter, notice, django_assert_max_num_queries
):
    F.measure(F.CHENGGUAN_ORG)
    client = as_user(cg_reporter)
    with django_assert_max_num_queries(30):
        page = client.get(reverse("orglife:index")).content.decode()
    assert 'data-code="orglife.findings"' in page and notice.theme_zh in page


def test_the_overview_of_a_unit_outside_scope_is_404(as_user, cg_reporter):
    assert as_user(cg_reporter).get(reverse("orglife:index") + "?unit=540104").status_code == 404


def test_a_participant_may_not_open_organisational_life(as_user, participant):
    assert as_user(participant).get(reverse("orglife:index")).status_code == 403


def test_a_figure_opens_down_to_its_rows(as_user, cg_reporter):
    finding = F.finding(F.CHENGGUAN_ORG)
    response = as_user(cg_reporter).get(reverse("orglife:figure", args=["orglife.findings"]) + "?unit=540102")
    page = response.content.decode()
    assert response.status_code == 200 and finding.text in page and 'data-testid="by-children"' in page


def test_a_figure_of_a_unit_outside_scope_is_404(as_user, dz_reporter):
    url = reverse("orglife:figure", args=["orglife.findings"]) + "?unit=540102"
    assert as_user(dz_reporter).get(url).status_code == 404


def test_the_notice_page_lists_the_organisations_that_have_not_met(
    as_user, cg_reporter, notice, django_assert_max_num_queries
):
    F.meeting(F.CHENGGUAN_ORG)
    client = as_user(cg_reporter)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("orglife:notice_detail", args=[notice.pk]) + "?unit=540102001001").content.decode()
    assert "540102001001P2" in page and F.CHENGGUAN_ORG + "<" not in page
    assert 'data-testid="completeness"' in page


def test_a_notice_of_another_city_is_404(as_user, office):
    assert as_user(office).get(reverse("orglife:notice_detail", args=[F.notice("540200").pk])).status_code == 404


def test_a_reporter_records_a_meeting_through_the_page(as_user, cg_reporter, notice):
    response = as_user(cg_reporter).post(
        reverse("orglife:meeting_create", args=[notice.pk]),
        {"unit": F.CHENGGUAN_ORG, "date": "2021-11-05", "attendee_count": 20, "place": "活动室"},
    )
    assert response.status_code == 302
    assert Meeting.objects.get(unit__code=F.CHENGGUAN_ORG).attendee_count == 20


def test_a_meeting_for_an_organisation_outside_scope_is_refused_on_the_form(as_user, dz_reporter, notice):
    response = as_user(dz_reporter).post(
        reverse("orglife:meeting_create", args=[notice.pk]),
        {"unit": F.CHENGGUAN_ORG, "date": "2021-11-05", "attendee_count": 20},
    )
    assert response.status_code == 200 and 'data-field="unit"' in response.content.decode()
    assert not Meeting.objects.exists()


def test_the_meeting_list_and_page(as_user, cg_reporter, django_assert_max_num_queries):
    meeting = F.meeting(F.CHENGGUAN_ORG)
    client = as_user(cg_reporter)
    with django_assert_max_num_queries(15):
        assert meeting.unit.name_zh in client.get(reverse("orglife:meeting_list")).content.decode()
    assert client.get(reverse("orglife:meeting_detail", args=[meeting.pk])).status_code == 200


def test_a_meeting_outside_scope_is_404(as_user, dz_reporter):
    meeting = F.meeting(F.CHENGGUAN_ORG)
    assert as_user(dz_reporter).get(reverse("orglife:meeting_detail", args=[meeting.pk])).status_code == 404
    assert as_user(dz_reporter).get(reverse("orglife:meeting_minutes", args=[meeting.pk])).status_code == 404


def test_talks_are_entered_in_bulk_through_the_page(as_user, cg_reporter, django_assert_max_num_queries):
    client = as_user(cg_reporter)
    response = client.post(
        reverse("orglife:talk_create"),
        {"unit": F.CHENGGUAN_ORG, "lines": "2021-10-12 | 扎西 | 次仁\n2021-10-13\t卓玛\t达瓦\n"},
    )
    assert response.status_code == 302 and Talk.objects.count() == 2
    with django_assert_max_num_queries(15):
        assert "卓玛" in client.get(reverse("orglife:talk_list") + "?unit=540102").content.decode()


def test_findings_are_entered_in_bulk_for_a_meeting(as_user, cg_reporter):
    meeting = F.meeting(F.CHENGGUAN_ORG)
    lines = "\n".join(f"扎西 | 工作作风 | 问题{i} | 整改{i} | 扎西 | 2021-12-31" for i in range(25))
    response = as_user(cg_reporter).post(
        reverse("orglife:finding_batch") + f"?meeting={meeting.pk}",
        {"unit": meeting.unit.code, "source": "meeting", "meeting": meeting.pk, "date": "2021-10-15", "lines": lines},
    )
    assert response.status_code == 302
    assert meeting.findings.count() == 25 and Measure.objects.count() == 25


def test_bad_finding_lines_are_shown_together_and_nothing_is_written(as_user, cg_reporter):
    lines = "扎西 | 不存在 | 问题 | | |\n | 工作作风 | | 整改 | 扎西 | 2021-01-01"
    response = as_user(cg_reporter).post(
        reverse("orglife:finding_batch"),
        {"unit": F.CHENGGUAN_ORG, "source": "self", "date": "2021-10-15", "lines": lines},
    )
    page = response.content.decode()
    errors = page.split('data-field="lines"', 1)[1].split("</ul>", 1)[0]
    assert response.status_code == 200 and errors.count("<li>") == 3
    assert not Finding.objects.exists()


def test_the_finding_list_is_bounded_in_queries(as_user, office, django_assert_max_num_queries):
    for code in (F.CHENGGUAN_ORG, F.DAGZE_ORG, "540102001001P2"):
        F.measure(code)
    client = as_user(office)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("orglife:finding_list"))
    assert response.status_code == 200


def test_the_finding_page_and_its_out_of_scope_twin(as_user, cg_reporter, dz_reporter):
    finding = F.finding(F.CHENGGUAN_ORG)
    assert as_user(cg_reporter).get(reverse("orglife:finding_detail", args=[finding.pk])).status_code == 200
    assert as_user(dz_reporter).get(reverse("orglife:finding_detail", args=[finding.pk])).status_code == 404


def test_a_measure_is_added_on_the_finding_page(as_user, cg_reporter):
    finding = F.finding(F.CHENGGUAN_ORG)
    response = as_user(cg_reporter).post(
        reverse("orglife:finding_detail", args=[finding.pk]),
        {"text": "整改", "owner": "扎西", "deadline": "2021-12-01"},
    )
    assert response.status_code == 302 and finding.measures.count() == 1


def test_overdue_measures_stand_out(as_user, cg_reporter, django_assert_max_num_queries):
    F.measure(F.CHENGGUAN_ORG)  # deadline 2021-12-31, long past
    client = as_user(cg_reporter)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("orglife:measure_list") + "?overdue=on").content.decode()
    assert 'data-overdue="1"' in page


def test_the_measure_goes_from_done_to_verified_to_closed_through_the_pages(as_user, dz_reporter, supervisor):
    measure = F.measure(F.DAGZE_ORG)
    as_user(dz_reporter).post(
        reverse("orglife:measure_done", args=[measure.pk]), {"done_on": "2021-11-20", "evidence_note": "附台账"}
    )
    sup = as_user(supervisor)
    sup.post(reverse("orglife:measure_verify", args=[measure.pk]), {"verified_on": "2021-11-25"})
    sup.post(reverse("orglife:measure_close", args=[measure.pk]), {"closed_on": "2021-11-26"})
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.CLOSED


def test_a_refused_verification_shows_its_reason(as_user, dz_reporter, supervisor):
    measure = F.measure(F.DAGZE_ORG)
    as_user(dz_reporter).post(
        reverse("orglife:measure_done", args=[measure.pk]), {"done_on": "2021-11-20", "evidence_note": "附台账"}
    )
    sup = as_user(supervisor)
    sup.post(reverse("orglife:measure_refuse", args=[measure.pk]), {"reason": "佐证不全"})
    page = sup.get(reverse("orglife:finding_detail", args=[measure.finding_id])).content.decode()
    assert "佐证不全" in page
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.OPEN


def test_a_supervisor_cannot_touch_a_measure_outside_its_groups_units(as_user, supervisor):
    measure = F.measure(F.CHENGGUAN_ORG)
    assert (
        as_user(supervisor)
        .post(reverse("orglife:measure_verify", args=[measure.pk]), {"verified_on": "2021-11-25"})
        .status_code
        == 404
    )


def test_a_supervisor_sees_its_groups_work(as_user, supervisor, dz_reporter, django_assert_max_num_queries):
    measure = F.measure(F.DAGZE_ORG)
    as_user(dz_reporter).post(
        reverse("orglife:measure_done", args=[measure.pk]), {"done_on": "2021-11-20", "evidence_note": "附台账"}
    )
    client = as_user(supervisor)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("orglife:group_work", args=[_group().pk])).content.decode()
    assert measure.text[:10] in page
    assert client.get(reverse("orglife:group_work", args=[_group(1).pk])).status_code == 404
    assert client.get(reverse("orglife:supervision")).status_code == 200


def test_a_supervisor_records_an_inspection_through_the_page(as_user, supervisor):
    response = as_user(supervisor).post(
        reverse("orglife:inspection_create", args=[_group().pk]),
        {
            "unit": "540104",
            "date": "2021-11-02",
            "checked": "查阅记录",
            "lines": "| 工作作风 | 台账不全 | 补齐台账 | 书记 | 2021-11-30",
        },
    )
    assert response.status_code == 302
    assert Finding.objects.get(source="inspection").unit.code == "540104"


def test_the_coverage_view_shows_inspected_and_not_yet(as_user, office, supervisor, django_assert_max_num_queries):
    as_user(supervisor).post(
        reverse("orglife:inspection_create", args=[_group().pk]),
        {"unit": "540104", "date": "2021-11-02", "checked": "查阅记录"},
    )
    client = as_user(office)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("orglife:coverage")).content.decode()
    assert 'data-status="inspected"' in page and 'data-status="not-yet"' in page


def test_a_reporter_may_not_open_the_supervision_pages(as_user, cg_reporter):
    assert as_user(cg_reporter).get(reverse("orglife:coverage")).status_code == 403


def test_an_office_admin_issues_a_notice_through_the_page(as_user, cg_office):
    response = as_user(cg_office).post(
        reverse("orglife:notice_create"),
        {
            "root_unit": "540102",
            "theme_zh": "专题组织生活会",
            "window_from": "2021-11-01",
            "window_to": "2021-11-30",
            "expected_kinds": ["party_branch"],
            "issued_on": "2021-10-20",
        },
    )
    assert response.status_code == 302


def test_a_notice_for_a_unit_outside_scope_is_refused(as_user, cg_office):
    response = as_user(cg_office).post(
        reverse("orglife:notice_create"),
        {
            "root_unit": "540104",
            "theme_zh": "x",
            "window_from": "2021-11-01",
            "window_to": "2021-11-30",
            "expected_kinds": ["party_branch"],
            "issued_on": "2021-10-20",
        },
    )
    assert response.status_code == 200 and 'data-field="root_unit"' in response.content.decode()


def test_pages_work_in_tibetan(as_user, cg_reporter):
    client = as_user(cg_reporter)
    client.post(reverse("set_language"), {"language": "bo", "next": "/"})
    F.finding(F.CHENGGUAN_ORG)
    page = client.get(reverse("orglife:index")).content.decode()
    assert "ཞིབ་བཤེར་བྱས་པའི་གནད་དོན།" in page


def test_dates_are_shown_in_iso_form(as_user, cg_reporter):
    F.meeting(F.CHENGGUAN_ORG, datetime.date(2021, 10, 15))
    assert "2021-10-15" in as_user(cg_reporter).get(reverse("orglife:meeting_list")).content.decode()
