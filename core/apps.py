from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "xuejiao"
    periodic_tasks = {"core.tasks.end_stale_jobs": 600}

    def ready(self) -> None:
        # Each app registers its models with the audit log in its own ``audit`` module.
        autodiscover_modules("audit")

        from auditlog.models import LogEntry
        from django.db.models.signals import pre_save

        from core.middleware import stamp_audit_entry

        pre_save.connect(stamp_audit_entry, sender=LogEntry, dispatch_uid="core.stamp_audit_entry")
