from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Campaigns")
    nav_section = (70, _("Supervision"), "campaigns:supervision", ("office_admin", "leader", "supervisor"))
