"""Pages of the reports app: the dashboard, the generated progress report (figures linked to
their rows), the editors' free text, publishing, published reports with what changed since,
and background builds of the docx and PDF exports."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.selectors import campaign_from_request
from core import xlsx
from core.forms import refusals
from core.pagination import paginate
from figures import catalogue
from orgs.access import STAFF_ROLES, role_required
from orgs.choices import Role
from orgs.models import Unit
from orgs.scope import get_visible_or_404
from orgs.selectors import unit_from_request
from reports import dashboard as dash
from reports import exports, selectors, services, template
from reports.choices import BuildFormat, ReportLanguage
from reports.forms import (
    BuildForm,
    DraftForm,
    FigureForm,
    LineForm,
    RangeForm,
    ReportForm,
    SectionForm,
    SentenceForm,
)
from reports.models import PublishedReport, ReportBuild
from reports.report import build_report, preview_lines, preview_sentence

OFFICE = (Role.OFFICE_ADMIN,)
CONTENT_TYPES = {
    BuildFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    BuildFormat.PDF: "application/pdf",
}


def burden_panel(request, unit: Unit) -> dict:
    """The context of the panel on the reporting-burden page (``ReportsConfig.burden_panel``):
    the latest published report of the unit's subtree that the reader sees, with its figures
    from records and its numbers typed by hand."""
    return {"unit": unit, "report": selectors.report_burden(request.user, unit)}


def _unit(request, code: str) -> Unit:
    return unit_from_request(request, code)


def _report_params(request, data=None) -> tuple[Unit, datetime.date, str, ReportForm]:
    form = ReportForm(data if data is not None else (request.GET or None))
    cleaned = form.cleaned_data if form.is_valid() else {}
    unit = _unit(request, cleaned.get("unit", ""))
    as_of = cleaned.get("as_of") or selectors.default_as_of(unit, campaign_from_request(request, unit))
    language = cleaned.get("language") or ("bo" if get_language() == "bo" else "zh-hans")
    return unit, as_of, language, form


def _query(unit: Unit, as_of: datetime.date, language: str) -> str:
    return urlencode({"unit": unit.code, "as_of": as_of.isoformat(), "language": language})


@role_required(*STAFF_ROLES)
def index(request):
    unit = unit_from_request(request)
    as_of = selectors.default_as_of(unit, campaign_from_request(request, unit))
    published = paginate(request, PublishedReport.objects.visible_to(request.user).select_related("unit"), 20)
    return render(
        request,
        "reports/index.html",
        {
            "unit": unit,
            "as_of": as_of,
            "form": ReportForm(initial={"unit": unit.code, "as_of": as_of}),
            "published": published,
            "languages": ReportLanguage.choices,
        },
    )


@role_required(*STAFF_ROLES)
def report(request):
    unit, as_of, language, form = _report_params(request)
    built = selectors.link_figures(
        build_report(unit, as_of, language, draft_texts=selectors.draft_texts(unit, as_of, language))
    )
    return render(
        request,
        "reports/report.html",
        {
            "report": built,
            "unit": unit,
            "as_of": as_of,
            "language": language,
            "form": form,
            "query": _query(unit, as_of, language),
            "may_edit": services.may_edit(request.user, unit),
            "published_as_is": services.published_as_is(unit, as_of, language, built),
            "formats": [(BuildFormat.DOCX, BuildFormat.DOCX.label), (BuildFormat.PDF, BuildFormat.PDF.label)],
        },
    )


@role_required(*OFFICE)
def draft_edit(request):
    unit, as_of, language, _form = _report_params(request, request.GET or None)
    if not services.may_edit(request.user, unit):
        raise Http404
    texts = selectors.draft_texts(unit, as_of, language)
    sections = template.template_of(unit)[0].get("sections", [])
    form = DraftForm(request.POST or None, initial=DraftForm.initial_from(texts, sections), sections=sections)
    if request.method == "POST" and form.is_valid():
        with refusals(form) as outcome:
            services.save_draft(actor=request.user, unit=unit, as_of=as_of, language=language, texts=form.texts())
        if not outcome.refused:
            messages.success(request, _("Changes saved."))
            return redirect(f"{reverse('reports:report')}?{_query(unit, as_of, language)}")
    return render(
        request,
        "reports/draft_form.html",
        {"form": form, "unit": unit, "as_of": as_of, "language": language, "query": _query(unit, as_of, language)},
    )


@require_POST
@role_required(*OFFICE)
def publish(request):
    unit, as_of, language, _form = _report_params(request, request.POST)
    try:
        published = services.publish_report(actor=request.user, unit=unit, as_of=as_of, language=language)
    except services.Unchanged as exc:
        messages.info(request, exc.messages[0])
        return redirect("reports:published", report_id=exc.published.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(f"{reverse('reports:report')}?{_query(unit, as_of, language)}")
    messages.success(request, _("Report published; its figures are frozen."))
    return redirect("reports:published", report_id=published.pk)


@role_required(*STAFF_ROLES)
def published(request, report_id: int):
    snapshot = get_visible_or_404(
        PublishedReport.objects.select_related("unit", "published_by"), request.user, pk=report_id
    )
    frozen = selectors.published_report(snapshot)
    differences = selectors.differences(snapshot)
    today = {d.code: d.today or "—" for d in differences}
    for figure in frozen.figures:
        figure.today = today.get(figure.code, "")
    return render(
        request,
        "reports/published.html",
        {"published": snapshot, "report": frozen, "differences": differences, "intact": services.verify(snapshot)},
    )


SNAPSHOT_FORMATS = ("docx", "pdf", "xlsx")


def _snapshot_xlsx(snapshot: PublishedReport) -> bytes:
    """The snapshot's frozen figures as a sheet: code, name, value as written, value,
    definition version."""
    book = xlsx.book()
    sheet = book.active
    sheet.title = "figures"
    xlsx.append(sheet, [snapshot.title])
    xlsx.append(sheet, [_("As of"), snapshot.as_of.isoformat(), _("SHA-256"), snapshot.sha256])
    xlsx.append(sheet, [_("Code"), _("Figure"), _("As written"), _("Value"), _("Definition version")])
    known = set(catalogue.codes())
    for data in snapshot.figures:
        name = catalogue.get(data["code"]).label if data["code"] in known else ""
        xlsx.append(sheet, [data["code"], name, data["formatted"], data["value"], data["version"]])
    return xlsx.to_bytes(book)


@role_required(*STAFF_ROLES)
def published_export(request, report_id: int):
    """A published report exported exactly as it was frozen: the stored text and figures
    (never read again) as docx or PDF, in the shape of the report's exports, or its figures
    as an xlsx sheet. ``?format=`` docx (the default), pdf or xlsx."""
    snapshot = get_visible_or_404(PublishedReport.objects.select_related("unit"), request.user, pk=report_id)
    fmt = request.GET.get("format", "docx")
    if fmt not in SNAPSHOT_FORMATS:
        raise Http404
    name = f"report-{snapshot.unit.code}-{snapshot.as_of.isoformat()}-{snapshot.language}-published-{snapshot.pk}.{fmt}"
    with translation.override(snapshot.language):
        if fmt == "xlsx":
            return xlsx.download(_snapshot_xlsx(snapshot), name)
        frozen = selectors.published_report(snapshot)
        content = exports.docx_bytes(frozen) if fmt == "docx" else exports.pdf_bytes(frozen)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
@role_required(*STAFF_ROLES)
def build_start(request):
    form = BuildForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a format."))
        return redirect("reports:index")
    unit, as_of, language, _form = _report_params(request, request.POST)
    try:
        build = services.request_build(
            actor=request.user, unit=unit, as_of=as_of, language=language, format=form.cleaned_data["format"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("reports:index")
    return redirect("reports:build", build_id=build.pk)


def _build(request, build_id: int) -> ReportBuild:
    build = get_visible_or_404(ReportBuild.objects.select_related("unit"), request.user, pk=build_id)
    if build.requested_by_id != request.user.pk and not request.user.is_superuser:
        raise Http404
    return build


@role_required(*STAFF_ROLES)
def build_status(request, build_id: int):
    build = _build(request, build_id)
    template = "reports/_build_progress.html" if request.htmx else "reports/build.html"
    return render(request, template, {"build": build, "query": _query(build.unit, build.as_of, build.language)})


@role_required(*STAFF_ROLES)
def build_file(request, build_id: int):
    build = _build(request, build_id)
    if not build.file:
        raise Http404
    name = f"report-{build.unit.code}-{build.as_of.isoformat()}-{build.language}.{build.format}"
    return FileResponse(build.file.open("rb"), content_type=CONTENT_TYPES[build.format], filename=name)


@role_required(*STAFF_ROLES)
def dashboard(request):
    form = RangeForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    unit = _unit(request, data.get("unit", ""))
    campaign = campaign_from_request(request, unit)
    end = data.get("end") or selectors.default_as_of(unit, campaign)
    start = data.get("start") or (campaign.start if campaign and campaign.start <= end else end.replace(month=1, day=1))
    if start > end:
        start, end = end, start
    board = dash.build(request.user, unit, start, end)
    return render(
        request,
        "reports/dashboard.html",
        {
            "unit": unit,
            "start": start,
            "end": end,
            "form": form if form.is_bound else RangeForm(initial={"unit": unit.code, "start": start, "end": end}),
            "board": board,
            "charts": dash.chart_data(board),
            "range_query": urlencode({"start": start.isoformat(), "end": end.isoformat()}),
        },
    )


# --- the report's template ------------------------------------------------------------------------


def _campaign(request):
    """The unit the office works for and its campaign, whose template it may edit (404 else)."""
    unit = unit_from_request(request)
    campaign = campaign_from_request(request, unit)
    if not services.may_edit_template(request.user, campaign):
        raise Http404
    return unit, campaign


def _lead_title() -> str:
    return template.lead_name()


@role_required(*OFFICE)
def template_index(request):
    """The campaign's report template: its sections and sentences as written, each to edit."""
    unit, campaign = _campaign(request)
    document, version = template.template_of_campaign(campaign)
    language = template.reader_language()
    sections = [{"key": "lead", "title": _lead_title(), "paragraphs": document.get("lead", []), "lead": True}]
    sections += [
        {
            "key": s["key"],
            "title": template.section_title(s, language),
            "paragraphs": s.get("paragraphs", []),
            "needs_data": s.get("needs_data", True),
        }
        for s in document.get("sections", [])
    ]
    lines = [
        {"name": name, "label": template.line_name(name), "own": name in document, **template.line_of(document, name)}
        for name in template.LINES
    ]
    return render(
        request,
        "reports/template_index.html",
        {"unit": unit, "campaign": campaign, "version": version, "sections": sections, "lines": lines},
    )


