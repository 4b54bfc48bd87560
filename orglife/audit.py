from auditlog.registry import auditlog

from orglife.models import (
    Finding,
    FindingCategory,
    Inspection,
    Measure,
    MeasureRefusal,
    Meeting,
    MeetingAttendance,
    MeetingNotice,
    Talk,
)

auditlog.register(MeetingNotice)
auditlog.register(Meeting, m2m_fields={"supervisors"})
auditlog.register(MeetingAttendance)
auditlog.register(Talk)
auditlog.register(FindingCategory)
auditlog.register(Finding)
auditlog.register(Measure)
auditlog.register(MeasureRefusal)
auditlog.register(Inspection)
