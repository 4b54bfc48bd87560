"""Spreadsheets in and out: the entry template of a kind, the check of an uploaded file
(every problem at once, as row, column and message) and the export of a filtered list; the
annotated copy of a refused file is ``core.xlsx.annotate``.

An upload is distrusted before it is opened: it must be a zip whose members expand to a
bounded size (zip bombs), the sheet must not merge cells, cells must not hold formulas, and
dates must be dates, not text."""

from __future__ import annotations

import datetime
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from core import xlsx as writer
from ledger.choices import CHOICE_FIELDS, OPTIONAL_FIELDS
from ledger.models import ActivityKind
from ledger.services import BatchCheck, collector_paused
from orgs.models import Unit

SHEET = "activities"
CODES_SHEET = "codes"
MAX_ROWS = 200_000
MAX_EXPANDED_BYTES = 400 * 1024 * 1024
MAX_RATIO = 200
LANGS = ("zh-hans", "bo", "en")
BASE_COLUMNS = [("unit", gettext_lazy("Unit code")), ("date", gettext_lazy("Date")), ("kind", gettext_lazy("Kind"))]
ALL_COLUMNS = BASE_COLUMNS + list(OPTIONAL_FIELDS)
BOLD = Font(bold=True)


def columns_for(kind: ActivityKind | None) -> list[tuple[str, Any]]:
    if kind is None:
        return ALL_COLUMNS
    return BASE_COLUMNS + [(n, label) for n, label in OPTIONAL_FIELDS if kind.applies(n)]


def _labels_in_every_language() -> dict[str, str]:
    """Header text (in any language, or the field name itself) -> field name."""
    out = {}
    for lang in LANGS:
        with translation.override(lang):
            for name, label in ALL_COLUMNS:
                out[str(label).strip().lower()] = name
    for name, _label in ALL_COLUMNS:
        out[name] = name
    return out


# --- the template ------------------------------------------------------------------------


def template(kind: ActivityKind, user: Any, out: IO[bytes], kinds: Any = None) -> None:
    """An entry template for ``kind``: headers in the reader's language, drop-downs for
    kinds (``kinds``: those of the reader's campaign; every kind in use by default) and
    choices, and the codes of the units in the user's scope on a second sheet."""
    wb = writer.book()
    ws = wb.active
    ws.title = SHEET
    cols = columns_for(kind)
    writer.append(ws, [label for _n, label in cols])
    for cell in ws[1]:
        cell.font = BOLD
    ws.freeze_panes = "A2"
    codes = wb.create_sheet(CODES_SHEET)
    units = list(Unit.objects.visible_to(user).order_by("path").values_list("code", "name_zh")[:50000])
    names = [k.name for k in (kinds if kinds is not None else ActivityKind.objects.filter(active=True))]
    lists: list[tuple[str, list[str]]] = [
        (str(gettext_lazy("Unit code")), [u[0] for u in units]),
        (str(gettext_lazy("Unit")), [u[1] for u in units]),
        (str(gettext_lazy("Kind")), names),
    ]
    for name in CHOICE_FIELDS:
        lists.append((name, [str(label) for _v, label in CHOICE_FIELDS[name].choices]))
    for col, (heading, values) in enumerate(lists, start=1):
        writer.write(codes, 1, col, heading).font = BOLD
        for row, value in enumerate(values, start=2):
            writer.write(codes, row, col, value)
    ranges = {
        name: f"{CODES_SHEET}!${get_column_letter(i)}$2:${get_column_letter(i)}${len(values) + 1}"
        for i, (name, values) in enumerate(lists, start=1)
    }
    ranges["unit"] = ranges.pop(str(gettext_lazy("Unit code")))
    ranges["kind"] = ranges.pop(str(gettext_lazy("Kind")))
    for i, (name, _label) in enumerate(cols, start=1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = 16
        if name in ranges:
            dv = DataValidation(type="list", formula1=ranges[name], allow_blank=True)
            ws.add_data_validation(dv)
            dv.add(f"{letter}2:{letter}5000")
        if name == "date":
            for row in range(2, 202):
                ws[f"{letter}{row}"].number_format = "yyyy-mm-dd"
    # The example lives in the headers' notes, not in a row: a row the user never wrote
    # must never be read as data.
    examples = {"unit": units[0][0] if units else "540102001", "date": "2021-07-01", "kind": kind.name}
    for i, (name, _label) in enumerate(cols, start=1):
        if name in examples:
            ws.cell(row=1, column=i).comment = Comment(
                _("For example: %(value)s") % {"value": examples[name]}, "xuejiao", width=220, height=60
            )
    writer.save(wb, out)


# --- the check of an upload --------------------------------------------------------------


@dataclass
class Checked:
    """The result of checking a file: rows ready to write (unit_id, kind_id, date, optional
    field values in OPTIONAL_FIELD_NAMES order), problems as (row, column, message), and
    the data rows seen."""

    rows: list[tuple] = field(default_factory=list)
    problems: list[tuple[int, str, str]] = field(default_factory=list)
    total: int = 0
    headers: list[str] = field(default_factory=list)


class BadFile(Exception):
    """The file cannot be read as a template at all; the message says why."""


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+)')


