"""A campaign's set-up as one document, so that one campaign can be copied into the next and
one city's set-up can serve another.

The document holds the campaign's frame (``campaigns``) and a part from each app that keeps
something for a campaign: the kinds of activity and defined indicators (``ledger``), the
report's template (``reports``), the quiz bank (``quiz``) ... Each app registers its part
here from its ``AppConfig.ready``; ``campaigns`` never imports the apps above it.

A part's ``dump`` gives JSON-able rows that name other rows by code, never by primary key;
its ``load`` writes rows for a new campaign inside the caller's transaction and raises
``ValidationError({"<part>": [message naming the row]})`` for a row it cannot take, so that
a document lands whole or not at all. ``load`` is given a ``Context`` (who loads, and how
far the new campaign's period lies from the one the rows were dumped from, so that dated
rows move along). ``RowReader`` reads a part's rows field by field and collects every
problem as "row n, field f: message" before the part writes anything.

The document (``dump_document``, ``read_document``)::

    {"format": "xuejiao.campaign", "version": 1,
     "campaign": {"name_zh": ..., "name_bo": ..., "goal_words_zh": ..., "goal_words_bo": ...,
                  "start": "2021-02-20", "end": "2021-12-31", "status": "active",
                  "root_unit": "540100", "office_unit": "540100D03"},
     "parts": {"campaigns.frame": [...], "ledger.kinds": [...], ...}}
"""

from __future__ import annotations

import datetime
import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from campaigns.choices import CampaignStatus
from campaigns.models import Campaign
from core import records

Rows = list[dict[str, Any]]

FORMAT = "xuejiao.campaign"
VERSION = 1
# Far more rows than any part of a campaign's set-up has (the quiz bank: a few thousand).
MAX_ROWS = 50_000
# How deep a document may nest; a set-up row is an object of lists of objects at most.
MAX_DEPTH = 12

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Part:
    """What one app keeps for a campaign. Parts load in ``order`` (lower first), so a part
    may name rows an earlier one wrote (a report template names the defined indicators)."""

    name: str
    dump: Callable[[Campaign], Rows]
    load: Callable[[Campaign, Rows, Any], None]
    order: int = 100


PARTS: dict[str, Part] = {}


def register(part: Part) -> None:
    PARTS[part.name] = part


def parts() -> list[Part]:
    return sorted(PARTS.values(), key=lambda part: (part.order, part.name))


@dataclass(frozen=True)
class Context:
    """What a part's ``load`` is told besides its rows: the account that loads them, and
    ``shift``, the days from the start of the campaign the rows were dumped from to the start
    of the new one (a dated row moves by it)."""

    actor: Any
    shift: datetime.timedelta = datetime.timedelta(0)

    def move(self, day: datetime.date, campaign: Campaign) -> datetime.date:
        """``day`` moved by the shift and kept inside ``campaign``'s period."""
        try:
            moved = day + self.shift
        except OverflowError:
            moved = campaign.end
        return min(max(moved, campaign.start), campaign.end)


# --- reading a part's rows --------------------------------------------------------------------


