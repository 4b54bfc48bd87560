"""Writes to the unit tree, people and accounts.

Every write validates, writes and is audited in one transaction; a refused write raises
``ValidationError`` keyed by the field at fault and leaves nothing behind.
"""

from __future__ import annotations

import datetime
from typing import Any

from auditlog.models import LogEntry
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.versioning import save_versioned
from orgs.choices import PARTY_ORGANISATION_KINDS, Role, UnitKind
from orgs.models import Account, Person, Unit
from orgs.records import clean_unit
from orgs.scope import path_in_scope
from orgs.signals import unit_moved

# Which kinds of unit may stand directly under which. Party organisations may stand under
# any unit (a village's branch, a department's committee, a committee's branches).
_ANY_NON_PARTY = {k for k in UnitKind.values if k not in PARTY_ORGANISATION_KINDS}
ALLOWED_CHILDREN: dict[str, set[str]] = {
    UnitKind.REGION: {UnitKind.CITY, UnitKind.DEPARTMENT, UnitKind.BARRACKS},
    UnitKind.CITY: {
        UnitKind.COUNTY,
        UnitKind.DEPARTMENT,
        UnitKind.SCHOOL,
        UnitKind.ENTERPRISE,
        UnitKind.MONASTERY,
        UnitKind.BARRACKS,
    },
    UnitKind.COUNTY: {
        UnitKind.TOWNSHIP,
        UnitKind.DEPARTMENT,
        UnitKind.SCHOOL,
        UnitKind.ENTERPRISE,
        UnitKind.MONASTERY,
        UnitKind.BARRACKS,
    },
    UnitKind.TOWNSHIP: {
        UnitKind.VILLAGE,
        UnitKind.SCHOOL,
        UnitKind.ENTERPRISE,
        UnitKind.MONASTERY,
    },
    UnitKind.VILLAGE: set(),
    UnitKind.DEPARTMENT: {UnitKind.DEPARTMENT, UnitKind.SCHOOL, UnitKind.ENTERPRISE},
    UnitKind.SCHOOL: set(),
    UnitKind.ENTERPRISE: set(),
    UnitKind.MONASTERY: set(),
    UnitKind.BARRACKS: set(),
    UnitKind.PARTY_COMMITTEE: {UnitKind.PARTY_GENERAL_BRANCH, UnitKind.PARTY_BRANCH},
    UnitKind.PARTY_GENERAL_BRANCH: {UnitKind.PARTY_BRANCH},
    UnitKind.PARTY_BRANCH: set(),
}
for _kind in _ANY_NON_PARTY:
    ALLOWED_CHILDREN[_kind] |= {UnitKind.PARTY_COMMITTEE, UnitKind.PARTY_GENERAL_BRANCH, UnitKind.PARTY_BRANCH}

UNIT_FIELDS = ("name_zh", "name_bo", "kind", "party_members", "headcount")


def _require_in_scope(actor: Any, unit: Unit, field: str) -> None:
    if not path_in_scope(actor, unit.path):
        raise ValidationError({field: _("No unit with this code in your scope.")})


def _check_kind(parent: Unit | None, kind: str, field: str = "kind") -> None:
    if kind not in UnitKind.values:
        raise ValidationError({field: _("Unknown kind of unit.")})
    if parent is not None and kind not in ALLOWED_CHILDREN[parent.kind]:
        raise ValidationError(
            {
                field: _("A %(child)s cannot stand under a %(parent)s.")
                % {"child": UnitKind(kind).label, "parent": UnitKind(parent.kind).label}
            }
        )


def _check_names(name_zh: str, name_bo: str) -> None:
    errors = {}
    if not (name_zh or "").strip():
        errors["name_zh"] = _("The Chinese name is required.")
    if not (name_bo or "").strip():
        errors["name_bo"] = _("The Tibetan name is required.")
    if errors:
        raise ValidationError(errors)


def unit_by_code(code: str, *, field: str = "code") -> Unit:
    try:
        return Unit.objects.get(code=(code or "").strip())
    except Unit.DoesNotExist as exc:
        raise ValidationError({field: _("No unit with code %(code)s.") % {"code": code}}) from exc


