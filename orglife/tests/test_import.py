import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from orglife import imports
from orglife.models import Finding, Measure
from orglife.tests import factories as F

pytestmark = pytest.mark.usefixtures("media_root")

HEADER = ["人员", "类别", "问题", "整改措施", "责任人", "整改时限"]


def _xlsx(rows) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("findings.xlsx", out.getvalue())


def _post(client, meeting, upload):
    return client.post(
        reverse("orglife:finding_import") + f"?meeting={meeting.pk}",
        {"unit": meeting.unit.code, "source": "meeting", "meeting": meeting.pk, "date": "2021-10-15", "file": upload},
    )


def test_a_meetings_findings_are_imported_from_a_spreadsheet(as_user, cg_reporter):
    meeting = F.meeting(F.CHENGGUAN_ORG)
    rows = [["扎西", "工作作风", f"问题{i}", f"整改{i}", "扎西", datetime.datetime(2021, 12, 31)] for i in range(60)]
    rows.append(["", "Serving the people", "组织问题", "", "", None])
    response = _post(as_user(cg_reporter), meeting, _xlsx(rows))
    assert response.status_code == 302
    assert meeting.findings.count() == 61 and Measure.objects.count() == 60
    assert meeting.findings.filter(person_name="").get().category.code == "service"


def test_every_problem_of_the_sheet_is_listed_with_row_and_column_and_nothing_is_written(as_user, cg_reporter):
    meeting = F.meeting(F.CHENGGUAN_ORG)
    rows = [
        ["扎西", "工作作风", "好的一行", "整改", "扎西", "2021-12-31"],
        ["扎西", "没有这类", "问题", "整改", "扎西", "2021-12-31"],
        ["扎西", "工作作风", "", "整改", "", "明年"],
        ["扎西", "工作作风", "问题", "整改", "扎西", "2021-10-01"],
    ]
    response = _post(as_user(cg_reporter), meeting, _xlsx(rows))
    page = response.content.decode()
    assert response.status_code == 200
    problems = page.split('data-testid="problems"', 1)[1].split("</table>", 1)[0]
    assert problems.count("<tr>") == 1 + 5  # header + five problems
    assert "<td>3</td>" in problems and "<td>4</td>" in problems and "<td>5</td>" in problems
    assert not Finding.objects.exists()


def test_a_file_that_is_not_a_spreadsheet_is_refused(as_user, cg_reporter):
    meeting = F.meeting(F.CHENGGUAN_ORG)
    response = _post(as_user(cg_reporter), meeting, SimpleUploadedFile("x.xlsx", b"not a zip"))
    assert 'data-testid="problems"' in response.content.decode()
    assert not Finding.objects.exists()


def test_an_import_for_a_unit_outside_scope_is_refused(as_user, dz_reporter):
    response = as_user(dz_reporter).post(
        reverse("orglife:finding_import"),
        {
            "unit": F.CHENGGUAN_ORG,
            "source": "self",
            "date": "2021-10-15",
            "file": _xlsx([["", "工作作风", "问题", "", "", None]]),
        },
    )
    assert response.status_code == 200 and 'data-field="unit"' in response.content.decode()
    assert not Finding.objects.exists()


def test_the_template_is_a_spreadsheet_the_import_reads_back(as_user, cg_reporter):
    response = as_user(cg_reporter).get(reverse("orglife:finding_template"))
    book = load_workbook(io.BytesIO(response.content))
    assert book.active.max_row == 2
    sheet = imports.read_findings(io.BytesIO(response.content))
    rows, problems = sheet.rows, sheet.problems
    assert problems == [] and rows[0].category == "工作作风" and rows[0].deadline == datetime.date(2021, 12, 31)


def test_a_refused_file_comes_back_with_each_problem_marked_in_its_cell(as_user, cg_reporter, cg_office):
    meeting = F.meeting(F.CHENGGUAN_ORG)
    rows = [
        ["扎西", "工作作风", "好的一行", "整改", "扎西", "2021-12-31"],
        ["扎西", "没有这类", "问题", "整改", "扎西", "2021-12-31"],
        ["扎西", "工作作风", "", "整改", "", "明年"],
    ]
    client = as_user(cg_reporter)
    response = _post(client, meeting, _xlsx(rows))
    assert 'data-testid="annotated"' in response.content.decode()
    download = client.get(reverse("orglife:finding_problems"))
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert [c.value for c in sheet[1]] == HEADER + ["问题"]
    assert sheet.cell(row=2, column=7).value is None
    assert sheet.cell(row=3, column=2).comment.text.startswith("未知类别")
    assert sheet.cell(row=3, column=2).fill.fgColor.rgb.endswith("FFC7CE")
    assert {c for c in range(1, 7) if sheet.cell(row=4, column=c).comment} == {3, 5, 6}
    assert sheet.cell(row=4, column=7).value.startswith("C: ")
    # The copy is its importer's only, and goes once a file lands.
    assert as_user(cg_office).get(reverse("orglife:finding_problems")).status_code == 404
    _post(client, meeting, _xlsx(rows[:1]))
    assert Finding.objects.count() == 1
    assert client.get(reverse("orglife:finding_problems")).status_code == 404


def test_the_templates_category_column_offers_the_categories(as_user, cg_reporter):
    book = load_workbook(io.BytesIO(as_user(cg_reporter).get(reverse("orglife:finding_template")).content))
    validation = book.active.data_validations.dataValidation[0]
    assert validation.type == "list" and "B2" in str(validation.sqref)
    assert "工作作风" in [c.value for c in book["categories"]["A"]]
