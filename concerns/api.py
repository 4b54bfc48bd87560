"""API endpoints of the concerns collected from the people: categories, list, read, record,
and each step of the handling as its own call (the same transitions, roles and version
checks as the concern page; see ``concerns.services.TRANSITIONS``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.decorators import decorate_view

from concerns import selectors, services
from concerns.choices import ConcernSource, ConcernState, Satisfaction
from concerns.models import Concern, ConcernCategory
from core.api import messages as m
from core.api.pagination import paginate
from core.api.schemas import COUNT_MAX, Names, Page, Text, responses
from orgs.access import STAFF_ROLES
from orgs.api_auth import guard
from orgs.models import Unit
from orgs.scope import get_visible_or_404
from orgs.selectors import unit_in_scope

router = Router(tags=["concerns"])
Version = int


# --- schemas ---------------------------------------------------------------------------------


class CategoryOut(Schema):
    id: int
    name: str
    names: Names
    response_days: int
    resolution_days: int


class EventOut(Schema):
    kind: str
    at: datetime.datetime
    from_state: str
    to_state: str
    handling_unit: str | None
    reason: str
    note: str
    satisfaction: str


class ConcernOut(Schema):
    id: int
    unit: str
    unit_name: str
    handling_unit: str | None
    handling_unit_name: str | None
    category: int
    category_name: str
    source: str
    state: str
    description: str
    raised_by: str
    contact: str | None = Field(None, description="Only for the handling chain and the recorder.")
    collected_on: datetime.date
    response_due: datetime.date
    resolution_due: datetime.date
    responded_on: datetime.date | None
    resolved_on: datetime.date | None
    action_taken: str
    evidence: str
    satisfaction: str
    duplicate_of: int | None
    overdue: bool
    version: int
    actions: list[str] = Field(description="The steps this account may take now.")
    events: list[EventOut] | None = None


def concern_out(actor: Any, c: Concern, *, events: bool = False) -> dict[str, Any]:
    today = timezone.localdate()
    out = {
        "id": c.pk,
        "unit": c.unit.code,
        "unit_name": c.unit.name,
        "handling_unit": c.handling_unit.code if c.handling_unit else None,
        "handling_unit_name": c.handling_unit.name if c.handling_unit else None,
        "category": c.category_id,
        "category_name": c.category.name,
        "source": c.source,
        "state": c.state,
        "description": c.description,
        "raised_by": c.raised_by,
        "contact": c.contact if services.can_see_contact(actor, c) else None,
        "collected_on": c.collected_on,
        "response_due": c.response_due,
        "resolution_due": c.resolution_due,
        "responded_on": c.responded_on,
        "resolved_on": c.resolved_on,
        "action_taken": c.action_taken,
        "evidence": c.evidence,
        "satisfaction": c.satisfaction,
        "duplicate_of": c.duplicate_of_id,
        "overdue": c.is_overdue(today),
        "version": c.version,
        "actions": [a for a in services.allowed_actions(actor, c) if a != "promote"],
    }
    if events:
        out["events"] = [
            {
                "kind": e.kind,
                "at": e.at,
                "from_state": e.from_state,
                "to_state": e.to_state,
                "handling_unit": e.handling_unit.code if e.handling_unit else None,
                "reason": e.reason,
                "note": e.note,
                "satisfaction": e.satisfaction,
            }
            for e in c.events.select_related("handling_unit")
        ]
    return out


class ConcernIn(Schema):
    unit: Text(32) = Field(description="Code of the unit where the concern arose.")
    category: int = Field(ge=1, le=COUNT_MAX)
    source: Text(16)
    description: Text(4000)
    raised_by: Text(60)
    contact: Text(120) = ""
    collected_on: datetime.date | None = Field(None, description="Default: today.")


class ConcernFilter(Schema):
    unit: str | None = Field(None, description="A unit's code: concerns that arose or are handled in its subtree.")
    state: str | None = None
    category: int | None = Field(None, ge=1, le=COUNT_MAX)
    overdue: bool = False
    handled: bool = Field(False, description="Only concerns handled by units in your scope.")
    cursor: str | None = None
    limit: int = Field(50, ge=1, le=500)


class Step(Schema):
    version: Version = Field(ge=0, le=COUNT_MAX, description="The version you read.")


class AssignIn(Step):
    handling_unit: Text(32) = Field(description="Code of the handling unit.")
    note: Text(4000) = Field("", description="Required when the concern is reassigned: the reason.")


class ReasonIn(Step):
    reason: Text(4000)


class NoteIn(Step):
    note: Text(4000) = ""


class ResolveIn(Step):
    action_taken: Text(4000)
    evidence: Text(4000)


class CallbackIn(Step):
    satisfaction: Text(16) = Field(description="satisfied, partly or not_satisfied.")
    note: Text(4000) = ""


class SignOffIn(Step):
    approve: bool
    note: Text(4000) = ""


class DuplicateIn(Step):
    original: int = Field(ge=1, le=COUNT_MAX, description="Number of the original concern.")


# --- reads -------------------------------------------------------------------------------------


def _concern(account: Any, concern_id: int) -> Concern:
    return get_visible_or_404(
        Concern.objects.select_related("unit", "handling_unit", "category"), account, pk=concern_id
    )


def _unit(account: Any, code: str, field: str) -> Unit:
    found = Unit.objects.visible_to(account).filter(code=(code or "").strip()).first()
    if found is None:
        raise ValidationError({field: _("No unit with this code in your scope.")})
    return found


@router.get("/categories", response=responses(list[CategoryOut]), summary="Categories of concern")
@decorate_view(guard(*STAFF_ROLES))
def categories(request: HttpRequest):
    return [
        {
            "id": c.pk,
            "name": c.name,
            "names": {"zh": c.name_zh, "bo": c.name_bo, "en": c.name_en},
            "response_days": c.response_days,
            "resolution_days": c.resolution_days,
        }
        for c in ConcernCategory.objects.all()
    ]


@router.get("", response=responses(Page[ConcernOut]), summary="Concerns, newest first")
@decorate_view(guard(*STAFF_ROLES))
def list_concerns(request: HttpRequest, q: Query[ConcernFilter]):
    unit = unit_in_scope(request.auth, q.unit, default=None)
    if q.state and q.state not in ConcernState.values:
        raise ValidationError({"state": m.NOT_A_CHOICE})
    qs = selectors.concerns_for(
        request.auth,
        unit=unit,
        state=q.state or "",
        category=q.category,
        overdue=q.overdue,
        handled=q.handled,
        today=timezone.localdate(),
    )
    rows, following = paginate(qs, ordering=("-collected_on", "-pk"), cursor=q.cursor, limit=q.limit)
    return {"items": [concern_out(request.auth, c) for c in rows], "next": following}


@router.get("/{concern_id}", response=responses(ConcernOut), summary="One concern with its timeline")
@decorate_view(guard(*STAFF_ROLES, lookup=_concern))
def get_concern(request: HttpRequest, concern_id: int):
    return concern_out(request.auth, _concern(request.auth, concern_id), events=True)


# --- writes ------------------------------------------------------------------------------------


@router.post("", response=responses(ConcernOut, 201), summary="Record a concern as collected")
@decorate_view(guard(*services.COLLECT_ROLES))
def create_concern(request: HttpRequest, payload: ConcernIn):
    unit = _unit(request.auth, payload.unit, "unit")
    category = ConcernCategory.objects.filter(pk=payload.category).first()
    if category is None:
        raise ValidationError({"category": m.NOT_A_CHOICE})
    if payload.source not in ConcernSource.values:
        raise ValidationError({"source": m.NOT_A_CHOICE})
    concern = services.record_concern(
        actor=request.auth,
        unit=unit,
        category=category,
        source=payload.source,
        description=payload.description,
        raised_by=payload.raised_by,
        contact=payload.contact,
        collected_on=payload.collected_on or timezone.localdate(),
    )
    return Status(201, concern_out(request.auth, _concern(request.auth, concern.pk), events=True))


def _done(request: HttpRequest, concern_id: int):
    return concern_out(request.auth, _concern(request.auth, concern_id), events=True)


STEP = {"response": responses(ConcernOut)}


@router.post("/{concern_id}/assign", **STEP, summary="Assign (or reassign) to a handling unit")
@decorate_view(guard(*services.ACTION_ROLES["assign"], lookup=_concern))
def assign(request: HttpRequest, concern_id: int, payload: AssignIn):
    concern = _concern(request.auth, concern_id)
    unit = _unit(request.auth, payload.handling_unit, "handling_unit")
    services.assign_concern(
        actor=request.auth, concern=concern, version=payload.version, handling_unit=unit, note=payload.note
    )
    return _done(request, concern_id)


@router.post("/{concern_id}/return", **STEP, summary="Hand the concern back (handling unit)")
@decorate_view(guard(*services.ACTION_ROLES["return"], lookup=_concern))
def return_(request: HttpRequest, concern_id: int, payload: ReasonIn):
    concern = _concern(request.auth, concern_id)
    services.return_concern(actor=request.auth, concern=concern, version=payload.version, reason=payload.reason)
    return _done(request, concern_id)


@router.post("/{concern_id}/start", **STEP, summary="Take the concern up (handling unit)")
@decorate_view(guard(*services.ACTION_ROLES["start"], lookup=_concern))
def start(request: HttpRequest, concern_id: int, payload: NoteIn):
    concern = _concern(request.auth, concern_id)
    services.start_concern(actor=request.auth, concern=concern, version=payload.version, note=payload.note)
    return _done(request, concern_id)


@router.post("/{concern_id}/resolve", **STEP, summary="Report the concern resolved (handling unit)")
@decorate_view(guard(*services.ACTION_ROLES["resolve"], lookup=_concern))
def resolve(request: HttpRequest, concern_id: int, payload: ResolveIn):
    concern = _concern(request.auth, concern_id)
    services.resolve_concern(
        actor=request.auth,
        concern=concern,
        version=payload.version,
        action_taken=payload.action_taken,
        evidence=payload.evidence,
    )
    return _done(request, concern_id)


@router.post("/{concern_id}/callback", **STEP, summary="Record the callback to the person who raised it")
@decorate_view(guard(*services.ACTION_ROLES["callback"], lookup=_concern))
def callback(request: HttpRequest, concern_id: int, payload: CallbackIn):
    concern = _concern(request.auth, concern_id)
    if payload.satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": m.NOT_A_CHOICE})
    services.record_callback(
        actor=request.auth,
        concern=concern,
        version=payload.version,
        satisfaction=payload.satisfaction,
        note=payload.note,
    )
    return _done(request, concern_id)


@router.post("/{concern_id}/mark-not-resolvable", **STEP, summary="Say it cannot be resolved (handling unit)")
@decorate_view(guard(*services.ACTION_ROLES["mark_not_resolvable"], lookup=_concern))
def mark_not_resolvable(request: HttpRequest, concern_id: int, payload: ReasonIn):
    concern = _concern(request.auth, concern_id)
    services.mark_not_resolvable(actor=request.auth, concern=concern, version=payload.version, reason=payload.reason)
    return _done(request, concern_id)


@router.post("/{concern_id}/sign-off", **STEP, summary="Sign off (or refuse) not resolvable (office)")
@decorate_view(guard(*services.ACTION_ROLES["sign_off"], lookup=_concern))
def sign_off(request: HttpRequest, concern_id: int, payload: SignOffIn):
    concern = _concern(request.auth, concern_id)
    services.sign_off_not_resolvable(
        actor=request.auth, concern=concern, version=payload.version, approve=payload.approve, note=payload.note
    )
    return _done(request, concern_id)


@router.post("/{concern_id}/duplicate", **STEP, summary="Mark as a duplicate of an earlier concern (office)")
@decorate_view(guard(*services.ACTION_ROLES["duplicate"], lookup=_concern))
def duplicate(request: HttpRequest, concern_id: int, payload: DuplicateIn):
    concern = _concern(request.auth, concern_id)
    original = (
        Concern.objects.visible_to(request.auth)
        .select_related("unit", "handling_unit")
        .filter(pk=payload.original)
        .first()
    )
    services.mark_duplicate(actor=request.auth, concern=concern, version=payload.version, original=original)
    return _done(request, concern_id)


@router.post("/{concern_id}/reopen", **STEP, summary="Reopen a resolved concern")
@decorate_view(guard(*services.ACTION_ROLES["reopen"], lookup=_concern))
def reopen(request: HttpRequest, concern_id: int, payload: ReasonIn):
    concern = _concern(request.auth, concern_id)
    services.reopen_concern(actor=request.auth, concern=concern, version=payload.version, reason=payload.reason)
    return _done(request, concern_id)
