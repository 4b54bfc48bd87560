from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "quality"
    verbose_name = _("Data quality")
    nav_section = (75, _("Data quality"), "quality:index", ("office_admin", "leader", "supervisor"))

    def ready(self) -> None:
        from quality import checks, signals

        checks.discover()  # every app's quality_checks.CHECKS
        signals.connect()

    def ensure_reference_data(self) -> None:
        """The catalogue of checks the data migration writes; put back after a flush."""
        from quality.catalogue import ensure_checks

        ensure_checks()
