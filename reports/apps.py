from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")
    # (order, label, url name, roles that see it); see shell.context_processors.
    nav_section = (80, _("Reports"), "reports:index", ("office_admin", "leader", "supervisor", "reporter"))
    # A panel on the data-quality page of the reporting burden: (template, "module.function"
    # taking the request and the unit, giving the panel's context or None).
    burden_panel = ("reports/_burden_panel.html", "reports.views.burden_panel")

    def ready(self) -> None:
        # The report template travels with a campaign's set-up (copy, export).
        from reports import transfer

        transfer.register()
