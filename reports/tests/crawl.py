"""Inside and outside values of the reports pages' URL parameters for a persona."""

import datetime

from orgs.models import Account, Unit
from orgs.tests.crawl import _OUTSIDE_CODE, _inside_unit
from reports.models import PublishedReport, ReportBuild

AS_OF = datetime.date(2021, 12, 31)


def _unit_for(account: Account, inside: bool) -> Unit | None:
    if inside:
        if account.role == "participant":
            return None
        return _inside_unit(account)
    return Unit.objects.get(code=_OUTSIDE_CODE.get(account.username, "540200"))


def _owner(account: Account, inside: bool) -> Account:
    return account if inside else Account.objects.get(username="shigatse-office")


def report_id(account: Account, inside: bool):
    unit = _unit_for(account, inside)
    if unit is None:
        return None
    published, _ = PublishedReport.objects.get_or_create(
        unit=unit,
        as_of=AS_OF,
        language="zh-hans",
        defaults={
            "start": datetime.date(2021, 2, 20),
            "scope": {"unit": unit.code},
            "title": unit.name_zh,
            "text": unit.name_zh,
            "body": {"title": unit.name_zh, "lead": [], "sections": []},
            "figures": [],
            "sha256": "0" * 64,
            "published_by": _owner(account, inside),
            "published_at": datetime.datetime(2022, 1, 5, tzinfo=datetime.UTC),
        },
    )
    return published.pk


def build_id(account: Account, inside: bool):
    unit = _unit_for(account, inside)
    if unit is None:
        return None
    build, _ = ReportBuild.objects.get_or_create(
        unit=unit, as_of=AS_OF, language="zh-hans", requested_by=_owner(account, inside), defaults={"status": "done"}
    )
    return build.pk


def section_key(account: Account, inside: bool):
    """A section of the campaign's report template (the campaign is the reader's, not the
    URL's); outside: a section no template has."""
    return "learning" if inside else "nowhere"


def paragraph(account: Account, inside: bool):
    return 0 if inside else 99


def sentence(account: Account, inside: bool):
    return 0 if inside else 99


def name(account: Account, inside: bool):
    """A line of the report's title and close; outside: a line no template has."""
    return "title" if inside else "nowhere"


PARAMS = {
    "report_id": report_id,
    "build_id": build_id,
    "section_key": section_key,
    "paragraph": paragraph,
    "sentence": sentence,
    "name": name,
}
