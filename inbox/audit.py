from auditlog.registry import auditlog

from inbox.models import Digest, Notice

auditlog.register(Notice)
auditlog.register(Digest)
