from auditlog.registry import auditlog

from orgs.models import Account, ApiToken, Person, Unit

auditlog.register(Unit)
auditlog.register(Person)
auditlog.register(Account, exclude_fields=["password", "last_login"])
auditlog.register(ApiToken, exclude_fields=["secret_hash", "last_used"])
