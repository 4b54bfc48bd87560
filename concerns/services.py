"""Writes for serving the people: visits, assignments, concerns and their handling, key
items, pairings.

A concern moves only through the transitions in ``TRANSITIONS``; each transition is one
service function that checks the role, the scope and the current state, writes the concern
and its timeline event (``ConcernEvent``) in one transaction. A write names the version of
the concern it read: ``UPDATE ... WHERE version = n`` claims the row, so of two people who
opened the same concern the second gets a conflict message instead of overwriting the first.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from concerns.choices import (
    AssignmentKind,
    ConcernSource,
    ConcernState,
    EventKind,
    KeyItemStatus,
    Satisfaction,
    VisitPurpose,
)
from concerns.models import (
    Assignment,
    Concern,
    ConcernCategory,
    ConcernEvent,
    KeyItem,
    Milestone,
    Pairing,
    Programme,
    Visit,
)
from concerns.records import CONCERN, MILESTONE
from concerns.signals import concern_moved
from orgs.choices import PARTY_ORGANISATION_KINDS, Rank, Role, UnitKind
from orgs.models import Person, Unit
from orgs.scope import path_in_scope, paths_q, scope_paths

S = ConcernState

# action -> (states it may start from, state it leads to). ``None`` as the target means the
# service decides (a callback leads to verified or reopened; a sign-off is granted or refused).
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "assign": (frozenset({S.COLLECTED, S.ASSIGNED, S.IN_PROGRESS, S.REOPENED}), S.ASSIGNED),
    "return": (frozenset({S.ASSIGNED, S.IN_PROGRESS, S.REOPENED}), S.COLLECTED),
    "start": (frozenset({S.ASSIGNED, S.REOPENED}), S.IN_PROGRESS),
    "resolve": (frozenset({S.IN_PROGRESS}), S.RESOLVED),
    "callback": (frozenset({S.RESOLVED}), None),
    "mark_not_resolvable": (frozenset({S.ASSIGNED, S.IN_PROGRESS, S.REOPENED}), S.NOT_RESOLVABLE),
    "sign_off": (frozenset({S.NOT_RESOLVABLE}), None),
    "duplicate": (frozenset({S.COLLECTED, S.ASSIGNED, S.IN_PROGRESS, S.REOPENED}), S.DUPLICATE),
    "reopen": (frozenset({S.RESOLVED, S.VERIFIED}), S.REOPENED),
    "edit": (frozenset({S.COLLECTED, S.ASSIGNED, S.IN_PROGRESS, S.REOPENED}), None),
}

COLLECT_ROLES = (Role.OFFICE_ADMIN, Role.REPORTER, Role.LEADER)
ASSIGN_ROLES = (Role.OFFICE_ADMIN, Role.LEADER)
HANDLE_ROLES = (Role.OFFICE_ADMIN, Role.REPORTER)
CALLBACK_ROLES = (Role.OFFICE_ADMIN, Role.REPORTER, Role.LEADER)
OFFICE_ROLES = (Role.OFFICE_ADMIN,)
REOPEN_ROLES = (Role.OFFICE_ADMIN, Role.LEADER)

# Which actions each role may take (the concern page offers only these).
ACTION_ROLES: dict[str, tuple[str, ...]] = {
    "assign": ASSIGN_ROLES,
    "return": HANDLE_ROLES,
    "start": HANDLE_ROLES,
    "resolve": HANDLE_ROLES,
    "callback": CALLBACK_ROLES,
    "mark_not_resolvable": HANDLE_ROLES,
    "sign_off": OFFICE_ROLES,
    "duplicate": OFFICE_ROLES,
    "reopen": REOPEN_ROLES,
    "edit": COLLECT_ROLES,
    "promote": OFFICE_ROLES,
}


def _has_role(actor: Any, roles: tuple[str, ...]) -> bool:
    return bool(actor.is_superuser or actor.role in roles)


def _require_role(actor: Any, roles: tuple[str, ...]) -> None:
    if not _has_role(actor, roles):
        raise ValidationError({"state": _("Your role may not do this.")})


def _require_unit(actor: Any, unit: Unit | None, field: str) -> Unit:
    if unit is None or not path_in_scope(actor, unit.path):
        raise ValidationError({field: _("No unit with this code in your scope.")})
    return unit


def _required(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def _region(unit: Unit) -> str:
    return unit.region_code or unit.code


def can_reach(actor: Any, concern: Concern) -> bool:
    """The actor's scope holds the unit where the concern arose or the unit handling it."""
    if path_in_scope(actor, concern.unit.path):
        return True
    return concern.handling_unit is not None and path_in_scope(actor, concern.handling_unit.path)


