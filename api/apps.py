from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")
    # The account's own API tokens (its settings page); every staff role may have tokens.
    nav_section = (90, _("API tokens"), "api_tokens", None)
