"""Import of a batch of findings (and their first measures) from an xlsx sheet.

The file of one meeting or one unit holds dozens to a few hundred rows, so it is read and
checked in the request (synchronously): every row is read first, every problem is reported
as (row, column, message), and nothing is written unless there is none.
"""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from orglife.forms import parse_date
from orglife.services import COLUMNS, FindingRow

MAX_ROWS = 2000
HEADERS = ["person", "category", "problem", "measure", "responsible", "deadline"]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value: Any) -> datetime.date | str | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return parse_date(_text(value))


def read_findings(data: Any) -> tuple[list[FindingRow], list[tuple[int, str, str]]]:
    """Rows of the sheet (the first row is the header) and the problems of reading it."""
    try:
        book = load_workbook(data, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of error for a file that is not xlsx
        return [], [(0, "file", _("The file is not an xlsx spreadsheet."))]
    sheet = book.worksheets[0]
    rows: list[FindingRow] = []
    problems: list[tuple[int, str, str]] = []
    for n, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        cells = list(values) + [None] * 6
        if all(_text(v) == "" for v in cells[:6]):
            continue
        if len(rows) >= MAX_ROWS:
            problems.append((n, "file", _("At most %(n)s rows per file.") % {"n": MAX_ROWS}))
            break
        rows.append(
            FindingRow(
                row=n,
                person_name=_text(cells[0]),
                category=_text(cells[1]),
                text=_text(cells[2]),
                measure=_text(cells[3]),
                owner=_text(cells[4]),
                deadline=_date(cells[5]),
            )
        )
    book.close()
    if not rows and not problems:
        problems.append((0, "file", _("The sheet has no rows below its header.")))
    return rows, problems


def template() -> bytes:
    """An empty sheet with the header row and one example."""
    book = Workbook()
    sheet = book.active
    sheet.title = "findings"
    sheet.append([str(COLUMNS[h]) for h in HEADERS])
    sheet.append(
        ["扎西", "工作作风", "深入基层调研不够", "每月到联系村调研不少于2次", "扎西", datetime.date(2021, 12, 31)]
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