def handles(actor: Any, concern: Concern) -> bool:
    """The actor works in the handling chain: its scope holds the handling unit."""
    return concern.handling_unit is not None and path_in_scope(actor, concern.handling_unit.path)


def can_see_contact(actor: Any, concern: Concern) -> bool:
    """The raiser's contact details are for the handling chain only: the accounts whose
    scope holds the handling unit (or, before assignment, the collecting unit), and the
    account that recorded the concern. Supervisors never see them."""
    if actor.is_superuser or (concern.recorded_by_id and concern.recorded_by_id == actor.pk):
        return True
    if actor.role not in COLLECT_ROLES:
        return False
    if concern.handling_unit is not None:
        return path_in_scope(actor, concern.handling_unit.path)
    return path_in_scope(actor, concern.unit.path)


def allowed_actions(actor: Any, concern: Concern) -> list[str]:
    """The actions the concern page offers this actor now (the services check again)."""
    found = []
    for action, (sources, _target) in TRANSITIONS.items():
        if concern.state in sources and _has_role(actor, ACTION_ROLES[action]):
            if action in ("return", "start", "resolve", "mark_not_resolvable") and not handles(actor, concern):
                continue
            if action == "callback" and concern.resolved_by_id == actor.pk:
                continue
            found.append(action)
    if concern.state not in (S.DUPLICATE,) and _has_role(actor, ACTION_ROLES["promote"]):
        found.append("promote")
    return found


# --- whose turn ----------------------------------------------------------------------------

# The step a concern in each state waits for: the one that moves it on. Other actions (edit,
# duplicate, reopen, return) may be taken too, but nobody is waiting for them.
WAITING_FOR: dict[str, str] = {
    S.COLLECTED: "assign",
    S.ASSIGNED: "start",
    S.REOPENED: "start",
    S.IN_PROGRESS: "resolve",
    S.RESOLVED: "callback",
    S.NOT_RESOLVABLE: "sign_off",
}
# Actions only the handling chain takes (its scope holds the handling unit).
HANDLER_ACTIONS = frozenset({"return", "start", "resolve", "mark_not_resolvable"})
# Actions that are not steps of the workflow (shown on the page, never waited for).
NOT_STEPS = frozenset({"edit", "promote", "duplicate"})


def holding_unit(concern: Concern, action: str) -> Unit:
    """The unit whose accounts take ``action``: the handling unit for the handling chain's
    steps, the unit where the concern arose for the others (assignment, callback, sign-off)."""
    if action in HANDLER_ACTIONS and concern.handling_unit is not None:
        return concern.handling_unit
    return concern.unit


def deadline(concern: Concern) -> datetime.date | None:
    """The limit the concern's next step is measured against: the response limit until the
    handling unit has responded, then the resolution limit; none once it is closed."""
    if concern.state not in WAITING_FOR or concern.state == S.RESOLVED:
        return None
    if concern.state in (S.COLLECTED, S.ASSIGNED):
        return concern.response_due
    return concern.resolution_due


def next_steps(concern: Concern) -> list[tuple[str, tuple[str, ...], Unit]]:
    """Every step the concern's state allows, as (action, roles that may take it, the unit
    whose accounts take it), the one it waits for first."""
    waiting = WAITING_FOR.get(concern.state)
    steps = [
        (action, ACTION_ROLES[action], holding_unit(concern, action))
        for action, (sources, _target) in TRANSITIONS.items()
        if concern.state in sources and action not in NOT_STEPS
    ]
    return sorted(steps, key=lambda step: step[0] != waiting)


