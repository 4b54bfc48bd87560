from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "ledger"
    verbose_name = _("Learning and lectures")
    # (order, label, url name, roles that see it); see shell.context_processors.
    nav_sections = [
        (20, _("Learning"), "ledger:learning", None),
        (30, _("Lectures"), "ledger:lectures", None),
    ]
    # A pairing's activities, on its page in concerns (see core.panels).
    pairing_panel = ("ledger/_pairing_panel.html", "ledger.panels.pairing_panel")
    # The kinds and indicators a campaign uses, on the campaign's set-up page.
    campaign_setup_panel = ("ledger/_campaign_setup_panel.html", "ledger.campaign_views.setup_panel")

    def ready(self) -> None:
        from campaigns import transfer as campaign_transfer
        from ledger import services
        from ledger import transfer as ledger_transfer
        from orgs.signals import unit_moved

        def follow_move(sender, unit, old_ancestor_ids, **kwargs):
            services.rollups_after_move(unit=unit, old_ancestor_ids=old_ancestor_ids)

        unit_moved.connect(follow_move, weak=False, dispatch_uid="ledger.rollups_after_move")
        # The kinds and defined indicators a campaign uses, as parts of its set-up.
        for part in ledger_transfer.PARTS:
            campaign_transfer.register(part)

    def ensure_reference_data(self) -> None:
        """The seed's kinds of activity, which a data migration writes and a flush removes."""
        from ledger.catalogue import ensure_kinds

        ensure_kinds()
