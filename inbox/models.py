"""In-app notices: what the platform tells one account about one event, and the daily
digests it sent by e-mail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from inbox.choices import NoticeCode


class Notice(models.Model):
    """One notice to one account about one event (a concern assigned to its unit, a measure
    sent back, a deadline in three days ...). It holds a message code and its parameters, not
    text, so that it reads in the reader's language whenever it is read. ``key`` names the
    event (``concern:12:assign:57``, ``measure:3:due:2026-06-18``); an event makes at most one
    notice per account, however often it is announced."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notices"
    )
    key = models.CharField(_("event"), max_length=120)
    code = models.CharField(_("kind"), max_length=32, choices=NoticeCode.choices)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created = models.DateTimeField(_("sent at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("in-app notice")
        verbose_name_plural = _("in-app notices")
        ordering = ["-created", "-pk"]
        constraints = [models.UniqueConstraint(fields=["key", "recipient"], name="inbox_notice_once")]
        indexes = [models.Index(fields=["recipient", "read_at"], name="inbox_notice_unread")]

    def __str__(self) -> str:
        return f"{self.code} → {self.recipient_id}"


class Digest(models.Model):
    """The daily digest e-mailed to one account on one day (at most one a day)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"))
    items = models.PositiveIntegerField(_("work waiting"), default=0)
    notices = models.PositiveIntegerField(_("unread notices"), default=0)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        constraints = [models.UniqueConstraint(fields=["recipient", "day"], name="inbox_digest_once")]
