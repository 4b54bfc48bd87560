"""Which kinds of activity a campaign uses and which defined indicators it shows: the part
of a campaign's set-up that the ledger keeps (``ActivityKind.campaigns``,
``DefinedIndicator.campaigns``). The campaign's own set-up pages are the campaigns app's;
this one is linked from them by a panel (``LedgerConfig.campaign_setup_panel``).

A change is recorded as an audit entry of the campaign that names the kinds or indicators
added and removed (auditlog's ``log_m2m_changes``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from campaigns.indicators import indicators_changed
from campaigns.models import Campaign
from campaigns.services import may_set_up
from ledger.models import ActivityKind, DefinedIndicator


def link(campaign: Campaign, field: str, rows: Iterable[Any]) -> None:
    """Make ``campaign.<field>`` (``activity_kinds`` or ``defined_indicators``) exactly
    ``rows``, recording what was added and removed on the campaign's history."""
    manager = getattr(campaign, field)
    model = manager.model
    wanted = {row.pk for row in rows}
    held = set(manager.values_list("pk", flat=True))
    added, removed = wanted - held, held - wanted
    if added:
        manager.add(*added)
        LogEntry.objects.log_m2m_changes(model.objects.filter(pk__in=added), campaign, "add", field)
    if removed:
        manager.remove(*removed)
        LogEntry.objects.log_m2m_changes(model.objects.filter(pk__in=removed), campaign, "delete", field)


def add_links(campaign: Campaign, field: str, rows: Iterable[Any]) -> None:
    """Add ``rows`` to ``campaign.<field>``, keeping what it holds."""
    held = list(getattr(campaign, field).all())
    link(campaign, field, [*held, *rows])


@transaction.atomic
def set_campaign_catalogue(
    *, actor: Any, campaign: Campaign, kinds: Iterable[ActivityKind], indicators: Iterable[DefinedIndicator]
) -> None:
    """The kinds of activity the campaign's units record and the defined indicators its
    dashboards and reports show."""
    if not may_set_up(actor, campaign.root_unit):
        raise ValidationError({"kinds": _("Only an office whose scope holds the campaign's root sets it up.")})
    kinds, indicators = list(kinds), list(indicators)
    if not kinds:
        raise ValidationError({"kinds": _("Choose at least one kind of activity.")})
    chosen = {k.pk for k in kinds}
    missing = [
        i.code
        for i in indicators
        if i.measure != DefinedIndicator.Measure.RATE
        and i.source == DefinedIndicator.LEDGER
        and not any(k.pk in chosen for k in i.kinds.all())
    ]
    if missing:
        raise ValidationError(
            {
                "indicators": _("These indicators count none of the chosen kinds: %(codes)s.")
                % {"codes": ", ".join(missing)}
            }
        )
    link(campaign, "activity_kinds", kinds)
    link(campaign, "defined_indicators", indicators)
    indicators_changed.send(sender=DefinedIndicator)
