"""Writes for organisational life: notices, meetings, talks, findings, measures and
inspections.

Every function is keyword-only and atomic: it validates (raising ``ValidationError`` keyed
by the field at fault), checks the actor's scope again, writes and is audited, or leaves
nothing behind. Bulk writes (talks, a meeting's findings, an import) validate every row
first and write nothing unless all rows are good; they are audited as one entry per batch.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from campaigns import tallies
from campaigns.models import Campaign, SupervisionGroup
from core import uploads
from core.records import Refused, within
from orglife import selectors
from orglife.choices import DEFAULT_CATEGORIES, FindingSource, MeasureStatus
from orglife.models import (
    Finding,
    FindingCategory,
    Inspection,
    Measure,
    MeasureRefusal,
    Meeting,
    MeetingAttendance,
    MeetingNotice,
    Talk,
)
from orglife.records import FINDING, MEASURE, MEETING, TALK
from orglife.signals import measure_moved
from orgs.choices import PARTY_ORGANISATION_KINDS, Role
from orgs.models import Person, Unit
from orgs.scope import path_in_scope

MAX_TEXT = 4000


def _require_in_scope(actor: Any, unit: Unit, field_name: str) -> None:
    if not path_in_scope(actor, unit.path):
        raise ValidationError({field_name: _("This unit is outside your scope.")})


def _not_in_future(day: datetime.date | None, field_name: str, errors: dict[str, str]) -> None:
    if day is None:
        errors[field_name] = _("The date is required.")
    elif day > selectors.today():
        errors[field_name] = _("The date cannot be in the future.")


def _log_batch(actor: Any, first: Any, what: str, count: int, extra: dict | None = None) -> None:
    """One audit entry for a batch written with bulk inserts (which send no signals)."""
    LogEntry.objects.log_create(
        first,
        action=LogEntry.Action.CREATE,
        changes={"batch": [what, str(count)], **(extra or {})},
        force_log=True,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )


@transaction.atomic
def ensure_default_categories() -> None:
    """Write the office's starting list of finding categories where it is missing (the data
    migration writes it; a flushed database, such as the demo's, needs it again)."""
    existing = set(FindingCategory.objects.values_list("code", flat=True))
    FindingCategory.objects.bulk_create(
        [
            FindingCategory(code=code, name_zh=zh, name_bo=bo, name_en=en, order=order)
            for order, (code, zh, bo, en) in enumerate(DEFAULT_CATEGORIES, start=1)
            if code not in existing
        ]
    )


# --- notices ------------------------------------------------------------------------------
@transaction.atomic
def issue_notice(
    *,
    actor: Any,
    campaign: Campaign,
    root_unit: Unit,
    theme_zh: str,
    theme_bo: str = "",
    window_from: datetime.date,
    window_to: datetime.date,
    method: str = "",
    steps: str = "",
    expected_kinds: list[str],
    issued_on: datetime.date,
) -> MeetingNotice:
    if not (actor.is_superuser or actor.role == Role.OFFICE_ADMIN):
        raise ValidationError({"root_unit": _("Only an office admin issues notices.")})
    _require_in_scope(actor, root_unit, "root_unit")
    errors: dict[str, str] = {}
    if not (theme_zh or "").strip():
        errors["theme_zh"] = _("The theme is required.")
    if window_from and window_to and window_to < window_from:
        errors["window_to"] = _("The window cannot end before it starts.")
    kinds = [k for k in expected_kinds or [] if k in PARTY_ORGANISATION_KINDS]
    if not kinds or len(kinds) != len(expected_kinds):
        errors["expected_kinds"] = _("Choose at least one kind of party organisation.")
    if not root_unit.path.startswith(campaign.root_unit.path):
        errors["root_unit"] = _("The unit is not part of the campaign.")
    if errors:
        raise ValidationError(errors)
    return MeetingNotice.objects.create(
        campaign=campaign,
        root_unit=root_unit,
        theme_zh=theme_zh.strip(),
        theme_bo=(theme_bo or "").strip(),
        window_from=window_from,
        window_to=window_to,
        method=method,
        steps=steps,
        expected_kinds=kinds,
        issued_on=issued_on,
        issued_by=actor,
    )


