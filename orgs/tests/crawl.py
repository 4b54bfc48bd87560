"""Inside and outside values of the orgs pages' URL parameters for a persona."""

from orgs.models import Account, ApiToken, Unit
from orgs.scope import scope_paths
from orgs.tokens import create_token

_OUTSIDE_CODE = {
    "chengguan-office": "540104",
    "chengguan-reporter": "540104",
    "dagze-reporter": "540102",
    "supervisor-3": "540102",
}


def _inside_unit(account: Account) -> Unit | None:
    paths = scope_paths(account)
    if paths is None:
        return Unit.objects.order_by("path").first()
    if not paths:
        return account.unit
    return Unit.objects.filter(path__in=paths).order_by("path").first()


def unit_code(account: Account, inside: bool):
    if inside:
        unit = _inside_unit(account)
        return unit.code if unit else None
    return _OUTSIDE_CODE.get(account.username, "540200")


def account_id(account: Account, inside: bool):
    if inside:
        unit = _inside_unit(account)
        other = (
            Account.objects.filter(unit__path__startswith=unit.path).exclude(pk=account.pk).first() if unit else None
        )
        return (other or account).pk
    outside = _OUTSIDE_CODE.get(account.username, "540200")
    return (
        Account.objects.filter(unit__path__startswith=Unit.objects.get(code=outside).path)
        .values_list("pk", flat=True)
        .first()
        or Account.objects.get(username="shigatse-office").pk
    )


def api_token_id(account: Account, inside: bool):
    owner = account if inside else Account.objects.get(username="shigatse-office")
    token = ApiToken.objects.filter(account=owner).first() or create_token(actor=owner, name="crawl")[0]
    return token.pk


PARAMS = {"code": unit_code, "account_id": account_id, "api_token_id": api_token_id}