def _merged_cells(path: str, member: str) -> list[tuple[int, str]]:
    found = []
    tail = b""
    with zipfile.ZipFile(path) as zf, zf.open(member) as fh:
        while chunk := fh.read(1 << 20):
            data = tail + chunk
            # A plain search first: most sheets merge nothing, and the pattern would look at
            # every "<" of their cells.
            if b"mergeCell" in data:
                for m in _MERGE.finditer(data):
                    found.append((int(m.group(2)), m.group(1).decode()))
            tail = data[-200:]
            if found and len(found) > 100:
                break
    return sorted(set(found))


@collector_paused()
def check_file(
    path: str,
    user: Any,
    default_kind: ActivityKind | None,
    progress: Callable[[int], None] | None = None,
) -> Checked:
    """Read and check every row; nothing is written here."""
    try:
        wb = writer.open_workbook(path, max_rows=MAX_ROWS)
    except writer.BadFile as exc:
        raise BadFile(str(exc)) from exc
    try:
        ws = writer.sheet_of(wb, SHEET)
        rows = writer.rows(
            ws,
            max_rows=MAX_ROWS,
            message=_("The sheet has more than %(n)s rows (blank rows included); split it into smaller files.")
            % {"n": f"{MAX_ROWS:,}"},
        )
        header = next(rows, (1, None))[1]
        names = _labels_in_every_language()
        columns: list[str | None] = []
        for value in header or ():
            columns.append(names.get(str(value).strip().lower()) if value is not None else None)
        if "unit" not in columns or "date" not in columns:
            raise BadFile(
                _('The sheet "%(sheet)s" does not have the template\'s headers in row 1; download the template again.')
                % {"sheet": ws.title}
            )
        result = Checked(headers=[str(v) if v is not None else "" for v in header])
        member = getattr(ws, "_worksheet_path", None)
        if member:
            for row, letter in _merged_cells(path, member):
                result.problems.append((row, letter, _("Merged cells are not allowed; unmerge them.")))
        ctx = BatchCheck(user, default_kind=default_kind, kinds_by_name=True)
        letters = [get_column_letter(i + 1) for i in range(len(columns))]
        # Where a problem is shown: the column's letter, or the header of a column the file lacks.
        where = {name: str(label) for name, label in ALL_COLUMNS}
        for i, name in enumerate(columns):
            if name is not None:
                where[name] = letters[i]
        for number, values in rows:
            if progress and number % 2000 == 0:
                progress(number)
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            result.total += 1
            _check_row(ctx, number, values, columns, letters, where, result)
        return result
    finally:
        wb.close()


def _check_row(
    ctx: BatchCheck, number: int, values: tuple, columns: list, letters: list, where: dict, result: Checked
) -> None:
    """One row through the batch check the bulk API also uses; its refusals go to their
    cells. What only a spreadsheet can get wrong (a formula, a date typed as text) is
    looked at here first."""
    cells: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for i, name in enumerate(columns):
        if name is None or i >= len(values):
            continue
        value = values[i]
        if isinstance(value, str) and "=" in value and writer.looks_like_formula(value):
            errors[name] = _("Formulas are not allowed; type the value.")
            continue
        cells[name] = value
    day = cells.get("date")
    if "date" not in errors and isinstance(day, str) and day.strip():
        errors["date"] = _("The date is typed as text; enter it as a date (e.g. 2021-06-01).")
    elif day is not None and not isinstance(day, str | datetime.date):
        errors["date"] = _("Not a date.")
    row, errors = ctx.check(cells, errors)
    for name, message in errors.items():
        result.problems.append((number, where.get(name, name), message))
    if row is not None:
        result.rows.append(row)


# --- export ------------------------------------------------------------------------------

EXPORT_COLUMNS: list[tuple[Any, Callable[[Any], Any]]] = [
    (gettext_lazy("Unit code"), lambda a: a.unit.code),
    (gettext_lazy("Unit"), lambda a: a.unit.name),
    (gettext_lazy("Date"), lambda a: a.date),
    (gettext_lazy("Kind"), lambda a: a.kind.name),
    (pgettext_lazy("ledger", "Title"), lambda a: a.title),
    (pgettext_lazy("ledger", "Sessions"), lambda a: a.sessions),
    (gettext_lazy("Participant-times"), lambda a: a.participants),
    (gettext_lazy("Venue kind"), lambda a: a.get_venue_kind_display()),
    (gettext_lazy("Language"), lambda a: a.get_language_display()),
    (gettext_lazy("Copies"), lambda a: a.copies),
    (gettext_lazy("Outlet level"), lambda a: a.get_outlet_level_display()),
    (gettext_lazy("Trained group"), lambda a: a.get_target_display()),
    (gettext_lazy("Lecturers"), lambda a: a.lecturers),
    (gettext_lazy("Place"), lambda a: a.place),
    (gettext_lazy("Notes"), lambda a: a.notes),
]


def export(activities: Iterable[Any], out: IO[bytes]) -> int:
    """Write activities to a plain xlsx (no live formulas, dates as dates) that LibreOffice
    and Excel open; returns the number of rows written."""
    wb = writer.book(write_only=True)
    ws = wb.create_sheet(SHEET)
    writer.append(ws, [label for label, _f in EXPORT_COLUMNS])
    n = 0
    for activity in activities:
        writer.append(ws, [get(activity) for _label, get in EXPORT_COLUMNS])
        n += 1
    writer.save(wb, out)
    return n
