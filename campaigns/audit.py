from auditlog.registry import auditlog

from campaigns.models import Campaign, LeadingGroupMember, SupervisionGroup

auditlog.register(Campaign)
auditlog.register(LeadingGroupMember)
auditlog.register(SupervisionGroup, m2m_fields={"members", "accounts", "units"})
