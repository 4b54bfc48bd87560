"""Importing heart-to-heart talks from an xlsx sheet: the template, a clean file, a file with
problems (all listed, nothing written, the file back with each problem marked) and units
outside the importer's scope."""

import datetime
import io

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from orglife import imports
from orglife.models import Talk
from orglife.tests import factories as F

pytestmark = pytest.mark.usefixtures("media_root")

HEADER = ["单位代码", "日期", "谈话人", "谈话对象"]
DAY = datetime.date(2021, 10, 12)


def _xlsx(rows, header=HEADER) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("talks.xlsx", out.getvalue())


def _post(client, upload):
    return client.post(reverse("orglife:talk_import"), {"file": upload})


def _problems(response) -> str:
    return response.content.decode().split('data-testid="problems"', 1)[1].split("</table>", 1)[0]


def _annotated(client):
    response = client.get(reverse("orglife:talk_problems"))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


def test_a_clean_file_lands_every_row_with_one_audit_entry(as_user, cg_reporter):
    rows = [[F.CHENGGUAN_ORG, DAY, f"扎西{i}", f"次仁{i}"] for i in range(40)]
    rows.append(["540102001", "2021/10/13", "书记", 12345])
    before = LogEntry.objects.count()
    response = _post(as_user(cg_reporter), _xlsx(rows))
    assert response.status_code == 302
    assert Talk.objects.count() == 41
    assert Talk.objects.filter(unit__code=F.CHENGGUAN_ORG, date=DAY).count() == 40
    last = Talk.objects.get(unit__code="540102001")
    assert (last.date, last.name_b, last.region_code, last.recorded_by) == (
        datetime.date(2021, 10, 13),
        "12345",
        "540100",
        cg_reporter,
    )
    assert LogEntry.objects.count() == before + 1
    assert LogEntry.objects.latest("pk").changes_dict["batch"] == ["talks", "41"]


def test_columns_are_found_by_their_header_in_any_language_and_order(as_user, cg_reporter):
    upload = _xlsx([["扎西", DAY, "次仁", F.CHENGGUAN_ORG]], header=["Talked", "Date", "With", "Unit code"])
    assert _post(as_user(cg_reporter), upload).status_code == 302
    talk = Talk.objects.get()
    assert (talk.unit.code, talk.name_a, talk.name_b) == (F.CHENGGUAN_ORG, "扎西", "次仁")


def test_a_file_with_problems_in_several_rows_lands_nothing_and_lists_every_problem(as_user, cg_reporter, fixed_clock):
    future = datetime.date.today() + datetime.timedelta(days=30)
    rows = [
        [F.CHENGGUAN_ORG, DAY, "扎西", "次仁"],  # row 2: good
        ["", DAY, "扎西", "次仁"],  # row 3: no unit
        [F.CHENGGUAN_ORG, "明天", "扎西", ""],  # row 4: date as words, no second name
        [F.CHENGGUAN_ORG, future, "扎西", "次仁"],  # row 5: in the future
        [F.CHENGGUAN_ORG, None, "=A1", "次仁"],  # row 6: no date, a formula
        ["999999", DAY, "扎西", "次仁"],  # row 7: no such unit
    ]
    client = as_user(cg_reporter)
    response = _post(client, _xlsx(rows))
    assert response.status_code == 200
    assert not Talk.objects.exists()
    problems = _problems(response)
    assert problems.count("<tr>") == 1 + 7  # header + seven problems
    for row in (3, 4, 5, 6, 7):
        assert f"<td>{row}</td>" in problems
    assert "<td>2</td>" not in problems
    assert "999999" in problems
    assert 'data-testid="annotated"' in response.content.decode()


def test_the_refused_file_comes_back_with_each_problem_marked_in_its_cell(as_user, cg_reporter):
    rows = [
        [F.CHENGGUAN_ORG, DAY, "扎西", "次仁"],
        ["", DAY, "扎西", "次仁"],
        [F.CHENGGUAN_ORG, "明天", "扎西", ""],
    ]
    client = as_user(cg_reporter)
    _post(client, _xlsx(rows))
    sheet = _annotated(client)
    assert [c.value for c in sheet[1]][:4] == HEADER and sheet.cell(row=1, column=5).value == "问题"
    assert sheet.cell(row=2, column=5).value is None and sheet.cell(row=2, column=1).comment is None
    assert sheet.cell(row=3, column=1).comment.text == "单位代码为必填项。"
    assert sheet.cell(row=3, column=1).fill.fgColor.rgb.endswith("FFC7CE")
    assert sheet.cell(row=4, column=2).comment is not None and sheet.cell(row=4, column=4).comment is not None
    assert sheet.cell(row=4, column=3).comment is None
    assert sheet.cell(row=4, column=5).value.startswith("B: ") and "; D: " in sheet.cell(row=4, column=5).value


