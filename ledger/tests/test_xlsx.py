import datetime
import io
import zipfile

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from ledger import services, views, xlsx
from ledger.models import Activity, ActivityRollup, ImportJob


def _headers():
    """The template's headers (in the default language, Chinese) of the first six columns."""
    labels = dict(xlsx.ALL_COLUMNS)
    return [str(labels[n]) for n in ("unit", "date", "kind", "title", "sessions", "participants")]


def _book(rows, headers=None, title="activities"):
    headers = headers or _headers()
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(headers)
    for row in rows:
        ws.append(row)
    return wb


def _bytes(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _upload(client, content: bytes, kind="collective_study", name="study.xlsx"):
    response = client.post(
        reverse("ledger:import_start", args=[kind]), {"file": SimpleUploadedFile(name, content)}, follow=True
    )
    return response, ImportJob.objects.order_by("-pk").first()


def test_the_template_has_headers_drop_downs_and_the_scopes_unit_codes(as_user, cg_reporter):
    response = as_user(cg_reporter).get(reverse("ledger:import_template", args=["lecture_theory"]))
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb["activities"]
    headers = [c.value for c in ws[1]]
    assert (
        headers[:3] == ["单位代码", "日期", "类别"]
        and "宣讲场所" in headers
        or "场所类别" in headers
        or len(headers) > 5
    )
    assert len(ws.data_validations.dataValidation) >= 3
    codes = [c.value for c in wb["codes"]["A"]]
    assert "540102001" in codes and "540104" not in codes


def test_the_template_speaks_the_readers_language(as_user, cg_reporter):
    client = as_user(cg_reporter)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    wb = load_workbook(io.BytesIO(client.get(reverse("ledger:import_template", args=["film"])).content))
    assert [c.value for c in wb["activities"][1]][:3] == ["Unit code", "Date", "Kind"]


def test_a_good_file_is_written_in_one_go_with_one_audit_entry(as_user, cg_reporter):
    day = datetime.date(2021, 7, 3)
    rows = [["540102001", day, "集体学习", "学习", 1, 20], ["540102001001", day, "collective_study", "", 2, 15]]
    response, job = _upload(as_user(cg_reporter), _bytes(_book(rows)))
    assert job.status == "done" and job.created == 2
    assert Activity.objects.count() == 2
    assert ActivityRollup.objects.get(unit__code="540100").participants == 35
    assert LogEntry.objects.get_for_object(job).filter(action=LogEntry.Action.CREATE).count() >= 1
    assert services.rollup_differences() == []


def test_every_problem_is_listed_at_once_and_nothing_is_written(as_user, cg_reporter):
    day = datetime.date(2021, 7, 3)
    rows = [
        ["540102001", day, "集体学习", "好", 1, 20],
        ["540104", day, "集体学习", "", 1, 20],  # outside scope
        ["540102001", "2021-07-03", "集体学习", "", 1, 20],  # date as text
        ["540102001", datetime.date(2022, 3, 1), "集体学习", "", 1, 20],  # outside the campaign
        ["540102001", day, "没有这类", "", 1, 20],  # unknown kind
        ["540102001", day, "集体学习", "", -1, "many"],  # bad counts
        ["540102001", day, "集体学习", "", "=1+1", 3],  # formula
    ]
    response, job = _upload(as_user(cg_reporter), _bytes(_book(rows)))
    assert job.status == "failed" and not Activity.objects.exists()
    problems = {(r, c) for r, c, _m in job.errors}
    assert {(3, "A"), (4, "B"), (5, "B"), (6, "C"), (7, "E"), (7, "F"), (8, "E")} <= problems
    body = response.content.decode()
    assert 'data-testid="problems"' in body and "540104" in body
    annotated = as_user(cg_reporter).get(reverse("ledger:import_annotated", args=[job.pk]))
    wb = load_workbook(io.BytesIO(b"".join(annotated.streaming_content)))
    ws = wb.active
    assert ws.cell(row=3, column=1).comment is not None
    assert "A:" in ws.cell(row=3, column=len(_headers()) + 1).value


def test_a_missing_required_field_names_its_column(as_user, cg_reporter):
    rows = [["540102001", datetime.date(2021, 7, 3), "理论宣讲", "", 1, 30]]
    _response, job = _upload(as_user(cg_reporter), _bytes(_book(rows)), kind="lecture_theory")
    assert job.status == "failed"
    assert [2, str(dict(xlsx.ALL_COLUMNS)["venue_kind"])] in [e[:2] for e in job.errors]


def test_merged_cells_are_refused_with_their_place(as_user, cg_reporter):
    wb = _book([["540102001", datetime.date(2021, 7, 3), "集体学习", "", 1, 2]])
    wb.active.merge_cells("D2:E2")
    _response, job = _upload(as_user(cg_reporter), _bytes(wb))
    assert job.status == "failed" and [2, "D"] in [e[:2] for e in job.errors]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"unit,date\n540102,2021-07-01\n", "not an xlsx"),
        (_bytes(_book([], headers=["foo", "bar"], title="Sheet9")), "headers"),
    ],
)
def test_a_file_that_is_not_a_template_gets_a_clear_message(as_user, cg_reporter, content, words):
    with override_settings(LANGUAGE_CODE="en"):
        client = as_user(cg_reporter)
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
        response, job = _upload(client, content)
    assert response.status_code == 200
    assert job.status == "failed" and words in job.message


