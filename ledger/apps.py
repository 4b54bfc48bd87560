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

    def ready(self) -> None:
        from ledger import services
        from orgs.signals import unit_moved

        def follow_move(sender, unit, old_ancestor_ids, **kwargs):
            services.rollups_after_move(unit=unit, old_ancestor_ids=old_ancestor_ids)

        unit_moved.connect(follow_move, weak=False, dispatch_uid="ledger.rollups_after_move")
