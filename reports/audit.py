from auditlog.registry import auditlog

from reports.models import PublishedReport, ReportDraft, ReportTemplate

auditlog.register(ReportDraft)
# A published report never changes; its creation is its history.
auditlog.register(PublishedReport, include_fields=["sha256"])
# The office's edits of the report's sections and sentences, each with its version.
auditlog.register(ReportTemplate)
# ReportBuild is a job record (progress counters), not campaign data, and is not audited.
