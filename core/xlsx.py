"""Spreadsheets in and out. Every xlsx the platform produces is written here (the one
writer: ``book``, ``append``, ``cell``, ``write``, ``save``/``to_bytes``, ``download``), and
the pieces every import shares: opening an upload without trusting it, the drop-down lists of
an entry template, and the annotated copy of a refused file, with each problem marked in its
cell.

The writer neutralises formulas. A text whose first character after leading spaces is one of
``= + - @``, a tab or a carriage return could be taken for a formula by Excel or LibreOffice
(when the file is opened, or when the cell is edited, or once the text is saved as CSV), so it
is written as a plain text cell with the "quote prefix" style: the program shows it, and keeps
it, as the text it is, and what the reader sees is exactly what was typed (no apostrophe is
added to the text). Numbers stay numbers, dates stay dates. Characters that an xlsx file cannot
hold (control characters) are left out rather than failing the export, and a text longer than
a cell holds (32,767 characters) is cut with an ellipsis.

A problem is ``(row, column, message)``: the row number in the sheet (1 is the header) and
the column's letter. A problem whose column is not a letter (a column the file lacks, or the
whole file) is still listed in the copy's last column."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
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

# What a spreadsheet program may read as the start of a formula (OWASP's list for CSV and
# spreadsheets), looked for after leading spaces (ordinary, no-break and ideographic).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LEADING_SPACES = " \u00a0\u3000"
MAX_CELL_TEXT = 32767

Problem = tuple[int, str, str]


# --- the writer ------------------------------------------------------------------------------


def looks_like_formula(value: Any) -> bool:
    """True for a text an import must refuse as a formula: ``=`` after leading spaces. In an
    xlsx a formula always reads as ``=…`` (Excel stores ``+1+2`` or ``@SUM(A1)``, once typed,
    as ``=+1+2`` and ``=SUM(A1)``), and a text such as `` =HYPERLINK(…)`` must not get past the
    check by its leading space, to become a live formula once the space is trimmed."""
    return isinstance(value, str) and value.lstrip(LEADING_SPACES).startswith("=")


def needs_neutralising(value: Any) -> bool:
    """True for a text the writer keeps from being read as a formula (``FORMULA_STARTS``
    after leading spaces): wider than ``looks_like_formula``, since a written cell must stay
    text in every program and through a copy to CSV."""
    return isinstance(value, str) and value.lstrip(LEADING_SPACES).startswith(FORMULA_STARTS)


def _plain(value: Any) -> Any:
    """The value as a cell can hold it: lazy translations as text, aware datetimes in the
    platform's time zone without it (xlsx has no time zones), text without the control
    characters an xlsx cannot hold."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        # Excel refuses (and "repairs" away) a cell of more text than this.
        return value if len(value) <= MAX_CELL_TEXT else value[: MAX_CELL_TEXT - 1] + "…"
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.make_naive(value)
    return value


def _neutralise(target: Cell, value: Any) -> Cell:
    """Put ``value`` in ``target``, a text that could be a formula as quoted text."""
    value = _plain(value)
    target.value = value
    if needs_neutralising(value):
        target.data_type = "s"  # openpyxl takes a text starting with "=" for a formula
        target.quotePrefix = True
    return target


def book(*, write_only: bool = False) -> WorkbookType:
    """A new workbook to fill with ``append``/``write``; ``write_only`` for long exports
    (rows are streamed, sheets are made with ``book.create_sheet``)."""
    return Workbook(write_only=write_only)


def cell(sheet: Worksheet, value: Any, *, bold: bool = False, number_format: str | None = None) -> Cell:
    """A cell for ``append`` (write-only sheets included), its text neutralised."""
    made = _neutralise(WriteOnlyCell(sheet), value)
    if bold:
        made.font = BOLD
    if number_format:
        made.number_format = number_format
    return made


def append(sheet: Worksheet, row: Iterable[Any]) -> None:
    """Add a row at the bottom of ``sheet``; a value may be a ``cell`` already made. Only a
    value that needs its own cell gets one (a long export stays about as fast as openpyxl's
    own ``append``)."""
    values = []
    for value in row:
        if not isinstance(value, Cell):
            value = _plain(value)
            if needs_neutralising(value):
                value = cell(sheet, value)
        values.append(value)
    sheet.append(values)


def write(sheet: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Set one cell of a (not write-only) sheet; returns it for styling."""
    return _neutralise(sheet.cell(row=row, column=column), value)


def save(workbook: WorkbookType, out: Any) -> None:
    """Write the workbook to ``out`` (a path or a binary file object)."""
    workbook.save(out)


def to_bytes(workbook: WorkbookType) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def download(workbook: WorkbookType | bytes, filename: str) -> HttpResponse:
    """The answer that hands the workbook (or its bytes) to the browser as ``filename``, kept
    out of shared caches like every private page."""
    content = workbook if isinstance(workbook, bytes) else to_bytes(workbook)
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["Cache-Control"] = "private, no-store"
    return response


# --- reading ---------------------------------------------------------------------------------


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
        write(values_sheet, 1, n, heading).font = BOLD
        for row, value in enumerate(values, start=2):
            write(values_sheet, row, n, value)
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
    workbook = book()
    sheet = workbook.active
    sheet.title = title
    append(sheet, headers)
    for cell in sheet[1]:
        cell.font = BOLD
        sheet.column_dimensions[cell.column_letter].width = 18
    sheet.freeze_panes = "A2"
    for column in date_columns:
        sheet.column_dimensions[get_column_letter(column)].number_format = "yyyy-mm-dd"
    if example:
        append(sheet, example)
        for column in date_columns:
            sheet.cell(row=2, column=column).number_format = "yyyy-mm-dd"
    return workbook, sheet


def annotate(
    source: Any, problems: Iterable[Problem], out: IO[bytes], *, sheet: str | None = None, max_rows: int | None = None
) -> None:
    """Write to ``out`` a copy of the uploaded sheet (``sheet``, else the first) with each
    problem on its cell (red, with the message as a comment) and all of a row's problems in
    a last column. ``source`` is a path or a file object. A formula in the upload comes back
    as the text that was typed, never live."""
    by_row: dict[int, list[tuple[str, str]]] = {}
    for row, column, message in problems:
        by_row.setdefault(row, []).append((str(column), str(message)))
    if hasattr(source, "seek"):
        source.seek(0)
    src = load_workbook(source, read_only=True, data_only=False)
    try:
        ws_in = src[sheet] if sheet and sheet in src.sheetnames else src.worksheets[0]
        copy = book(write_only=True)
        ws = copy.create_sheet(ws_in.title)
        for number, values in enumerate(ws_in.iter_rows(values_only=True), start=1):
            row_problems = by_row.get(number, [])
            marks: dict[str, list[str]] = {}
            for column, message in row_problems:
                marks.setdefault(column, []).append(message)
            cells = []
            for i, value in enumerate(values):
                made = cell(ws, value)
                letter = get_column_letter(i + 1)
                if letter in marks:
                    made.fill = RED
                    made.comment = Comment("\n".join(marks[letter]), "xuejiao")
                cells.append(made)
            if number == 1:
                cells.append(cell(ws, pgettext("spreadsheet", "Problems")))
            if row_problems:
                cells.append(cell(ws, "; ".join(f"{c}: {m}" if c else m for c, m in row_problems)))
            append(ws, cells)
            if max_rows is not None and number >= max_rows:
                break
        save(copy, out)
    finally:
        src.close()
