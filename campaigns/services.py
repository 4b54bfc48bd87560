"""Writes of a campaign's set-up: the campaign itself, its leading group and its supervision
groups, written by the office whose scope holds the campaign's root (or a superuser); and a
whole set-up copied from another campaign or read from a document (``campaigns.transfer``).

Every function checks the actor and the campaign's subtree again, refuses with a
``ValidationError`` keyed by field, and runs in one transaction; the rows are audited as
registered (``campaigns/audit.py``)."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from campaigns import transfer
from campaigns.choices import CampaignStatus, LeadingPost
from campaigns.indicators import indicators_changed
from campaigns.models import Campaign, LeadingGroupMember, SupervisionGroup
from core import records
from orgs.choices import Role
from orgs.models import Account, Person, Unit
from orgs.scope import path_in_scope

CAMPAIGN_TEXTS = {
    "name_zh": records.Text(max_length=120, required=True),
    "name_bo": records.Text(max_length=240, required=True),
    "goal_words_zh": records.Text(max_length=240),
    "goal_words_bo": records.Text(max_length=480),
}
MAX_GROUP_NUMBER = 999


def may_set_up(actor: Any, unit: Unit | None = None) -> bool:
    """Whether ``actor`` sets up campaigns (rooted at ``unit``, when given): an office admin
    whose scope holds the unit, or a superuser."""
    if not actor.is_authenticated:
        return False
    if actor.is_superuser:
        return True
    if actor.role != Role.OFFICE_ADMIN:
        return False
    return unit is None or path_in_scope(actor, unit.path)


def _require(actor: Any, unit: Unit, field: str = "root_unit") -> None:
    if not may_set_up(actor, unit):
        raise ValidationError({field: _("Only an office whose scope holds the campaign's root sets it up.")})


def in_subtree(campaign: Campaign, unit: Unit | None) -> bool:
    return unit is not None and unit.path.startswith(campaign.root_unit.path)


def _texts(data: dict[str, Any], errors: dict[str, str]) -> dict[str, str]:
    out = {}
    for name, spec in CAMPAIGN_TEXTS.items():
        try:
            out[name] = spec.parse(data.get(name, ""))
        except records.Refused as exc:
            errors[name] = exc.message
    return out


def _period(start: Any, end: Any, errors: dict[str, str]) -> None:
    if not isinstance(start, datetime.date):
        errors["start"] = _("Enter the day the campaign starts.")
    if not isinstance(end, datetime.date):
        errors["end"] = _("Enter the day the campaign ends.")
    if isinstance(start, datetime.date) and isinstance(end, datetime.date) and end < start:
        errors["end"] = _("The campaign cannot end before it starts (%(start)s).") % {"start": start.isoformat()}


def _check_campaign(actor: Any, data: dict[str, Any], campaign: Campaign | None = None) -> dict[str, Any]:
    errors: dict[str, str] = {}
    values: dict[str, Any] = _texts(data, errors)
    _period(data.get("start"), data.get("end"), errors)
    root = data.get("root_unit")
    office = data.get("office_unit")
    status = data.get("status") or CampaignStatus.DRAFT
    if not isinstance(root, Unit):
        errors["root_unit"] = _("Choose the unit whose whole subtree runs the campaign.")
    elif not may_set_up(actor, root):
        errors["root_unit"] = _("Choose a unit in your scope.")
    if office is not None and isinstance(root, Unit) and not office.path.startswith(root.path):
        errors["office_unit"] = _("The office must be the root unit or a unit below it.")
    if status not in CampaignStatus.values:
        errors["status"] = _("Not one of the choices.")
    if campaign is not None and isinstance(root, Unit) and root.pk != campaign.root_unit_id and not errors:
        outside = _outside(campaign, root)
        if outside:
            errors["root_unit"] = _(
                "The leading group or the supervision groups name units outside this unit: %(names)s."
            ) % {"names": ", ".join(outside[:5])}
    if errors:
        raise ValidationError(errors)
    values.update(start=data["start"], end=data["end"], root_unit=root, office_unit=office, status=status)
    return values


def _outside(campaign: Campaign, root: Unit) -> list[str]:
    """Names of the frame's people and units that would lie outside ``root``."""
    names = []
    for member in campaign.leading_members.select_related("person__unit"):
        if not member.person.unit.path.startswith(root.path):
            names.append(member.person.name)
    for group in campaign.supervision_groups.select_related("head__unit").prefetch_related("units"):
        if not group.head.unit.path.startswith(root.path):
            names.append(group.head.name)
        names += [u.name for u in group.units.all() if not u.path.startswith(root.path)]
    return names


