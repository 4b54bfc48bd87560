"""What the ledger shows on other apps' pages (declared on ``LedgerConfig``; see
``core.panels``)."""

from __future__ import annotations

from ledger.models import Activity


def pairing_panel(request, pairing) -> dict:
    """On a pairing's page (concerns): its pairing activities — theme days and volunteering,
    the ledger's ``pairing`` family — recorded by the city organisation or its branches."""
    count = Activity.objects.filter(unit__path__startswith=pairing.city_org.path, kind__family="pairing").count()
    return {"activities": count}
