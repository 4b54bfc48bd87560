from auditlog.registry import auditlog

from core.models import ImportedFile

auditlog.register(ImportedFile)