@transaction.atomic
def create_unit(
    *,
    actor: Any,
    parent: Unit,
    code: str,
    name_zh: str,
    name_bo: str,
    kind: str,
    party_members: int = 0,
    headcount: int | None = None,
) -> Unit:
    _require_in_scope(actor, parent, "parent")
    code = (code or "").strip()
    if not code:
        raise ValidationError({"code": _("The code is required.")})
    if Unit.objects.filter(code=code).exists():
        raise ValidationError({"code": _("Code %(code)s is already used.") % {"code": code}})
    _check_names(name_zh, name_bo)
    values = clean_unit(
        {
            "code": code,
            "name_zh": name_zh,
            "name_bo": name_bo,
            "party_members": party_members,
            "headcount": headcount,
        }
    )
    _check_kind(parent, kind)
    parent.refresh_from_db()
    return Unit.objects.add_child(
        parent,
        create_kwargs={
            **values,
            "kind": kind,
            "region_code": _region_code_under(parent),
        },
    )


def _region_code_under(parent: Unit | None) -> str:
    if parent is None:
        return ""
    if parent.depth == 1:
        return parent.code
    return parent.region_code


@transaction.atomic
def create_root_unit(*, code: str, name_zh: str, name_bo: str, kind: str) -> Unit:
    """A top-level unit (a city or a region). Only set-up commands call this."""
    if Unit.objects.filter(code=code).exists():
        raise ValidationError({"code": _("Code %(code)s is already used.") % {"code": code}})
    _check_names(name_zh, name_bo)
    return Unit.objects.add_root(
        create_kwargs={"code": code, "name_zh": name_zh, "name_bo": name_bo, "kind": kind, "region_code": code}
    )


