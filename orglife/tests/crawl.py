"""Inside and outside values of the orglife pages' URL parameters for a persona."""

from orglife.tests import factories as F

_DAGZE = {"dagze-reporter", "supervisor-3"}


def _org(account, inside: bool) -> str:
    dagze = account.username in _DAGZE
    if inside:
        return F.DAGZE_ORG if dagze else F.CHENGGUAN_ORG
    if dagze:
        return F.CHENGGUAN_ORG
    if account.username.startswith("chengguan"):
        return F.DAGZE_ORG
    return F.SHIGATSE_ORG


def notice_id(account, inside: bool):
    return F.notice("540100" if inside else "540200").pk


def meeting_id(account, inside: bool):
    return F.meeting(_org(account, inside)).pk


def finding_id(account, inside: bool):
    return F.finding(_org(account, inside)).pk


def measure_id(account, inside: bool):
    return F.measure(_org(account, inside)).pk


def indicator_code(account, inside: bool):
    return "orglife.findings" if inside else None


PARAMS = {
    "notice_id": notice_id,
    "meeting_id": meeting_id,
    "finding_id": finding_id,
    "measure_id": measure_id,
    "indicator_code": indicator_code,
}
