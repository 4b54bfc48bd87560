from auditlog.registry import auditlog

from api.models import ApiToken

auditlog.register(ApiToken, exclude_fields=["secret_hash", "last_used"])
