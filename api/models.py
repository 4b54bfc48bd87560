"""API tokens: how another system (a hotline, a mobile client, a province's data centre)
acts as one account without its password."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ApiToken(models.Model):
    """One named API token of one account. The secret is shown once, when the token is
    created; only its SHA-256 is kept. ``prefix`` (random, not secret) finds the row; the
    hash proves the rest. A revoked token is kept (it is what the audit log points at) but
    refused. A token acts with exactly its account's role and scope."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("api token", "account"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(pgettext_lazy("api token", "name"), max_length=80)
    prefix = models.CharField(pgettext_lazy("api token", "prefix"), max_length=16, unique=True)
    secret_hash = models.CharField(_("SHA-256 of the token"), max_length=64)
    created = models.DateTimeField(pgettext_lazy("api token", "created"), auto_now_add=True)
    last_used = models.DateTimeField(pgettext_lazy("api token", "last used"), null=True, blank=True)
    revoked = models.DateTimeField(pgettext_lazy("api token", "revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        return self.revoked is None
