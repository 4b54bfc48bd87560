"""Imports from xlsx sheets: a batch of findings (and their first measures) of one unit, and
heart-to-heart talks of the units in the importer's scope, with their entry templates.

A file holds dozens to a couple of thousand rows, so it is read and checked in the request
(synchronously): every row is read first, every problem is reported as (row, column,
message), and nothing is written unless there is none. A refused file can be downloaded
again with each problem marked in its cell; that copy is kept for its importer only, one per
account and kind of import, and replaced by the next refused file.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl.utils import get_column_letter

from core import xlsx
from orglife import services
from orglife.forms import parse_date
from orglife.models import FindingCategory
from orglife.records import FINDING
from orglife.services import COLUMNS, TALK_COLUMNS, FindingRow, TalkImportRow
from orgs.models import Unit

MAX_ROWS = 2000
# Rows read at most, blank ones included: a sheet that declares more is refused by the upload
# guard before a row is read, and the reading stops there.
MAX_SHEET_ROWS = 10 * MAX_ROWS
LANGS = ("zh-hans", "bo", "en")
HEADERS = ["person", "category", "problem", "measure", "responsible", "deadline"]
TALK_HEADERS = list(TALK_COLUMNS)
FINDINGS = "findings"
TALKS = "talks"


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


def _header(sheet: Any) -> tuple:
    for _n, values in xlsx.rows(sheet, max_rows=MAX_SHEET_ROWS):
        return values
    return ()


def _below_header(sheet: Any) -> Any:
    """The rows below the header as (row number, values), streamed; a sheet longer than
    any import reads (blank rows included) ends the reading with ``xlsx.BadFile``."""
    for n, values in xlsx.rows(sheet, max_rows=MAX_SHEET_ROWS):
        if n > 1:
            yield n, values


# --- findings ------------------------------------------------------------------------------
@dataclass
class Sheet:
    """What was read from a sheet of an import: its rows, the problems of reading it, and the
    letter of each known column in the file (to mark a problem in its cell)."""

    columns: dict[str, Any]
    rows: list = field(default_factory=list)
    problems: list[tuple[int, str, str]] = field(default_factory=list)
    letters: dict[str, str] = field(default_factory=dict)

    def places(self) -> dict[str, str]:
        """Where a problem is marked: its column's letter, or the header of a column the
        file lacks; "file" is the whole file."""
        return {name: str(label) for name, label in self.columns.items()} | self.letters | {"file": ""}


def _columns(
    header: tuple, names: dict[str, str], expected: list[str], labels: dict[str, Any]
) -> tuple[dict[str, int], list[tuple[int, str, str]]]:
    """Each known column's position, matched by its header's text in any of the three
    languages; a header no column has, a column named twice and a column the file lacks are
    problems of row 1, each naming the column."""
    positions: dict[str, int] = {}
    problems: list[tuple[int, str, str]] = []
    for i, value in enumerate(header):
        text = _text(value)
        if not text:
            continue
        name = names.get(text.lower())
        letter = get_column_letter(i + 1)
        if name is None:
            problems.append(
                (1, letter, _("Unknown column “%(column)s”; use the template's headers.") % {"column": text[:60]})
            )
        elif name in positions:
            problems.append((1, letter, _("The column “%(column)s” appears twice.") % {"column": labels[name]}))
        else:
            positions[name] = i
    for name in expected:
        if name not in positions:
            problems.append(
                (1, name, _("The column “%(column)s” is missing; download the template.") % {"column": labels[name]})
            )
    return positions, problems


def read_findings(data: Any) -> Sheet:
    """Rows of the sheet (the first row is the header, its columns in any order and named
    in any of the three languages) and the problems of reading it."""
    result = Sheet(COLUMNS)
    try:
        book = xlsx.open_workbook(data, data_only=True, max_rows=MAX_SHEET_ROWS)
    except xlsx.BadFile as exc:
        result.problems.append((0, "file", str(exc)))
        return result
    sheet = book.worksheets[0]
    try:
        header = _header(sheet)
        positions, problems = _columns(header, FINDING.headers(), HEADERS, COLUMNS)
        result.letters = {name: get_column_letter(i + 1) for name, i in positions.items()}
        result.problems.extend(problems)
        if problems:
            return result
        for n, cells in _below_header(sheet):
            if all(_text(v) == "" for v in cells):
                continue
            if len(result.rows) >= MAX_ROWS:
                result.problems.append((n, "file", _("At most %(n)s rows per file.") % {"n": MAX_ROWS}))
                break
            row: dict[str, Any] = {}
            for name, i in positions.items():
                value = cells[i] if i < len(cells) else None
                if xlsx.looks_like_formula(value):
                    result.problems.append((n, name, _("Formulas are not allowed; type the value.")))
                    value = None
                row[name] = value
            result.rows.append(
                FindingRow(
                    row=n,
                    person_name=_text(row["person"]),
                    category=_text(row["category"]),
                    text=_text(row["problem"]),
                    measure=_text(row["measure"]),
                    owner=_text(row["responsible"]),
                    deadline=_date(row["deadline"]),
                )
            )
    except xlsx.BadFile as exc:
        result.rows, result.problems = [], [(0, "file", str(exc))]
    finally:
        book.close()
    if not result.rows and not result.problems:
        result.problems.append((0, "file", _("The sheet has no rows below its header.")))
    return result


def template() -> bytes:
    """An empty sheet with the header row, one example and a drop-down of the categories."""
    book, sheet = xlsx.template(
        "findings",
        [COLUMNS[h] for h in HEADERS],
        example=[
            pgettext("findings template example", "Tashi"),
            pgettext("findings template example", "Work style"),
            pgettext("findings template example", "Too few research visits to the grassroots"),
            pgettext("findings template example", "Visit the linked village at least twice a month"),
            pgettext("findings template example", "Tashi"),
            datetime.date(2021, 12, 31),
        ],
        date_columns=[HEADERS.index("deadline") + 1],
    )
    categories = [c.name for c in FindingCategory.objects.filter(active=True)]
    xlsx.add_drop_downs(
        book, sheet, [(HEADERS.index("category") + 1, str(COLUMNS["category"]), categories)], title="categories"
    )
    return xlsx.to_bytes(book)


# --- talks ---------------------------------------------------------------------------------
def _talk_headers() -> dict[str, str]:
    """Header text in any language (or the column's own name), lower-cased -> column name."""
    out = {name: name for name in TALK_HEADERS}
    for lang in LANGS:
        with translation.override(lang):
            for name, label in TALK_COLUMNS.items():
                out[str(label).strip().lower()] = name
    return out


def read_talks(data: Any) -> Sheet:
    """The rows of a sheet of talks (headers in row 1, in any of the languages, columns in
    any order) and every problem of reading them; nothing is checked against the database
    here (``services.check_talk_rows`` does that)."""
    result = Sheet(TALK_COLUMNS)
    try:
        book = xlsx.open_workbook(data, max_rows=MAX_SHEET_ROWS)
    except xlsx.BadFile as exc:
        result.problems.append((0, "file", str(exc)))
        return result
    try:
        sheet = book.worksheets[0]
        values = _below_header(sheet)
        header = _header(sheet)
        positions, problems = _columns(header, _talk_headers(), TALK_HEADERS, TALK_COLUMNS)
        result.letters = {name: get_column_letter(i + 1) for name, i in positions.items()}
        result.problems.extend(problems)
        if problems:
            return result
        for n, cells in values:
            if all(_text(v) == "" for v in cells):
                continue
            if len(result.rows) >= MAX_ROWS:
                result.problems.append((n, "file", _("At most %(n)s rows per file.") % {"n": MAX_ROWS}))
                break
            row: dict[str, Any] = {}
            for name, i in positions.items():
                value = cells[i] if i < len(cells) else None
                if xlsx.looks_like_formula(value):
                    result.problems.append((n, name, _("Formulas are not allowed; type the value.")))
                    value = None
                row[name] = value
            date = row["date"]
            if isinstance(date, int | float) and not isinstance(date, bool):
                date = str(date)  # a number that is not formatted as a date
            result.rows.append(
                TalkImportRow(
                    row=n,
                    unit_code=_text(row["unit"]),
                    date=_date(date),
                    name_a=_text(row["name_a"]),
                    name_b=_text(row["name_b"]),
                )
            )
    except xlsx.BadFile as exc:
        result.rows, result.problems = [], [(0, "file", str(exc))]
    finally:
        book.close()
    if not result.rows and not result.problems:
        result.problems.append((0, "file", _("The sheet has no rows below its header.")))
    return result


def check_talks(sheet: Sheet, user: Any) -> list[tuple[int, str, str]]:
    """Every problem of a sheet of talks: those of reading it and those of its rows against
    the database, one per cell at most (a formula is not also reported as an empty cell),
    in the order of the sheet."""
    if not sheet.rows:
        return sheet.problems
    seen = {(r, c) for r, c, _m in sheet.problems}
    checked = [p for p in services.check_talk_rows(actor=user, rows=sheet.rows) if (p[0], p[1]) not in seen]
    order = {name: i for i, name in enumerate(TALK_HEADERS)}
    return sorted(sheet.problems + checked, key=lambda p: (p[0], order.get(p[1], len(order))))


def talk_template(user: Any) -> bytes:
    """An empty sheet of talks with headers in the reader's language, dates shown as dates,
    and a drop-down of the codes of the units in the user's scope (their names beside them
    on the second sheet)."""
    book, sheet = xlsx.template(
        "talks", [TALK_COLUMNS[h] for h in TALK_HEADERS], date_columns=[TALK_HEADERS.index("date") + 1]
    )
    tibetan = translation.get_language() == "bo"
    units = [
        (code, name_bo if tibetan and name_bo else name_zh)
        for code, name_zh, name_bo in Unit.objects.visible_to(user)
        .order_by("path")
        .values_list("code", "name_zh", "name_bo")[:50000]
    ]
    xlsx.add_drop_downs(
        book,
        sheet,
        [
            (TALK_HEADERS.index("unit") + 1, str(TALK_COLUMNS["unit"]), [code for code, _name in units]),
            (None, _("Unit"), [name for _code, name in units]),
        ],
        title="units",
    )
    return xlsx.to_bytes(book)


# --- the annotated copy of a refused file --------------------------------------------------
def _annotated_name(user: Any, what: str) -> str:
    return f"orglife/imports/{what}-problems-{user.pk}.xlsx"


def labelled(problems: list[tuple[int, str, str]], columns: dict[str, Any]) -> list[tuple[int, str, str]]:
    """Problems as the page shows them: the column's label in the reader's language (none
    for a problem of the whole file)."""
    return [(r, "" if c == "file" else str(columns.get(c, c)), m) for r, c, m in problems]


def keep_annotated(
    user: Any, what: str, upload: Any, problems: list[tuple[int, str, str]], places: dict[str, str]
) -> bool:
    """Keep for ``user`` a copy of the refused ``upload`` with each problem marked in its
    cell (``places`` maps a column name to its letter in the file). False when there is no
    row to mark (the file itself could not be read)."""
    marks = [(r, places.get(c, c), m) for r, c, m in problems if r >= 1]
    if not marks:
        discard_annotated(user, what)
        return False
    out = io.BytesIO()
    xlsx.annotate(upload, marks, out, max_rows=MAX_SHEET_ROWS)
    name = _annotated_name(user, what)
    default_storage.delete(name)
    default_storage.save(name, ContentFile(out.getvalue()))
    return True


def annotated(user: Any, what: str) -> IO[bytes] | None:
    """The user's last refused file of this kind of import, marked; None if there is none."""
    name = _annotated_name(user, what)
    if not default_storage.exists(name):
        return None
    return default_storage.open(name, "rb")


def discard_annotated(user: Any, what: str) -> None:
    default_storage.delete(_annotated_name(user, what))
