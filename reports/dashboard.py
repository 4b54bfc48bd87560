"""The dashboard of one unit's subtree over a date range: cards (value and change against
the previous period of the same length), a monthly trend, a breakdown by child unit, the
coverage matrices (lectures × the seven venues, leaders' visits, supervision), the concerns
funnel and rates, rectification progress and quiz participation against members.

Every figure is read through the figures' ``Reader`` (``figures.reading``): the indicators
of each rollup together in one pass over it, the grouped indicators together, one query per
kind of row for the totals, the children and the months. Every number carries the URL of the rows
behind it. Nothing here loops over rows or units with a query per item, so the page's query
count does not grow with the tree.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape
from typing import NamedTuple

from django.conf import settings
from django.db.models import Sum
from django.db.models.functions import Substr
from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from campaigns.indicators import month_end
from figures import catalogue, reading
from ledger.indicators import DefinedLedgerIndicator, DefinedTallied, LedgerRate
from orgs.models import Unit
from orgs.scope import path_in_scope
from reports.selectors import campaign_of, rows_page, rows_url

CARDS = [
    "study.sessions",
    "lecture.sessions",
    "lecture.audience",
    "visits.count",
    "concerns.collected",
    "concerns.resolved",
    "orglife.meetings",
    "orglife.measures",
    "quiz.participants",
]
TREND = ["study.sessions", "lecture.sessions", "visits.count", "concerns.collected", "orglife.meetings"]
BREAKDOWN = ["study.sessions", "lecture.sessions", "lecture.audience", "visits.count", "concerns.collected"]
VENUES = ["offices", "villages", "enterprises", "schools", "communities", "barracks", "monasteries"]
REACH = ["visits.townships_reached", "visits.villages_reached", "visits.institutions_reached"]
RATES = ["concerns.response_rate", "concerns.resolution_rate", "concerns.satisfaction_rate"]
FUNNEL = ["concerns.collected", "concerns.resolved", "concerns.overdue"]
RECTIFICATION = ["orglife.measures", "orglife.measures_done", "orglife.measures_verified", "orglife.measures_overdue"]
# The shape of what ``figures`` returns, in the cached dashboard's key: a new one whenever
# it changes, so that a dashboard cached before is never handed to templates that read
# another (rows that are tuples to a template that reads their cells written).
SHAPE = 2


@dataclass
class Cell:
    """A number and the URL of its rows; ``text`` is the number as the page shows it (see
    ``Numbers``), "—" for none."""

    value: int | Decimal | None
    url: str
    text: str = ""


class Numbers:
    """The active language's number formats, read once: ``text(n)`` is ``{{ n }}`` in a
    template and ``grouped(n)`` is ``{{ n|intcomma }}``, character for character, without
    the template engine's work per number (a table by unit has about a thousand)."""

    def __init__(self) -> None:
        lang = get_language()
        self.decimal = get_format("DECIMAL_SEPARATOR", lang)
        self.grouping = get_format("NUMBER_GROUPING", lang)
        self.thousands = get_format("THOUSAND_SEPARATOR", lang)
        # numberformat's own shortcut: a whole number shows as it is unless grouped
        self.plain_ints = not (settings.USE_THOUSAND_SEPARATOR and self.grouping != 0)

    def text(self, value: int | Decimal | None) -> str:
        if value is None:
            return "—"
        if self.plain_ints and type(value) is int:
            return str(value)
        return str(numberformat.format(value, self.decimal, None, self.grouping, self.thousands))

    def grouped(self, value: int | Decimal | None) -> str:
        if value is None:
            return "—"
        return str(numberformat.format(value, self.decimal, None, self.grouping, self.thousands, force_grouping=True))


@dataclass
class Card:
    code: str
    label: str
    measure: str
    value: int | Decimal
    previous: int | Decimal
    url: str
    previous_url: str

    @property
    def change(self) -> int | Decimal:
        return self.value - self.previous

    @property
    def change_percent(self) -> Decimal | None:
        if not self.previous:
            return None
        return (Decimal(self.change) * 100 / Decimal(self.previous)).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class ChildLevel:
    """A row of a table by unit that is a child unit: it reads as the unit (its name, code,
    path and key) and, unlike the row of the unit's own records, is not ``own``. Its name is
    the unit's in the language of the figures (kept per language), read once for every
    table."""

    unit: Unit
    name: str
    own = False

    @property
    def code(self) -> str:
        return self.unit.code

    @property
    def pk(self) -> int:
        return self.unit.pk

    @property
    def path(self) -> str:
        return self.unit.path


