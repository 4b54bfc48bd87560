"""The spreadsheet pieces every import shares: an upload is distrusted before it is opened,
and a refused file comes back with each problem in its cell."""

import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from core import xlsx


def _book(rows) -> io.BytesIO:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def test_a_file_that_is_not_a_zip_is_refused():
    with pytest.raises(xlsx.BadFile):
        xlsx.open_workbook(io.BytesIO(b"code,date\n540102,2021-07-01\n"))


def test_a_zip_that_expands_too_far_is_refused_before_it_is_read(settings):
    settings.XUEJIAO_UPLOAD_MAX_EXPANDED_MB = 1
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"0" * 2_000_000)
    with pytest.raises(xlsx.BadFile):
        xlsx.open_workbook(data)


def test_a_zip_that_is_not_a_workbook_is_refused():
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as zf:
        zf.writestr("hello.txt", "hello")
    with pytest.raises(xlsx.BadFile):
        xlsx.open_workbook(data)


def test_the_annotated_copy_marks_each_cell_and_lists_a_rows_problems_last():
    source = _book([["code", "date"], ["540102", "soon"], ["540104", "2021-07-01"]])
    out = io.BytesIO()
    problems = [(2, "B", "Not a date."), (2, "B", "Required."), (3, "A", "Outside scope."), (3, "", "Whole row.")]
    xlsx.annotate(source, problems, out)
    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    assert [c.value for c in sheet[1]] == ["code", "date", "问题"]  # in the default language
    assert sheet["B2"].comment.text == "Not a date.\nRequired." and sheet["A2"].comment is None
    assert sheet["B2"].fill.fgColor.rgb.endswith("FFC7CE")
    assert sheet["C2"].value == "B: Not a date.; B: Required."
    assert sheet["A3"].comment.text == "Outside scope." and sheet["C3"].value == "A: Outside scope.; Whole row."


def test_a_template_column_offers_its_choices_from_a_second_sheet():
    book, sheet = xlsx.template("talks", ["Unit code", "Date"], date_columns=[2])
    xlsx.add_drop_downs(
        book, sheet, [(1, "Unit code", ["540102", "540103"]), (None, "Unit", ["a", "b"])], title="units"
    )
    out = io.BytesIO()
    book.save(out)
    again = load_workbook(io.BytesIO(out.getvalue()))
    validations = again["talks"].data_validations.dataValidation
    assert len(validations) == 1 and validations[0].formula1 == "'units'!$A$2:$A$3"
    assert [c.value for c in again["units"]["B"]] == ["Unit", "a", "b"]
    assert again["talks"].max_row == 1