# --- meetings -----------------------------------------------------------------------------


def _evidence_file(upload: UploadedFile | None, field: str, errors: dict[str, str]) -> UploadedFile | None:
    """An evidence file (minutes, a sign-in sheet, a measure's evidence) through the upload
    guard: a photo, a scan, a PDF or an office document by its content, within the size
    limit, stored under the extension of what it is. A refused file is deleted and its
    reason put in ``errors``."""
    if upload is None:
        return None
    try:
        checked = uploads.check_evidence(upload)
    except uploads.Refused as exc:
        errors[field] = str(exc)
        uploads.discard(upload)
        return None
    upload.name = uploads.evidence_name(upload, checked)
    return upload


@transaction.atomic
def record_meeting(
    *,
    actor: Any,
    notice: MeetingNotice,
    unit: Unit,
    date: datetime.date,
    place: str = "",
    chair_name: str = "",
    attendee_count: int = 0,
    attendees: list[tuple[Person, bool]] | None = None,
    supervisors: list[Person] | None = None,
    touring_group_present: bool = False,
    agenda: str = "",
    minutes: UploadedFile | None = None,
    sign_in_sheet: UploadedFile | None = None,
) -> Meeting:
    """Record one organisation's meeting for a notice. The organisation must be in the
    reporter's scope, be one the notice expects, and not have recorded it already; the
    supervisors present must be members of a group covering it."""
    if not path_in_scope(actor, unit.path):
        raise ValidationError({"unit": _("This organisation is outside your scope.")})
    errors: dict[str, str] = {}
    if unit.kind not in notice.expected_kinds or not unit.path.startswith(notice.root_unit.path):
        errors["unit"] = _("The notice does not call a meeting of this organisation.")
    elif not unit.active:
        errors["unit"] = _("This organisation is closed.")
    elif Meeting.objects.filter(notice=notice, unit=unit).exists():
        errors["unit"] = _("This organisation has already recorded its meeting for this notice.")
    _not_in_future(date, "date", errors)
    minutes = _evidence_file(minutes, "minutes", errors)
    sign_in_sheet = _evidence_file(sign_in_sheet, "sign_in_sheet", errors)
    try:
        values = MEETING.clean(
            {"place": place, "chair_name": chair_name, "attendee_count": attendee_count, "agenda": agenda}
        )
    except ValidationError as exc:
        errors.update({name: messages[0] for name, messages in exc.message_dict.items()})
        values = {}
    supervisors = list(supervisors or [])
    if supervisors:
        allowed = set(selectors.group_supervisor_people(unit).values_list("pk", flat=True))
        strangers = [p.name for p in supervisors if p.pk not in allowed]
        if strangers:
            errors["supervisors"] = _(
                "%(names)s is not a member of a supervision group covering this organisation."
            ) % {"names": "、".join(strangers)}
    if errors:
        raise ValidationError(errors)
    meeting = Meeting.objects.create(
        notice=notice,
        unit=unit,
        date=date,
        **values,
        touring_group_present=touring_group_present,
        minutes=minutes or "",
        sign_in_sheet=sign_in_sheet or "",
        region_code=unit.region_code,
        recorded_by=actor,
    )
    seen: set[int] = set()
    for person, ordinary in attendees or []:
        if person.pk in seen:
            continue
        seen.add(person.pk)
        MeetingAttendance.objects.create(meeting=meeting, person=person, as_ordinary_member=ordinary)
    if supervisors:
        meeting.supervisors.set(supervisors)
    return meeting


# --- talks --------------------------------------------------------------------------------
@dataclass
class TalkRow:
    row: int
    date: datetime.date | None
    name_a: str
    name_b: str