@dataclass
class RowReader:
    """Reads the rows of one part and collects every problem, each naming its row (counted
    from 1, as a person counts) and field: ``check()`` then refuses them all at once."""

    part: str
    problems: list[str] = field(default_factory=list)

    def problem(self, n: int | None, name: str | None, message: Any) -> None:
        if n is None:
            self.problems.append(str(message))
        elif name is None:
            self.problems.append(_("row %(row)s: %(message)s") % {"row": n, "message": message})
        else:
            self.problems.append(
                _("row %(row)s, field “%(field)s”: %(message)s") % {"row": n, "field": name, "message": message}
            )

    def rows(self, rows: Any) -> Iterator[tuple[int, dict[str, Any]]]:
        if not isinstance(rows, list):
            self.problem(None, None, _("The part must be a list of rows."))
            return
        for n, row in enumerate(rows, start=1):
            if isinstance(row, dict):
                yield n, row
            else:
                self.problem(n, None, _("A row must be an object of named fields."))

    def _spec(self, n: int, row: dict[str, Any], name: str, spec: records.Spec) -> Any:
        try:
            return spec.parse(row.get(name))
        except records.Refused as exc:
            self.problem(n, name, exc.message)
            return spec.default

    def text(
        self, n: int, row: dict, name: str, *, max_length: int, required: bool = False, multiline: bool = False
    ) -> str:
        return self._spec(n, row, name, records.Text(max_length=max_length, required=required, multiline=multiline))

    def count(self, n: int, row: dict, name: str, *, most: int, least: int = 0, required: bool = False) -> int:
        value = row.get(name)
        if isinstance(value, bool) or isinstance(value, float):
            self.problem(n, name, _("Enter a whole number."))
            return least
        return self._spec(n, row, name, records.Count(max=most, min=least, required=required)) or least

    def day(self, n: int, row: dict, name: str, *, required: bool = True) -> datetime.date | None:
        return self._spec(n, row, name, records.Day(required=required))

    def choice(self, n: int, row: dict, name: str, choices: Any, *, required: bool = True) -> str:
        value = row.get(name)
        if value in (None, ""):
            if required:
                self.problem(n, name, _("This field is required."))
            return ""
        if not isinstance(value, str) or value not in choices.values:
            self.problem(n, name, _("Not one of the choices."))
            return ""
        return value

    def flag(self, n: int, row: dict, name: str, *, default: bool = False) -> bool:
        value = row.get(name, default)
        if not isinstance(value, bool):
            self.problem(n, name, _("Enter true or false."))
            return default
        return value

    def texts(self, n: int, row: dict, name: str, *, max_length: int, max_items: int = 1000) -> list[str]:
        """A list of short texts (codes, keys, user names)."""
        value = row.get(name, [])
        if not isinstance(value, list) or len(value) > max_items:
            self.problem(n, name, _("Enter a list of at most %(n)s texts.") % {"n": max_items})
            return []
        out: list[str] = []
        spec = records.Text(max_length=max_length, required=True)
        for item in value:
            if not isinstance(item, str):
                self.problem(n, name, _("Enter a list of texts."))
                return []
            try:
                out.append(spec.parse(item))
            except records.Refused as exc:
                self.problem(n, name, exc.message)
                return []
        return out

    def check(self) -> None:
        if self.problems:
            raise ValidationError({self.part: self.problems})


# --- the document -----------------------------------------------------------------------------


def campaign_header(campaign: Campaign) -> dict[str, Any]:
    return {
        "name_zh": campaign.name_zh,
        "name_bo": campaign.name_bo,
        "goal_words_zh": campaign.goal_words_zh,
        "goal_words_bo": campaign.goal_words_bo,
        "start": campaign.start.isoformat(),
        "end": campaign.end.isoformat(),
        "status": campaign.status,
        "root_unit": campaign.root_unit.code,
        "office_unit": campaign.office_unit.code if campaign.office_unit_id else "",
    }


def dump_document(campaign: Campaign) -> dict[str, Any]:
    """The campaign's whole set-up: its header and every registered part."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "campaign": campaign_header(campaign),
        "parts": {part.name: part.dump(campaign) for part in parts()},
    }


@dataclass
class Document:
    """A document read and checked for its shape: the campaign's header (parsed) and each
    part's rows (checked by the part's ``load``)."""

    campaign: dict[str, Any]
    parts: dict[str, Rows]


def _depth(value: Any) -> int:
    """How deeply ``value`` nests, without recursing (a hostile document may nest deeply)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth > MAX_DEPTH:
            return depth
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return deepest


def _refuse(message: str) -> ValidationError:
    return ValidationError({"file": [message]})


def _no_constant(name: str) -> Any:
    raise ValueError(name)


