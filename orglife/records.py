"""The definitions of organisational life's records, once: a finding (with its first
measure, as a row of a batch or an import), a heart-to-heart talk, a measure and a
meeting. Forms, the xlsx imports and the API parse through them.

The finding's field names are the columns of its import, so a header is matched by name in
any of the three languages (``FINDING.headers()``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.records import Count, Day, Record, Text

MAX_TEXT = 4000
NAME_LENGTH = 120
ATTENDEES_MAX = 10_000  # members at one organisation's meeting; a large branch has a few hundred

FINDING = Record(
    _("finding"),
    person=Text(_("Person"), max_length=NAME_LENGTH),
    category=Text(pgettext_lazy("orglife", "Category"), max_length=80),
    problem=Text(_("Problem"), max_length=MAX_TEXT, multiline=True, required=True),
    measure=Text(_("Measure"), max_length=MAX_TEXT, multiline=True),
    responsible=Text(_("Responsible"), max_length=NAME_LENGTH),
    deadline=Day(_("Deadline")),
)

TALK = Record(
    _("talk"),
    unit=Text(_("Unit code"), max_length=32, required=True),
    date=Day(_("Date"), required=True, in_campaign=True),
    name_a=Text(_("Talked"), max_length=NAME_LENGTH, required=True),
    name_b=Text(_("With"), max_length=NAME_LENGTH, required=True),
)

MEASURE = Record(
    _("measure"),
    text=Text(_("Measure"), max_length=MAX_TEXT, multiline=True, required=True),
    owner=Text(_("Responsible"), max_length=NAME_LENGTH, required=True),
    deadline=Day(_("Deadline"), required=True),
    evidence_note=Text(_("Evidence (written account)"), max_length=MAX_TEXT, multiline=True),
    reason=Text(_("Reason"), max_length=MAX_TEXT, multiline=True),
)

MEETING = Record(
    _("meeting"),
    place=Text(_("Place"), max_length=200),
    chair_name=Text(_("Chaired by"), max_length=NAME_LENGTH),
    attendee_count=Count(_("Members attending"), max=ATTENDEES_MAX),
    agenda=Text(_("Agenda"), max_length=MAX_TEXT, multiline=True),
)
