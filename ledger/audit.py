from auditlog.registry import auditlog

from ledger.models import Activity, ActivityKind, DefinedIndicator, Evidence, ImportJob, ReportingPeriod

auditlog.register(ActivityKind)
auditlog.register(Activity)
auditlog.register(Evidence)
auditlog.register(ReportingPeriod)
# An import is recorded as one entry for its batch (see services.import_activities); its
# progress counters change many times and are not worth a history of their own.
auditlog.register(ImportJob, include_fields=["status", "created"])
# ActivityRollup is derived from the activities (which are audited) and is not registered.
auditlog.register(DefinedIndicator, m2m_fields={"kinds"})