@transaction.atomic
def update_unit(*, actor: Any, unit: Unit, expected_version: int | None = None, **fields: Any) -> Unit:
    _require_in_scope(actor, unit, "code")
    unknown = set(fields) - set(UNIT_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {sorted(unknown)}")
    merged = {f: fields.get(f, getattr(unit, f)) for f in UNIT_FIELDS}
    _check_names(merged["name_zh"], merged["name_bo"])
    fields = {**fields, **clean_unit({f: v for f, v in fields.items() if f != "kind"})}
    if "kind" in fields and fields["kind"] != unit.kind:
        parent = Unit.objects.get_parent(unit)
        _check_kind(parent, fields["kind"])
        for child in Unit.objects.get_children(unit):
            if child.kind not in ALLOWED_CHILDREN[fields["kind"]]:
                raise ValidationError({"kind": _("The units below this one do not fit the new kind.")})
    changed = [f for f in UNIT_FIELDS if f in fields and getattr(unit, f) != fields[f]]
    for f in changed:
        setattr(unit, f, fields[f].strip() if isinstance(fields[f], str) else fields[f])
    if changed:
        before = Unit.objects.get(pk=unit.pk)
        save_versioned(unit, changed, expected_version=expected_version)
        # The audit log records the change with its before and after values.
        LogEntry.objects.log_create(
            unit,
            action=LogEntry.Action.UPDATE,
            changes={f: [str(getattr(before, f)), str(getattr(unit, f))] for f in changed},
        )
    return unit


@transaction.atomic
def move_unit(*, actor: Any, unit: Unit, new_parent: Unit) -> Unit:
    """Move a unit (and everything below it) under another unit in the actor's scope."""
    _require_in_scope(actor, unit, "code")
    _require_in_scope(actor, new_parent, "parent")
    if unit.depth == 1 or (actor.unit_id == unit.pk and not actor.is_superuser):
        raise ValidationError({"code": _("Your own top unit cannot be moved.")})
    if new_parent.path.startswith(unit.path):
        raise ValidationError({"parent": _("A unit cannot be moved under itself or one of its own descendants.")})
    _check_kind(new_parent, unit.kind, field="parent")
    old_ancestor_ids = list(Unit.objects.filter(path__in=unit.ancestor_paths()[:-1]).values_list("pk", flat=True))
    Unit.objects.move(unit, new_parent, pos="sorted-child")
    unit.refresh_from_db()
    region = _region_code_under(new_parent)
    unit.subtree().exclude(region_code=region).update(region_code=region)
    unit.refresh_from_db()
    unit_moved.send(sender=Unit, unit=unit, old_ancestor_ids=old_ancestor_ids)
    return unit


@transaction.atomic
def close_unit(*, actor: Any, unit: Unit, closed_on: datetime.date, merged_into: Unit | None = None) -> Unit:
    """Close a unit (and mark it merged, where it was). Its rows stay valid and counted in
    the history; a closed unit is no longer expected to report."""
    _require_in_scope(actor, unit, "code")
    if merged_into is not None:
        _require_in_scope(actor, merged_into, "merged_into")
        if merged_into.pk == unit.pk or merged_into.path.startswith(unit.path):
            raise ValidationError({"merged_into": _("A unit cannot merge into itself or a unit below it.")})
    if actor.unit_id == unit.pk:
        raise ValidationError({"code": _("Your own top unit cannot be closed.")})
    unit.active = False
    unit.closed_on = closed_on
    unit.merged_into = merged_into
    unit.save(update_fields=["active", "closed_on", "merged_into"])
    return unit


@transaction.atomic
def create_person(
    *,
    actor: Any,
    unit: Unit,
    name_zh: str,
    name_bo: str = "",
    rank: str,
    post: str = "",
    party_member: bool = True,
) -> Person:
    _require_in_scope(actor, unit, "unit")
    if not (name_zh or "").strip():
        raise ValidationError({"name_zh": _("The Chinese name is required.")})
    return Person.objects.create(
        unit=unit,
        name_zh=name_zh.strip(),
        name_bo=(name_bo or "").strip(),
        rank=rank,
        post=post,
        party_member=party_member,
    )


ASSIGNABLE_ROLES = (Role.OFFICE_ADMIN, Role.REPORTER, Role.LEADER, Role.SUPERVISOR, Role.PARTICIPANT)


@transaction.atomic
def create_account(
    *,
    actor: Any,
    username: str,
    unit: Unit,
    role: str,
    password: str,
    display_name: str = "",
    person: Person | None = None,
) -> Account:
    """An office admin creates an account for a unit in its own subtree."""
    if not (actor.is_superuser or actor.role == Role.OFFICE_ADMIN):
        raise ValidationError({"role": _("Only an office admin creates accounts.")})
    _require_in_scope(actor, unit, "unit")
    username = (username or "").strip()
    errors: dict[str, str] = {}
    if not username:
        errors["username"] = _("The username is required.")
    elif Account.objects.filter(username__iexact=username).exists():
        errors["username"] = _("The username %(username)s is already taken.") % {"username": username}
    if role not in ASSIGNABLE_ROLES:
        errors["role"] = _("Unknown role.")
    if person is not None and not path_in_scope(actor, person.unit.path):
        errors["person"] = _("This person is outside your scope.")
    if errors:
        raise ValidationError(errors)
    account = Account(username=username, unit=unit, role=role, display_name=display_name, person=person)
    try:
        validate_password(password, account)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    account.set_password(password)
    account.save()
    return account


@transaction.atomic
def set_account_active(*, actor: Any, account: Account, active: bool) -> Account:
    if not (actor.is_superuser or actor.role == Role.OFFICE_ADMIN):
        raise ValidationError({"role": _("Only an office admin enables or disables accounts.")})
    if account.unit is None or not path_in_scope(actor, account.unit.path):
        raise ValidationError({"unit": _("This account is outside your scope.")})
    if account.pk == actor.pk:
        raise ValidationError({"active": _("You cannot disable your own account.")})
    if account.is_active != active:
        account.is_active = active
        account.save(update_fields=["is_active"])
    return account


@transaction.atomic
def unlock_account(*, actor: Any, account: Account) -> int:
    """Lift the lock that repeated failed log-ins put on an account; returns the number of
    failure records removed. Recorded in the account's history."""
    from auditlog.context import set_actor
    from auditlog.models import LogEntry
    from axes.utils import reset

    if not (actor.is_superuser or actor.role == Role.OFFICE_ADMIN):
        raise ValidationError({"role": _("Only an office admin unlocks accounts.")})
    if account.unit is None or not path_in_scope(actor, account.unit.path):
        raise ValidationError({"unit": _("This account is outside your scope.")})
    removed = reset(username=account.username)
    with set_actor(actor):
        LogEntry.objects.log_create(
            account, action=LogEntry.Action.UPDATE, changes={"locked": ["true", "false"]}, force_log=True
        )
    return removed
