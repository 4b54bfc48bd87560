import datetime

from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ledger.models import Activity, ActivityKind, ActivityRollup, ReportingPeriod

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def test_the_learning_list_shows_learning_activities_in_scope(as_user, record, cg_reporter):
    record("540102001", title="学习简史")
    record("540104", title="达孜学习")
    record("540102001", kind="lecture_theory", title="宣讲一场", venue_kind="villages", participants=20)
    body = as_user(cg_reporter).get(reverse("ledger:learning")).content.decode()
    assert "学习简史" in body and "达孜学习" not in body and "宣讲一场" not in body


def test_the_lectures_list_filters_by_venue_and_language(as_user, record, office):
    record("540102001", kind="lecture_theory", title="进学校", venue_kind="schools", participants=20, language="bo")
    record("540102001", kind="lecture_theory", title="进寺庙", venue_kind="monasteries", participants=20)
    body = as_user(office).get(reverse("ledger:lectures"), {"venue_kind": "schools", "language": "bo"}).content.decode()
    assert "进学校" in body and "进寺庙" not in body


def test_the_list_filters_by_unit_subtree_kind_and_dates_and_sorts(as_user, record, office):
    record("540102001", title="七月", participants=3)
    record("540102001", title="八月", participants=9, date=datetime.date(2021, 8, 2))
    record("540104", title="达孜", participants=1)
    client = as_user(office)
    body = client.get(
        reverse("ledger:activity_list"),
        {"unit": "540102", "kind": "collective_study", "start": "2021-07-01", "end": "2021-07-31"},
    ).content.decode()
    assert "七月" in body and "八月" not in body and "达孜" not in body
    body = client.get(reverse("ledger:activity_list"), {"sort": "-participants"}).content.decode()
    assert body.index("八月") < body.index("七月") < body.index("达孜")


def test_a_unit_outside_scope_in_the_list_filter_is_404(as_user, cg_reporter):
    assert as_user(cg_reporter).get(reverse("ledger:learning"), {"unit": "540104"}).status_code == 404


def test_the_list_needs_a_bounded_number_of_queries(as_user, record, office, django_assert_max_num_queries):
    for i in range(30):
        record("540102001", title=f"row {i}")
    client = as_user(office)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("ledger:learning")).status_code == 200


