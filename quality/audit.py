from auditlog.registry import auditlog

from quality.models import Check, Flag

auditlog.register(Check)
# Flags are raised in bulk by the checks (not recorded one by one); what the log keeps is each
# person's decision on a flag: its status, reason and who decided.
auditlog.register(Flag, include_fields=["status", "reason", "cleared_by", "cleared_at"])
# Runs are bookkeeping of the checks and not audited.