def test_a_zip_bomb_is_refused_before_it_is_opened(as_user, cg_reporter, settings):
    settings.XUEJIAO_UPLOAD_MAX_EXPANDED_MB = 1
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (3 * 1024 * 1024))
    _response, job = _upload(as_user(cg_reporter), buf.getvalue())
    assert job.status == "failed" and job.message


def test_a_sheet_of_endless_blank_rows_is_refused(as_user, cg_reporter, monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_ROWS", 50)
    wb = _book([])
    for row in range(2, 200):
        wb.active.cell(row=row, column=1, value=None).number_format = "0"
        wb.active.cell(row=row, column=8, value="")
    _response, job = _upload(as_user(cg_reporter), _bytes(wb))
    assert job.status == "failed" and "50" in job.message


def test_a_large_file_runs_in_the_background_and_the_page_polls_it(as_user, cg_reporter, monkeypatch):
    monkeypatch.setattr(views, "SYNC_IMPORT_BYTES", 0)
    rows = [["540102001", datetime.date(2021, 7, 3), "集体学习", "", 1, 1]] * 30
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}):
        _response, job = _upload(as_user(cg_reporter), _bytes(_book(rows)))
    assert job.status == "done" and Activity.objects.count() == 30
    fragment = as_user(cg_reporter).get(reverse("ledger:import_status", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert b'data-testid="import-progress"' in fragment.content and b"<html" not in fragment.content


def test_another_accounts_import_is_404(as_user, cg_reporter, cg_office):
    _response, job = _upload(as_user(cg_reporter), b"not a zip")
    assert as_user(cg_office).get(reverse("ledger:import_status", args=[job.pk])).status_code == 404


def test_a_filtered_list_exports_to_an_xlsx_that_reads_back(as_user, record, office):
    record("540102001", title="=cmd|' /C calc'!A0", participants=7)
    record("540104", title="达孜", participants=2)
    response = as_user(office).get(reverse("ledger:learning"), {"unit": "540102", "format": "xlsx"})
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == "540102001" and rows[1][6] == 7
    # The title reads as typed, as text: no live formula, no apostrophe added.
    assert isinstance(rows[1][2], datetime.datetime) and rows[1][4] == "=cmd|' /C calc'!A0"
    assert ws.cell(row=2, column=5).data_type == "s" and ws.cell(row=2, column=5).quotePrefix


def test_a_formula_behind_a_leading_space_is_refused_like_any_formula(as_user, cg_reporter):
    day = datetime.date(2021, 7, 3)
    rows = [["540102001", day, "集体学习", ' =HYPERLINK("http://x","x")', 1, 20]]
    _response, job = _upload(as_user(cg_reporter), _bytes(_book(rows)))
    assert job.status == "failed" and not Activity.objects.exists()
    assert {(r, c) for r, c, _m in job.errors} == {(2, "D")}