@transaction.atomic
def create_campaign(*, actor: Any, **data: Any) -> Campaign:
    """A new campaign with no leading group, groups or kinds yet: the set-up pages add them."""
    values = _check_campaign(actor, data)
    return Campaign.objects.create(**values)


@transaction.atomic
def update_campaign(*, actor: Any, campaign: Campaign, **data: Any) -> Campaign:
    _require(actor, campaign.root_unit)
    values = _check_campaign(actor, data, campaign)
    for name, value in values.items():
        setattr(campaign, name, value)
    campaign.save()
    return campaign


# --- the leading group and its office ----------------------------------------------------------


def _check_member(
    campaign: Campaign, person: Any, post: Any, title: Any, order: Any, member: LeadingGroupMember | None = None
) -> dict[str, Any]:
    errors: dict[str, str] = {}
    if not isinstance(person, Person) or not in_subtree(campaign, person.unit):
        errors["person"] = _("Choose a person of a unit of the campaign.")
    if post not in LeadingPost.values:
        errors["post"] = _("Not one of the choices.")
    try:
        title = records.Text(max_length=120).parse(title or "")
    except records.Refused as exc:
        errors["title"] = exc.message
    try:
        order = records.Count(max=999).parse(order)
    except records.Refused as exc:
        errors["order"] = exc.message
    if not errors:
        taken = LeadingGroupMember.objects.filter(campaign=campaign, person=person, post=post)
        if member is not None:
            taken = taken.exclude(pk=member.pk)
        if taken.exists():
            errors["person"] = _("%(name)s already holds this post in the leading group.") % {"name": person.name}
    if errors:
        raise ValidationError(errors)
    return {"person": person, "post": post, "title": title, "order": order}


@transaction.atomic
def add_leading_member(
    *, actor: Any, campaign: Campaign, person: Person, post: str, title: str = "", order: int = 0
) -> LeadingGroupMember:
    _require(actor, campaign.root_unit)
    values = _check_member(campaign, person, post, title, order)
    return LeadingGroupMember.objects.create(campaign=campaign, **values)


@transaction.atomic
def update_leading_member(
    *, actor: Any, member: LeadingGroupMember, person: Person, post: str, title: str = "", order: int = 0
) -> LeadingGroupMember:
    campaign = member.campaign
    _require(actor, campaign.root_unit)
    values = _check_member(campaign, person, post, title, order, member)
    for name, value in values.items():
        setattr(member, name, value)
    member.save()
    return member


@transaction.atomic
def remove_leading_member(*, actor: Any, member: LeadingGroupMember) -> None:
    _require(actor, member.campaign.root_unit)
    member.delete()


# --- supervision groups ----------------------------------------------------------------------


