from auditlog.registry import auditlog

from reports.models import PublishedReport, ReportDraft

auditlog.register(ReportDraft)
# A published report never changes; its creation is its history.
auditlog.register(PublishedReport, include_fields=["sha256"])
# ReportBuild is a job record (progress counters), not campaign data, and is not audited.
