"""Open311 GeoReport v2 over the concerns, at /open311/v2/.

- Services are the concern categories (``service_code`` is the category's number). Their
  definition has two optional attributes: ``unit_code`` (where the concern arose) and
  ``source`` (how it was collected; default hotline).
- A posted request becomes a concern *collected* at the unit named by ``attribute[unit_code]``
  or ``address_id`` (a unit code), or else at the unit of the API key's account. Units carry
  no coordinates, so ``lat``/``long`` and ``address_string`` cannot choose a unit; they are
  kept in the concern's description.
- ``status`` is ``open`` while the concern is open (collected, assigned, in progress,
  reopened, awaiting sign-off) and ``closed`` otherwise; ``status_notes`` is the latest note
  or reason of its handling; ``agency_responsible`` the handling unit (or, before
  assignment, the unit where it was collected).
- Every call but the service list and definitions needs an API key (``api_key`` parameter,
  ``X-Api-Key`` header or ``Authorization: Bearer``): an account's API token, with exactly
  that account's role and scope, counted against the token's rate limit. Requests are
  created synchronously, so a request's token is its id.
"""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from concerns import services
from concerns.choices import OPEN_STATES, ConcernSource
from concerns.models import Concern, ConcernCategory
from core.api.errors import RateLimited
from core.records import Refused, ascii_number, has_control_characters, strip_control_characters
from orgs.access import has_role
from orgs.api_auth import account_from_token
from orgs.models import Unit

MAX_REQUESTS = 1000


# --- answers in JSON or XML -------------------------------------------------------------------


def _xml(root: str, item: str, rows: list[dict[str, Any]]) -> bytes:
    top = ET.Element(root)
    for row in rows:
        element = ET.SubElement(top, item)
        _fill(element, row)
    return b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(top, encoding="unicode").encode()


def _fill(element: ET.Element, row: dict[str, Any]) -> None:
    for key, value in row.items():
        child = ET.SubElement(element, key)
        if isinstance(value, list):
            singular = {"attributes": "attribute", "values": "value"}.get(key, "item")
            for entry in value:
                _fill(ET.SubElement(child, singular), entry)
        elif isinstance(value, bool):
            child.text = "true" if value else "false"
        elif value is not None:
            # A row written before the doors refused control characters may still hold
            # some; XML 1.0 cannot carry them, so they are left out of the answer.
            child.text = strip_control_characters(str(value))


def _answer(fmt: str, root: str, item: str, rows: list[dict[str, Any]], status: int = 200) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(_xml(root, item, rows), content_type="text/xml; charset=utf-8", status=status)
    return JsonResponse(rows, safe=False, status=status, json_dumps_params={"ensure_ascii": False})


def _error(fmt: str, status: int, description: str) -> HttpResponse:
    rows = [{"code": status, "description": str(description)}]
    if fmt == "xml":
        return HttpResponse(_xml("errors", "error", rows), content_type="text/xml; charset=utf-8", status=status)
    return JsonResponse(rows, safe=False, status=status, json_dumps_params={"ensure_ascii": False})


ID_MAX = 2**63 - 1  # the largest id a BigAutoField holds on every database


def _number(text: str) -> int | None:
    """A record number from a URL or a parameter (None when it is not one: a superscript,
    a circled digit, a sign, a number no id reaches)."""
    try:
        number = ascii_number(text or "")
    except Refused:
        return None
    return number if 0 < number <= ID_MAX else None


def _format(fmt: str) -> str | None:
    return fmt if fmt in ("json", "xml") else None


def _key_account(request: HttpRequest) -> Any:
    raw = request.GET.get("api_key") or request.POST.get("api_key") or request.headers.get("X-Api-Key")
    header = request.headers.get("Authorization", "")
    if not raw and header.lower().startswith("bearer "):
        raw = header[7:].strip()
    return account_from_token(request, raw) if raw else None


