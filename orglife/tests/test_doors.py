"""Organisational life's doors check through its record definitions: findings' columns are
read by their headers (in any language, any order), talks keep inside the campaign, and
control characters, over-long text and impossible numbers are refused with their row and
column, nothing written."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from orglife.models import Finding, Measure, Meeting, Talk
from orglife.tests import factories as F

pytestmark = pytest.mark.usefixtures("media_root")

ZH = ["人员", "类别", "问题", "整改措施", "责任人", "整改时限"]
EN = ["Person", "Category", "Problem", "Measure", "Responsible", "Deadline"]
ROW = ["扎西", "工作作风", "深入基层不够", "每月调研", "扎西", datetime.datetime(2021, 12, 31)]


def _xlsx(header, rows, name="findings.xlsx") -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def _findings(client, meeting, upload):
    return client.post(
        reverse("orglife:finding_import") + f"?meeting={meeting.pk}",
        {"unit": meeting.unit.code, "source": "meeting", "meeting": meeting.pk, "date": "2021-10-15", "file": upload},
    )


def _problems(response) -> str:
    return response.content.decode().split('data-testid="problems"', 1)[1].split("</table>", 1)[0]


def test_swapped_columns_in_another_language_import_right(as_user, cg_reporter):
    meeting = F.meeting(F.CHENGGUAN_ORG)
    order = [2, 0, 5, 1, 4, 3]  # problem, person, deadline, category, responsible, measure
    header = [EN[i] for i in order]
    header[0] = "问题"  # languages mixed within one header row
    response = _findings(as_user(cg_reporter), meeting, _xlsx(header, [[ROW[i] for i in order]]))
    assert response.status_code == 302
    finding = Finding.objects.get()
    assert (finding.person_name, finding.text, finding.category.code) == ("扎西", "深入基层不够", "style")
    measure = Measure.objects.get()
    assert (measure.text, measure.owner, measure.deadline) == ("每月调研", "扎西", datetime.date(2021, 12, 31))


@pytest.mark.parametrize(
    ("header", "words"),
    [
        (["人员", "类别", "问题", "整改措施", "责任人", "备注"], ["备注", "整改时限"]),
        (["人员", "类别", "问题", "整改措施", "责任人"], ["整改时限"]),
        (["人员", "类别", "问题", "问题", "责任人", "整改时限"], ["问题", "整改措施"]),
    ],
)
def test_an_unknown_twice_or_missing_header_is_a_problem_naming_the_column(as_user, cg_reporter, header, words):
    meeting = F.meeting(F.CHENGGUAN_ORG)
    response = _findings(as_user(cg_reporter), meeting, _xlsx(header, [ROW[: len(header)]]))
    problems = _problems(response)
    assert all(word in problems for word in words)
    assert "<td>1</td>" in problems
    assert not Finding.objects.exists()


@pytest.mark.parametrize(
    ("column", "value"),
    [(2, "x" * 4001), (0, "x" * 121), (4, "y" * 121), (5, "2021-13-01"), (0, "扎西_x001B_")],
)
def test_a_bad_cell_of_a_finding_is_refused_at_its_row(as_user, cg_reporter, column, value):
    meeting = F.meeting(F.CHENGGUAN_ORG)
    row = list(ROW)
    row[column] = value
    response = _findings(as_user(cg_reporter), meeting, _xlsx(ZH, [ROW, row]))
    if "_x001B_" in value:  # the xlsx escape stays text; nothing to refuse
        assert response.status_code == 302
        return
    assert "<td>3</td>" in _problems(response)
    assert not Finding.objects.exists()


def test_findings_in_a_textarea_refuse_control_characters(as_user, cg_reporter):
    meeting = F.meeting(F.CHENGGUAN_ORG)
    response = as_user(cg_reporter).post(
        reverse("orglife:finding_batch") + f"?meeting={meeting.pk}",
        {
            "unit": meeting.unit.code,
            "source": "meeting",
            "meeting": meeting.pk,
            "date": "2021-10-15",
            "lines": "扎西 | 工作作风 | 问题\x1b[31m | 整改 | 扎西 | 2021-12-31",
        },
    )
    assert response.status_code == 200
    assert not Finding.objects.exists()


@pytest.mark.parametrize("day", [datetime.date(2020, 12, 31), datetime.date(2021, 1, 5)])
def test_talks_outside_the_campaign_are_refused(as_user, cg_reporter, day):
    header = ["单位代码", "日期", "谈话人", "谈话对象"]
    rows = [[F.CHENGGUAN_ORG, datetime.date(2021, 10, 12), "扎西", "次仁"], [F.CHENGGUAN_ORG, day, "扎西", "次仁"]]
    response = as_user(cg_reporter).post(reverse("orglife:talk_import"), {"file": _xlsx(header, rows, "talks.xlsx")})
    problems = _problems(response)
    assert "<td>3</td>" in problems and "2021-02-20" in problems
    assert not Talk.objects.exists()


def test_talks_typed_in_a_form_keep_inside_the_campaign(as_user, cg_reporter):
    response = as_user(cg_reporter).post(
        reverse("orglife:talk_create"), {"unit": F.CHENGGUAN_ORG, "lines": "2020-10-12 | 扎西 | 次仁"}
    )
    assert response.status_code == 200 and "2021-02-20" in response.content.decode()
    assert not Talk.objects.exists()


@pytest.mark.parametrize("count", ["²", "①", "1E19", "10001", "-1"])
def test_a_meeting_refuses_an_impossible_attendance(as_user, cg_reporter, count):
    notice = F.notice()
    response = as_user(cg_reporter).post(
        reverse("orglife:meeting_create", args=[notice.pk]),
        {"unit": F.CHENGGUAN_ORG, "date": "2021-10-15", "attendee_count": count},
    )
    assert response.status_code == 200 and 'data-field="attendee_count"' in response.content.decode()
    assert not Meeting.objects.exists()