def test_a_reporter_records_a_session_with_a_photo_through_the_page(as_user, cg_reporter):
    response = as_user(cg_reporter).post(
        reverse("ledger:activity_create", args=["collective_study"]),
        {
            "unit": "540102001",
            "date": "2021-07-02",
            "sessions": 1,
            "participants": 25,
            "title": "学习七一讲话",
            "evidence": SimpleUploadedFile("sheet.png", PNG, content_type="image/png"),
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get(title="学习七一讲话")
    assert activity.created_by == cg_reporter and activity.evidence.count() == 1
    assert LogEntry.objects.get_for_object(activity).get().actor == cg_reporter
    assert ActivityRollup.objects.filter(unit__code="540100", participants=25).exists()


def test_the_entry_form_shows_the_refusal_at_the_field(as_user, cg_reporter):
    client = as_user(cg_reporter)
    url = reverse("ledger:activity_create", args=["lecture_theory"])
    body = client.post(url, {"unit": "540102", "date": "2021-07-02", "sessions": 1, "participants": 5}).content.decode()
    assert 'data-field="venue_kind"' in body
    body = client.post(
        url, {"unit": "540104", "date": "2021-07-02", "sessions": 1, "participants": 5, "venue_kind": "schools"}
    ).content.decode()
    assert 'data-field="unit"' in body
    assert not Activity.objects.exists()


def test_the_entry_form_asks_only_for_the_kinds_fields(as_user, cg_reporter):
    body = as_user(cg_reporter).get(reverse("ledger:activity_create", args=["materials"])).content.decode()
    assert 'name="copies"' in body and 'name="language"' in body and 'name="venue_kind"' not in body


def test_a_leader_may_not_open_the_entry_form(as_user, leader):
    assert as_user(leader).get(reverse("ledger:activity_create", args=["collective_study"])).status_code == 403


def test_the_detail_page_shows_an_activity_and_hides_others(as_user, record, cg_reporter, dz_reporter):
    activity = record("540102001", title="城关学习")
    assert (
        "城关学习" in as_user(cg_reporter).get(reverse("ledger:activity_detail", args=[activity.pk])).content.decode()
    )
    assert as_user(dz_reporter).get(reverse("ledger:activity_detail", args=[activity.pk])).status_code == 404


def test_editing_through_the_page_saves_and_counts(as_user, record, cg_reporter):
    activity = record("540102001", participants=5, actor=cg_reporter)
    response = as_user(cg_reporter).post(
        reverse("ledger:activity_edit", args=[activity.pk]),
        {"unit": "540102001", "date": "2021-07-01", "sessions": 2, "participants": 8, "version": 1},
    )
    assert response.status_code == 302
    assert ActivityRollup.objects.get(unit__code="540100").participants == 8


def test_a_stale_edit_is_refused_in_the_page(as_user, record, cg_reporter):
    activity = record("540102001", participants=5, actor=cg_reporter)
    response = as_user(cg_reporter).post(
        reverse("ledger:activity_edit", args=[activity.pk]),
        {"unit": "540102001", "date": "2021-07-01", "sessions": 2, "participants": 8, "version": 7},
    )
    assert response.status_code == 200 and 'data-field="__all__"' in response.content.decode()
    assert Activity.objects.get(pk=activity.pk).version == 1


def test_an_activity_outside_scope_cannot_be_edited_or_deleted(as_user, record, dz_reporter):
    activity = record("540102001")
    client = as_user(dz_reporter)
    assert client.post(reverse("ledger:activity_edit", args=[activity.pk]), {}).status_code == 404
    assert client.post(reverse("ledger:activity_delete", args=[activity.pk])).status_code == 404
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_deleting_through_the_page_removes_the_row_and_its_counts(as_user, record, cg_reporter):
    activity = record("540102001", actor=cg_reporter)
    response = as_user(cg_reporter).post(reverse("ledger:activity_delete", args=[activity.pk]))
    assert response.status_code == 302
    assert not Activity.objects.exists() and not ActivityRollup.objects.exists()


def test_a_closed_month_refuses_a_reporters_delete(as_user, record, cg_reporter, office):
    from campaigns.models import Campaign

    activity = record("540102001", actor=cg_reporter)
    ReportingPeriod.objects.create(campaign=Campaign.objects.get(root_unit__code="540100"), month=activity.date)
    as_user(cg_reporter).post(reverse("ledger:activity_delete", args=[activity.pk]))
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_evidence_is_served_only_inside_scope(as_user, record, cg_reporter, dz_reporter):
    activity = record("540102001")
    as_user(cg_reporter).post(
        reverse("ledger:evidence_add", args=[activity.pk]), {"file": SimpleUploadedFile("s.png", PNG)}
    )
    evidence = activity.evidence.get()
    response = as_user(cg_reporter).get(reverse("ledger:evidence_file", args=[evidence.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert as_user(dz_reporter).get(reverse("ledger:evidence_file", args=[evidence.pk])).status_code == 404


def test_the_city_office_adds_a_kind_on_a_page(as_user, office):
    response = as_user(office).post(
        reverse("ledger:kind_create"),
        {
            "code": "lecture_bicycle",
            "name_zh": "骑行宣讲",
            "name_bo": "རྐང་འཁོར་ཁྱབ་བསྒྲགས།",
            "name_en": "Lecture by bicycle",
            "section": "lectures",
            "family": "lecture",
            "measure_zh": "场次",
            "measure_bo": "ཐེངས་གྲངས།",
            "measure_en": "sessions",
            "fields": ["sessions", "participants", "venue_kind"],
            "required": ["venue_kind"],
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert ActivityKind.objects.get(code="lecture_bicycle").requires("venue_kind")


def test_a_county_office_may_not_edit_the_catalogue(as_user, cg_office):
    assert as_user(cg_office).get(reverse("ledger:kind_create")).status_code == 404
    assert as_user(cg_office).get(reverse("ledger:kind_list")).status_code == 200


def test_the_office_closes_a_month_on_the_periods_page(as_user, office, cg_office):
    response = as_user(office).post(reverse("ledger:periods"), {"month": "2021-03", "action": "close"})
    assert response.status_code == 302
    assert ReportingPeriod.objects.filter(month=datetime.date(2021, 3, 1)).exists()
    as_user(cg_office).post(reverse("ledger:periods"), {"month": "2021-04", "action": "close"})
    assert not ReportingPeriod.objects.filter(month=datetime.date(2021, 4, 1)).exists()


def test_the_pages_fit_a_phone_and_load_no_inline_script(as_user, cg_reporter):
    body = as_user(cg_reporter).get(reverse("ledger:activity_create", args=["lecture_theory"])).content.decode()
    assert 'name="viewport"' in body and "<script>" not in body
