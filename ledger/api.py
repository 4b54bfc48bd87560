"""API endpoints of the ledger: activities (list with the page's filters, read, create,
update, delete, and a bulk create of up to 10,000 rows). The indicators' endpoints are the
figures app's."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.decorators import decorate_view

from campaigns.models import Campaign
from core.api import messages as m
from core.api.errors import InputErrors, problems, refuse
from core.api.pagination import paginate
from core.api.schemas import COUNT_MAX, Page, Text, responses
from ledger import selectors, services
from ledger.choices import CHOICE_FIELDS, COUNT_FIELDS, OPTIONAL_FIELD_NAMES
from ledger.models import Activity, ActivityKind, ReportingPeriod
from orgs.access import STAFF_ROLES
from orgs.api_auth import guard
from orgs.choices import Role
from orgs.models import Unit
from orgs.scope import get_visible_or_404
from orgs.selectors import unit_in_scope

WRITERS = (Role.OFFICE_ADMIN, Role.REPORTER)
BULK_MAX = 10_000

activities = Router(tags=["activities"])


# --- schemas ---------------------------------------------------------------------------------


class ActivityOut(Schema):
    id: int
    unit: str
    unit_name: str
    kind: str
    kind_name: str
    date: datetime.date
    title: str
    sessions: int
    participants: int
    venue_kind: str
    language: str
    copies: int
    outlet_level: str
    target: str
    lecturers: str
    place: str
    notes: str
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime


def activity_out(a: Activity) -> dict[str, Any]:
    return {
        "id": a.pk,
        "unit": a.unit.code,
        "unit_name": a.unit.name,
        "kind": a.kind.code,
        "kind_name": a.kind.name,
        "date": a.date,
        **{name: getattr(a, name) for name in OPTIONAL_FIELD_NAMES},
        "version": a.version,
        "created_at": a.created_at,
        "updated_at": a.updated_at,
    }


Count = int | None


class ActivityFields(Schema):
    """The optional fields of an activity; which apply, and which are required, depends on
    its kind (see the kind catalogue). Fields that do not apply are ignored."""

    title: Text(200) | None = None
    sessions: Count = Field(None, ge=0, le=COUNT_MAX)
    participants: Count = Field(None, ge=0, le=COUNT_MAX)
    venue_kind: Text(12) | None = None
    language: Text(10) | None = None
    copies: Count = Field(None, ge=0, le=COUNT_MAX)
    outlet_level: Text(10) | None = None
    target: Text(10) | None = None
    lecturers: Text(300) | None = None
    place: Text(200) | None = None
    notes: Text(4000) | None = None


class ActivityIn(ActivityFields):
    unit: Text(32) = Field(description="Code of the unit that held the activity.")
    kind: Text(40) = Field(description="Code of the kind of activity.")
    date: datetime.date


class ActivityPatch(ActivityFields):
    version: int = Field(ge=0, le=COUNT_MAX, description="The version you read; refused if it changed meanwhile.")
    unit: Text(32) | None = None
    date: datetime.date | None = None


class BulkRow(Schema):
    """One row of a bulk create. Typed loosely on purpose: every problem of every row is
    reported at once, by row and field, rather than the first type error stopping the rest."""

    unit: str | int | None = None
    kind: str | None = None
    date: str | None = None
    title: str | None = None
    sessions: int | str | None = None
    participants: int | str | None = None
    venue_kind: str | None = None
    language: str | None = None
    copies: int | str | None = None
    outlet_level: str | None = None
    target: str | None = None
    lecturers: str | None = None
    place: str | None = None
    notes: str | None = None


class BulkIn(Schema):
    rows: list[BulkRow] = Field(min_length=1, max_length=BULK_MAX)


class BulkOut(Schema):
    created: int


class ActivityFilter(Schema):
    unit: str | None = Field(None, description="A unit's code: its whole subtree.")
    section: Literal["learning", "lectures"] | None = None
    kind: str | None = Field(None, description="A kind's code.")
    start: datetime.date | None = None
    end: datetime.date | None = None
    venue_kind: str | None = None
    language: str | None = None
    sort: Literal[tuple(selectors.SORTS)] = "-date"  # type: ignore[valid-type]  (the schema lists the sort table)
    cursor: str | None = None
    limit: int = Field(50, ge=1, le=500)


# --- helpers ---------------------------------------------------------------------------------


def _activity(account: Any, activity_id: int) -> Activity:
    return get_visible_or_404(Activity.objects.select_related("unit", "kind"), account, pk=activity_id)


def _unit_for_write(account: Any, code: str) -> Unit:
    unit = Unit.objects.visible_to(account).filter(code=(code or "").strip()).first()
    if unit is None:
        raise ValidationError({"unit": _("No unit with this code in your scope.")})
    return unit


def _kind(code: str) -> ActivityKind:
    kind = ActivityKind.objects.filter(code=(code or "").strip()).first()
    if kind is None:
        raise ValidationError({"kind": _("Unknown kind of activity.")})
    return kind


# --- activities --------------------------------------------------------------------------------


@activities.get("", response=responses(Page[ActivityOut]), summary="Activities, with the list page's filters")
@decorate_view(guard(*STAFF_ROLES))
def list_activities(request: HttpRequest, q: Query[ActivityFilter]):
    unit = unit_in_scope(request.auth, q.unit, default=None)
    kind = None
    if q.kind:
        kind = ActivityKind.objects.filter(code=q.kind).first()
        if kind is None:
            raise refuse(["query", "kind"], _("Unknown kind of activity."))
    qs = selectors.activities_for(
        request.auth,
        unit=unit,
        section=q.section or "",
        kind=kind,
        start=q.start,
        end=q.end,
        venue_kind=q.venue_kind or "",
        language=q.language or "",
        sort=q.sort,
    )
    rows, following = paginate(qs, ordering=selectors.SORTS[q.sort], cursor=q.cursor, limit=q.limit)
    return {"items": [activity_out(a) for a in rows], "next": following}


# The bulk route comes before /{activity_id}, which would otherwise take "bulk" for an id.


class _Batch:
    """What the rows of one bulk create are checked against, loaded once."""

    def __init__(self, actor: Any, rows: list[BulkRow]) -> None:
        codes = sorted({str(r.unit).strip() for r in rows if r.unit not in (None, "")})
        self.units: dict[str, tuple[int, str]] = {}
        visible = Unit.objects.visible_to(actor)
        for i in range(0, len(codes), 500):
            for code, pk, path in visible.filter(code__in=codes[i : i + 500]).values_list("code", "pk", "path"):
                self.units[code] = (pk, path)
        self.kinds = {k.code: k for k in ActivityKind.objects.all()}
        self.campaigns = [
            (c.root_unit.path, c) for c in Campaign.objects.select_related("root_unit").order_by("-start")
        ]
        self.closed: dict[int, set[datetime.date]] = {}
        if not services.is_office(actor):
            for campaign_id, month in ReportingPeriod.objects.values_list("campaign_id", "month"):
                self.closed.setdefault(campaign_id, set()).add(month)

    def campaign(self, path: str) -> Campaign | None:
        for root, c in self.campaigns:
            if path.startswith(root):
                return c
        return None


def _count(value: Any) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "bad"
    if isinstance(value, int):
        return value if 0 <= value <= COUNT_MAX else "bad"
    if isinstance(value, str) and value.strip().isdigit() and int(value.strip()) <= COUNT_MAX:
        return int(value.strip())
    return "bad"


MAX_LENGTHS = {"title": 200, "lecturers": 300, "place": 200, "notes": 4000}


def _check_row(batch: _Batch, index: int, row: BulkRow, out: list[tuple]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    def bad(field: str, message: str) -> None:
        found.append({"loc": ["body", "rows", index, field], "msg": str(message), "type": "value_error"})

    unit = batch.units.get(str(row.unit).strip()) if row.unit not in (None, "") else None
    if row.unit in (None, ""):
        bad("unit", _("The unit code is required."))
    elif unit is None:
        bad("unit", _("No unit with code %(code)s in your scope.") % {"code": str(row.unit).strip()[:32]})
    kind = batch.kinds.get((row.kind or "").strip())
    if not row.kind:
        bad("kind", _("This field is required."))
    elif kind is None or not kind.active:
        bad("kind", _("Unknown kind of activity."))
    day = None
    if not row.date:
        bad("date", _("The date is required."))
    else:
        try:
            day = datetime.date.fromisoformat(row.date.strip())
        except ValueError:
            bad("date", m.DATE_FORMAT)
    if unit and day:
        campaign = batch.campaign(unit[1])
        if campaign is None:
            bad("unit", _("No campaign covers this unit."))
        elif not campaign.start <= day <= campaign.end:
            bad(
                "date",
                _("The date must lie inside the campaign, from %(start)s to %(end)s.")
                % {"start": campaign.start.isoformat(), "end": campaign.end.isoformat()},
            )
        elif services.month_of(day) in batch.closed.get(campaign.pk, ()):
            bad("date", _("This month is closed; only the office may change its rows."))
    fields: dict[str, Any] = {}
    for name in OPTIONAL_FIELD_NAMES:
        value = getattr(row, name)
        if value is None:
            continue
        if name in COUNT_FIELDS:
            n = _count(value)
            if n == "bad":
                bad(name, _("Enter a whole number of zero or more."))
            elif n is not None:
                fields[name] = n
        elif "\x00" in value:
            bad(name, _("Not one of the choices.") if name in CHOICE_FIELDS else m.NUL_CHARACTER)
        elif name in MAX_LENGTHS and len(value) > MAX_LENGTHS[name]:
            bad(name, m.TOO_LONG)
        else:
            fields[name] = value
    if kind is not None and kind.active and not found:
        try:
            cleaned = services.clean_fields(kind, fields)
        except ValidationError as exc:
            for item in problems(exc, ("body", "rows", index)):
                found.append(item)
            return found
        if unit and day:
            out.append((unit[0], kind.pk, day, *[cleaned[n] for n in OPTIONAL_FIELD_NAMES]))
    return found


@activities.post("/bulk", response=responses(BulkOut, 201), summary="Record up to 10,000 activities at once")
@decorate_view(guard(*WRITERS))
def bulk_create(request: HttpRequest, payload: BulkIn):
    """Every row is checked first and every problem is returned at once, each with its row
    (``loc``: ``["body", "rows", <index from 0>, <field>]``); nothing is written unless no row
    has a problem. Then one transaction writes all rows, their rollups and one audit entry."""
    batch = _Batch(request.auth, payload.rows)
    found: list[dict[str, Any]] = []
    good: list[tuple] = []
    for index, row in enumerate(payload.rows):
        found.extend(_check_row(batch, index, row, good))
    if found:
        raise InputErrors(found)
    created = services.import_activities(actor=request.auth, rows=good)
    subject = getattr(request, "api_token", None) or request.auth
    LogEntry.objects.log_create(
        subject,
        force_log=True,
        action=LogEntry.Action.CREATE,
        changes={"activities created through the API": ["0", str(created)]},
        actor=request.auth,
    )
    return Status(201, {"created": created})


@activities.get("/{activity_id}", response=responses(ActivityOut), summary="One activity")
@decorate_view(guard(*STAFF_ROLES, lookup=_activity))
def get_activity(request: HttpRequest, activity_id: int):
    return activity_out(_activity(request.auth, activity_id))


@activities.post("", response=responses(ActivityOut, 201), summary="Record an activity")
@decorate_view(guard(*WRITERS))
def create_activity(request: HttpRequest, payload: ActivityIn):
    data = payload.dict(exclude_unset=True)
    unit = _unit_for_write(request.auth, data.pop("unit"))
    kind = _kind(data.pop("kind"))
    day = data.pop("date")
    activity = services.record_activity(actor=request.auth, unit=unit, kind=kind, date=day, **data)
    return Status(201, activity_out(_activity(request.auth, activity.pk)))


@activities.patch("/{activity_id}", response=responses(ActivityOut), summary="Change an activity")
@decorate_view(guard(*WRITERS, lookup=_activity))
def update_activity(request: HttpRequest, activity_id: int, payload: ActivityPatch):
    activity = _activity(request.auth, activity_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    code = data.pop("unit", None)
    unit = _unit_for_write(request.auth, code) if code else None
    services.update_activity(actor=request.auth, activity=activity, version=version, unit=unit, **data)
    return activity_out(_activity(request.auth, activity_id))


@activities.delete("/{activity_id}", response=responses(None, 204), summary="Delete an activity")
@decorate_view(guard(*WRITERS, lookup=_activity))
def delete_activity(request: HttpRequest, activity_id: int):
    services.delete_activity(actor=request.auth, activity=_activity(request.auth, activity_id))
    return Status(204, None)
