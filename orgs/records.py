"""The definition of a unit's fields, once: the unit form, the API and the services parse
through ``UNIT``. The ceilings are a campaign's: a region's whole population is a few
million, its party members a few hundred thousand."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.records import Choice, Count, Record, Text
from orgs.choices import UnitKind

PARTY_MEMBERS_MAX = 1_000_000
HEADCOUNT_MAX = 10_000_000

UNIT = Record(
    _("unit"),
    code=Text(_("Code"), max_length=32, required=True),
    name_zh=Text(_("Name (Chinese)"), max_length=120, required=True),
    name_bo=Text(_("Name (Tibetan)"), max_length=240),
    kind=Choice(_("Kind"), choices=UnitKind, required=True),
    party_members=Count(_("Party members"), max=PARTY_MEMBERS_MAX),
    headcount=Count(_("Headcount"), max=HEADCOUNT_MAX, default=None),  # None: not known
)


def clean_unit(data: dict) -> dict:
    """The fields of ``data`` that ``UNIT`` defines, parsed through it."""
    return UNIT.clean(data, only=[n for n in data if n in UNIT.fields])
