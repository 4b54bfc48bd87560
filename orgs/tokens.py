"""An account's API tokens: creating and revoking them (writes), and finding the token a
secret belongs to."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from orgs.models import ApiToken

TOKEN_MARK = "xj"
MAX_ACTIVE_TOKENS = 20


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def split(token: str) -> tuple[str, str] | None:
    """``xj_<prefix>_<secret>`` -> (prefix, token); None when it is not shaped like one."""
    parts = (token or "").strip().split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_MARK or not parts[1] or not parts[2]:
        return None
    return parts[1], token.strip()


def find_token(raw: str) -> ApiToken | None:
    """The active token this secret belongs to, or None (unknown, malformed or revoked)."""
    shaped = split(raw)
    if shaped is None:
        return None
    prefix, token = shaped
    found = ApiToken.objects.select_related("account", "account__unit").filter(prefix=prefix).first()
    if found is None or not hmac.compare_digest(found.secret_hash, digest(token)):
        return None
    if found.revoked is not None or not found.account.is_active:
        return None
    return found


@transaction.atomic
def create_token(*, actor: Any, name: str) -> tuple[ApiToken, str]:
    """A new token of the actor's own account; returns it with its secret, which is not
    stored and cannot be shown again."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, e.g. the system that will use it.")})
    if len(name) > 80:
        raise ValidationError({"name": _("The name is too long.")})
    if ApiToken.objects.filter(account=actor, revoked__isnull=True).count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError({"name": _("An account has at most 20 active tokens; revoke one first.")})
    prefix = secrets.token_hex(4)
    while ApiToken.objects.filter(prefix=prefix).exists():
        prefix = secrets.token_hex(4)
    token = f"{TOKEN_MARK}_{prefix}_{secrets.token_urlsafe(32)}"
    row = ApiToken.objects.create(account=actor, name=name, prefix=prefix, secret_hash=digest(token))
    return row, token


@transaction.atomic
def revoke_token(*, actor: Any, token: ApiToken) -> ApiToken:
    """Refuse the token from now on. Only its own account revokes it."""
    if token.account_id != actor.pk:
        raise ValidationError({"token": _("This token is not yours.")})
    if token.revoked is None:
        token.revoked = timezone.now()
        token.save(update_fields=["revoked"])
    return token


# When a token was last used: remembered in Django's cache on each call (orgs.api_auth), at
# most once a minute, and written to the token by ``record_token_use`` (a periodic task), so
# that a call, even a GET, writes nothing to the database itself.
LAST_USED_EVERY = 60  # seconds


def used_key(token_id: int) -> str:
    return f"api-token-used:{token_id}"


def record_token_use() -> int:
    """Write the uses remembered in the cache to the tokens' ``last_used``; returns how many
    tokens changed."""
    tokens = dict(ApiToken.objects.filter(revoked__isnull=True).values_list("pk", "last_used"))
    seen = cache.get_many([used_key(pk) for pk in tokens])
    changed = 0
    for pk, last_used in tokens.items():
        stamp = seen.get(used_key(pk))
        if stamp is None:
            continue
        when = datetime.datetime.fromtimestamp(stamp, tz=datetime.UTC)
        if last_used is None or when > last_used:
            changed += ApiToken.objects.filter(pk=pk).update(last_used=when)
    return changed