def _check_group(
    campaign: Campaign,
    *,
    number: Any,
    head: Any,
    members: list[Person],
    accounts: list[Account],
    units: list[Unit],
    group: SupervisionGroup | None = None,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    try:
        number = records.Count(min=1, max=MAX_GROUP_NUMBER, required=True).parse(number)
    except records.Refused as exc:
        errors["number"] = exc.message
    else:
        taken = SupervisionGroup.objects.filter(campaign=campaign, number=number)
        if group is not None:
            taken = taken.exclude(pk=group.pk)
        if taken.exists():
            errors["number"] = _("Group %(number)s exists already.") % {"number": number}
    if not isinstance(head, Person) or not in_subtree(campaign, head.unit):
        errors["head"] = _("Choose a person of a unit of the campaign.")
    outside = [p.name for p in members if not in_subtree(campaign, p.unit)]
    if outside:
        errors["members"] = _("Outside the campaign: %(names)s.") % {"names": ", ".join(outside)}
    outside = [a.username for a in accounts if not in_subtree(campaign, a.unit)]
    if outside:
        errors["accounts"] = _("Outside the campaign: %(names)s.") % {"names": ", ".join(outside)}
    outside = [u.name for u in units if not in_subtree(campaign, u)]
    if outside:
        errors["units"] = _("Outside the campaign: %(names)s.") % {"names": ", ".join(outside)}
    return errors


@transaction.atomic
def save_group(
    *,
    actor: Any,
    campaign: Campaign,
    group: SupervisionGroup | None = None,
    number: int,
    head: Person,
    members: Iterable[Person] = (),
    accounts: Iterable[Account] = (),
    units: Iterable[Unit] = (),
) -> SupervisionGroup:
    """Create a supervision group, or change one: its number, head, members, the accounts
    its members log in with and the units it covers, all inside the campaign."""
    _require(actor, campaign.root_unit)
    members, accounts, units = list(members), list(accounts), list(units)
    errors = _check_group(
        campaign, number=number, head=head, members=members, accounts=accounts, units=units, group=group
    )
    if errors:
        raise ValidationError(errors)
    if group is None:
        group = SupervisionGroup.objects.create(campaign=campaign, number=number, head=head)
    else:
        group.number, group.head = number, head
        group.save()
    group.members.set(members)
    group.accounts.set(accounts)
    group.units.set(units)
    return group


@transaction.atomic
def delete_group(*, actor: Any, group: SupervisionGroup) -> None:
    _require(actor, group.campaign.root_unit)
    try:
        with transaction.atomic():
            group.delete()
    except ProtectedError:
        raise ValidationError({"number": _("This group has recorded inspections; it cannot be removed.")}) from None


# --- copy, export, import ---------------------------------------------------------------------


def _load(campaign: Campaign, parts: dict[str, Any], context: transfer.Context) -> None:
    """Load the parts; on a refusal, whatever a part announced (a defined indicator it
    created, say) is announced again, as the transaction will not keep it."""
    try:
        transfer.load_parts(campaign, parts, context)
    except ValidationError:
        indicators_changed.send(sender=Campaign)
        raise


def _new_from(actor: Any, header: dict[str, Any], **overrides: Any) -> Campaign:
    data = {**header, **{k: v for k, v in overrides.items() if v not in (None, "")}}
    data["status"] = CampaignStatus.DRAFT
    return create_campaign(actor=actor, **data)


@transaction.atomic
def copy_campaign(
    *, actor: Any, source: Campaign, name_zh: str, name_bo: str, start: datetime.date, end: datetime.date
) -> Campaign:
    """A new campaign (a draft) with ``source``'s root, office, goal words and whole set-up
    (every registered part), under new names and a new period; its dated rows move with
    the period. All or nothing."""
    _require(actor, source.root_unit, "source")
    document = json.loads(json.dumps(transfer.dump_document(source)))
    header = {
        "goal_words_zh": source.goal_words_zh,
        "goal_words_bo": source.goal_words_bo,
        "root_unit": source.root_unit,
        "office_unit": source.office_unit,
    }
    campaign = _new_from(actor, header, name_zh=name_zh, name_bo=name_bo, start=start, end=end)
    context = transfer.Context(actor=actor, shift=campaign.start - source.start)
    _load(campaign, document["parts"], context)
    return campaign


def export_document(*, actor: Any, campaign: Campaign) -> dict[str, Any]:
    """The campaign's set-up as one document, for an office that may set it up."""
    _require(actor, campaign.root_unit)
    return transfer.dump_document(campaign)


@transaction.atomic
def import_campaign(
    *,
    actor: Any,
    document: transfer.Document,
    root_unit: Unit | None = None,
    name_zh: str = "",
    name_bo: str = "",
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> Campaign:
    """A new campaign (a draft) from a document read by ``transfer.read_document``: rooted
    at ``root_unit`` or at the unit the document names, under the document's names and
    period unless new ones are given. All or nothing: a problem anywhere writes nothing."""
    header = dict(document.campaign)
    errors: dict[str, str] = {}
    if root_unit is None:
        root_unit = Unit.objects.filter(code=header["root_unit"]).first()
        if root_unit is None or not may_set_up(actor, root_unit):
            errors["root_unit"] = _("The document's root unit %(code)s is not in your scope; choose a unit.") % {
                "code": header["root_unit"]
            }
    office = None
    if header.get("office_unit") and root_unit is not None:
        office = Unit.objects.filter(code=header["office_unit"], path__startswith=root_unit.path).first()
        if office is None:
            errors["file"] = _("campaign: the office unit %(code)s is not a unit under the root.") % {
                "code": header["office_unit"]
            }
    if "root_unit" in errors:
        raise ValidationError(errors)
    source_start = header["start"]
    header.update(root_unit=root_unit, office_unit=office)
    campaign = _new_from(actor, header, name_zh=name_zh, name_bo=name_bo, start=start, end=end)
    context = transfer.Context(actor=actor, shift=campaign.start - source_start)
    # Every part is checked even when the header has a problem, so that one refusal names all.
    try:
        _load(campaign, document.parts, context)
    except ValidationError as exc:
        problems = {key: [str(m) for m in ValidationError(e).messages] for key, e in exc.error_dict.items()}
        for key, message in errors.items():
            problems.setdefault(key, []).insert(0, message)
        raise ValidationError(problems) from None
    if errors:
        indicators_changed.send(sender=Campaign)
        raise ValidationError(errors)
    return campaign