def waiting_on_q(actor: Any) -> Q:
    """The concerns whose awaited step (``WAITING_FOR``) this actor may take, as a filter
    over concerns already narrowed to the actor's scope: the rules of ``allowed_actions``
    written as a query."""
    q = Q(pk__in=[])
    paths = scope_paths(actor)
    for state, action in WAITING_FOR.items():
        if not _has_role(actor, ACTION_ROLES[action]):
            continue
        step = Q(state=state)
        if action in HANDLER_ACTIONS:
            if paths is not None:
                step &= paths_q("handling_unit__path", paths) if paths else Q(pk__in=[])
            else:
                step &= Q(handling_unit__isnull=False)
        if action == "callback":
            step &= ~Q(resolved_by=actor)
        q |= step
    return q


# --- visits and assignments -----------------------------------------------------------------


@transaction.atomic
def record_visit(
    *,
    actor: Any,
    unit: Unit,
    date: datetime.date,
    purpose: str,
    people: list[Person],
    notes: str = "",
) -> Visit:
    """A visit recorded by a leader or for one: who went (one or more people), where, when
    and why."""
    _require_role(actor, COLLECT_ROLES)
    _require_unit(actor, unit, "unit")
    if purpose not in VisitPurpose.values:
        raise ValidationError({"purpose": _("Unknown purpose.")})
    if not people:
        raise ValidationError({"people": _("Name at least one person who went.")})
    region = _region(unit)
    strangers = [p for p in people if _region(p.unit) != region]
    if strangers:
        raise ValidationError({"people": _("Only people of the same city can be named.")})
    if date > timezone.localdate():
        raise ValidationError({"date": _("A visit cannot be recorded before it happens.")})
    visit = Visit.objects.create(
        unit=unit, date=date, purpose=purpose, notes=(notes or "").strip(), recorded_by=actor, region_code=region
    )
    visit.people.set(people)
    return visit


@transaction.atomic
def assign_leader(*, actor: Any, person: Person, target: Unit, since: datetime.date) -> Assignment:
    """A prefecture-level leader takes charge of a county or a township (包县包乡)."""
    _require_role(actor, OFFICE_ROLES)
    _require_unit(actor, target, "target")
    if person.rank != Rank.PREFECTURE:
        raise ValidationError({"person": _("Only a prefecture-level leader is assigned a county or township.")})
    kinds = {UnitKind.COUNTY: AssignmentKind.LEADER_COUNTY, UnitKind.TOWNSHIP: AssignmentKind.LEADER_TOWNSHIP}
    if target.kind not in kinds:
        raise ValidationError({"target": _("A leader is assigned a county or a township.")})
    if Assignment.objects.filter(person=person, target=target).exists():
        raise ValidationError({"target": _("This assignment exists already.")})
    return Assignment.objects.create(
        kind=kinds[target.kind], person=person, target=target, since=since, region_code=_region(target)
    )


@transaction.atomic
def assign_department(*, actor: Any, department: Unit, target: Unit, since: datetime.date) -> Assignment:
    """A city department takes a village as its village station (驻村点)."""
    _require_role(actor, OFFICE_ROLES)
    _require_unit(actor, department, "department")
    _require_unit(actor, target, "target")
    if department.kind != UnitKind.DEPARTMENT:
        raise ValidationError({"department": _("Only a department has a village station.")})
    if target.kind != UnitKind.VILLAGE:
        raise ValidationError({"target": _("A village station is a village or community.")})
    if Assignment.objects.filter(department=department, target=target).exists():
        raise ValidationError({"target": _("This assignment exists already.")})
    return Assignment.objects.create(
        kind=AssignmentKind.DEPARTMENT_VILLAGE,
        department=department,
        target=target,
        since=since,
        region_code=_region(target),
    )


# --- concerns -------------------------------------------------------------------------------


def due_dates(category: ConcernCategory, collected_on: datetime.date) -> tuple[datetime.date, datetime.date]:
    return (
        collected_on + datetime.timedelta(days=category.response_days),
        collected_on + datetime.timedelta(days=category.resolution_days),
    )