@transaction.atomic
def record_talks(*, actor: Any, unit: Unit, talks: list[TalkRow]) -> int:
    """Record heart-to-heart talks of a unit in bulk, one row per talk."""
    _require_in_scope(actor, unit, "unit")
    problems = []
    campaigns = campaigns_by_root()
    for t in talks:
        if t.date is None:
            problems.append(_("Row %(row)s: the date is required.") % {"row": t.row})
        elif t.date > selectors.today():
            problems.append(_("Row %(row)s: the date cannot be in the future.") % {"row": t.row})
        elif outside := outside_campaigns(t.date, unit.path, campaigns):
            problems.append(_("Row %(row)s: %(message)s") % {"row": t.row, "message": outside})
        refused: list[tuple[int, str, str]] = []
        _parse_row(t, {"name_a": "name_a", "name_b": "name_b"}, TALK, refused)
        for _row, _name, message in refused:
            problems.append(_("Row %(row)s: %(message)s") % {"row": t.row, "message": message})
        if not (t.name_a or "").strip() or not (t.name_b or "").strip():
            problems.append(_("Row %(row)s: both names are required.") % {"row": t.row})
    if not talks:
        problems.append(_("Enter at least one talk."))
    if problems:
        raise ValidationError({"talks": problems})
    made = Talk.objects.bulk_create(
        [
            Talk(  # type: ignore[misc]  # the rows' dates were checked above
                unit=unit,
                date=t.date,
                name_a=t.name_a.strip(),
                name_b=t.name_b.strip(),
                region_code=unit.region_code,
                recorded_by=actor,
            )
            for t in talks
        ],
        batch_size=1000,
    )
    tallies.created(Talk, made)
    _log_batch(actor, made[0], "talks", len(made))
    return len(made)


@dataclass
class TalkImportRow:
    """One row of an imported sheet of talks: the unit by its code, the day and the two
    names, as read from the file (a date that could not be read stays text)."""

    row: int
    unit_code: str = ""
    date: datetime.date | str | None = None
    name_a: str = ""
    name_b: str = ""
    # Filled in by check_talk_rows.
    unit: Unit | None = field(default=None, repr=False)


TALK_COLUMNS = {
    "unit": gettext_lazy("Unit code"),
    "date": gettext_lazy("Date"),
    "name_a": gettext_lazy("Talked"),
    "name_b": gettext_lazy("With"),
}
NAME_LENGTH = 120


def check_talk_rows(*, actor: Any, rows: list[TalkImportRow]) -> list[tuple[int, str, str]]:
    """Every problem of every row as (row, column, message); resolves each row's unit among
    the units in the actor's scope, so a unit outside it is a problem of its row."""
    codes = sorted({r.unit_code for r in rows if r.unit_code})
    units: dict[str, Unit] = {}
    for i in range(0, len(codes), 500):
        units.update((u.code, u) for u in Unit.objects.visible_to(actor).filter(code__in=codes[i : i + 500]))
    today = selectors.today()
    campaigns = campaigns_by_root()
    problems: list[tuple[int, str, str]] = []
    for r in rows:
        r.unit = units.get(r.unit_code)
        if not r.unit_code:
            problems.append((r.row, "unit", _("The unit code is required.")))
        elif r.unit is None:
            problems.append((r.row, "unit", _("No unit with code %(code)s in your scope.") % {"code": r.unit_code}))
        refused = _parse_row(r, TALK_ATTRIBUTES, TALK, problems)
        if "date" in refused:
            pass
        elif r.date is None:
            problems.append((r.row, "date", _("The date is required.")))
        elif isinstance(r.date, str):
            problems.append((r.row, "date", _("The date must be a date (YYYY-MM-DD).")))
        elif r.date > today:
            problems.append((r.row, "date", _("The date cannot be in the future.")))
        elif r.unit is not None and (outside := outside_campaigns(r.date, r.unit.path, campaigns)):
            problems.append((r.row, "date", outside))
        for name in ("name_a", "name_b"):
            if name not in refused and not (getattr(r, name) or "").strip():
                problems.append((r.row, name, _("The name is required.")))
    return problems


