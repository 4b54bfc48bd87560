from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "orgs"
    verbose_name = _("Organisation")
    # (order, label, url name, roles that see it); see core.context_processors.
    nav_section = (10, _("Organisation"), "orgs:unit_tree", None)