@transaction.atomic
def record_concern(
    *,
    actor: Any,
    unit: Unit,
    category: ConcernCategory,
    source: str,
    description: str,
    raised_by: str,
    collected_on: datetime.date,
    contact: str = "",
    visit: Visit | None = None,
) -> Concern:
    """A concern as collected: where it arose, who raised it, what it is about."""
    _require_role(actor, COLLECT_ROLES)
    _require_unit(actor, unit, "unit")
    if source not in ConcernSource.values:
        raise ValidationError({"source": _("Unknown source.")})
    description = _required(description, "description", _("Describe the concern."))
    raised_by = _required(raised_by, "raised_by", _("Name the person who raised it."))
    values = CONCERN.clean(
        {
            "source": source,
            "description": description,
            "raised_by": raised_by,
            "contact": contact,
            "collected_on": collected_on,
        }
    )
    description, raised_by, contact = values["description"], values["raised_by"], values["contact"]
    collected_on = values["collected_on"]
    if collected_on > timezone.localdate():
        raise ValidationError({"collected_on": _("A concern cannot be collected in the future.")})
    response_due, resolution_due = due_dates(category, collected_on)
    concern = Concern.objects.create(
        unit=unit,
        category=category,
        source=source,
        visit=visit,
        description=description,
        raised_by=raised_by,
        contact=contact,
        collected_on=collected_on,
        response_due=response_due,
        resolution_due=resolution_due,
        recorded_by=actor,
        region_code=_region(unit),
    )
    _event(concern, actor, EventKind.COLLECT, "", S.COLLECTED)
    return concern


def _event(concern: Concern, actor: Any, kind: str, from_state: str, to_state: str, **fields: Any) -> ConcernEvent:
    fields.setdefault("handling_unit", concern.handling_unit)
    event = ConcernEvent.objects.create(
        concern=concern,
        kind=kind,
        at=timezone.now(),
        actor=actor,
        from_state=from_state,
        to_state=to_state,
        region_code=concern.region_code,
        **fields,
    )
    concern_moved.send(sender=ConcernEvent, event=event, concern=concern)
    return event


def _claim(concern: Concern, version: int, action: str) -> str:
    """Check the state against the transition table, then claim the row at the version the
    actor read. Returns the state the concern was in."""
    sources, _target = TRANSITIONS[action]
    current = Concern.objects.filter(pk=concern.pk).values_list("state", "version").first()
    if current is None:
        raise ValidationError({"state": _("This concern no longer exists.")})
    state, stored_version = current
    if stored_version != version:
        raise ValidationError(
            {
                "version": _(
                    "Somebody else changed this concern while you had it open. Nothing was saved: "
                    "reload the page, check the change and try again."
                )
            }
        )
    if state not in sources:
        raise ValidationError(
            {
                "state": _("This cannot be done to a concern that is %(state)s.")
                % {"state": ConcernState(state).label.lower()}
            }
        )
    claimed = Concern.objects.filter(pk=concern.pk, version=version).update(version=F("version") + 1)
    if not claimed:
        raise ValidationError(
            {"version": _("Somebody else changed this concern at the same moment. Reload and retry.")}
        )
    concern.version = version + 1
    concern.state = state
    return state


def _save(concern: Concern, *fields: str) -> None:
    concern.save(update_fields=["version", *fields])


def _require_reach(actor: Any, concern: Concern) -> None:
    if not can_reach(actor, concern):
        raise ValidationError({"state": _("This concern is outside your scope.")})


def _require_handler(actor: Any, concern: Concern) -> None:
    _require_role(actor, HANDLE_ROLES)
    if not handles(actor, concern):
        raise ValidationError({"state": _("Only the handling unit (or an office above it) can do this.")})


@transaction.atomic
def assign_concern(*, actor: Any, concern: Concern, version: int, handling_unit: Unit, note: str = "") -> Concern:
    """Give the concern to a handling unit (any unit in the assigner's reach); giving it to
    another unit later is a reassignment and needs a reason."""
    _require_role(actor, ASSIGN_ROLES)
    _require_reach(actor, concern)
    if handling_unit is None or not path_in_scope(actor, handling_unit.path):
        raise ValidationError({"handling_unit": _("You can only assign to a unit within your reach.")})
    if concern.handling_unit_id == handling_unit.pk and concern.state != S.COLLECTED:
        raise ValidationError({"handling_unit": _("The concern is already with this unit.")})
    reassign = concern.handling_unit_id is not None and concern.state != S.COLLECTED
    if reassign and not (note or "").strip():
        raise ValidationError({"note": _("Give the reason for the reassignment.")})
    before = _claim(concern, version, "assign")
    concern.handling_unit = handling_unit
    concern.state = S.ASSIGNED
    _save(concern, "handling_unit", "state")
    kind = EventKind.REASSIGN if reassign else EventKind.ASSIGN
    _event(concern, actor, kind, before, S.ASSIGNED, reason=(note or "").strip() if reassign else "", note=note or "")
    return concern