class Row(NamedTuple):
    """A row of a table by unit: a child unit (or the unit's own records) and a cell per
    column."""

    child: ChildLevel | reading.OwnLevel
    cells: list[Cell]

    @property
    def tds(self) -> SafeString:
        """The row's cells as the table shows them, built here in one pass rather than by the
        template engine cell by cell (a page has about a thousand): a cell without a figure
        is a gap; a child's cell opens its rows; a cell of the unit's own records does when
        they are rows of their own, and shows "—" when the figure has no own part."""
        linked = not self.child.own
        tds = []
        for cell in self.cells:
            # escape() as the template's autoescaping does (Django's is this one, made safe)
            text = escape(cell.text)
            shown = f'<a href="{escape(cell.url)}">{text}</a>' if linked or cell.url else text
            tds.append(f"<td>{shown}</td>" if cell.value else f'<td class="gap">{shown}</td>')
        return mark_safe("".join(tds))


@dataclass(frozen=True)
class ShareRow:
    """A row of the quiz's or the rectification's table by unit: the unit (or its own
    records) and its cells as the table shows them, written once with the figures."""

    child: ChildLevel | reading.OwnLevel
    tds: SafeString


def _linked(cell: Cell, text: str) -> str:
    """A cell as ``reports/_cell.html`` shows it (the number opening its rows), with the
    newline that ends that file, so that the table reads as the other lists of figures."""
    if cell.url:
        return f'<a href="{escape(cell.url)}" data-testid="cell">{escape(text)}</a>\n'
    return f"{escape(text)}\n"


@dataclass
class Table:
    """Rows are child units; columns are indicator codes (or venue kinds)."""

    columns: list[tuple[str, str]]  # (key, heading)
    rows: list[Row] = field(default_factory=list)


def previous_period(start: datetime.date, end: datetime.date) -> tuple[datetime.date, datetime.date]:
    length = end - start
    prev_end = start - datetime.timedelta(days=1)
    return prev_end - length, prev_end


def _registered(codes: list[str]) -> list[str]:
    """The registered codes among ``codes``, each once, in order."""
    return catalogue.registered(codes)


class Reader(reading.Reader):
    """The figures' reader, with the URL of the rows behind each figure. The cached dashboard
    keeps it for its links only: it is stored without the figures it read."""

    def __init__(self, unit: Unit, start: datetime.date, end: datetime.date):
        super().__init__(unit, start, end)
        self._pages: dict[str, str] = {}

    def __getstate__(self) -> dict:
        return {"unit": self.unit, "start": self.start, "end": self.end, "pages": self._pages}

    def __setstate__(self, state: dict) -> None:
        reading.Reader.__init__(self, state["unit"], state["start"], state["end"])
        self._pages = state["pages"]

    def url(self, code: str, unit: Unit | None = None, start=None, end=None, own: bool = False) -> str:
        unit = unit or self.unit
        if code not in self._pages:
            self._pages[code] = rows_page(code)
        return rows_url(code, unit.code, start or self.start, end or self.end, page=self._pages[code], own=own)


def _members(unit: Unit, children: list[Unit]) -> dict[str, int]:
    """Party members in each child's subtree, in one grouped query."""
    width = (unit.depth + 1) * Unit.steplen
    grouped = (
        Unit.objects.filter(path__startswith=unit.path, depth__gt=unit.depth)
        .annotate(prefix=Substr("path", 1, width))
        .values("prefix")
        .annotate(n=Sum("party_members"))
        .order_by()
    )
    return {row["prefix"]: row["n"] or 0 for row in grouped}


def coverage_rows(user, unit: Unit, day: datetime.date | None = None) -> list:
    """Supervision coverage of the counties and departments under the root of the campaign
    ``day`` belongs to, limited to those inside both the reader's scope and the chosen unit's
    subtree (or above it)."""
    from campaigns.selectors import coverage

    campaign = campaign_of(unit, day)
    if campaign is None:
        return []
    rows = []
    for row in coverage(campaign):
        related = row.unit.path.startswith(unit.path) or unit.path.startswith(row.unit.path)
        if related and path_in_scope(user, row.unit.path):
            rows.append(row)
    return rows


