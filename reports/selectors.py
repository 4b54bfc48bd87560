"""Reads of the reports app: which unit and dates a page is about, the links from a figure
to its rows, a published report brought back to life, what changed since publication, and
the burden behind the latest published report (figures from records, numbers typed)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from urllib.parse import quote_plus

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import NoReverseMatch, reverse

from figures import catalogue, reading
from orgs.models import Unit
from reports.models import PublishedReport, ReportDraft
from reports.report import Figure, Paragraph, Report, ReportSection


def campaign_of(unit: Unit, day: datetime.date | None = None):
    """The unit's campaign for reads that keep no reader's choice (the API, the dashboard's
    coverage): the newest whose period holds ``day`` when one does, else the unit's newest.
    Pages read ``campaigns.selectors.campaign_from_request``."""
    from campaigns.choices import CampaignStatus
    from campaigns.selectors import campaign_for_unit, campaigns_covering

    if day is not None:
        held = [c for c in campaigns_covering(unit, day) if c.status != CampaignStatus.DRAFT]
        if held:
            return held[0]
    return campaign_for_unit(unit)


def default_as_of(unit: Unit, campaign=None) -> datetime.date:
    """The end of the campaign (the one the page reads, else the unit's newest) when it is
    over, today otherwise."""
    today = datetime.date.today()
    campaign = campaign or campaign_of(unit)
    if campaign and campaign.end < today:
        return campaign.end
    return today


def rows_page(code: str) -> str:
    """The path of the drill-down page of one indicator ("" when there is none)."""
    try:
        return reverse("figures:rows", args=[code])
    except NoReverseMatch:
        return ""


def rows_url(
    code: str, unit_code: str, start: datetime.date, end: datetime.date, page: str | None = None, own: bool = False
) -> str:
    """The drill-down page of the rows behind one figure (the figures' generic view);
    ``page`` is ``rows_page(code)`` when the caller already has it; ``own``: the unit's own
    rows only (its row "本级" in a breakdown by unit)."""
    base = rows_page(code) if page is None else page
    if not base:
        return ""
    # The same as urlencode() of the three parameters: ISO dates need no quoting.
    url = f"{base}?unit={quote_plus(unit_code)}&start={start.isoformat()}&end={end.isoformat()}"
    return f"{url}&own=1" if own else url


def link_figures(report: Report) -> Report:
    for figure in report.figures:
        figure.url = rows_url(figure.code, report.unit.code, report.start, report.as_of)
    return report


def _value(text: str) -> int | Decimal:
    try:
        number = Decimal(text)
    except (InvalidOperation, TypeError):
        return 0
    return int(number) if number == number.to_integral_value() and "." not in text else number


def published_report(published: PublishedReport) -> Report:
    """The frozen report as a ``Report``: the stored text and figures, never recomputed."""
    figures = []
    for data in published.figures:
        figure = Figure(data["code"], data["version"], _value(data["value"]), data["formatted"], data["section"])
        figure.url = rows_url(figure.code, published.unit.code, published.start, published.as_of)
        figures.append(figure)

    def paragraph(data: dict) -> Paragraph:
        parts = [figures[p["f"]] if "f" in p else p["t"] for p in data["parts"]]
        return Paragraph(parts, free=data.get("free", False))

    body = published.body
    return Report(
        unit=published.unit,
        start=published.start,
        as_of=published.as_of,
        language=published.language,
        title=body.get("title", published.title),
        subtitle=body.get("subtitle", ""),
        issuer=body.get("issuer", ""),
        issued=body.get("issued", ""),
        lead=[paragraph(p) for p in body.get("lead", [])],
        sections=[
            ReportSection(s["key"], s["title"], [paragraph(p) for p in s["paragraphs"]])
            for s in body.get("sections", [])
        ],
    )


@dataclass
class Difference:
    code: str
    label: str
    published: str
    today: str
    version_then: int
    version_now: int | None
    url: str
    changes: list = field(default_factory=list)


def differences(published: PublishedReport, *, max_entries: int = 20) -> list[Difference]:
    """Figures of a published report whose value today differs (or whose indicator's
    definition changed, or that no longer exists), each with the audit entries of its rows
    written since publication (best effort: rows still behind the figure today, inside the
    report's unit)."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    unit = published.unit
    snapshot: dict[str, dict] = {}
    for data in published.figures:
        snapshot.setdefault(data["code"], data)
    known = set(catalogue.codes())
    # today's values as the rows give them (read directly, never through the report's builder)
    today = reading.values([c for c in snapshot if c in known], unit, published.start, published.as_of)
    found = []
    for code, data in snapshot.items():
        then = _value(data["value"])
        indicator = catalogue.get(code) if code in known else None
        now = today.get(code)
        version_now = indicator.version if indicator else None
        if indicator is not None and now == then and version_now == data["version"]:
            continue
        diff = Difference(
            code=code,
            label=indicator.label if indicator else code,
            published=str(then),
            today="" if now is None else str(now),
            version_then=data["version"],
            version_now=version_now,
            url=rows_url(code, unit.code, published.start, published.as_of) if indicator else "",
        )
        if indicator is not None:
            rows = indicator.rows(unit, published.start, published.as_of)
            content_type = ContentType.objects.get_for_model(rows.model)
            diff.changes = list(
                LogEntry.objects.filter(
                    content_type=content_type,
                    timestamp__gt=published.published_at,
                    object_id__in=rows.order_by().values("pk"),
                )
                .select_related("actor")
                .order_by("-timestamp")[:max_entries]
            )
        found.append(diff)
    return found


# --- the reporting burden ------------------------------------------------------------------

DIGITS = re.compile(r"[0-9０-９༠-༩]+")


@dataclass
class ReportBurden:
    report: PublishedReport
    from_records: int
    typed: int


def report_burden(user, unit: Unit) -> ReportBurden | None:
    """The latest published report of the subtree: figures that come from indicators (so from
    records) against numbers typed into its free text by editors."""
    report = (
        PublishedReport.objects.visible_to(user)
        .filter(unit__path__startswith=unit.path)
        .order_by("-published_at")
        .first()
    )
    if report is None:
        return None
    typed = 0
    body = report.body or {}
    paragraphs = list(body.get("lead", []))
    for section in body.get("sections", []):
        paragraphs.extend(section.get("paragraphs", []))
    for paragraph in paragraphs:
        if paragraph.get("free"):
            for part in paragraph.get("parts", []):
                typed += len(DIGITS.findall(part.get("t", "")))
    return ReportBurden(report=report, from_records=len(report.figures or []), typed=typed)


def draft_texts(unit: Unit, as_of: datetime.date, language: str) -> dict:
    """The editors' free text of a report, by section (empty when nobody wrote any)."""
    draft = ReportDraft.objects.filter(unit=unit, as_of=as_of, language=language).first()
    return draft.texts if draft else {}


# --- work waiting ---------------------------------------------------------------------------
def drafts_to_publish(user) -> QuerySet[ReportDraft]:
    """Drafts in the user's scope edited since the report of their unit, date and language
    was last published (or never published), for the office that publishes them."""
    if not (user.is_authenticated and (user.is_superuser or user.role == "office_admin")):
        return ReportDraft.objects.none()
    published_since = PublishedReport.objects.filter(
        unit=OuterRef("unit"),
        as_of=OuterRef("as_of"),
        language=OuterRef("language"),
        published_at__gte=OuterRef("updated_at"),
    )
    return (
        ReportDraft.objects.visible_to(user)
        .exclude(Exists(published_since))
        .select_related("unit")
        .order_by("as_of", "pk")
    )
