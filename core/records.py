"""One definition per kind of record.

A ``Record`` names the fields of one kind of record (an activity, a concern, a finding ...)
with a small declarative spec each: ``Text`` (fits its column, no control characters),
``Count`` (a whole number between real bounds), ``Choice`` (a value or its label in any of
the three languages) and ``Day`` (a real calendar date, optionally inside the campaign).
Every door of the record — its form, its xlsx import, its API, Open311 — parses through
the same spec, so a value is refused (or accepted) the same way wherever it comes in, and
on SQLite and PostgreSQL alike: nothing is left for the database to refuse.

A spec's ``parse`` returns the clean value or raises ``Refused`` with a message for the
person who typed it; ``Record.clean`` collects those by field into a ``ValidationError``.
"""

from __future__ import annotations

import datetime
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

LANGUAGES = ("zh-hans", "bo", "en")

# What no text field keeps: C0 controls but tab, newline and carriage return, DEL, the C1
# controls and lone surrogates (which no database encodes). XML 1.0 refuses them as well.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile(r"[\t\r\n]+")
# The longest run of digits a count may have before it is looked at (a bound, not a limit
# on real values: the largest bound has 10 digits).
_MAX_DIGITS = 15


class Refused(ValueError):
    """A value a spec does not accept; ``message`` says why, for the person who typed it."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = str(message)


def has_control_characters(text: str, *, multiline: bool = True) -> bool:
    """Whether ``text`` holds a character no text field keeps (tab and line breaks are
    kept where ``multiline``)."""
    if _CONTROL.search(text):
        return True
    return not multiline and bool(_LINE_BREAKS.search(text))


def strip_control_characters(text: str) -> str:
    """``text`` without the characters a text field never keeps (for output of old rows)."""
    return _CONTROL.sub("", text)


def ascii_number(value: Any) -> int:
    """A whole number from a cell, a form or a JSON body. Decimal digits of any script
    (fullwidth ０-９, Tibetan ༠-༩ ...) count as digits; superscripts, circled digits,
    exponents, fractions, signs, booleans and NaN are refused."""
    if isinstance(value, bool):
        raise Refused(_("Enter a whole number."))
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal):
        if not math.isfinite(value) or value != int(value):
            raise Refused(_("Enter a whole number."))
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("-") and text[1:].strip().isdecimal():
            raise Refused(_("Enter a number of zero or more."))
        if not text or not text.isdecimal():
            raise Refused(_("Enter a whole number."))
        if len(text) > _MAX_DIGITS:
            raise Refused(_("This number is far too large."))
        return int("".join(str(unicodedata.decimal(c)) for c in text))
    raise Refused(_("Enter a whole number."))


def ascii_digits(text: str) -> str:
    """``text`` with every decimal digit of any script written as an ASCII digit."""
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class Spec:
    """One field of a record. ``required`` fields refuse an empty value; an empty value of
    an optional field is ``default``."""

    default: Any = None

    def __init__(self, label: Any = "", *, required: bool = False, default: Any = ...) -> None:
        self.name = ""
        self.label = label
        self.required = required
        if default is not ...:
            self.default = default

    def parse(self, value: Any) -> Any:
        if _empty(value):
            if self.required:
                raise Refused(_("This field is required."))
            return self.default
        return self.convert(value)

    def convert(self, value: Any) -> Any:  # pragma: no cover - every spec has its own
        raise NotImplementedError

    def labels(self) -> list[str]:
        """The field's label in every language (for headers read by name)."""
        out = []
        for lang in LANGUAGES:
            with translation.override(lang):
                out.append(str(self.label))
        return out


class Text(Spec):
    """Text that fits a column of ``max_length`` characters. A single-line field turns
    tabs and line breaks into a space; any other control character is refused, not
    dropped, so that what is stored is what the person meant."""

    default = ""

    def __init__(self, label: Any = "", *, max_length: int, multiline: bool = False, **kwargs: Any) -> None:
        super().__init__(label, **kwargs)
        self.max_length = max_length
        self.multiline = multiline

    def convert(self, value: Any) -> str:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
            raise Refused(_("Enter text."))
        text = str(value).strip()
        if _CONTROL.search(text):
            raise Refused(_("Remove the control characters (invisible characters copied with the text)."))
        if not self.multiline:
            text = _LINE_BREAKS.sub(" ", text)
        if len(text) > self.max_length:
            raise Refused(_("At most %(max)s characters (this has %(n)s).") % {"max": self.max_length, "n": len(text)})
        return text


