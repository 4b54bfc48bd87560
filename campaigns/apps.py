from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Campaigns")
    nav_section = (70, _("Supervision"), "campaigns:supervision", ("office_admin", "leader", "supervisor"))
    # An office sets up, copies, exports and imports campaigns (campaigns/setup_views.py).
    nav_sections = [(75, _("Campaign set-up"), "campaigns:setup_list", ("office_admin",))]

    def ready(self) -> None:
        from campaigns import frame, tallies, transfer
        from campaigns.selectors import covered_unit_paths
        from orgs.choices import Role
        from orgs.scope import register_role_scope

        # A supervisor sees the units its supervision groups cover.
        register_role_scope(Role.SUPERVISOR.value, covered_unit_paths)
        # The tallies follow every write of the rows the domain apps declare (TALLIES).
        tallies.connect()
        # The leading group and the supervision groups, as a part of a campaign's set-up.
        transfer.register(frame.PART)
