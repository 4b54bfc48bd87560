"""The log-in lockout policy, kept by django-axes (its failure records, its log-in backend
and middleware) with three limits:

- **a name from an address**: after ``XUEJIAO_LOGIN_FAILURE_LIMIT`` failures (5) for one user
  name from one address, that address may not log in as that name. The lock is on the pair,
  so that whoever types five wrong passwords for the city office's account locks only
  themselves out of it, not the office;
- **an address over many names**: an address that has failed on
  ``XUEJIAO_LOGIN_ADDRESS_NAME_LIMIT`` distinct names (20) may not log in as anyone: one
  password sprayed over many accounts gets a few tries, not thousands;
- **an account from everywhere**: after ``XUEJIAO_LOGIN_ACCOUNT_FAILURE_LIMIT`` failures (50)
  for one name from all addresses together the account is locked wherever the caller is —
  a guess spread over many addresses. 0 turns this limit off.

A lock lasts ``XUEJIAO_LOGIN_COOLOFF_HOURS`` (1) after the last failure, or until an office
admin unlocks the account (``orgs.services.unlock_account``, which forgets the account's
failures from every address). A successful log-in forgets that name's failures from that
address. While a lock holds, the account's API tokens are refused from where the lock holds
(``refuses``), like its password.

The address is the client's (``core.http.client_address``: behind the proxy, the one the proxy
appended to X-Forwarded-For, ``XUEJIAO_BEHIND_TLS_PROXY``), and an IPv6 address counts as its
/64 network — one machine's or one household's share — so that walking through the addresses
of one network does not reset the count."""

from __future__ import annotations

import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import timezone

from core.http import client_address


def client_ip(request) -> str | None:
    """The address failures are counted against (``AXES_CLIENT_IP_CALLABLE``); None when the
    request has none that parses."""
    try:
        ip = ipaddress.ip_address(client_address(request))
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{ip}/64", strict=False).network_address)
    return str(ip)


def _recent():
    """Failure records within the cool-off (older ones no longer lock)."""
    attempts = AccessAttempt.objects.all()
    cool_off = get_cool_off()
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return attempts


def _failures(attempts) -> int:
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


def address_names(address: str | None) -> int:
    """The distinct names this address has failed on."""
    if address is None:
        return 0
    return _recent().filter(ip_address=address).values("username").distinct().count()


def account_failures(username: str | None) -> int:
    return _failures(_recent().filter(username=username))


def account_locked_everywhere(username: str | None) -> bool:
    limit = settings.XUEJIAO_LOGIN_ACCOUNT_FAILURE_LIMIT
    return bool(limit) and username is not None and account_failures(username) >= limit


def address_locked(address: str | None) -> bool:
    return address is not None and address_names(address) >= settings.XUEJIAO_LOGIN_ADDRESS_NAME_LIMIT


def refuses(username: str | None, address: str | None) -> bool:
    """Whether a caller at ``address`` may not act as ``username`` now (log-in or token):
    the three limits in one query, since every API call with a token asks."""
    pair = Q(username=username, ip_address=address)
    from_address = Q(ip_address=address) if address is not None else Q(pk__in=[])
    counts = (
        _recent()
        .filter(Q(username=username) | from_address)
        .aggregate(
            pair=Sum("failures_since_start", filter=pair),
            account=Sum("failures_since_start", filter=Q(username=username)),
            names=Count("username", distinct=True, filter=from_address),
        )
    )
    account_limit = settings.XUEJIAO_LOGIN_ACCOUNT_FAILURE_LIMIT
    return (
        (counts["pair"] or 0) >= settings.AXES_FAILURE_LIMIT
        or counts["names"] >= settings.XUEJIAO_LOGIN_ADDRESS_NAME_LIMIT
        or bool(account_limit and (counts["account"] or 0) >= account_limit)
    )


def locked_usernames(usernames: list[str]) -> set[str]:
    """Which of these accounts are locked from some address (or from everywhere): the ones
    the account list marks and an office admin may unlock."""
    per_pair = (
        _recent()
        .filter(username__in=usernames)
        .values("username", "ip_address")
        .annotate(n=Sum("failures_since_start"))
        .filter(n__gte=settings.AXES_FAILURE_LIMIT)
        .values_list("username", flat=True)
    )
    locked = set(per_pair)
    limit = settings.XUEJIAO_LOGIN_ACCOUNT_FAILURE_LIMIT
    if limit:
        totals = (
            _recent()
            .filter(username__in=usernames)
            .values("username")
            .annotate(n=Sum("failures_since_start"))
            .filter(n__gte=limit)
            .values_list("username", flat=True)
        )
        locked |= set(totals)
    return locked


class LockoutHandler(AxesDatabaseHandler):
    """axes' database handler (``AXES_HANDLER``), counting per name and address
    (``AXES_LOCKOUT_PARAMETERS``), with the two limits axes has no setting for: while the
    address or the account is locked, the failures that count are the limit itself, so that
    axes refuses the log-in and answers with its lockout page as for a locked pair."""

    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)
        limit = get_failure_limit(request, credentials)
        if failures < limit and (
            address_locked(request.axes_ip_address)
            or account_locked_everywhere(get_client_username(request, credentials))
        ):
            return limit
        return failures