class Count(Spec):
    """A whole number from ``min`` to ``max``: the ceiling is one a campaign could reach."""

    default = 0

    def __init__(self, label: Any = "", *, max: int, min: int = 0, **kwargs: Any) -> None:  # noqa: A002
        super().__init__(label, **kwargs)
        self.min = min
        self.max = max

    def convert(self, value: Any) -> int:
        n = ascii_number(value)
        if not self.min <= n <= self.max:
            raise Refused(
                _("Enter a whole number from %(min)s to %(max)s.") % {"min": f"{self.min:,}", "max": f"{self.max:,}"}
            )
        return n


class Choice(Spec):
    """One of ``choices``: its value, or its label in any of the three languages."""

    default = ""

    def __init__(self, label: Any = "", *, choices: type[models.Choices], **kwargs: Any) -> None:
        super().__init__(label, **kwargs)
        self.choices = choices
        self._lookup: dict[str, Any] | None = None

    def lookup(self) -> dict[str, Any]:
        if self._lookup is None:
            table: dict[str, Any] = {str(v): v for v in self.choices.values}
            for lang in LANGUAGES:
                with translation.override(lang):
                    for value, label in self.choices.choices:
                        table.setdefault(str(label).strip(), value)
            self._lookup = table
        return self._lookup

    def convert(self, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise Refused(_("Not one of the choices."))
        found = self.lookup().get(str(value).strip())
        if found is None:
            raise Refused(_("Not one of the choices."))
        return found


class Day(Spec):
    """A calendar date: a date, or text written YYYY-MM-DD (digits of any script). With
    ``in_campaign`` the record's ``clean`` also refuses a day outside the campaign given."""

    def __init__(self, label: Any = "", *, in_campaign: bool = False, **kwargs: Any) -> None:
        super().__init__(label, **kwargs)
        self.in_campaign = in_campaign

    def convert(self, value: Any) -> datetime.date:
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, str):
            text = ascii_digits(value.strip())
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                try:
                    return datetime.date.fromisoformat(text)
                except ValueError:
                    raise Refused(_("No such day in the calendar.")) from None
        raise Refused(_("Enter a date as YYYY-MM-DD (e.g. 2021-06-01)."))


def within(day: datetime.date, campaign: Any) -> str | None:
    """The refusal of a day outside ``campaign`` (None when inside)."""
    if campaign is not None and not campaign.start <= day <= campaign.end:
        return _("The date must lie inside the campaign, from %(start)s to %(end)s.") % {
            "start": campaign.start.isoformat(),
            "end": campaign.end.isoformat(),
        }
    return None


class Record:
    """One kind of record: its fields by name, each with its spec. ``name`` is the record's
    name for people (translated)."""

    def __init__(self, name: Any, **fields: Spec) -> None:
        self.name = name
        self.fields = fields
        for field_name, spec in fields.items():
            spec.name = field_name

    def __getitem__(self, name: str) -> Spec:
        return self.fields[name]

    def __iter__(self):
        return iter(self.fields.items())

    def parse(self, name: str, value: Any) -> Any:
        return self.fields[name].parse(value)

    def clean(
        self,
        data: Mapping[str, Any],
        *,
        only: Iterable[str] | None = None,
        campaign: Any = None,
        partial: bool = False,
    ) -> dict[str, Any]:
        """Every field of ``data`` (or of ``only``) parsed by its spec; refusals are raised
        together, keyed by field. ``partial`` leaves out fields ``data`` does not have."""
        names = list(only) if only is not None else list(self.fields)
        out: dict[str, Any] = {}
        errors: dict[str, list[str]] = {}
        for name in names:
            if partial and name not in data:
                continue
            spec = self.fields[name]
            try:
                value = spec.parse(data.get(name))
            except Refused as exc:
                errors[name] = [exc.message]
                continue
            if isinstance(spec, Day) and spec.in_campaign and value is not None:
                problem = within(value, campaign)
                if problem:
                    errors[name] = [problem]
                    continue
            out[name] = value
        if errors:
            raise ValidationError(errors)
        return out

    def headers(self) -> dict[str, str]:
        """Header text in any language (or the field's own name), lower-cased -> field."""
        out: dict[str, str] = {}
        for name, spec in self.fields.items():
            out[name.lower()] = name
            for label in spec.labels():
                out.setdefault(label.strip().lower(), name)
        return out


# Words every door uses.
REQUIRED = gettext_lazy("This field is required.")
