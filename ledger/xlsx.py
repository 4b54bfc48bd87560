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

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from campaigns.models import Campaign
from core import xlsx as writer
from ledger.choices import CHOICE_FIELDS, COUNT_FIELDS, OPTIONAL_FIELD_NAMES, OPTIONAL_FIELDS
from ledger.models import ActivityKind, ReportingPeriod
from ledger.services import clean_fields, is_office, month_of
from orgs.models import Unit
from orgs.scope import paths_q, scope_paths

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


def _choice_lookup() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for name, choices in CHOICE_FIELDS.items():
        table = {v: v for v in choices.values}
        for lang in LANGS:
            with translation.override(lang):
                for value, label in choices.choices:
                    table[str(label).strip()] = value
        out[name] = table
    return out


# --- the template ------------------------------------------------------------------------


def template(kind: ActivityKind, user: Any, out: IO[bytes]) -> None:
    """An entry template for ``kind``: headers in the reader's language, drop-downs for
    kinds and choices, and the codes of the units in the user's scope on a second sheet."""
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
    kinds = [k.name for k in ActivityKind.objects.filter(active=True)]
    lists: list[tuple[str, list[str]]] = [
        (str(gettext_lazy("Unit code")), [u[0] for u in units]),
        (str(gettext_lazy("Unit")), [u[1] for u in units]),
        (str(gettext_lazy("Kind")), kinds),
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
            for m in _MERGE.finditer(data):
                found.append((int(m.group(2)), m.group(1).decode()))
            tail = data[-200:] if b"<mergeCell" not in data[-200:] else data[-200:]
            if found and len(found) > 100:
                break
    return sorted(set(found))


def _int(value: Any) -> int | None | str:
    """A count from a cell: an int, None for empty, or "bad"."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return "bad"
    if isinstance(value, int):
        return value if value >= 0 else "bad"
    if isinstance(value, float):
        return int(value) if value.is_integer() and value >= 0 else "bad"
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value.strip())
    return "bad"


class _Context:
    """What a row is checked against, loaded once per file."""

    def __init__(self, user: Any, default_kind: ActivityKind | None) -> None:
        self.user = user
        self.default_kind = default_kind
        qs = Unit.objects.all()
        paths = scope_paths(user)
        if paths is not None:
            qs = qs.filter(paths_q("path", paths)) if paths else qs.none()
        self.units = {code: (pk, path) for code, pk, path in qs.values_list("code", "pk", "path")}
        self.kinds: dict[str, ActivityKind] = {}
        for k in ActivityKind.objects.filter(active=True):
            for key in (k.code, k.name_zh, k.name_bo, k.name_en):
                self.kinds[key.strip()] = k
        self.campaigns = [
            (c.root_unit.path, c) for c in Campaign.objects.select_related("root_unit").order_by("-start")
        ]
        self.closed: dict[int, set[datetime.date]] = {}
        if not is_office(user):
            for c_id, month in ReportingPeriod.objects.values_list("campaign_id", "month"):
                self.closed.setdefault(c_id, set()).add(month)
        self.choices = _choice_lookup()

    def campaign(self, path: str) -> Campaign | None:
        for root, c in self.campaigns:
            if path.startswith(root):
                return c
        return None


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
        ctx = _Context(user, default_kind)
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
    ctx: _Context, number: int, values: tuple, columns: list, letters: list, where: dict, result: Checked
) -> None:
    problems = result.problems
    before = len(problems)
    cells: dict[str, Any] = {}
    for i, name in enumerate(columns):
        if name is None or i >= len(values):
            continue
        value = values[i]
        if writer.looks_like_formula(value):
            problems.append((number, letters[i], _("Formulas are not allowed; type the value.")))
            continue
        cells[name] = value
    unit = None
    code = cells.get("unit")
    code = str(int(code)) if isinstance(code, float) and code.is_integer() else str(code or "").strip()
    if not code:
        problems.append((number, where["unit"], _("The unit code is required.")))
    else:
        unit = ctx.units.get(code)
        if unit is None:
            problems.append((number, where["unit"], _("No unit with code %(code)s in your scope.") % {"code": code}))
    raw_kind = cells.get("kind")
    kind = ctx.kinds.get(str(raw_kind).strip()) if raw_kind not in (None, "") else ctx.default_kind
    if kind is None:
        problems.append((number, where["kind"], _("Unknown kind of activity.")))
    day = cells.get("date")
    if isinstance(day, datetime.datetime):
        day = day.date()
    if day is None:
        problems.append((number, where["date"], _("The date is required.")))
        day = None
    elif isinstance(day, str):
        problems.append((number, where["date"], _("The date is typed as text; enter it as a date (e.g. 2021-06-01).")))
        day = None
    elif not isinstance(day, datetime.date):
        problems.append((number, where["date"], _("Not a date.")))
        day = None
    if unit and day:
        campaign = ctx.campaign(unit[1])
        if campaign is None:
            problems.append((number, where["unit"], _("No campaign covers this unit.")))
        elif not campaign.start <= day <= campaign.end:
            problems.append(
                (
                    number,
                    where["date"],
                    _("The date must lie inside the campaign, from %(start)s to %(end)s.")
                    % {"start": campaign.start.isoformat(), "end": campaign.end.isoformat()},
                )
            )
        elif month_of(day) in ctx.closed.get(campaign.pk, ()):
            problems.append((number, where["date"], _("This month is closed; only the office may change its rows.")))
    fields: dict[str, Any] = {}
    for name in OPTIONAL_FIELD_NAMES:
        if name not in cells:
            continue
        value = cells[name]
        if name in COUNT_FIELDS:
            n = _int(value)
            if n == "bad":
                problems.append((number, where[name], _("Enter a whole number of zero or more.")))
                continue
            if n is not None:
                fields[name] = n
        elif name in CHOICE_FIELDS:
            text = str(value or "").strip()
            if text:
                choice = ctx.choices[name].get(text)
                if choice is None:
                    problems.append((number, where[name], _("Not one of the choices.")))
                    continue
                fields[name] = choice
        else:
            fields[name] = "" if value is None else str(value).strip()
    if kind is not None and len(problems) == before:
        try:
            cleaned = clean_fields(kind, fields)
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                for message in errors:
                    problems.append((number, where.get(name, name), message))
            return
        if unit and day:
            result.rows.append((unit[0], kind.pk, day, *[cleaned[n] for n in OPTIONAL_FIELD_NAMES]))


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