def build(user, unit: Unit, start: datetime.date, end: datetime.date) -> dict:
    """Everything the dashboard shows, with a URL for every number. The figures come from
    the figure cache while no record has changed; coverage depends on the reader's scope
    and is read each time."""
    from figures.cache import cached

    data = cached("board", (unit.pk, start, end, get_language(), SHAPE), lambda: figures(unit, start, end))
    return {**data, "coverage": coverage_rows(user, unit, end)}


def figures(unit: Unit, start: datetime.date, end: datetime.date) -> dict:
    """The dashboard's figures for a unit and range (the same for every reader)."""
    reader = Reader(unit, start, end)
    prev_start, prev_end = previous_period(start, end)
    card_codes = _registered(CARDS + RATES)
    venue_codes = _registered([f"lecture.sessions.{v}" for v in VENUES])
    breakdown_codes = _registered(BREAKDOWN)
    reach_codes = _registered(REACH)
    quiz_codes = _registered(["quiz.participants"])
    rect_codes = _registered(["orglife.measures", "orglife.measures_done"])
    coverage_codes = _registered(["supervision.inspections"])
    child_codes = breakdown_codes + venue_codes + reach_codes + quiz_codes + rect_codes + coverage_codes
    trend_codes = _registered(TREND)
    # The indicators the office defined, after the platform's own.
    defined_codes = [
        i.code
        for i in catalogue.all_indicators()
        if isinstance(i, DefinedLedgerIndicator | DefinedTallied | LedgerRate)
    ]
    current_codes = card_codes + _registered(FUNNEL + RECTIFICATION) + defined_codes
    # The totals of the figures by unit that add up give their rows "本级" (the total less the children's).
    summed = [c for c in child_codes if reading.adds_up(catalogue.get(c))]
    reader.prefetch([*current_codes, *summed], per_child=child_codes, per_month=trend_codes)
    current = reader.totals(current_codes)
    previous = reader.totals(card_codes, prev_start, prev_end)
    cards = [
        Card(
            code=code,
            label=catalogue.get(code).label,
            measure=catalogue.get(code).measure_label,
            value=current[code],
            previous=previous[code],
            url=reader.url(code),
            previous_url=reader.url(code, start=prev_start, end=prev_end),
        )
        for code in card_codes
    ]
    children = reader.children()
    per_child = reader.by_children(child_codes)
    # The unit's own records ("本级") make the first row of every table by unit, so that
    # the rows add up to the unit's figure; their cells open the unit's own rows.
    own_row = reading.OwnLevel(unit)
    if children:
        for code, value in reader.own(child_codes, reader.totals(summed), per_child).items():
            per_child[code][unit.pk] = value
    rows: list[ChildLevel | reading.OwnLevel] = (
        [own_row, *(ChildLevel(c, c.name) for c in children)] if children else []
    )

    numbers = Numbers()

    def cell(code: str, child: ChildLevel | reading.OwnLevel) -> Cell:
        if isinstance(child, reading.OwnLevel):
            value = per_child[code].get(unit.pk)
            linked = value is not None and reading.has_own_rows(catalogue.get(code))
            return Cell(value, reader.url(code, own=True) if linked else "", numbers.text(value))
        value = per_child[code].get(child.pk, 0)
        return Cell(value, reader.url(code, unit=child.unit), numbers.text(value))

    def table(codes: list[str], headings: list[str] | None = None) -> Table:
        headings = headings or [catalogue.get(c).label for c in codes]
        t = Table(columns=list(zip(codes, headings, strict=True)))
        for child in rows:
            t.rows.append(Row(child, [cell(c, child) for c in codes]))
        return t

    venue_table = None
    if venue_codes:
        venue_table = table(venue_codes, [catalogue.get(c).label for c in venue_codes])
    members = _members(unit, children) if quiz_codes else {}
    quiz_rows = []
    if quiz_codes:
        for child in rows:
            takers = per_child["quiz.participants"].get(child.pk, 0) or 0
            # Party members are counted in the branches below a unit: its own row has none.
            total = None if isinstance(child, reading.OwnLevel) else members.get(child.path, 0)
            percent = (Decimal(takers) * 100 / total).quantize(Decimal("0.1")) if total else None
            taken = cell("quiz.participants", child)
            quiz_rows.append(
                ShareRow(
                    child,
                    mark_safe(
                        f"<td>{_linked(taken, numbers.grouped(taken.value))}</td>"
                        f"<td>{'—' if total is None else numbers.grouped(total)}</td>"
                        f"<td>{'—' if percent is None else numbers.text(percent) + '%'}</td>"
                    ),
                )
            )
    rect_rows = []
    if len(rect_codes) == 2:
        for child in rows:
            set_ = per_child["orglife.measures"].get(child.pk, 0)
            done = per_child["orglife.measures_done"].get(child.pk, 0)
            percent = (Decimal(done) * 100 / set_).quantize(Decimal("0.1")) if set_ else None
            set_cell, done_cell = cell("orglife.measures", child), cell("orglife.measures_done", child)
            shown = numbers.text(percent)
            share = "—" if percent is None else f'<progress value="{shown}" max="100"></progress> {shown}%'
            rect_rows.append(
                ShareRow(
                    child,
                    mark_safe(
                        f"<td>{_linked(set_cell, numbers.grouped(set_cell.value))}</td>"
                        f"<td>{_linked(done_cell, numbers.grouped(done_cell.value))}</td>"
                        f"<td>{share}</td>"
                    ),
                )
            )
    months, trend = reader.by_month(trend_codes)
    return {
        "cards": cards,
        "previous": (prev_start, prev_end),
        "current": current,
        "children": children,
        "breakdown": table(breakdown_codes) if breakdown_codes else None,
        "venues": venue_table,
        "reach": table(reach_codes) if reach_codes else None,
        "inspections": table(coverage_codes) if coverage_codes else None,
        "quiz": quiz_rows,
        "rectification": rect_rows,
        "rect_totals": [(catalogue.get(c).label, Cell(current[c], reader.url(c))) for c in _registered(RECTIFICATION)],
        "funnel": [(catalogue.get(c).label, Cell(current[c], reader.url(c))) for c in _registered(FUNNEL)],
        # a rate shown beside the counts says what it counts (its definition: duplicates left out ...)
        "rates": [
            (catalogue.get(c).label, Cell(current[c], reader.url(c)), catalogue.get(c).definition_text)
            for c in _registered(RATES)
        ],
        "defined": [
            (catalogue.get(c).label, Cell(current[c], reader.url(c)), catalogue.get(c).measure_label)
            for c in defined_codes
        ],
        "months": months,
        "trend": trend,
        "reader": reader,
    }


