from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConcernsConfig(AppConfig):
    name = "concerns"
    verbose_name = _("Serving the people")
    nav_section = (40, _("Serving the people"), "concerns:index", None)
    # A panel on the home page: (template, "module.function" giving its context or None).
    home_panel = ("concerns/_overdue.html", "concerns.views.home_panel")

    def ensure_reference_data(self) -> None:
        """The concern categories the data migration writes; put back after a flush."""
        import importlib

        from django.apps import apps

        importlib.import_module("concerns.migrations.0002_categories").add(apps, None)
