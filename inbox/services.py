"""Writes of the inbox: notices (made once per event and account, e-mailed after the
transaction that made them commits), read marks, the deadline notices and the daily digest
that the schedule runs (``InboxConfig.periodic_tasks``; a page never writes them)."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation

from concerns import services as concern_rules
from concerns.models import Concern
from inbox import recipients, selectors
from inbox.choices import NoticeCode
from inbox.models import Digest, Notice
from orglife import selectors as orglife_selectors
from orglife.choices import MeasureStatus
from orglife.models import Measure
from orgs.models import Account
from orgs.scope import path_in_scope

log = logging.getLogger(__name__)

# Deadline notices: "due" this many days ahead; "overdue" for limits passed at most this
# many days ago (a limit passed long before the schedule first ran is not announced).
DUE_DAYS = 3
OVERDUE_DAYS = 7
# The languages an e-mail is written in, one after the other (accounts keep no language).
EMAIL_LANGUAGES = ("zh-hans", "bo")


@transaction.atomic
def notify(*, recipients: Iterable[Any], code: str, key: str, params: dict, url: str = "") -> list[Notice]:
    """One notice of ``code`` about the event ``key`` to each recipient that has none yet;
    returns the notices made. Each made notice is e-mailed once the transaction commits."""
    accounts = {a.pk: a for a in recipients}
    if not accounts:
        return []
    existing = set(Notice.objects.filter(key=key, recipient__in=list(accounts)).values_list("recipient_id", flat=True))
    made = []
    for pk, account in accounts.items():
        if pk in existing:
            continue
        try:
            with transaction.atomic():
                made.append(Notice.objects.create(recipient=account, key=key, code=code, params=params, url=url))
        except IntegrityError:  # announced at the same moment by another process
            continue
    selectors.forget_counts(n.recipient for n in made)
    ids = [n.pk for n in made if n.recipient.email]
    if ids:
        transaction.on_commit(lambda: email_notices(ids))
    return made


def _in_languages(render) -> str:
    parts = []
    for language in EMAIL_LANGUAGES:
        with translation.override(language):
            parts.append(render())
    return "\n\n".join(parts)


def email_notices(ids: list[int]) -> int:
    """E-mail each notice not e-mailed yet to its account's address; returns how many. A
    notice is claimed before it is sent, so two runs never send it twice."""
    sent = 0
    for notice in Notice.objects.filter(pk__in=ids, emailed_at__isnull=True).select_related("recipient"):
        address = notice.recipient.email
        if not address:
            continue
        if not Notice.objects.filter(pk=notice.pk, emailed_at__isnull=True).update(emailed_at=timezone.now()):
            continue
        units = selectors.units_of([notice])
        subject = _in_languages(lambda n=notice: str(n.get_code_display())).replace("\n\n", " / ")
        body = _in_languages(lambda n=notice, u=units: selectors.notice_text(n, u))
        detail = selectors.notice_detail(notice)
        if detail:
            body += "\n\n" + detail
        if notice.url:
            body += "\n\n" + settings.XUEJIAO_SITE_URL.rstrip("/") + notice.url
        try:
            send_mail(subject, body, None, [address])
        except OSError:
            log.exception("notice %s could not be e-mailed", notice.pk)
            Notice.objects.filter(pk=notice.pk).update(emailed_at=None)
            continue
        sent += 1
    return sent


@transaction.atomic
def mark_read(*, actor: Any, notice: Notice) -> Notice:
    if notice.recipient_id != actor.pk:
        raise Notice.DoesNotExist
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
        selectors.forget_counts([actor])
    return notice


@transaction.atomic
def mark_all_read(*, actor: Any) -> int:
    selectors.forget_counts([actor])
    return Notice.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())


# --- deadlines ------------------------------------------------------------------------------


def _concern_holders(concern: Concern) -> list[Any]:
    action = concern_rules.WAITING_FOR[concern.state]
    unit = concern_rules.holding_unit(concern, action)

    def allowed(account: Any) -> bool:
        if action in concern_rules.HANDLER_ACTIONS:
            return concern_rules.handles(account, concern)
        if action == "callback" and concern.resolved_by_id == account.pk:
            return False
        return concern_rules.can_reach(account, concern)

    return recipients.nearest(unit, concern_rules.ACTION_ROLES[action], allowed=allowed)


def measure_holders(measure: Measure) -> list[Any]:
    return recipients.nearest(
        measure.unit,
        orglife_selectors.WRITER_ROLES,
        allowed=lambda account: path_in_scope(account, measure.unit.path),
    )


@transaction.atomic
def send_deadline_notices(today: datetime.date | None = None) -> int:
    """Tell the accounts whose turn it is of each concern and measure whose limit falls in
    the next ``DUE_DAYS`` days or passed in the last ``OVERDUE_DAYS``; each limit of each
    record once per account. Returns the notices made."""
    today = today or timezone.localdate()
    ahead = today + datetime.timedelta(days=DUE_DAYS)
    behind = today - datetime.timedelta(days=OVERDUE_DAYS)
    made = 0
    waiting_states = [s for s in concern_rules.WAITING_FOR if s != concern_rules.S.RESOLVED]
    concerns = Concern.objects.filter(state__in=waiting_states).select_related("unit", "handling_unit")
    window = {"response_due__gte": behind, "response_due__lte": ahead}
    late = {"resolution_due__gte": behind, "resolution_due__lte": ahead}
    for concern in concerns.filter(Q(**window) | Q(**late)).order_by("pk"):
        due = concern_rules.deadline(concern)
        if due is None or not behind <= due <= ahead:
            continue
        code = NoticeCode.CONCERN_OVERDUE if due < today else NoticeCode.CONCERN_DUE
        made += len(
            notify(
                recipients=_concern_holders(concern),
                code=code,
                key=f"concern:{concern.pk}:{'overdue' if due < today else 'due'}:{due.isoformat()}",
                params={"concern": concern.pk, "due": due.isoformat()},
                url=reverse("concerns:concern_detail", args=[concern.pk]),
            )
        )
    measures = Measure.objects.filter(status=MeasureStatus.OPEN, deadline__gte=behind, deadline__lte=ahead)
    for measure in measures.select_related("unit").order_by("pk"):
        overdue = measure.deadline < today
        made += len(
            notify(
                recipients=measure_holders(measure),
                code=NoticeCode.MEASURE_OVERDUE if overdue else NoticeCode.MEASURE_DUE,
                key=f"measure:{measure.pk}:{'overdue' if overdue else 'due'}:{measure.deadline.isoformat()}",
                params={"unit": measure.unit_id, "due": measure.deadline.isoformat()},
                url=reverse("orglife:finding_detail", args=[measure.finding_id]),
            )
        )
    return made


# --- the daily digest -----------------------------------------------------------------------


def send_daily_digest(now: datetime.datetime | None = None) -> int:
    """Once a day, from ``XUEJIAO_DIGEST_HOUR`` on, e-mail every active account that has an
    address and something waiting a summary: its work waiting and unread notices. At most one
    digest per account and day (``Digest``). Returns how many were sent."""
    now = timezone.localtime(now or timezone.now())
    if now.hour < settings.XUEJIAO_DIGEST_HOUR:
        return 0
    day = now.date()
    sent = 0
    accounts = Account.objects.filter(is_active=True).exclude(email="").exclude(role="participant")
    for account in accounts.exclude(pk__in=Digest.objects.filter(day=day).values("recipient")).order_by("pk"):
        counts = selectors.counts(account)
        unread = Notice.objects.filter(recipient=account, read_at__isnull=True).count()
        if not counts.total and not unread:
            continue
        try:
            with transaction.atomic():
                Digest.objects.create(recipient=account, day=day, items=counts.total, notices=unread)
        except IntegrityError:
            continue
        body = _in_languages(lambda c=counts, u=unread: selectors.digest_text(c, u))
        subject = _in_languages(lambda: selectors.digest_subject()).replace("\n\n", " / ")
        body += "\n\n" + settings.XUEJIAO_SITE_URL.rstrip("/") + reverse("inbox:index")
        try:
            send_mail(subject, body, None, [account.email])
        except OSError:
            log.exception("the digest of account %s could not be e-mailed", account.pk)
            Digest.objects.filter(recipient=account, day=day).delete()
            continue
        sent += 1
    return sent
