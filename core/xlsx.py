"""Spreadsheet pieces that every import shares: opening an upload without trusting it, the
drop-down lists of an entry template, and the annotated copy of a refused file, with each
problem marked in its cell.

A problem is ``(row, column, message)``: the row number in the sheet (1 is the header) and
the column's letter. A problem whose column is not a letter (a column the file lacks, or the
whole file) is still listed in the copy's last column."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook as WorkbookType
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from core import uploads

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RED = PatternFill("solid", fgColor="FFC7CE")
BOLD = Font(bold=True)

Problem = tuple[int, str, str]


class BadFile(Exception):
    """The upload cannot be read as an xlsx workbook; the message says why."""


def open_workbook(data: Any, *, data_only: bool = False, max_rows: int | None = None) -> WorkbookType:
    """Open an uploaded file (a path or a file object) read-only, once the upload guard
    (``core.uploads``) has accepted it: an xlsx by its content, within the size, parts,
    expansion and sheet-size limits. Formulas are read as typed (``=...``) unless
    ``data_only``, which reads the values the spreadsheet program last computed."""
    try:
        uploads.check_xlsx(data, max_rows=max_rows)
    except uploads.Refused as exc:
        raise BadFile(str(exc)) from exc
    try:
        if hasattr(data, "seek"):
            data.seek(0)
        return load_workbook(data, read_only=True, data_only=data_only)
    except Exception as exc:  # openpyxl and zipfile raise many kinds of error on damaged files
        raise BadFile(_("The file is not an xlsx spreadsheet.")) from exc


def sheet_of(book: WorkbookType, name: str | None = None) -> Any:
    """The sheet ``name`` when the workbook has it, else its first sheet."""
    if name and name in book.sheetnames:
        return book[name]
    return book.worksheets[0]


def rows(
    sheet: Any, *, max_rows: int, max_columns: int | None = None, message: str | None = None
) -> Iterator[tuple[int, tuple]]:
    """Stream a read-only sheet's rows as (row number, values), the header row included,
    never holding more than one row; a sheet with more than ``max_rows`` rows below its
    header (blank rows included) raises ``BadFile`` when the reading reaches that row.
    Values beyond ``max_columns`` (the guard's column cap by default) are not read."""
    columns = max_columns or settings.XUEJIAO_UPLOAD_MAX_COLUMNS
    reading = enumerate(sheet.iter_rows(values_only=True), start=1)
    while True:
        try:
            number, values = next(reading)
        except StopIteration:
            return
        except Exception as exc:  # a sheet damaged past its start: openpyxl raises many kinds
            raise BadFile(_("The file is damaged: its sheet could not be read to its end.")) from exc
        if number > max_rows + 1:
            raise BadFile(
                message
                or _("The sheet has more than %(n)s rows (blank rows included); split it into smaller files.")
                % {"n": f"{max_rows:,}"}
            )
        yield number, values[:columns]


def add_drop_downs(
    book: WorkbookType,
    sheet: Worksheet,
    lists: list[tuple[int | None, str, list[str]]],
    *,
    title: str,
    rows: int = 5000,
) -> None:
    """Give columns of ``sheet`` a drop-down. Each of ``lists`` is (column number, heading,
    values): the values are written as a column of a second sheet ``title`` (a drop-down's
    list may be longer than a formula can hold) and the sheet's column chooses among them;
    a column number of None only writes the values beside the others, for reference."""
    values_sheet = book.create_sheet(title)
    for n, (column, heading, values) in enumerate(lists, start=1):
        letter = get_column_letter(n)
        values_sheet.cell(row=1, column=n, value=heading).font = BOLD
        for row, value in enumerate(values, start=2):
            values_sheet.cell(row=row, column=n, value=value)
        values_sheet.column_dimensions[letter].width = 18
        if column is None or not values:
            continue
        target = get_column_letter(column)
        validation = DataValidation(
            type="list", formula1=f"'{title}'!${letter}$2:${letter}${len(values) + 1}", allow_blank=True
        )
        sheet.add_data_validation(validation)
        validation.add(f"{target}2:{target}{rows}")


def template(
    title: str, headers: Iterable[Any], *, example: list[Any] | None = None, date_columns: Iterable[int] = ()
) -> tuple[WorkbookType, Worksheet]:
    """A workbook whose first sheet ``title`` has the bold, frozen header row (and an
    example row); date columns show dates as YYYY-MM-DD."""
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append([str(h) for h in headers])
    for cell in sheet[1]:
        cell.font = BOLD
        sheet.column_dimensions[cell.column_letter].width = 18
    sheet.freeze_panes = "A2"
    for column in date_columns:
        sheet.column_dimensions[get_column_letter(column)].number_format = "yyyy-mm-dd"
    if example:
        sheet.append(example)
        for column in date_columns:
            sheet.cell(row=2, column=column).number_format = "yyyy-mm-dd"
    return book, sheet


def annotate(
    source: Any, problems: Iterable[Problem], out: IO[bytes], *, sheet: str | None = None, max_rows: int | None = None
) -> None:
    """Write to ``out`` a copy of the uploaded sheet (``sheet``, else the first) with each
    problem on its cell (red, with the message as a comment) and all of a row's problems in
    a last column. ``source`` is a path or a file object."""
    by_row: dict[int, list[tuple[str, str]]] = {}
    for row, column, message in problems:
        by_row.setdefault(row, []).append((str(column), str(message)))
    if hasattr(source, "seek"):
        source.seek(0)
    src = load_workbook(source, read_only=True, data_only=False)
    try:
        ws_in = src[sheet] if sheet and sheet in src.sheetnames else src.worksheets[0]
        book = Workbook(write_only=True)
        ws = book.create_sheet(ws_in.title)
        for number, values in enumerate(ws_in.iter_rows(values_only=True), start=1):
            row_problems = by_row.get(number, [])
            marks: dict[str, list[str]] = {}
            for column, message in row_problems:
                marks.setdefault(column, []).append(message)
            cells = []
            for i, value in enumerate(values):
                cell = WriteOnlyCell(ws, value=value)
                letter = get_column_letter(i + 1)
                if letter in marks:
                    cell.fill = RED
                    cell.comment = Comment("\n".join(marks[letter]), "xuejiao")
                cells.append(cell)
            if number == 1:
                cells.append(WriteOnlyCell(ws, value=pgettext("spreadsheet", "Problems")))
            if row_problems:
                cells.append(WriteOnlyCell(ws, value="; ".join(f"{c}: {m}" if c else m for c, m in row_problems)))
            ws.append(cells)
            if max_rows is not None and number >= max_rows:
                break
        book.save(out)
    finally:
        src.close()
