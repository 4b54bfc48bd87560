"""Organisational life's part of a campaign's set-up document (``orglife.notices``): the
campaign's meeting notices — theme, window, method and steps, the kinds of party
organisation expected, and the unit (by code) whose subtree they call.

A notice loaded into a new campaign moves with its period (``Context.move``: by the days
between the two campaigns' starts, kept inside the new period), so that a copied campaign's
notices call meetings in its own months; the office then adjusts them. Each notice is
issued through ``orglife.services.issue_notice``, checked as on its page."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from campaigns.transfer import Context, Part, RowReader, Rows
from orglife import services
from orglife.models import MeetingNotice
from orgs.models import Unit

NAME = "orglife.notices"


def dump(campaign: Campaign) -> Rows:
    notices = MeetingNotice.objects.filter(campaign=campaign).select_related("root_unit").order_by("issued_on", "pk")
    return [
        {
            "root_unit": n.root_unit.code,
            "theme_zh": n.theme_zh,
            "theme_bo": n.theme_bo,
            "window_from": n.window_from.isoformat(),
            "window_to": n.window_to.isoformat(),
            "method": n.method,
            "steps": n.steps,
            "expected_kinds": list(n.expected_kinds),
            "issued_on": n.issued_on.isoformat(),
        }
        for n in notices
    ]


def load(campaign: Campaign, rows: Rows, context: Context) -> None:
    reader = RowReader(NAME)
    read: list[tuple[int, dict[str, Any]]] = []
    for n, row in reader.rows(rows):
        code = reader.text(n, row, "root_unit", max_length=32, required=True)
        unit = Unit.objects.filter(code=code).first() if code else None
        if code and unit is None:
            reader.problem(n, "root_unit", _("Not known here: %(names)s.") % {"names": code})
        values: dict[str, Any] = {
            "root_unit": unit,
            "theme_zh": reader.text(n, row, "theme_zh", max_length=200, required=True),
            "theme_bo": reader.text(n, row, "theme_bo", max_length=400),
            "method": reader.text(n, row, "method", max_length=4000, multiline=True),
            "steps": reader.text(n, row, "steps", max_length=4000, multiline=True),
            "expected_kinds": reader.texts(n, row, "expected_kinds", max_length=40, max_items=20),
        }
        days = {name: reader.day(n, row, name) for name in ("window_from", "window_to", "issued_on")}
        if all(days.values()):
            values.update({name: context.move(day, campaign) for name, day in days.items() if day is not None})
        read.append((n, values))
    reader.check()
    for n, values in read:
        try:
            services.issue_notice(actor=context.actor, campaign=campaign, **values)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    reader.problem(n, name, message)
    reader.check()


PART = Part(name=NAME, dump=dump, load=load, order=50)