@transaction.atomic
def return_concern(*, actor: Any, concern: Concern, version: int, reason: str) -> Concern:
    """The handling unit hands the concern back (not theirs to handle), with a reason."""
    _require_handler(actor, concern)
    reason = _required(reason, "reason", _("Give the reason for returning the concern."))
    before = _claim(concern, version, "return")
    returned_from = concern.handling_unit
    concern.handling_unit = None
    concern.state = S.COLLECTED
    _save(concern, "handling_unit", "state")
    _event(concern, actor, EventKind.RETURN, before, S.COLLECTED, reason=reason, handling_unit=returned_from)
    return concern


@transaction.atomic
def start_concern(*, actor: Any, concern: Concern, version: int, note: str = "") -> Concern:
    """The handling unit takes the concern up: this is its response."""
    _require_handler(actor, concern)
    before = _claim(concern, version, "start")
    concern.state = S.IN_PROGRESS
    fields = ["state"]
    if concern.responded_on is None:
        concern.responded_on = timezone.localdate()
        fields.append("responded_on")
    _save(concern, *fields)
    _event(concern, actor, EventKind.START, before, S.IN_PROGRESS, note=(note or "").strip())
    return concern


@transaction.atomic
def resolve_concern(*, actor: Any, concern: Concern, version: int, action_taken: str, evidence: str) -> Concern:
    """The handling unit reports the concern resolved: what was done, and the evidence."""
    _require_handler(actor, concern)
    action_taken = _required(action_taken, "action_taken", _("Say what was done."))
    evidence = _required(evidence, "evidence", _("Give the evidence (document, photo, record)."))
    before = _claim(concern, version, "resolve")
    concern.state = S.RESOLVED
    concern.action_taken = action_taken
    concern.evidence = evidence
    concern.resolved_on = timezone.localdate()
    concern.resolved_by = actor
    concern.satisfaction = ""
    _save(concern, "state", "action_taken", "evidence", "resolved_on", "resolved_by", "satisfaction")
    _event(concern, actor, EventKind.RESOLVE, before, S.RESOLVED, note=action_taken, evidence=evidence)
    return concern


@transaction.atomic
def record_callback(*, actor: Any, concern: Concern, version: int, satisfaction: str, note: str = "") -> Concern:
    """The person who raised the concern is asked whether it is resolved. Satisfied or partly
    satisfied verifies the resolution; not satisfied reopens the concern. Somebody other than
    the resolver makes the call."""
    _require_role(actor, CALLBACK_ROLES)
    _require_reach(actor, concern)
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": _("Choose the callback result.")})
    if concern.resolved_by_id is not None and concern.resolved_by_id == actor.pk:
        raise ValidationError(
            {"satisfaction": _("The callback is made by somebody other than the person who resolved the concern.")}
        )
    before = _claim(concern, version, "callback")
    target = S.REOPENED if satisfaction == Satisfaction.NOT_SATISFIED else S.VERIFIED
    concern.state = target
    concern.satisfaction = satisfaction
    _save(concern, "state", "satisfaction")
    _event(concern, actor, EventKind.CALLBACK, before, target, satisfaction=satisfaction, note=(note or "").strip())
    return concern


@transaction.atomic
def mark_not_resolvable(*, actor: Any, concern: Concern, version: int, reason: str) -> Concern:
    """The handling unit finds the concern cannot be resolved (law, policy, means) and says
    why; the office signs it off or sends it back."""
    _require_handler(actor, concern)
    reason = _required(reason, "reason", _("Give the reason why it cannot be resolved."))
    before = _claim(concern, version, "mark_not_resolvable")
    concern.state = S.NOT_RESOLVABLE
    fields = ["state"]
    if concern.responded_on is None:
        concern.responded_on = timezone.localdate()
        fields.append("responded_on")
    _save(concern, *fields)
    _event(concern, actor, EventKind.MARK_NOT_RESOLVABLE, before, S.NOT_RESOLVABLE, reason=reason)
    return concern