def _keyed(view):
    """An Open311 call that needs an API key: 403 without a valid one, 429 past its limit."""

    def wrapped(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
        if _format(fmt) is None:
            return _error("json", 404, _("Unknown format; use json or xml."))
        try:
            account = _key_account(request)
        except RateLimited as exc:
            response = _error(fmt, 429, _("Too many calls with this key; wait a minute."))
            response["Retry-After"] = str(exc.wait)
            return response
        if account is None:
            return _error(fmt, 403, _("A valid api_key is required."))
        return view(request, account, *args, fmt=fmt, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


# --- services -----------------------------------------------------------------------------------


def _service(category: ConcernCategory) -> dict[str, Any]:
    return {
        "service_code": str(category.pk),
        "service_name": category.name,
        "description": _("Respond within %(respond)s days, resolve within %(resolve)s days.")
        % {"respond": category.response_days, "resolve": category.resolution_days},
        "metadata": True,
        "type": "realtime",
        "keywords": "",
        "group": "",
    }


def discovery(request: HttpRequest) -> HttpResponse:
    root = request.build_absolute_uri("/open311/v2/")
    return JsonResponse(
        {
            "changeset": "2021-01-01T00:00:00Z",
            "contact": "",
            "key_service": request.build_absolute_uri("/api/tokens/"),
            "endpoints": [
                {
                    "specification": "http://wiki.open311.org/GeoReport_v2",
                    "url": root,
                    "changeset": "2021-01-01T00:00:00Z",
                    "type": "production",
                    "formats": ["application/json", "text/xml"],
                }
            ],
        }
    )


def services_list(request: HttpRequest, fmt: str) -> HttpResponse:
    if _format(fmt) is None:
        return _error("json", 404, _("Unknown format; use json or xml."))
    return _answer(fmt, "services", "service", [_service(c) for c in ConcernCategory.objects.all()])


def service_definition(request: HttpRequest, service_code: str, fmt: str) -> HttpResponse:
    if _format(fmt) is None:
        return _error("json", 404, _("Unknown format; use json or xml."))
    category = ConcernCategory.objects.filter(pk=_number(service_code)).first() if _number(service_code) else None
    if category is None:
        return _error(fmt, 404, _("No service with this code."))
    definition = {
        "service_code": str(category.pk),
        "attributes": [
            {
                "variable": True,
                "code": "unit_code",
                "datatype": "string",
                "required": False,
                "datatype_description": _("The code of the unit where the concern arose."),
                "order": 1,
                "description": _("Unit code"),
            },
            {
                "variable": True,
                "code": "source",
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": "",
                "order": 2,
                "description": _("How the concern was collected"),
                "values": [{"key": value, "name": str(label)} for value, label in ConcernSource.choices],
            },
        ],
    }
    if fmt == "xml":
        top = ET.Element("service_definition")
        _fill(top, definition)
        body = b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(top, encoding="unicode").encode()
        return HttpResponse(body, content_type="text/xml; charset=utf-8")
    return JsonResponse(definition, json_dumps_params={"ensure_ascii": False})


# --- requests -----------------------------------------------------------------------------------


def _w3c(value: datetime.datetime | datetime.date | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time(), tzinfo=timezone.get_current_timezone())
    return timezone.localtime(value).isoformat(timespec="seconds")


def _request(concern: Concern) -> dict[str, Any]:
    events = list(concern.events.all())
    latest = events[-1] if events else None
    notes = ""
    for event in reversed(events):
        if event.reason or event.note:
            notes = event.reason or event.note
            break
    agency = concern.handling_unit or concern.unit
    return {
        "service_request_id": str(concern.pk),
        "status": "open" if concern.state in OPEN_STATES else "closed",
        "status_notes": notes,
        "service_name": concern.category.name,
        "service_code": str(concern.category_id),
        "description": concern.description,
        "agency_responsible": agency.name,
        "service_notice": "",
        "requested_datetime": _w3c(events[0].at if events else concern.collected_on),
        "updated_datetime": _w3c(latest.at if latest else concern.collected_on),
        "expected_datetime": _w3c(concern.resolution_due),
        "address": concern.unit.name,
        "address_id": concern.unit.code,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": None,
    }


def _visible(account: Any):
    return Concern.objects.visible_to(account).select_related("unit", "handling_unit", "category")


def _when(raw: str | None) -> datetime.datetime | None | bool:
    if not raw:
        return None
    try:
        parsed = parse_datetime(raw.strip().replace(" ", "+"))
    except ValueError:  # well formed but no such time (month 13, hour 25 ...)
        return False
    if parsed is None:
        return False
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _search(request: HttpRequest, account: Any, fmt: str) -> HttpResponse:
    qs = _visible(account).prefetch_related("events")
    ids = request.GET.get("service_request_id", "")
    if ids:
        wanted = [i.strip() for i in ids.split(",") if i.strip()]
        if not all(_number(i) for i in wanted):
            return _error(fmt, 400, _("service_request_id must be numbers, comma-separated."))
        qs = qs.filter(pk__in=[_number(i) for i in wanted])
    else:
        codes = [c.strip() for c in request.GET.get("service_code", "").split(",") if c.strip()]
        if codes:
            if not all(_number(c) for c in codes):
                return _error(fmt, 400, _("service_code must be numbers, comma-separated."))
            qs = qs.filter(category_id__in=[_number(c) for c in codes])
        start, end = _when(request.GET.get("start_date")), _when(request.GET.get("end_date"))
        if start is False or end is False:
            return _error(fmt, 400, _("Dates are W3C date-times, e.g. 2021-06-01T00:00:00+08:00."))
        if start:
            qs = qs.filter(collected_on__gte=timezone.localtime(start).date())
        if end:
            qs = qs.filter(collected_on__lte=timezone.localtime(end).date())
        statuses = {s.strip() for s in request.GET.get("status", "").split(",") if s.strip()}
        if statuses - {"open", "closed"}:
            return _error(fmt, 400, _("status is open or closed."))
        if statuses == {"open"}:
            qs = qs.filter(state__in=OPEN_STATES)
        elif statuses == {"closed"}:
            qs = qs.exclude(state__in=OPEN_STATES)
    rows = [_request(c) for c in qs.order_by("-collected_on", "-pk")[:MAX_REQUESTS]]
    return _answer(fmt, "service_requests", "request", rows)


def _create(request: HttpRequest, account: Any, fmt: str) -> HttpResponse:
    if not has_role(account, *services.COLLECT_ROLES):
        return _error(fmt, 403, _("Your role may not record concerns."))
    data = request.POST
    code = (data.get("service_code") or "").strip()
    category = ConcernCategory.objects.filter(pk=_number(code)).first() if _number(code) else None
    if category is None:
        return _error(fmt, 400, _("service_code: no service with this code."))
    unit_code = (data.get("attribute[unit_code]") or data.get("address_id") or "").strip()
    if unit_code:
        unit = Unit.objects.visible_to(account).filter(code=unit_code).first()
    else:
        unit = account.unit
    if unit is None:
        return _error(fmt, 400, _("address_id: no unit with this code in your scope."))
    source = (data.get("attribute[source]") or ConcernSource.HOTLINE).strip()
    where = [
        p
        for p in (
            (data.get("address_string") or "").strip(),
            f"{data['lat']}, {data['long']}" if data.get("lat") and data.get("long") else "",
        )
        if p
    ]
    description = (data.get("description") or "").strip()
    if description and where:
        description = f"{description}\n" + _("Location: %(where)s") % {"where": "; ".join(where)}
    name = " ".join(p for p in ((data.get("last_name") or "").strip(), (data.get("first_name") or "").strip()) if p)
    contact = ", ".join(p for p in ((data.get("phone") or "").strip(), (data.get("email") or "").strip()) if p)
    if any(has_control_characters(t) for t in (description, name, contact, unit_code, source)):
        return _error(fmt, 400, _("Remove the control characters (invisible characters copied with the text)."))
    try:
        concern = services.record_concern(
            actor=account,
            unit=unit,
            category=category,
            source=source,
            description=description,
            raised_by=(name or _("Anonymous caller"))[:60],
            contact=contact[:120],
            collected_on=timezone.localdate(),
        )
    except ValidationError as exc:
        messages = [f"{field}: {'; '.join(errors)}" for field, errors in exc.message_dict.items()]
        return _error(fmt, 400, " ".join(messages))
    row = {"service_request_id": str(concern.pk), "service_notice": "", "account_id": None}
    return _answer(fmt, "service_requests", "request", [row], status=201)


@csrf_exempt
@_keyed
def requests_(request: HttpRequest, account: Any, fmt: str) -> HttpResponse:
    """GET: search the requests (concerns) the key's account may see; POST: create one."""
    if request.method == "POST":
        return _create(request, account, fmt)
    if request.method != "GET":
        return _error(fmt, 405, _("GET or POST."))
    return _search(request, account, fmt)


@_keyed
def request_detail(request: HttpRequest, account: Any, service_request_id: str, fmt: str) -> HttpResponse:
    concern = None
    if _number(service_request_id):
        concern = _visible(account).prefetch_related("events").filter(pk=_number(service_request_id)).first()
    if concern is None:
        return _error(fmt, 404, _("No request with this id."))
    return _answer(fmt, "service_requests", "request", [_request(concern)])


@_keyed
def token_lookup(request: HttpRequest, account: Any, open311_token: str, fmt: str) -> HttpResponse:
    """Requests are created at once, so a token is the request's id."""
    found = bool(_number(open311_token)) and _visible(account).filter(pk=_number(open311_token)).exists()
    if not found:
        return _error(fmt, 404, _("No request with this token."))
    return _answer(fmt, "service_requests", "request", [{"service_request_id": open311_token, "token": open311_token}])