def chart_data(data: dict) -> dict:
    """What dashboard.js draws: plain lists, each point with the URL of its rows."""
    reader: Reader = data["reader"]
    charts = []
    months = data["months"]
    if data["trend"]:
        charts.append(
            {
                "id": "trend",
                "type": "line",
                "x": [m.strftime("%Y-%m") for m in months],
                "series": [
                    {
                        "name": catalogue.get(code).label,
                        "data": [
                            {
                                "value": float(v),
                                "url": reader.url(code, start=max(m, reader.start), end=min(month_end(m), reader.end)),
                            }
                            for m, v in zip(months, values, strict=True)
                        ],
                    }
                    for code, values in data["trend"].items()
                ],
            }
        )
    breakdown: Table | None = data["breakdown"]
    if breakdown and breakdown.rows:
        code, heading = breakdown.columns[0]
        charts.append(
            {
                "id": "children",
                "type": "bar",
                "x": [child.name for child, _cells in breakdown.rows],
                "series": [
                    {
                        "name": heading,
                        "data": [{"value": float(cells[0].value), "url": cells[0].url} for _c, cells in breakdown.rows],
                    }
                ],
            }
        )
    if data["funnel"]:
        charts.append(
            {
                "id": "funnel",
                "type": "funnel",
                "series": [
                    {
                        "name": "",
                        "data": [
                            {"name": label, "value": float(cell.value), "url": cell.url}
                            for label, cell in data["funnel"]
                        ],
                    }
                ],
            }
        )
    return {"charts": charts}
