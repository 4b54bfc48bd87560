from auditlog.registry import auditlog

from orgs.models import Account, Person, Unit

auditlog.register(Unit)
auditlog.register(Person)
auditlog.register(Account, exclude_fields=["password", "last_login"])
