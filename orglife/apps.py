from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrglifeConfig(AppConfig):
    name = "orglife"
    verbose_name = _("Organisational life")
    nav_section = (50, _("Organisational life"), "orglife:index", None)

    def ready(self) -> None:
        from campaigns import transfer as campaign_transfer
        from orglife import transfer

        # The campaign's meeting notices, as a part of its set-up.
        campaign_transfer.register(transfer.PART)

    def ensure_reference_data(self) -> None:
        """The finding categories the data migration writes; put back after a flush."""
        from orglife.services import ensure_default_categories

        ensure_default_categories()
