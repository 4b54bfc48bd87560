from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "xuejiao"

    def ready(self) -> None:
        # Each app registers its models with the audit log in its own ``audit`` module.
        autodiscover_modules("audit")