@transaction.atomic
def import_talks(*, actor: Any, rows: list[TalkImportRow]) -> int:
    """Record the talks of an imported sheet, each for its own unit in the actor's scope.
    Every row is checked again here (scope included); nothing is written unless all rows are
    good, and the batch is audited as one entry."""
    if not rows:
        raise ValidationError({"rows": _("The sheet has no rows below its header.")})
    problems = check_talk_rows(actor=actor, rows=rows)
    if problems:
        raise ValidationError({"rows": row_messages(problems, TALK_COLUMNS)})
    made = Talk.objects.bulk_create(
        [
            Talk(  # type: ignore[misc]  # check_talk_rows refused rows without a date
                unit=r.unit,
                date=r.date,
                name_a=r.name_a.strip(),
                name_b=r.name_b.strip(),
                region_code=r.unit.region_code,
                recorded_by=actor,
            )
            for r in rows
            if r.unit is not None
        ],
        batch_size=1000,
    )
    tallies.created(Talk, made)
    _log_batch(actor, made[0], "talks", len(made), {"units": ["", str(len({r.unit.pk for r in rows if r.unit}))]})
    return len(made)


# --- findings and measures ----------------------------------------------------------------
@dataclass
class FindingRow:
    """One row of a bulk entry or an import: a finding and, optionally, its first measure."""

    row: int
    person_name: str = ""
    category: str = ""
    text: str = ""
    measure: str = ""
    owner: str = ""
    deadline: datetime.date | str | None = None
    # Filled in by check_finding_rows.
    category_obj: FindingCategory | None = field(default=None, repr=False)


COLUMNS = {
    "person": gettext_lazy("Person"),
    "category": pgettext_lazy("orglife", "Category"),
    "problem": gettext_lazy("Problem"),
    "measure": gettext_lazy("Measure"),
    "responsible": gettext_lazy("Responsible"),
    "deadline": gettext_lazy("Deadline"),
}


def row_messages(problems: list[tuple[int, str, str]], columns: dict[str, Any] | None = None) -> list[str]:
    labels = COLUMNS if columns is None else columns
    return [
        _("Row %(row)s, %(column)s: %(message)s") % {"row": r, "column": labels.get(c, c), "message": m}
        for r, c, m in problems
    ]


def category_lookup() -> dict[str, FindingCategory]:
    """Categories by code and by each of their names, lower-cased."""
    found: dict[str, FindingCategory] = {}
    for c in FindingCategory.objects.filter(active=True):
        for key in (c.code, c.name_zh, c.name_bo, c.name_en):
            if key:
                found[key.strip().lower()] = c
    return found


# Which attribute of a row holds which field of its record.
FINDING_ATTRIBUTES = {
    "person": "person_name",
    "category": "category",
    "problem": "text",
    "measure": "measure",
    "responsible": "owner",
    "deadline": "deadline",
}
TALK_ATTRIBUTES = {"date": "date", "name_a": "name_a", "name_b": "name_b"}


def _parse_row(row: Any, attributes: dict[str, str], record: Any, problems: list[tuple[int, str, str]]) -> set[str]:
    """Parse the row's values through the record's fields (control characters, lengths,
    real dates), keep the clean values on the row, and report refusals by column; returns
    the columns refused. A missing value is left for the caller, which says what is missing
    in its own words."""
    refused: set[str] = set()
    for name, attribute in attributes.items():
        value = getattr(row, attribute)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        try:
            setattr(row, attribute, record[name].convert(value))
        except Refused as exc:
            problems.append((row.row, name, exc.message))
            refused.add(name)
    return refused


def campaigns_by_root() -> list[tuple[str, Campaign]]:
    """Every campaign with its root's path, newest first (to find the one covering a unit)."""
    return [(c.root_unit.path, c) for c in Campaign.objects.select_related("root_unit").order_by("-start")]


def outside_campaigns(day: datetime.date, path: str, campaigns: list[tuple[str, Campaign]]) -> str | None:
    """The refusal of a day that lies in none of the campaigns over the unit at ``path`` (the
    newest one's period named), None when one holds it or none is over the unit: the 2021
    campaign's talks stay welcome once a 2023 campaign runs over the same city."""
    covering = [campaign for root, campaign in campaigns if path.startswith(root)]
    if not covering or any(within(day, campaign) is None for campaign in covering):
        return None
    return within(day, covering[0])


