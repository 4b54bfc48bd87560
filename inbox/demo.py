"""The demo's notices: the latest steps of the demo's concerns and measures, announced as
they would have been when they were taken, so that each account finds a few unread notices
beside its work waiting. The work waiting itself needs nothing: it is read from the records."""

from __future__ import annotations

from concerns.models import ConcernEvent
from core.seeding import DemoContext
from inbox import receivers
from inbox.models import Notice
from orglife.choices import MeasureStatus
from orglife.models import Measure

# How many of the latest steps are announced.
CONCERN_STEPS = 300
MEASURES_DONE = 60


def build(ctx: DemoContext) -> None:
    """Nothing before the other apps' records exist (see ``finish``)."""


def finish(ctx: DemoContext) -> None:
    events = (
        ConcernEvent.objects.filter(kind__in=list(receivers.CONCERN_EVENTS))
        .select_related("concern__unit", "concern__handling_unit", "actor")
        .order_by("-at", "-pk")[:CONCERN_STEPS]
    )
    for event in reversed(list(events)):
        receivers.on_concern_moved(ConcernEvent, event=event, concern=event.concern)
    measures = Measure.objects.filter(status=MeasureStatus.DONE).select_related("unit").order_by("-done_on", "-pk")
    for measure in measures[:MEASURES_DONE]:
        receivers.on_measure_moved(Measure, measure=measure, step="done", actor=None)
    ctx.log(f"  notices: {Notice.objects.count()}")