def test_a_unit_outside_the_importers_subtree_is_refused_for_its_row(as_user, cg_reporter):
    rows = [
        [F.CHENGGUAN_ORG, DAY, "扎西", "次仁"],
        [F.DAGZE_ORG, DAY, "扎西", "次仁"],  # another county
        ["540202", DAY, "扎西", "次仁"],  # another city
    ]
    client = as_user(cg_reporter)
    response = _post(client, _xlsx(rows))
    problems = _problems(response)
    assert problems.count("<tr>") == 1 + 2
    assert F.DAGZE_ORG in problems and "540202" in problems
    assert not Talk.objects.exists()
    sheet = _annotated(client)
    assert sheet.cell(row=3, column=1).comment is not None and sheet.cell(row=4, column=1).comment is not None


def test_a_file_without_the_templates_columns_names_the_missing_ones(as_user, cg_reporter):
    response = _post(as_user(cg_reporter), _xlsx([[F.CHENGGUAN_ORG, DAY]], header=["单位代码", "日期"]))
    problems = _problems(response)
    assert "谈话人" in problems and "谈话对象" in problems
    assert not Talk.objects.exists()


def test_a_file_that_is_not_a_spreadsheet_is_refused_without_a_marked_copy(as_user, cg_reporter):
    client = as_user(cg_reporter)
    response = _post(client, SimpleUploadedFile("talks.xlsx", b"not a zip"))
    body = response.content.decode()
    assert 'data-testid="problems"' in body and 'data-testid="annotated"' not in body
    assert client.get(reverse("orglife:talk_problems")).status_code == 404


def test_the_marked_copy_is_only_its_importers_and_goes_once_a_file_lands(as_user, cg_reporter, cg_office):
    client = as_user(cg_reporter)
    _post(client, _xlsx([["", DAY, "扎西", "次仁"]]))
    assert client.get(reverse("orglife:talk_problems")).status_code == 200
    assert as_user(cg_office).get(reverse("orglife:talk_problems")).status_code == 404
    _post(client, _xlsx([[F.CHENGGUAN_ORG, DAY, "扎西", "次仁"]]))
    assert Talk.objects.count() == 1
    assert client.get(reverse("orglife:talk_problems")).status_code == 404


def test_the_template_downloads_in_the_readers_language_and_its_header_reads_back(as_user, cg_reporter):
    client = as_user(cg_reporter)
    response = client.get(reverse("orglife:talk_template"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["talks"]
    assert [c.value for c in sheet[1]] == HEADER and sheet.max_row == 1
    validation = sheet.data_validations.dataValidation[0]
    assert validation.type == "list" and "A2" in str(validation.sqref)
    codes = [c.value for c in book["units"]["A"]][1:]
    assert F.CHENGGUAN_ORG in codes and F.DAGZE_ORG not in codes and "540202" not in codes
    read = imports.read_talks(io.BytesIO(response.content))
    assert read.letters == {"unit": "A", "date": "B", "name_a": "C", "name_b": "D"}
    assert [p[1] for p in read.problems] == ["file"]  # only: no rows yet

    client.post(reverse("set_language"), {"language": "bo", "next": "/"})
    tibetan = load_workbook(io.BytesIO(client.get(reverse("orglife:talk_template")).content))["talks"]
    headers = [c.value for c in tibetan[1]]
    assert headers != HEADER and all(headers)
    assert imports.read_talks(io.BytesIO(client.get(reverse("orglife:talk_template")).content)).letters["name_b"] == "D"


def test_the_talks_page_links_to_the_import(as_user, cg_reporter):
    body = as_user(cg_reporter).get(reverse("orglife:talk_list")).content.decode()
    assert reverse("orglife:talk_import") in body


def test_only_writers_may_import(as_user, supervisor, leader):
    for account in (supervisor, leader):
        client = as_user(account)
        assert client.get(reverse("orglife:talk_import")).status_code == 403
        assert client.get(reverse("orglife:talk_template")).status_code == 403