def check_finding_rows(rows: list[FindingRow], day: datetime.date | None) -> list[tuple[int, str, str]]:
    """Every problem of every row as (row, column, message); resolves the categories."""
    categories = category_lookup()
    problems: list[tuple[int, str, str]] = []
    for r in rows:
        refused = _parse_row(r, FINDING_ATTRIBUTES, FINDING, problems)
        r.category_obj = categories.get((r.category or "").strip().lower())
        if r.category_obj is None and "category" not in refused:
            problems.append((r.row, "category", _("Unknown category “%(value)s”.") % {"value": r.category}))
        if "problem" in refused:
            pass
        elif not (r.text or "").strip():
            problems.append((r.row, "problem", _("The problem is required.")))
        has_measure = bool((r.measure or "").strip())
        if has_measure or r.owner or r.deadline:
            if not has_measure:
                problems.append(
                    (r.row, "measure", _("The measure is required when a responsible or deadline is given."))
                )
            if "responsible" in refused:
                pass
            elif not (r.owner or "").strip():
                problems.append((r.row, "responsible", _("Who is responsible is required.")))
            if "deadline" in refused:
                pass
            elif isinstance(r.deadline, str) or r.deadline is None:
                problems.append((r.row, "deadline", _("The deadline must be a date (YYYY-MM-DD).")))
            elif day is not None and r.deadline < day:
                problems.append(
                    (
                        r.row,
                        "deadline",
                        _("The deadline cannot be before the finding's date (%(date)s).") % {"date": day.isoformat()},
                    )
                )
    order = {name: i for i, name in enumerate(FINDING_ATTRIBUTES)}
    return sorted(problems, key=lambda p: (p[0], order.get(p[1], len(order))))


def _finding_context(
    *, actor: Any, unit: Unit, source: str, meeting: Meeting | None, inspection: Inspection | None, date: Any
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if source not in FindingSource.values:
        errors["source"] = _("Unknown source.")
    if source == FindingSource.MEETING:
        if meeting is None:
            errors["meeting"] = _("Choose the meeting the findings come from.")
        elif meeting.unit_id != unit.pk:
            errors["meeting"] = _("The meeting is not this organisation's.")
    if source == FindingSource.INSPECTION and inspection is None:
        errors["source"] = _("Findings of an inspection are recorded with the inspection.")
    _not_in_future(date, "date", errors)
    return errors


def _write_findings(
    *,
    actor: Any,
    unit: Unit,
    source: str,
    date: datetime.date,
    rows: list[FindingRow],
    meeting: Meeting | None = None,
    inspection: Inspection | None = None,
) -> list[Finding]:
    findings = Finding.objects.bulk_create(
        [
            Finding(
                unit=unit,
                person_name=(r.person_name or "").strip()[:120],
                category=r.category_obj,
                text=r.text.strip(),
                source=source,
                meeting=meeting,
                inspection=inspection,
                date=date,
                region_code=unit.region_code,
                recorded_by=actor,
            )
            for r in rows
        ],
        batch_size=1000,
    )
    measures = [
        Measure(  # type: ignore[misc]  # the rows were checked before this
            finding=f,
            unit=unit,
            set_on=date,
            text=r.measure.strip(),
            owner=r.owner.strip()[:120],
            deadline=r.deadline,
            region_code=unit.region_code,
        )
        for f, r in zip(findings, rows, strict=True)
        if (r.measure or "").strip()
    ]
    Measure.objects.bulk_create(measures, batch_size=1000)
    tallies.created(Finding, findings)
    tallies.created(Measure, measures)
    if findings:
        _log_batch(actor, findings[0], "findings", len(findings), {"measures": ["", str(len(measures))]})
    return findings


@transaction.atomic
def record_findings(
    *,
    actor: Any,
    unit: Unit,
    source: str,
    date: datetime.date,
    rows: list[FindingRow],
    meeting: Meeting | None = None,
) -> list[Finding]:
    """Record a batch of findings of one unit (a meeting produces dozens), each with an
    optional first measure. All rows are checked; nothing is written unless all are good."""
    _require_in_scope(actor, unit, "unit")
    errors = _finding_context(actor=actor, unit=unit, source=source, meeting=meeting, inspection=None, date=date)
    if errors:
        raise ValidationError(errors)
    problems = check_finding_rows(rows, date)
    if not rows:
        raise ValidationError({"rows": _("Enter at least one finding.")})
    if problems:
        raise ValidationError({"rows": row_messages(problems)})
    return _write_findings(actor=actor, unit=unit, source=source, date=date, rows=rows, meeting=meeting)


@transaction.atomic
def add_measure(*, actor: Any, finding: Finding, text: str, owner: str, deadline: datetime.date | None) -> Measure:
    _require_in_scope(actor, finding.unit, "finding")
    errors: dict[str, str] = {}
    if not (text or "").strip():
        errors["text"] = _("The measure is required.")
    if not (owner or "").strip():
        errors["owner"] = _("Who is responsible is required.")
    try:
        values = MEASURE.clean({"text": text, "owner": owner}, only=("text", "owner"))
        text, owner = values["text"], values["owner"]
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, messages[0])
    if deadline is None:
        errors["deadline"] = _("The deadline is required.")
    elif deadline < finding.date:
        errors["deadline"] = _("The deadline cannot be before the finding's date (%(date)s).") % {
            "date": finding.date.isoformat()
        }
    if errors:
        raise ValidationError(errors)
    return Measure.objects.create(  # type: ignore[misc]  # a missing deadline was refused above
        finding=finding,
        unit=finding.unit,
        set_on=finding.date,
        text=text.strip(),
        owner=owner.strip(),
        deadline=deadline,
        region_code=finding.region_code,
    )


