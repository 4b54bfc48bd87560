"""Inside and outside values of the concerns pages' (and Open311's) URL parameters for a
persona. The rows are made on demand (idempotently) in a county: Chengguan inside for city
and Chengguan personas, Dagzê inside for Dagzê and supervision group 3."""

from __future__ import annotations

import datetime

from concerns.choices import ConcernSource, VisitPurpose
from concerns.models import Concern, ConcernCategory, KeyItem, Pairing, Programme, Visit
from orgs.choices import UnitKind
from orgs.models import Account, Person, Unit

DAY = datetime.date(2021, 6, 1)
_INSIDE = {"dagze-reporter": "540104", "supervisor-3": "540104"}
_OUTSIDE = {
    "chengguan-office": "540104",
    "chengguan-reporter": "540104",
    "participant": "540104",
    "dagze-reporter": "540102",
    "supervisor-3": "540102",
}


def _county(account: Account, inside: bool) -> Unit:
    if inside:
        return Unit.objects.get(code=_INSIDE.get(account.username, "540102"))
    return Unit.objects.get(code=_OUTSIDE.get(account.username, "540202"))


def _first(county: Unit, kind: str) -> Unit:
    return Unit.objects.filter(path__startswith=county.path, kind=kind).order_by("path").first() or county


def visit_in(county: Unit) -> Visit:
    visit = Visit.objects.filter(unit=county, notes="crawl").first()
    if visit is None:
        visit = Visit.objects.create(
            unit=county, date=DAY, purpose=VisitPurpose.RESEARCH, notes="crawl", region_code=county.region_code
        )
        person = Person.objects.filter(unit__path__startswith=county.path).first()
        if person:
            visit.people.add(person)
    return visit


def concern_in(county: Unit) -> Concern:
    concern = Concern.objects.filter(unit=county, description="crawl").first()
    if concern is None:
        category = ConcernCategory.objects.order_by("pk").first()
        concern = Concern.objects.create(
            unit=county,
            handling_unit=county,
            category=category,
            source=ConcernSource.HOTLINE,
            description="crawl",
            raised_by="crawl",
            contact="13800000000",
            collected_on=DAY,
            state="assigned",
            response_due=DAY,
            resolution_due=DAY,
            region_code=county.region_code,
        )
    return concern


def key_item_in(county: Unit) -> KeyItem:
    item = KeyItem.objects.filter(responsible_unit=county, title_zh="crawl").first()
    if item is None:
        root = Unit.objects.filter(path=county.path[: Unit.steplen]).first() or county
        programme, _ = Programme.objects.get_or_create(unit=root, name_zh="crawl", defaults={"name_bo": "crawl"})
        item = KeyItem.objects.create(
            programme=programme,
            title_zh="crawl",
            title_bo="crawl",
            responsible_unit=county,
            listed_on=DAY,
            region_code=county.region_code,
        )
    return item


def pairing_in(county: Unit) -> Pairing:
    org = _first(county, UnitKind.PARTY_COMMITTEE)
    village = _first(county, UnitKind.VILLAGE)
    branch = Unit.objects.filter(path__startswith=village.path, kind=UnitKind.PARTY_BRANCH).first() or village
    pairing, _ = Pairing.objects.get_or_create(
        city_org=org, village_branch=branch, defaults={"since": DAY, "region_code": county.region_code}
    )
    return pairing


def figure(account: Account, inside: bool):
    return "concerns.collected" if inside else None


def visit_id(account: Account, inside: bool):
    return visit_in(_county(account, inside)).pk


def concern_id(account: Account, inside: bool):
    return concern_in(_county(account, inside)).pk


def key_item_id(account: Account, inside: bool):
    return key_item_in(_county(account, inside)).pk


def pairing_id(account: Account, inside: bool):
    return pairing_in(_county(account, inside)).pk


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
    "figure": figure,
    "visit_id": visit_id,
    "concern_id": concern_id,
    "key_item_id": key_item_id,
    "pairing_id": pairing_id,
    # Open311
    "fmt": fmt,
    "service_code": service_code,
    "service_request_id": service_request_id,
    "open311_token": open311_token,
}
