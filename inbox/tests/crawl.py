"""Inside and outside values of the inbox pages' URL parameters for a persona: a notice of
the persona's own (inside), and one of an account of the other city (outside)."""

from __future__ import annotations

from inbox.choices import NoticeCode
from inbox.models import Notice
from orgs.models import Account


def _notice_of(account: Account) -> Notice:
    notice, _ = Notice.objects.get_or_create(
        recipient=account,
        key="crawl",
        defaults={"code": NoticeCode.CONCERN_SIGNED_OFF, "params": {"concern": 1}, "url": "/inbox/"},
    )
    return notice


def notice_id(account: Account, inside: bool):
    if inside:
        return _notice_of(account).pk
    return _notice_of(Account.objects.get(username="shigatse-office")).pk


PARAMS = {"notice_id": notice_id}