@transaction.atomic
def sign_off_not_resolvable(*, actor: Any, concern: Concern, version: int, approve: bool, note: str = "") -> Concern:
    """The office signs off a concern as not resolvable, or refuses and sends it back to the
    handling unit (in progress) with a reason."""
    _require_role(actor, OFFICE_ROLES)
    _require_reach(actor, concern)
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationError({"note": _("Give the reason for refusing the sign-off.")})
    before = _claim(concern, version, "sign_off")
    target = S.CLOSED_NOT_RESOLVABLE if approve else S.IN_PROGRESS
    concern.state = target
    _save(concern, "state")
    kind = EventKind.SIGN_OFF if approve else EventKind.REFUSE_SIGN_OFF
    _event(concern, actor, kind, before, target, reason="" if approve else note, note=note)
    return concern


@transaction.atomic
def mark_duplicate(*, actor: Any, concern: Concern, version: int, original: Concern | None) -> Concern:
    """The concern is the same as one collected earlier; it is closed and counted once."""
    _require_role(actor, OFFICE_ROLES)
    _require_reach(actor, concern)
    if original is None or not can_reach(actor, original):
        raise ValidationError({"original": _("No concern with this number in your scope.")})
    if original.pk == concern.pk:
        raise ValidationError({"original": _("A concern cannot duplicate itself.")})
    if original.state == S.DUPLICATE:
        raise ValidationError({"original": _("Point at the original concern, not at another duplicate.")})
    before = _claim(concern, version, "duplicate")
    concern.state = S.DUPLICATE
    concern.duplicate_of = original
    _save(concern, "state", "duplicate_of")
    _event(concern, actor, EventKind.DUPLICATE, before, S.DUPLICATE, note=f"#{original.pk}")
    return concern


@transaction.atomic
def reopen_concern(*, actor: Any, concern: Concern, version: int, reason: str) -> Concern:
    """A resolved or verified concern is opened again (e.g. the problem came back)."""
    _require_role(actor, REOPEN_ROLES)
    _require_reach(actor, concern)
    reason = _required(reason, "reason", _("Give the reason for reopening."))
    before = _claim(concern, version, "reopen")
    concern.state = S.REOPENED
    _save(concern, "state")
    _event(concern, actor, EventKind.REOPEN, before, S.REOPENED, reason=reason)
    return concern


@transaction.atomic
def update_concern(
    *, actor: Any, concern: Concern, version: int, description: str, category: ConcernCategory
) -> Concern:
    """Correct an open concern's description or category (the due dates follow the category)."""
    _require_role(actor, COLLECT_ROLES)
    _require_reach(actor, concern)
    description = _required(description, "description", _("Describe the concern."))
    before = _claim(concern, version, "edit")
    concern.description = description
    concern.category = category
    concern.response_due, concern.resolution_due = due_dates(category, concern.collected_on)
    _save(concern, "description", "category", "response_due", "resolution_due")
    _event(concern, actor, EventKind.EDIT, before, before)
    return concern


# --- key items ------------------------------------------------------------------------------


@transaction.atomic
def create_key_item(
    *,
    actor: Any,
    programme: Programme,
    title_zh: str,
    title_bo: str,
    responsible_unit: Unit,
    listed_on: datetime.date,
    responsible_leader: Person | None = None,
) -> KeyItem:
    _require_role(actor, OFFICE_ROLES)
    _require_unit(actor, programme.unit, "programme")
    _require_unit(actor, responsible_unit, "responsible_unit")
    title_zh = _required(title_zh, "title_zh", _("The Chinese title is required."))
    title_bo = _required(title_bo, "title_bo", _("The Tibetan title is required."))
    return KeyItem.objects.create(
        programme=programme,
        title_zh=title_zh,
        title_bo=title_bo,
        responsible_unit=responsible_unit,
        responsible_leader=responsible_leader,
        listed_on=listed_on,
        region_code=_region(responsible_unit),
    )