def _locked(measure: Measure) -> Measure:
    return Measure.objects.select_for_update().select_related("unit", "finding").get(pk=measure.pk)


@transaction.atomic
def mark_measure_done(
    *,
    actor: Any,
    measure: Measure,
    done_on: datetime.date,
    evidence: UploadedFile | None = None,
    evidence_note: str = "",
) -> Measure:
    """The owner reports the measure done; evidence (a file or a written account) is
    required."""
    measure = _locked(measure)
    _require_in_scope(actor, measure.unit, "measure")
    errors: dict[str, str] = {}
    if measure.status != MeasureStatus.OPEN:
        errors["status"] = _("Only an open measure can be reported done.")
    if evidence is None and not (evidence_note or "").strip():
        errors["evidence"] = _("Give the evidence: a file or a written account of what was done.")
    evidence = _evidence_file(evidence, "evidence", errors)
    _not_in_future(done_on, "done_on", errors)
    if done_on and done_on < measure.set_on:
        errors["done_on"] = _("The measure cannot be done before it was set (%(date)s).") % {
            "date": measure.set_on.isoformat()
        }
    if errors:
        raise ValidationError(errors)
    measure.status = MeasureStatus.DONE
    measure.done_on = done_on
    measure.evidence_note = (evidence_note or "").strip()
    fields = ["status", "done_on", "evidence_note"]
    if evidence is not None:
        measure.evidence = evidence
        fields.append("evidence")
    measure.save(update_fields=fields)
    measure_moved.send(sender=Measure, measure=measure, step="done", actor=actor, reason="")
    return measure


def _require_verifier(actor: Any, measure: Measure) -> None:
    if not selectors.may_verify(actor, measure.unit):
        raise ValidationError(
            {"verified_by": _("Only a member of the supervision group covering this unit may verify its measures.")}
        )


