from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "orgs"
    verbose_name = _("Organisation")
    # (order, label, url name, roles that see it); see shell.context_processors.
    nav_sections = [
        (10, _("Organisation"), "orgs:unit_tree", None),
        # The account's own API tokens (its settings page); every staff role may have tokens.
        (90, _("API tokens"), "api_tokens", None),
    ]
    # When each API token was last used, from the cache to the tokens (orgs/tokens.py).
    periodic_tasks = {"orgs.tasks.record_token_use": 60}
