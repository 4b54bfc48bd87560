"""Inside and outside values of the api app's own URL parameters for a persona. The
REST routes reuse the apps' providers (``code``, ``activity_id``, ``concern_id`` ...)."""

from __future__ import annotations

from concerns.models import ConcernCategory
from concerns.tests.crawl import concern_id
from orgs.models import Account


def fmt(account: Account, inside: bool):
    return "json" if inside else None


def service_code(account: Account, inside: bool):
    # Services (concern categories) are public; there is nothing outside to refuse.
    category = ConcernCategory.objects.order_by("pk").first()
    return str(category.pk) if inside and category else None


def service_request_id(account: Account, inside: bool):
    return concern_id(account, inside)


def open311_token(account: Account, inside: bool):
    return concern_id(account, inside)


PARAMS = {
    "fmt": fmt,
    "service_code": service_code,
    "service_request_id": service_request_id,
    "open311_token": open311_token,
}
