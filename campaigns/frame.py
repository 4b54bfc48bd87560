"""The campaign's frame as a part of its set-up document (``campaigns.frame``): the leading
group and its office, and the supervision groups with their heads, members, accounts and
covered units. People are named by their unit's code, Chinese name and post, accounts by
user name and units by code, never by primary key, so that the rows mean the same in
another database that has the same units and people."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from campaigns import services
from campaigns.choices import LeadingPost
from campaigns.models import Campaign
from campaigns.transfer import Context, Part, RowReader, Rows
from orgs.models import Account, Person, Unit

NAME = "campaigns.frame"
LEADING = "leading_member"
GROUP = "supervision_group"


def person_ref(person: Person) -> dict[str, str]:
    return {"unit": person.unit.code, "name_zh": person.name_zh, "post": person.post}


def dump(campaign: Campaign) -> Rows:
    rows: Rows = []
    for member in campaign.leading_members.select_related("person__unit").order_by("order", "pk"):
        rows.append(
            {
                "type": LEADING,
                "person": person_ref(member.person),
                "post": member.post,
                "title": member.title,
                "order": member.order,
            }
        )
    groups = campaign.supervision_groups.select_related("head__unit").prefetch_related(
        "members__unit", "accounts", "units"
    )
    for group in groups.order_by("number"):
        rows.append(
            {
                "type": GROUP,
                "number": group.number,
                "head": person_ref(group.head),
                "members": [person_ref(p) for p in sorted(group.members.all(), key=lambda p: (p.unit.code, p.name_zh))],
                "accounts": sorted(a.username for a in group.accounts.all()),
                "units": sorted(u.code for u in group.units.all()),
            }
        )
    return rows


class _People:
    """Finds the people rows name, once each."""

    def __init__(self, reader: RowReader, campaign: Campaign) -> None:
        self.reader = reader
        self.campaign = campaign
        self.found: dict[tuple[str, str, str], Person | None] = {}

    def one(self, n: int, name: str, ref: Any) -> Person | None:
        if not isinstance(ref, dict):
            self.reader.problem(n, name, _("Name a person as an object with “unit”, “name_zh” and “post”."))
            return None
        parts = []
        for key, limit in (("unit", 32), ("name_zh", 60), ("post", 120)):
            value = ref.get(key, "")
            if not isinstance(value, str) or len(value) > limit:
                self.reader.problem(n, name, _("Name a person as an object with “unit”, “name_zh” and “post”."))
                return None
            parts.append(value.strip())
        key3 = (parts[0], parts[1], parts[2])
        if key3 not in self.found:
            people = list(Person.objects.filter(unit__code=key3[0], name_zh=key3[1]).select_related("unit")[:20])
            if len(people) > 1:
                people = [p for p in people if p.post == key3[2]]
            self.found[key3] = people[0] if len(people) == 1 else None
        person = self.found[key3]
        if person is None:
            self.reader.problem(
                n,
                name,
                _("No single person %(name)s of unit %(unit)s is known here.") % {"name": key3[1], "unit": key3[0]},
            )
        elif not services.in_subtree(self.campaign, person.unit):
            self.reader.problem(n, name, _("%(name)s is outside the campaign.") % {"name": person.name})
            return None
        return person

    def many(self, n: int, name: str, refs: Any) -> list[Person]:
        if not isinstance(refs, list) or len(refs) > 1000:
            self.reader.problem(n, name, _("Enter a list of people."))
            return []
        found = [self.one(n, name, ref) for ref in refs]
        return [p for p in found if p is not None]


def _lookup(reader: RowReader, n: int, name: str, model: Any, field: str, values: list[str]) -> list[Any]:
    rows = {getattr(r, field): r for r in model.objects.filter(**{f"{field}__in": values})}
    missing = [v for v in values if v not in rows]
    if missing:
        reader.problem(n, name, _("Not known here: %(names)s.") % {"names": ", ".join(missing[:10])})
    return [rows[v] for v in values if v in rows]


def load(campaign: Campaign, rows: Rows, context: Context) -> None:
    reader = RowReader(NAME)
    people = _People(reader, campaign)
    writes: list[tuple[int, str, dict[str, Any]]] = []
    for n, row in reader.rows(rows):
        kind = row.get("type")
        if kind == LEADING:
            person = people.one(n, "person", row.get("person"))
            values = {
                "person": person,
                "post": reader.choice(n, row, "post", LeadingPost),
                "title": reader.text(n, row, "title", max_length=120),
                "order": reader.count(n, row, "order", most=999),
            }
            writes.append((n, LEADING, values))
        elif kind == GROUP:
            values = {
                "number": reader.count(n, row, "number", least=1, most=services.MAX_GROUP_NUMBER, required=True),
                "head": people.one(n, "head", row.get("head")),
                "members": people.many(n, "members", row.get("members", [])),
                "accounts": _lookup(
                    reader, n, "accounts", Account, "username", reader.texts(n, row, "accounts", max_length=150)
                ),
                "units": _lookup(reader, n, "units", Unit, "code", reader.texts(n, row, "units", max_length=32)),
            }
            writes.append((n, GROUP, values))
        else:
            reader.problem(n, "type", _("Must be “%(a)s” or “%(b)s”.") % {"a": LEADING, "b": GROUP})
    reader.check()
    for n, kind, values in writes:
        try:
            if kind == LEADING:
                services.add_leading_member(actor=context.actor, campaign=campaign, **values)
            else:
                services.save_group(actor=context.actor, campaign=campaign, **values)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    reader.problem(n, name, message)
    reader.check()


PART = Part(name=NAME, dump=dump, load=load, order=10)
