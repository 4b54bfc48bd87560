"""The indicator pages: every registered indicator's value for a unit's subtree and a range,
its breakdown by child unit and by month, and the rows behind every figure, whichever app
declares it. They sit in the ledger's section of the navigation, at /ledger/indicators/."""

from __future__ import annotations

import datetime

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode

from campaigns.indicators import Indicator, month_end
from core.pagination import paginate
from figures import catalogue, reading
from figures.forms import RangeForm
from figures.selectors import campaign_from_request
from ledger.models import Activity
from orgs.access import STAFF_ROLES, role_required
from orgs.models import Unit
from orgs.selectors import unit_from_request


def _range(request: HttpRequest) -> tuple[Unit, datetime.date, datetime.date, RangeForm]:
    form = RangeForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    unit = unit_from_request(request, data.get("unit", ""))
    assert unit is not None  # the reader's home unit by default, else 404
    campaign = campaign_from_request(request, unit)
    default_start = campaign.start.replace(day=1) if campaign else datetime.date(datetime.date.today().year, 1, 1)
    default_end = campaign.end if campaign else datetime.date.today()
    start = data.get("start") or default_start
    end = data.get("end") or default_end
    if start > end:
        start, end = end, start
    return unit, start, end, form


def _indicator(code: str) -> Indicator:
    try:
        return catalogue.get(code)
    except KeyError as exc:
        raise Http404 from exc


def _query(unit: Unit, start: datetime.date, end: datetime.date) -> str:
    return urlencode({"unit": unit.code, "start": start.isoformat(), "end": end.isoformat()})


@role_required(*STAFF_ROLES)
def table(request: HttpRequest) -> HttpResponse:
    unit, start, end, form = _range(request)
    everything = catalogue.all_indicators()
    figures = reading.values([i.code for i in everything], unit, start, end)
    rows = [(indicator, figures[indicator.code]) for indicator in everything]
    return render(
        request,
        "figures/table.html",
        {"unit": unit, "start": start, "end": end, "rows": rows, "form": form, "query": _query(unit, start, end)},
    )


@role_required(*STAFF_ROLES)
def detail(request: HttpRequest, indicator: str) -> HttpResponse:
    ind = _indicator(indicator)
    unit, start, end, form = _range(request)
    got = reading.breakdown(ind, unit, start, end)
    return render(
        request,
        "figures/detail.html",
        {
            "indicator": ind,
            "unit": unit,
            "start": start,
            "end": end,
            "form": form,
            "value": got.value,
            "children": [
                (
                    c,
                    v,
                    _query(c.unit, start, end) + "&own=1" if isinstance(c, reading.OwnLevel) else _query(c, start, end),
                )
                for c, v in got.rows
            ],
            "months": [(m, v, _query(unit, max(m, start), min(month_end(m), end))) for m, v in got.months],
            "query": _query(unit, start, end),
        },
    )


@role_required(*STAFF_ROLES)
def rows(request: HttpRequest, indicator: str) -> HttpResponse:
    ind = _indicator(indicator)
    unit, start, end, _form = _range(request)
    own = request.GET.get("own") == "1"
    qs = reading.own_rows(ind, unit, start, end) if own else ind.rows(unit, start, end)
    if qs is None:
        raise Http404
    if hasattr(qs, "visible_to"):
        qs = qs.visible_to(request.user)
    page = paginate(request, qs)
    table = [(row, [col.value(row) for col in ind.row_columns]) for row in page]
    return render(
        request,
        "figures/rows.html",
        {
            "indicator": ind,
            "unit": unit,
            "start": start,
            "end": end,
            "page": page,
            "table": table,
            "columns": ind.row_columns,
            "is_activity": qs.model is Activity,
            "own": own,
            "own_level": reading.OWN_LEVEL,
            "query": _query(unit, start, end),
        },
    )