@transaction.atomic
def verify_measure(*, actor: Any, measure: Measure, verified_on: datetime.date) -> Measure:
    measure = _locked(measure)
    _require_verifier(actor, measure)
    errors: dict[str, str] = {}
    if measure.status != MeasureStatus.DONE:
        errors["status"] = _("Only a measure reported done can be verified.")
    elif not measure.has_evidence:
        errors["evidence"] = _("A measure without evidence cannot be verified.")
    _not_in_future(verified_on, "verified_on", errors)
    if verified_on and measure.done_on and verified_on < measure.done_on:
        errors["verified_on"] = _("The measure cannot be verified before it was done.")
    if errors:
        raise ValidationError(errors)
    measure.status = MeasureStatus.VERIFIED
    measure.verified_on = verified_on
    measure.verified_by = actor
    measure.save(update_fields=["status", "verified_on", "verified_by"])
    measure_moved.send(sender=Measure, measure=measure, step="verified", actor=actor, reason="")
    return measure


@transaction.atomic
def refuse_measure(*, actor: Any, measure: Measure, reason: str) -> Measure:
    """The supervisor sends the measure back with a reason; it is open again."""
    measure = _locked(measure)
    _require_verifier(actor, measure)
    errors: dict[str, str] = {}
    if measure.status != MeasureStatus.DONE:
        errors["status"] = _("Only a measure reported done can be sent back.")
    if not (reason or "").strip():
        errors["reason"] = _("Say why the measure is sent back.")
    if errors:
        raise ValidationError(errors)
    MeasureRefusal.objects.create(measure=measure, refused_by=actor, reason=reason.strip())
    measure.status = MeasureStatus.OPEN
    measure.done_on = None
    measure.save(update_fields=["status", "done_on"])
    measure_moved.send(sender=Measure, measure=measure, step="refused", actor=actor, reason=reason.strip())
    return measure


@transaction.atomic
def close_measure(*, actor: Any, measure: Measure, closed_on: datetime.date) -> Measure:
    """Close (销号) a verified measure. The office of the unit's subtree or the covering
    group closes it; never without evidence."""
    measure = _locked(measure)
    _require_in_scope(actor, measure.unit, "measure")
    if not (actor.is_superuser or actor.role == Role.OFFICE_ADMIN or selectors.may_verify(actor, measure.unit)):
        raise ValidationError({"status": _("Only the office or the covering supervision group closes a measure.")})
    errors: dict[str, str] = {}
    if not measure.has_evidence:
        errors["evidence"] = _("A measure cannot be closed without evidence.")
    elif measure.status != MeasureStatus.VERIFIED:
        errors["status"] = _("Only a verified measure can be closed.")
    _not_in_future(closed_on, "closed_on", errors)
    if errors:
        raise ValidationError(errors)
    measure.status = MeasureStatus.CLOSED
    measure.closed_on = closed_on
    measure.save(update_fields=["status", "closed_on"])
    measure_moved.send(sender=Measure, measure=measure, step="closed", actor=actor, reason="")
    return measure


# --- inspections --------------------------------------------------------------------------
@transaction.atomic
def record_inspection(
    *,
    actor: Any,
    group: SupervisionGroup,
    unit: Unit,
    date: datetime.date,
    checked: str,
    rows: list[FindingRow] | None = None,
) -> Inspection:
    """A group records a visit to a unit it covers; the problems it raised become findings
    of that unit."""
    if not (actor.is_superuser or group.accounts.filter(pk=actor.pk).exists()):
        raise ValidationError({"group": _("Only a member of the group records its inspections.")})
    errors: dict[str, str] = {}
    if not any(unit.path.startswith(u.path) for u in group.units.all()):
        errors["unit"] = _("The group does not cover this unit.")
    if not (checked or "").strip():
        errors["checked"] = _("Say what was checked.")
    _not_in_future(date, "date", errors)
    if errors:
        raise ValidationError(errors)
    rows = rows or []
    problems = check_finding_rows(rows, date)
    if problems:
        raise ValidationError({"rows": row_messages(problems)})
    inspection = Inspection.objects.create(
        group=group, unit=unit, date=date, checked=checked.strip(), region_code=unit.region_code, recorded_by=actor
    )
    if rows:
        _write_findings(
            actor=actor, unit=unit, source=FindingSource.INSPECTION, date=date, rows=rows, inspection=inspection
        )
    return inspection