def parse_json(raw: bytes) -> Any:
    """The JSON value of ``raw`` (UTF-8), or a ``ValidationError`` keyed ``file`` that says
    what is wrong: never an exception of the parser."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _refuse(_("The file is not UTF-8 text.")) from None
    try:
        return json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        raise _refuse(_("The file nests too deeply to be a campaign document.")) from None
    except json.JSONDecodeError as exc:
        raise _refuse(
            _("The file is not valid JSON (line %(line)s, column %(column)s).")
            % {"line": exc.lineno, "column": exc.colno}
        ) from None
    except ValueError:  # NaN/Infinity, a number of too many digits
        raise _refuse(_("The file is not valid JSON.")) from None


def read_document(raw: bytes) -> Document:
    """Check a document's shape: its format and version, the campaign's header and that
    every part is a known part holding a list of rows. Everything wrong is refused at once,
    each problem naming where it is."""
    data = parse_json(raw)
    if _depth(data) > MAX_DEPTH:
        raise _refuse(_("The file nests too deeply to be a campaign document."))
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise _refuse(_("This is not a campaign document (its “format” must be “%(format)s”).") % {"format": FORMAT})
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise _refuse(_("The document's “version” must be a whole number from 1."))
    if version > VERSION:
        raise _refuse(
            _(
                "The document is of version %(version)s, written by a newer release of the platform; this one reads version %(supported)s."
            )
            % {"version": version, "supported": VERSION}
        )
    problems: list[str] = []
    header = data.get("campaign")
    campaign: dict[str, Any] = {}
    if not isinstance(header, dict):
        problems.append(_("“campaign” must be an object with the campaign's names and period."))
    else:
        reader = RowReader("campaign")
        campaign = {
            "name_zh": reader.text(1, header, "name_zh", max_length=120, required=True),
            "name_bo": reader.text(1, header, "name_bo", max_length=240, required=True),
            "goal_words_zh": reader.text(1, header, "goal_words_zh", max_length=240),
            "goal_words_bo": reader.text(1, header, "goal_words_bo", max_length=480),
            "start": reader.day(1, header, "start"),
            "end": reader.day(1, header, "end"),
            "status": reader.choice(1, header, "status", CampaignStatus, required=False) or CampaignStatus.DRAFT,
            "root_unit": reader.text(1, header, "root_unit", max_length=32, required=True),
            "office_unit": reader.text(1, header, "office_unit", max_length=32),
        }
        if campaign["start"] and campaign["end"] and campaign["end"] < campaign["start"]:
            reader.problem(1, "end", _("The campaign cannot end before it starts."))
        problems += [_("campaign: %(problem)s") % {"problem": p} for p in reader.problems]
    raw_parts = data.get("parts")
    found: dict[str, Rows] = {}
    if not isinstance(raw_parts, dict):
        problems.append(_("“parts” must be an object of the set-up's parts."))
    else:
        for name, rows in raw_parts.items():
            if name not in PARTS:
                problems.append(_("%(part)s: this platform has no such part.") % {"part": str(name)[:60]})
            elif not isinstance(rows, list):
                problems.append(_("%(part)s: the part must be a list of rows.") % {"part": name})
            elif len(rows) > MAX_ROWS:
                problems.append(_("%(part)s: more than %(n)s rows.") % {"part": name, "n": MAX_ROWS})
            else:
                found[name] = rows
    if problems:
        raise ValidationError({"file": problems})
    return Document(campaign=campaign, parts=found)


def load_parts(campaign: Campaign, document_parts: dict[str, Rows], context: Context) -> None:
    """Load every part's rows into ``campaign``, in the parts' order, inside the caller's
    transaction. Every part is tried, so that the refusal names the problems of all of them;
    the caller's transaction then writes nothing."""
    errors: dict[str, list[str]] = {}
    for part in parts():
        rows = document_parts.get(part.name, [])
        try:
            with transaction.atomic():
                part.load(campaign, rows, context)
        except ValidationError as exc:
            for key, messages in _messages(exc, part.name).items():
                errors.setdefault(key, []).extend(messages)
        except (DatabaseError, ValueError, TypeError, KeyError, AttributeError, OverflowError):
            # A row that slipped past the part's checks: refused like any other problem.
            log.exception("part %s could not be loaded", part.name)
            errors.setdefault(part.name, []).append(_("These rows could not be written; check them."))
    if errors:
        raise ValidationError(errors)


def _messages(exc: ValidationError, part: str) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {key: [str(m) for m in ValidationError(errors).messages] for key, errors in exc.error_dict.items()}
    return {part: [str(m) for m in exc.messages]}


def problem_lines(exc: ValidationError) -> list[str]:
    """A refusal of a document as lines a person reads: "<part>: <problem>"."""
    if not hasattr(exc, "error_dict"):
        return [str(m) for m in exc.messages]
    lines = []
    for key, errors in exc.error_dict.items():
        for message in ValidationError(errors).messages:
            lines.append(str(message) if key in ("file", "__all__") else f"{key}: {message}")
    return lines
