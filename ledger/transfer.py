"""The ledger's parts of a campaign's set-up document (``campaigns.transfer``): the kinds of
activity the campaign uses (``ledger.kinds``) and the defined indicators it shows
(``ledger.indicators``), each with its full definition, named by code.

Loading links a kind or indicator that exists here with the same definition, creates one
that does not exist (through the ledger's services, which check it as the pages do), and
refuses a code that exists with another definition, naming the code and the fields that
differ: the catalogue is shared by every campaign, so a document never changes it."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from campaigns.transfer import Context, Part, RowReader, Rows
from ledger import defined, services
from ledger.campaign_setup import add_links
from ledger.choices import OPTIONAL_FIELD_NAMES, Family, Language, OutletLevel, Section, Target, VenueKind
from ledger.models import DEFINED_SECTIONS, ActivityKind, DefinedIndicator

KINDS = "ledger.kinds"
INDICATORS = "ledger.indicators"
SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")

KIND_TEXTS = (
    "name_zh",
    "name_bo",
    "name_en",
    "measure_zh",
    "measure_bo",
    "measure_en",
    "participants_label_zh",
    "participants_label_bo",
    "participants_label_en",
)
KIND_DEFINITION = (*KIND_TEXTS, "section", "family", "fields", "required", "requires_evidence", "active", "order")
INDICATOR_TEXTS = (
    "name_zh",
    "name_bo",
    "name_en",
    "measure_zh",
    "measure_bo",
    "measure_en",
    "definition_zh",
    "definition_bo",
    "definition_en",
    "numerator",
    "denominator",
)


class _DefinedSections:
    """The sections a defined indicator may join, in the shape ``RowReader.choice`` reads."""

    values = [value for value, _label in DEFINED_SECTIONS]


INDICATOR_CHOICES: dict[str, Any] = {
    "section": _DefinedSections,
    "measure": DefinedIndicator.Measure,
    "venue_kind": VenueKind,
    "language": Language,
    "outlet_level": OutletLevel,
    "target": Target,
}
REQUIRED_TEXTS = {"name_zh", "name_bo", "name_en"}


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return sorted(map(str, a)) == sorted(map(str, b))
    return a == b


def _max_length(model: Any, name: str) -> int:
    return model._meta.get_field(name).max_length or 10_000


# --- kinds -----------------------------------------------------------------------------------


def dump_kinds(campaign: Campaign) -> Rows:
    return [
        {"code": kind.code, **{name: getattr(kind, name) for name in KIND_DEFINITION}}
        for kind in ActivityKind.objects.filter(campaigns=campaign).order_by("section", "order", "code")
    ]


def _read_kind(reader: RowReader, n: int, row: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in KIND_TEXTS:
        values[name] = reader.text(
            n, row, name, max_length=_max_length(ActivityKind, name), required=name in REQUIRED_TEXTS
        )
    values["section"] = reader.choice(n, row, "section", Section)
    values["family"] = reader.choice(n, row, "family", Family)
    for name in ("fields", "required"):
        values[name] = reader.texts(n, row, name, max_length=40, max_items=len(OPTIONAL_FIELD_NAMES))
        unknown = [f for f in values[name] if f not in OPTIONAL_FIELD_NAMES]
        if unknown:
            reader.problem(n, name, _("Unknown fields: %(names)s.") % {"names": ", ".join(unknown)})
    values["requires_evidence"] = reader.flag(n, row, "requires_evidence")
    values["active"] = reader.flag(n, row, "active", default=True)
    values["order"] = reader.count(n, row, "order", most=32767)
    return values


def _code(reader: RowReader, n: int, row: dict[str, Any], max_length: int, pattern: re.Pattern) -> str:
    code = reader.text(n, row, "code", max_length=max_length, required=True)
    if code and not pattern.match(code):
        reader.problem(n, "code", _("Not a valid code."))
        return ""
    return code


def _differs(reader: RowReader, n: int, what: str, code: str, fields: list[str]) -> None:
    reader.problem(
        n,
        "code",
        _("%(what)s %(code)s exists here with another definition (%(fields)s); give the new one another code.")
        % {"what": what, "code": code, "fields": ", ".join(fields)},
    )


def load_kinds(campaign: Campaign, rows: Rows, context: Context) -> None:
    reader = RowReader(KINDS)
    read: list[tuple[int, str, dict[str, Any]]] = []
    seen: set[str] = set()
    for n, row in reader.rows(rows):
        code = _code(reader, n, row, 40, SLUG)
        values = _read_kind(reader, n, row)
        if code in seen:
            reader.problem(n, "code", _("%(code)s is named twice.") % {"code": code})
        seen.add(code)
        read.append((n, code, values))
    reader.check()
    existing = {k.code: k for k in ActivityKind.objects.filter(code__in=[code for _n, code, _v in read])}
    linked: list[ActivityKind] = []
    for n, code, values in read:
        kind = existing.get(code)
        if kind is not None:
            differ = [name for name in KIND_DEFINITION if not _same(getattr(kind, name), values[name])]
            if differ:
                _differs(reader, n, _("Kind of activity"), code, differ)
            else:
                linked.append(kind)
            continue
        try:
            kind = services.create_kind(actor=context.actor, code=code, **values)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    reader.problem(n, name, message)
            continue
        extra = [name for name in KIND_DEFINITION if not _same(getattr(kind, name), values[name])]
        if extra:
            for name in extra:
                setattr(kind, name, values[name])
            kind.save(update_fields=extra)
        linked.append(kind)
    reader.check()
    add_links(campaign, "activity_kinds", linked)


# --- defined indicators ---------------------------------------------------------------------


def dump_indicators(campaign: Campaign) -> Rows:
    rows = DefinedIndicator.objects.filter(campaigns=campaign).prefetch_related("kinds").order_by("section", "code")
    return [
        {
            "code": row.code,
            **{name: getattr(row, name) for name in (*INDICATOR_TEXTS, *INDICATOR_CHOICES)},
            "kinds": sorted(k.code for k in row.kinds.all()),
            "source": row.source,
            "keys": list(row.keys),
        }
        for row in rows
    ]


def _read_indicator(reader: RowReader, n: int, row: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in INDICATOR_TEXTS:
        multiline = name.startswith("definition_")
        values[name] = reader.text(
            n,
            row,
            name,
            max_length=_max_length(DefinedIndicator, name) if not multiline else 4000,
            required=name in REQUIRED_TEXTS,
            multiline=multiline,
        )
    for name, choices in INDICATOR_CHOICES.items():
        values[name] = reader.choice(n, row, name, choices, required=name in ("section", "measure"))
    values["kinds"] = reader.texts(n, row, "kinds", max_length=40)
    # A document written before indicators could count records outside the ledger has neither.
    values["source"] = reader.text(n, row, "source", max_length=40, required=False) or DefinedIndicator.LEDGER
    values["keys"] = reader.texts(n, row, "keys", max_length=40)
    return values


def load_indicators(campaign: Campaign, rows: Rows, context: Context) -> None:
    reader = RowReader(INDICATORS)
    read: list[tuple[int, str, dict[str, Any]]] = []
    seen: set[str] = set()
    for n, row in reader.rows(rows):
        code = _code(reader, n, row, 60, services.INDICATOR_CODE)
        values = _read_indicator(reader, n, row)
        if code in seen:
            reader.problem(n, "code", _("%(code)s is named twice.") % {"code": code})
        seen.add(code)
        read.append((n, code, values))
    reader.check()
    kinds = {k.code: k for k in ActivityKind.objects.all()}
    existing = {
        i.code: i for i in DefinedIndicator.objects.filter(code__in=[c for _n, c, _v in read]).prefetch_related("kinds")
    }
    linked: list[DefinedIndicator] = []
    # Sums first: a rate names the sums it divides.
    for n, code, values in sorted(read, key=lambda r: r[2]["measure"] == DefinedIndicator.Measure.RATE):
        kind_codes = values.pop("kinds")
        missing = [c for c in kind_codes if c not in kinds]
        if missing:
            reader.problem(n, "kinds", _("Not known here: %(names)s.") % {"names": ", ".join(missing)})
            continue
        row = existing.get(code)
        if row is not None:
            differ = [name for name in values if not _same(getattr(row, name), values[name])]
            if not _same(list(row.keys), values["keys"]):
                differ.append("keys")
            if not _same(sorted(k.code for k in row.kinds.all()), kind_codes):
                differ.append("kinds")
            if differ:
                _differs(reader, n, _("Indicator"), code, differ)
            else:
                linked.append(row)
            continue
        try:
            row = defined.create(actor=context.actor, code=code, kinds=[kinds[c] for c in kind_codes], **values)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    reader.problem(n, name, message)
            continue
        linked.append(row)
    reader.check()
    add_links(campaign, "defined_indicators", linked)


PARTS = [
    Part(name=KINDS, dump=dump_kinds, load=load_kinds, order=20),
    Part(name=INDICATORS, dump=dump_indicators, load=load_indicators, order=30),
]
