"""The definition of an activity's fields: type, bounds and choices, once. The entry form,
the xlsx import, the bulk and single API all parse through ``ACTIVITY``.

Bounds are ones a campaign could reach and no typing slip does: a row is one unit's day,
so 10,000 sessions or a million participant-times or copies is already far beyond what the
seed's city did in a year (its largest figure, 207,143 film viewers, is a sum over 4,026
screenings)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.records import Choice, Count, Day, Record, Text
from ledger.choices import Language, OutletLevel, Target, VenueKind

SESSIONS_MAX = 10_000
PARTICIPANTS_MAX = 1_000_000
COPIES_MAX = 1_000_000

ACTIVITY = Record(
    _("activity"),
    date=Day(_("Date"), required=True, in_campaign=True),
    title=Text(pgettext_lazy("ledger", "Title"), max_length=200),
    sessions=Count(pgettext_lazy("ledger", "Sessions"), max=SESSIONS_MAX, default=1),
    participants=Count(_("Participant-times"), max=PARTICIPANTS_MAX),
    venue_kind=Choice(_("Venue kind"), choices=VenueKind),
    language=Choice(_("Language"), choices=Language),
    copies=Count(_("Copies"), max=COPIES_MAX),
    outlet_level=Choice(_("Outlet level"), choices=OutletLevel),
    target=Choice(_("Trained group"), choices=Target),
    lecturers=Text(_("Lecturers"), max_length=300),
    place=Text(_("Place"), max_length=200),
    notes=Text(_("Notes"), max_length=4000, multiline=True),
)
