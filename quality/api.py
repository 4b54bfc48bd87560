"""The data-quality checks in the API: the catalogue, the flags of a scope (open, confirmed or
cleared), and a person's decision on a flag. Scope as everywhere: through ``visible_to``;
out of scope is 404, a role that may not read data quality 403, a decision without a
reason 422. Mounted by the api app at ``/api/v1/quality``."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.decorators import decorate_view

from core.api.pagination import paginate
from core.api.schemas import Page, responses
from orgs.api_auth import guard
from orgs.choices import Role
from orgs.scope import get_visible_or_404
from orgs.selectors import unit_in_scope
from quality import selectors, services
from quality.models import Check, Flag

router = Router(tags=["quality"])
READERS = (Role.OFFICE_ADMIN, Role.LEADER, Role.SUPERVISOR)


class CheckOut(Schema):
    code: str
    model: str
    name: str
    description: str
    severity: str
    threshold: float
    enabled: bool


class FlagOut(Schema):
    id: int
    check: str
    model: str
    object_id: int
    unit: str
    detail: str = Field(description="What the check found, in the language of the request.")
    detail_code: str = Field("", description="The message code of the detail (empty for one stored as text).")
    detail_values: dict = Field(default_factory=dict, description="The values the detail's message is filled with.")
    status: str
    reason: str
    created: datetime.datetime
    cleared_at: datetime.datetime | None = None


class DecisionIn(Schema):
    reason: str = ""


class FlagFilter(Schema):
    unit: str | None = Field(None, description="A unit's code (default: the largest subtree of your scope).")
    check: str | None = Field(None, description="A check's code.")
    status: str | None = Field(None, description="open, confirmed or cleared (default: open and confirmed).")
    cursor: str | None = None
    limit: int = Field(100, ge=1, le=1000)


def _flag_in_scope(account, flag_id: int) -> Flag:
    return get_visible_or_404(Flag.objects.select_related("check_item", "unit", "content_type"), account, pk=flag_id)


def _flag_out(flag: Flag) -> FlagOut:
    return FlagOut(
        id=flag.pk,
        check=flag.check_item.code,
        model=f"{flag.content_type.app_label}.{flag.content_type.model}",
        object_id=flag.object_id,
        unit=flag.unit.code,
        detail=flag.detail,
        detail_code=flag.detail_code,
        detail_values=flag.detail_params,
        status=flag.status,
        reason=flag.reason,
        created=flag.created,
        cleared_at=flag.cleared_at,
    )


@router.get("/checks", response=responses(list[CheckOut]), summary="The data-quality checks")
@decorate_view(guard(*READERS))
def list_checks(request: HttpRequest):
    return [
        CheckOut(
            code=c.code,
            model=c.model,
            name=c.name,
            description=c.description,
            severity=c.severity,
            threshold=float(c.threshold),
            enabled=c.enabled,
        )
        for c in Check.objects.all()
    ]


@router.get("/flags", response=responses(Page[FlagOut]), summary="Flags of a subtree, newest first")
@decorate_view(guard(*READERS))
def list_flags(request: HttpRequest, q: Query[FlagFilter]):
    """Flags of a unit's subtree (the top of the reader's scope by default), newest first;
    ``status=cleared`` lists the cleared ones with their reasons."""
    account = request.auth
    found = unit_in_scope(account, q.unit)
    qs = selectors.flags_in(account, found, check=q.check or "", status=q.status or "")
    rows, following = paginate(qs, ordering=("-created", "-pk"), cursor=q.cursor, limit=q.limit)
    return {"items": [_flag_out(f) for f in rows], "next": following}


@router.get("/flags/{flag_id}", response=responses(FlagOut), summary="One flag")
@decorate_view(guard(*READERS, lookup=_flag_in_scope))
def get_flag(request: HttpRequest, flag_id: int):
    return _flag_out(_flag_in_scope(request.auth, flag_id))


def _decide(request: HttpRequest, flag_id: int, action) -> FlagOut:
    flag = action(_flag_in_scope(request.auth, flag_id))  # a refusal (no reason) is a 422
    return _flag_out(_flag_in_scope(request.auth, flag.pk))


@router.post("/flags/{flag_id}/clear", response=responses(FlagOut), summary="Clear a flag, with a reason")
@decorate_view(guard(*READERS, lookup=_flag_in_scope))
def clear(request: HttpRequest, flag_id: int, payload: DecisionIn):
    """Clear a flag (the row is right after all); a reason is required."""
    return _decide(
        request, flag_id, lambda flag: services.clear_flag(actor=request.auth, flag=flag, reason=payload.reason)
    )


@router.post("/flags/{flag_id}/confirm", response=responses(FlagOut), summary="Confirm a flag")
@decorate_view(guard(*READERS, lookup=_flag_in_scope))
def confirm(request: HttpRequest, flag_id: int, payload: DecisionIn):
    return _decide(
        request, flag_id, lambda flag: services.confirm_flag(actor=request.auth, flag=flag, reason=payload.reason)
    )
