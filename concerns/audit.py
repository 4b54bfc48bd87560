from auditlog.registry import auditlog

from concerns.models import (
    Assignment,
    Concern,
    ConcernCategory,
    ConcernEvent,
    KeyItem,
    Milestone,
    Pairing,
    Programme,
    Visit,
)

auditlog.register(Assignment)
auditlog.register(Visit, m2m_fields={"people"})
auditlog.register(ConcernCategory)
auditlog.register(Concern)
auditlog.register(ConcernEvent)
auditlog.register(Programme)
auditlog.register(KeyItem, m2m_fields={"concerns"})
auditlog.register(Milestone)
auditlog.register(Pairing)