def _preview(unit: Unit, campaign, document: dict, key: str, texts: dict) -> list[dict]:
    """The sentence and its section as the campaign's report writes them for the unit, in both
    languages."""
    as_of = selectors.default_as_of(unit, campaign)
    shown = []
    for language, label in ReportLanguage.choices:
        text = texts.get(template.REPORT_LANGUAGE[language], "")
        sentence = preview_sentence(unit, as_of, language, text, campaign)
        built = build_report(unit, as_of, language, document=document, template_version=0, campaign=campaign)
        if key == "lead":
            paragraphs = built.lead
        else:
            paragraphs = next((s.paragraphs for s in built.sections if s.key == key), [])
        shown.append(
            {
                "language": language,
                "label": label,
                "sentence": sentence,
                "section": [p.text for p in paragraphs if not p.free],
            }
        )
    return shown


def _indicators() -> list[tuple[str, str]]:
    return [(i.code, str(i.label)) for i in catalogue.all_indicators()]


@role_required(*OFFICE)
def template_sentence(request, section_key: str, paragraph: int | None = None, sentence: int | None = None):
    """Edit one sentence of the template (or, without a position, add one): the office writes
    it in Chinese and Tibetan, inserts figures, previews it for its unit and saves it."""
    key = section_key
    unit, campaign = _campaign(request)
    document, version = template.template_of_campaign(campaign)
    adding = sentence is None
    try:
        current = {} if adding else template.sentence_at(document, key, paragraph or 0, sentence or 0)
        paragraphs = len(template.paragraphs_of(template.copy_document(document), key))
    except ValidationError as exc:
        raise Http404 from exc
    form = SentenceForm(
        request.POST or None, initial={**current, "version": version}, paragraphs=paragraphs if adding else None
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        texts = form.texts()
        where = form.cleaned_data.get("paragraph", 0) if adding else paragraph or 0
        if request.POST.get("action") == "preview":
            with refusals(form):
                candidate = template.with_sentence(document, key, where, sentence, texts)
                services.check_template(candidate, set(template.document_codes(document)))
                preview = _preview(unit, campaign, candidate, key, texts)
        else:
            with refusals(form) as outcome:
                saved = services.change_template(
                    actor=request.user,
                    campaign=campaign,
                    change=template.with_sentence,
                    version=form.cleaned_data["version"],
                    key=key,
                    paragraph=where,
                    sentence=sentence,
                    texts=texts,
                )
            if not outcome.refused:
                messages.success(request, _("Template saved (version %(version)s).") % {"version": saved.version})
                return redirect(f"{reverse('reports:template')}#section-{key}")
    section = _lead_title() if key == "lead" else _section_title(document, key)
    return render(
        request,
        "reports/template_sentence.html",
        {
            "unit": unit,
            "form": form,
            "figure_form": FigureForm(indicators=_indicators()),
            "preview": preview,
            "section": section,
            "key": key,
            "adding": adding,
            "position": None if adding else (paragraph or 0) + 1,
            "number": None if adding else (sentence or 0) + 1,
        },
    )


def _line_preview(unit: Unit, campaign, name: str, texts: dict) -> list[dict]:
    """The line as the campaign's report writes it for the unit, in both languages."""
    as_of = selectors.default_as_of(unit, campaign)
    shown = []
    for language, label in ReportLanguage.choices:
        text = texts[template.REPORT_LANGUAGE[language]]
        shown.append(
            {
                "language": language,
                "label": label,
                "line": preview_lines(unit, as_of, language, {name: text}, campaign)[name],
            }
        )
    return shown


@role_required(*OFFICE)
def template_line(request, name: str):
    """Edit a line of the report's head or close (title, subtitle, issuing office, date of
    issue) in Chinese and Tibetan, preview it for the office's unit, save it — or give the line
    back to the platform's default."""
    if name not in template.LINES:
        raise Http404
    unit, campaign = _campaign(request)
    document, version = template.template_of_campaign(campaign)
    form = LineForm(request.POST or None, initial={**template.line_of(document, name), "version": version})
    preview = None
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action")
        texts = None if action == "default" else form.texts()
        if action == "preview":
            with refusals(form):
                candidate = template.with_line(document, name, texts)
                services.check_template(candidate, set(template.document_codes(document)))
                preview = _line_preview(unit, campaign, name, template.line_of(candidate, name))
        else:
            with refusals(form) as outcome:
                saved = services.change_template(
                    actor=request.user,
                    campaign=campaign,
                    change=template.with_line,
                    version=form.cleaned_data["version"],
                    name=name,
                    texts=texts,
                )
            if not outcome.refused:
                messages.success(request, _("Template saved (version %(version)s).") % {"version": saved.version})
                return redirect(f"{reverse('reports:template')}#section-lines")
    return render(
        request,
        "reports/template_line.html",
        {
            "unit": unit,
            "form": form,
            "preview": preview,
            "name": name,
            "label": template.line_name(name),
            "own": name in document,
            "words": sorted(template.WORDS["zh"]),
            "words_bo": sorted(template.WORDS["bo"] - template.WORDS["zh"]),
        },
    )


def _section_title(document: dict, key: str) -> str:
    language = template.reader_language()
    for section in document.get("sections", []):
        if section.get("key") == key:
            return template.section_title(section, language)
    raise Http404


def _change_sentence(request, key: str, paragraph: int, sentence: int, change, **values):
    """Apply one change to an existing sentence of the selected campaign's template (404 for
    a sentence that is not there); the saved template, or None with the refusal shown."""
    unit, campaign = _campaign(request)
    try:
        template.sentence_at(template.template_of_campaign(campaign)[0], key, paragraph, sentence)
    except ValidationError as exc:
        raise Http404 from exc
    try:
        return services.change_template(
            actor=request.user,
            campaign=campaign,
            change=change,
            version=int(request.POST.get("version", "-1") or -1),
            key=key,
            paragraph=paragraph,
            sentence=sentence,
            **values,
        )
    except (ValidationError, ValueError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return None


@require_POST
@role_required(*OFFICE)
def template_sentence_delete(request, section_key: str, paragraph: int, sentence: int):
    saved = _change_sentence(request, section_key, paragraph, sentence, template.without_sentence)
    if saved is not None:
        messages.success(request, _("Sentence deleted (version %(version)s).") % {"version": saved.version})
    return redirect(f"{reverse('reports:template')}#section-{section_key}")


@require_POST
@role_required(*OFFICE)
def template_sentence_move(request, section_key: str, paragraph: int, sentence: int):
    """Move a sentence one place earlier or later in its paragraph (``direction`` up / down)."""
    step = 1 if request.POST.get("direction") == "down" else -1
    _change_sentence(request, section_key, paragraph, sentence, template.with_sentence_moved, step=step)
    return redirect(f"{reverse('reports:template')}#section-{section_key}")


@role_required(*OFFICE)
def template_section(request, section_key: str = ""):
    """Edit a section's titles (or, without a key, add a section before the last)."""
    key = section_key
    unit, campaign = _campaign(request)
    document, version = template.template_of_campaign(campaign)
    current = {}
    if key:
        current = next((s for s in document.get("sections", []) if s.get("key") == key), None)
        if current is None:
            raise Http404
    initial = {**{k: v for k, v in current.items() if k != "paragraphs"}, "version": version}
    initial.setdefault("needs_data", True)
    form = SectionForm(request.POST or None, initial=initial)
    if key:
        form.fields["key"].disabled = True
    if request.method == "POST" and form.is_valid():
        with refusals(form) as outcome:
            services.change_template(
                actor=request.user,
                campaign=campaign,
                change=template.with_section,
                version=form.cleaned_data["version"],
                key=key,
                new_key=(form.cleaned_data.get("key") or "").strip(),
                titles=form.titles(),
                needs_data=form.cleaned_data["needs_data"],
            )
        if not outcome.refused:
            messages.success(request, _("Template saved."))
            return redirect(reverse("reports:template"))
    return render(request, "reports/template_section.html", {"unit": unit, "form": form, "key": key})


@require_POST
@role_required(*OFFICE)
def template_section_delete(request, section_key: str):
    key = section_key
    unit, campaign = _campaign(request)
    if key not in template.section_keys(template.template_of_campaign(campaign)[0]):
        raise Http404
    try:
        services.change_template(
            actor=request.user,
            campaign=campaign,
            change=template.without_section,
            version=int(request.POST.get("version", "-1") or -1),
            key=key,
        )
    except (ValidationError, ValueError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("Section deleted."))
    return redirect(reverse("reports:template"))
