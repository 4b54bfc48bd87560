"""The definition of a concern's fields, once: the form, the API and Open311 parse through
``CONCERN`` (by way of ``services.record_concern``), so a description with control
characters or beyond its length is refused at every door alike."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from concerns.choices import ConcernSource
from core.records import Choice, Count, Day, Record, Text

CONCERN = Record(
    _("concern"),
    source=Choice(pgettext_lazy("concern", "Source"), choices=ConcernSource, required=True),
    description=Text(_("Description"), max_length=4000, multiline=True, required=True),
    raised_by=Text(_("Raised by"), max_length=60, required=True),
    contact=Text(_("Contact (optional)"), max_length=120),
    collected_on=Day(_("Collected on"), required=True),
)

MILESTONE = Record(
    _("milestone"),
    title_zh=Text(_("Milestone (Chinese)"), max_length=120, required=True),
    title_bo=Text(_("Milestone (Tibetan)"), max_length=240),
    due=Day(_("Due"), required=True),
    weight=Count(_("Weight"), min=1, max=100, default=1),
)
