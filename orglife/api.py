"""API endpoints of organisational life: meetings (read, record), findings (read, record a
batch, add a measure) and rectification measures (read, and each step — done, verified,
sent back, closed — as its own call). Thin wrappers over ``orglife.services``."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.decorators import decorate_view

from core.api import messages as m
from core.api.pagination import paginate
from core.api.schemas import COUNT_MAX, Page, Text, responses
from orglife import selectors, services
from orglife.choices import FindingSource, MeasureStatus
from orglife.models import Finding, Measure, Meeting
from orgs.access import STAFF_ROLES
from orgs.api_auth import guard
from orgs.choices import Role
from orgs.models import Unit
from orgs.scope import get_visible_or_404
from orgs.selectors import unit_in_scope

router = Router(tags=["orglife"])
WRITERS = (Role.OFFICE_ADMIN, Role.REPORTER)
CLOSERS = (Role.OFFICE_ADMIN, Role.SUPERVISOR)


def _unit(account: Any, code: str, field: str) -> Unit:
    found = Unit.objects.visible_to(account).filter(code=(code or "").strip()).first()
    if found is None:
        raise ValidationError({field: m.NO_UNIT})
    return found


class ListQuery(Schema):
    unit: str | None = Field(None, description="A unit's code: its subtree.")
    cursor: str | None = None
    limit: int = Field(50, ge=1, le=500)


def _filter_unit(account: Any, code: str | None) -> Unit | None:
    return unit_in_scope(account, code, default=None)


# --- meetings ----------------------------------------------------------------------------------


class MeetingOut(Schema):
    id: int
    notice: int
    unit: str
    unit_name: str
    date: datetime.date
    place: str
    chair_name: str
    attendee_count: int
    touring_group_present: bool
    agenda: str
    has_minutes: bool
    has_sign_in_sheet: bool


def meeting_out(m: Meeting) -> dict[str, Any]:
    return {
        "id": m.pk,
        "notice": m.notice_id,
        "unit": m.unit.code,
        "unit_name": m.unit.name,
        "date": m.date,
        "place": m.place,
        "chair_name": m.chair_name,
        "attendee_count": m.attendee_count,
        "touring_group_present": m.touring_group_present,
        "agenda": m.agenda,
        "has_minutes": bool(m.minutes),
        "has_sign_in_sheet": bool(m.sign_in_sheet),
    }


class MeetingIn(Schema):
    notice: int = Field(ge=1, le=COUNT_MAX, description="Number of the meeting notice.")
    unit: Text(32) = Field(description="Code of the party organisation that met.")
    date: datetime.date
    place: Text(200) = ""
    chair_name: Text(120) = ""
    attendee_count: int = Field(0, ge=0, le=COUNT_MAX)
    touring_group_present: bool = False
    agenda: Text(4000) = ""


def _meeting(account: Any, meeting_id: int) -> Meeting:
    return get_visible_or_404(Meeting.objects.select_related("unit"), account, pk=meeting_id)


@router.get("/meetings", response=responses(Page[MeetingOut]), summary="Organisational-life meetings")
@decorate_view(guard(*STAFF_ROLES))
def list_meetings(request: HttpRequest, q: Query[ListQuery]):
    qs = selectors.meetings_in(request.auth, _filter_unit(request.auth, q.unit)).select_related("unit")
    rows, following = paginate(qs, ordering=("-date", "-pk"), cursor=q.cursor, limit=q.limit)
    return {"items": [meeting_out(m) for m in rows], "next": following}


@router.get("/meetings/{meeting_id}", response=responses(MeetingOut), summary="One meeting")
@decorate_view(guard(*STAFF_ROLES, lookup=_meeting))
def get_meeting(request: HttpRequest, meeting_id: int):
    return meeting_out(_meeting(request.auth, meeting_id))


@router.post("/meetings", response=responses(MeetingOut, 201), summary="Record a meeting held for a notice")
@decorate_view(guard(*WRITERS))
def create_meeting(request: HttpRequest, payload: MeetingIn):
    notice = selectors.notices_for(request.auth).filter(pk=payload.notice).select_related("root_unit").first()
    if notice is None:
        raise ValidationError({"notice": m.NO_NOTICE})
    meeting = services.record_meeting(
        actor=request.auth,
        notice=notice,
        unit=_unit(request.auth, payload.unit, "unit"),
        date=payload.date,
        place=payload.place,
        chair_name=payload.chair_name,
        attendee_count=payload.attendee_count,
        touring_group_present=payload.touring_group_present,
        agenda=payload.agenda,
    )
    return Status(201, meeting_out(_meeting(request.auth, meeting.pk)))


# --- findings ----------------------------------------------------------------------------------


class FindingOut(Schema):
    id: int
    unit: str
    unit_name: str
    date: datetime.date
    source: str
    category: str
    person_name: str
    text: str
    meeting: int | None
    measures: list[int]


def finding_out(f: Finding) -> dict[str, Any]:
    return {
        "id": f.pk,
        "unit": f.unit.code,
        "unit_name": f.unit.name,
        "date": f.date,
        "source": f.source,
        "category": f.category.code if f.category_id else "",
        "person_name": f.person_name,
        "text": f.text,
        "meeting": f.meeting_id,
        "measures": [m.pk for m in f.measures.all()],
    }


class FindingRowIn(Schema):
    person_name: Text(120) = ""
    category: Text(80) = Field(description="A category's code or name.")
    text: Text(4000)
    measure: Text(4000) = Field("", description="Optional first rectification measure.")
    owner: Text(120) = ""
    deadline: datetime.date | None = None


class FindingsIn(Schema):
    unit: Text(32)
    source: Text(12) = Field(description="meeting, talk or self (inspections record their own findings).")
    date: datetime.date
    meeting: int | None = Field(None, ge=1, le=COUNT_MAX)
    rows: list[FindingRowIn] = Field(min_length=1, max_length=2000)


class FindingFilter(ListQuery):
    category: str | None = None
    source: str | None = None


def _finding(account: Any, finding_id: int) -> Finding:
    return get_visible_or_404(Finding.objects.select_related("unit", "category"), account, pk=finding_id)


@router.get("/findings", response=responses(Page[FindingOut]), summary="Problems found in self-examination")
@decorate_view(guard(*STAFF_ROLES))
def list_findings(request: HttpRequest, q: Query[FindingFilter]):
    qs = (
        selectors.findings_in(
            request.auth, _filter_unit(request.auth, q.unit), category=q.category or "", source=q.source or ""
        )
        .select_related("unit", "category")
        .prefetch_related("measures")
    )
    rows, following = paginate(qs, ordering=("-date", "-pk"), cursor=q.cursor, limit=q.limit)
    return {"items": [finding_out(f) for f in rows], "next": following}


@router.get("/findings/{finding_id}", response=responses(FindingOut), summary="One finding")
@decorate_view(guard(*STAFF_ROLES, lookup=_finding))
def get_finding(request: HttpRequest, finding_id: int):
    return finding_out(_finding(request.auth, finding_id))


@router.post("/findings", response=responses(list[FindingOut], 201), summary="Record a batch of findings")
@decorate_view(guard(*WRITERS))
def create_findings(request: HttpRequest, payload: FindingsIn):
    """All rows are checked; nothing is written unless every row is good (each problem names
    its row)."""
    unit = _unit(request.auth, payload.unit, "unit")
    if payload.source not in FindingSource.values:
        raise ValidationError({"source": m.NOT_A_CHOICE})
    meeting = None
    if payload.meeting:
        meeting = Meeting.objects.visible_to(request.auth).filter(pk=payload.meeting).first()
        if meeting is None:
            raise ValidationError({"meeting": m.NO_MEETING})
    rows = [
        services.FindingRow(
            row=i + 1,
            person_name=r.person_name,
            category=r.category,
            text=r.text,
            measure=r.measure,
            owner=r.owner,
            deadline=r.deadline,
        )
        for i, r in enumerate(payload.rows)
    ]
    findings = services.record_findings(
        actor=request.auth, unit=unit, source=payload.source, date=payload.date, rows=rows, meeting=meeting
    )
    qs = Finding.objects.filter(pk__in=[f.pk for f in findings]).select_related("unit", "category")
    return Status(201, [finding_out(f) for f in qs.prefetch_related("measures").order_by("pk")])


# --- measures ----------------------------------------------------------------------------------


class MeasureOut(Schema):
    id: int
    finding: int
    unit: str
    set_on: datetime.date
    text: str
    owner: str
    deadline: datetime.date
    status: str
    evidence_note: str
    has_evidence_file: bool
    done_on: datetime.date | None
    verified_on: datetime.date | None
    closed_on: datetime.date | None


def measure_out(m: Measure) -> dict[str, Any]:
    return {
        "id": m.pk,
        "finding": m.finding_id,
        "unit": m.unit.code,
        "set_on": m.set_on,
        "text": m.text,
        "owner": m.owner,
        "deadline": m.deadline,
        "status": m.status,
        "evidence_note": m.evidence_note,
        "has_evidence_file": bool(m.evidence),
        "done_on": m.done_on,
        "verified_on": m.verified_on,
        "closed_on": m.closed_on,
    }


class MeasureIn(Schema):
    text: Text(4000)
    owner: Text(120)
    deadline: datetime.date


class MeasureFilter(ListQuery):
    status: str | None = None


class DoneIn(Schema):
    done_on: datetime.date
    evidence_note: Text(4000) = Field(description="A written account of what was done (the evidence).")


class VerifyIn(Schema):
    verified_on: datetime.date


class RefuseIn(Schema):
    reason: Text(4000)


class CloseIn(Schema):
    closed_on: datetime.date


def _measure(account: Any, measure_id: int) -> Measure:
    return get_visible_or_404(Measure.objects.select_related("unit", "finding"), account, pk=measure_id)


@router.get("/measures", response=responses(Page[MeasureOut]), summary="Rectification measures")
@decorate_view(guard(*STAFF_ROLES))
def list_measures(request: HttpRequest, q: Query[MeasureFilter]):
    if q.status and q.status not in MeasureStatus.values:
        raise ValidationError({"status": m.NOT_A_CHOICE})
    qs = Measure.objects.visible_to(request.auth).select_related("unit")
    unit = _filter_unit(request.auth, q.unit)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if q.status:
        qs = qs.filter(status=q.status)
    rows, following = paginate(qs, ordering=("deadline", "pk"), cursor=q.cursor, limit=q.limit)
    return {"items": [measure_out(m) for m in rows], "next": following}


@router.get("/measures/{measure_id}", response=responses(MeasureOut), summary="One measure")
@decorate_view(guard(*STAFF_ROLES, lookup=_measure))
def get_measure(request: HttpRequest, measure_id: int):
    return measure_out(_measure(request.auth, measure_id))


@router.post("/findings/{finding_id}/measures", response=responses(MeasureOut, 201), summary="Add a measure")
@decorate_view(guard(*WRITERS, lookup=_finding))
def add_measure(request: HttpRequest, finding_id: int, payload: MeasureIn):
    measure = services.add_measure(
        actor=request.auth,
        finding=_finding(request.auth, finding_id),
        text=payload.text,
        owner=payload.owner,
        deadline=payload.deadline,
    )
    return Status(201, measure_out(_measure(request.auth, measure.pk)))


@router.post("/measures/{measure_id}/done", response=responses(MeasureOut), summary="Report a measure done")
@decorate_view(guard(*WRITERS, lookup=_measure))
def measure_done(request: HttpRequest, measure_id: int, payload: DoneIn):
    services.mark_measure_done(
        actor=request.auth,
        measure=_measure(request.auth, measure_id),
        done_on=payload.done_on,
        evidence_note=payload.evidence_note,
    )
    return measure_out(_measure(request.auth, measure_id))


@router.post("/measures/{measure_id}/verify", response=responses(MeasureOut), summary="Verify (supervisor)")
@decorate_view(guard(Role.SUPERVISOR, lookup=_measure))
def measure_verify(request: HttpRequest, measure_id: int, payload: VerifyIn):
    services.verify_measure(
        actor=request.auth, measure=_measure(request.auth, measure_id), verified_on=payload.verified_on
    )
    return measure_out(_measure(request.auth, measure_id))


@router.post("/measures/{measure_id}/refuse", response=responses(MeasureOut), summary="Send back (supervisor)")
@decorate_view(guard(Role.SUPERVISOR, lookup=_measure))
def measure_refuse(request: HttpRequest, measure_id: int, payload: RefuseIn):
    services.refuse_measure(actor=request.auth, measure=_measure(request.auth, measure_id), reason=payload.reason)
    return measure_out(_measure(request.auth, measure_id))


@router.post("/measures/{measure_id}/close", response=responses(MeasureOut), summary="Close (office, supervisor)")
@decorate_view(guard(*CLOSERS, lookup=_measure))
def measure_close(request: HttpRequest, measure_id: int, payload: CloseIn):
    services.close_measure(actor=request.auth, measure=_measure(request.auth, measure_id), closed_on=payload.closed_on)
    return measure_out(_measure(request.auth, measure_id))


# Notices are read so that a client knows what to record a meeting for.
class NoticeOut(Schema):
    id: int
    unit: str
    theme: str
    window_from: datetime.date
    window_to: datetime.date
    expected_kinds: list[str]


@router.get("/notices", response=responses(list[NoticeOut]), summary="Meeting notices that reach your scope")
@decorate_view(guard(*STAFF_ROLES))
def list_notices(request: HttpRequest):
    out = []
    for n in selectors.notices_for(request.auth).select_related("root_unit")[:200]:
        out.append(
            {
                "id": n.pk,
                "unit": n.root_unit.code,
                "theme": n.theme,
                "window_from": n.window_from,
                "window_to": n.window_to,
                "expected_kinds": list(n.expected_kinds or []),
            }
        )
    return out