@transaction.atomic
def promote_concern(
    *,
    actor: Any,
    concern: Concern,
    programme: Programme,
    title_zh: str,
    title_bo: str,
    responsible_unit: Unit,
) -> KeyItem:
    """A concern that needs more than one unit's everyday work becomes a key item; the item
    links the concern it answers."""
    _require_reach(actor, concern)
    if concern.state == S.DUPLICATE:
        raise ValidationError({"state": _("Promote the original concern, not a duplicate.")})
    item = create_key_item(
        actor=actor,
        programme=programme,
        title_zh=title_zh,
        title_bo=title_bo,
        responsible_unit=responsible_unit,
        listed_on=timezone.localdate(),
    )
    item.concerns.add(concern)
    _event(concern, actor, EventKind.PROMOTE, concern.state, concern.state, note=title_zh)
    return item


@transaction.atomic
def link_concern(*, actor: Any, item: KeyItem, concern: Concern) -> KeyItem:
    _require_role(actor, OFFICE_ROLES)
    _require_unit(actor, item.responsible_unit, "item")
    if not can_reach(actor, concern):
        raise ValidationError({"concern": _("No concern with this number in your scope.")})
    item.concerns.add(concern)
    return item


@transaction.atomic
def add_milestone(
    *, actor: Any, item: KeyItem, title_zh: str, due: datetime.date, weight: int, title_bo: str = ""
) -> Milestone:
    _require_role(actor, HANDLE_ROLES)
    _require_unit(actor, item.responsible_unit, "item")
    if item.status == KeyItemStatus.SOLVED:
        raise ValidationError({"title_zh": _("The item is solved; its checklist is closed.")})
    title_zh = _required(title_zh, "title_zh", _("The Chinese title is required."))
    if weight is None:
        raise ValidationError({"weight": _("The weight is a whole number of 1 or more.")})
    values = MILESTONE.clean({"title_zh": title_zh, "title_bo": title_bo, "due": due, "weight": weight})
    return Milestone.objects.create(item=item, **values)


@transaction.atomic
def complete_milestone(*, actor: Any, milestone: Milestone, done_on: datetime.date | None = None) -> Milestone:
    _require_role(actor, HANDLE_ROLES)
    _require_unit(actor, milestone.item.responsible_unit, "milestone")
    if milestone.done_on:
        raise ValidationError({"milestone": _("This milestone is done already.")})
    milestone.done_on = done_on or timezone.localdate()
    milestone.save(update_fields=["done_on"])
    return milestone


@transaction.atomic
def confirm_key_item(*, actor: Any, item: KeyItem) -> KeyItem:
    """The office confirms an item solved; every milestone must be done."""
    _require_role(actor, OFFICE_ROLES)
    _require_unit(actor, item.responsible_unit, "item")
    if item.status == KeyItemStatus.SOLVED:
        raise ValidationError({"item": _("The item is solved already.")})
    milestones = list(item.milestones.all())
    if not milestones or any(m.done_on is None for m in milestones):
        raise ValidationError({"item": _("An item is solved only when every milestone on its checklist is done.")})
    item.status = KeyItemStatus.SOLVED
    item.solved_on = timezone.localdate()
    item.confirmed_by = actor
    item.save(update_fields=["status", "solved_on", "confirmed_by"])
    return item


# --- pairings -------------------------------------------------------------------------------


@transaction.atomic
def create_pairing(
    *, actor: Any, city_org: Unit, village_branch: Unit, since: datetime.date, theme: str = ""
) -> Pairing:
    """Join a city unit's party organisation with the party branch of its village station."""
    _require_role(actor, OFFICE_ROLES)
    _require_unit(actor, city_org, "city_org")
    _require_unit(actor, village_branch, "village_branch")
    if city_org.kind not in PARTY_ORGANISATION_KINDS:
        raise ValidationError({"city_org": _("Choose a party organisation of the city unit.")})
    if (
        village_branch.kind not in PARTY_ORGANISATION_KINDS
        or not Unit.objects.filter(path__in=village_branch.ancestor_paths(), kind=UnitKind.VILLAGE).exists()
    ):
        raise ValidationError({"village_branch": _("Choose a party branch of a village or community.")})
    if Pairing.objects.filter(city_org=city_org, village_branch=village_branch).exists():
        raise ValidationError({"village_branch": _("These two are paired already.")})
    return Pairing.objects.create(
        city_org=city_org,
        village_branch=village_branch,
        since=since,
        theme=(theme or "").strip(),
        region_code=_region(city_org),
    )
