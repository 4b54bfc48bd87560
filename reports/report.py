"""Building the progress report: the sentences of the campaign's report template
(``reports.template``) filled with indicator values for one unit's subtree, from the
campaign's start to an as-of date. The title, subtitle and close are the template's lines
(``template.line_of``: the document's own, else the 2021 report's of ``templates_text``),
filled with the same words as the sentences.

A built report is plain data (``Report``): a title, a lead, sections of paragraphs, each
paragraph a list of parts that are either text or a ``Figure``. Every figure carries the
indicator's code and definition version, its value and how it is written, so the page can
link it to its rows and publishing can freeze it. Editors' free text (``ReportDraft``) is
placed before and after each section; it never holds a figure.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import translation

from figures import catalogue, reading
from orgs.models import Unit
from reports import numbers, template
from reports.templates_text import (
    CAMPAIGN,
    COMMITTEE,
    DATE,
    GOALS,
    LEADERS,
    LEVELS,
    WHOLE,
    programmes_word,
)

WORD = re.compile(r"\{([a-z_]+)\}")  # a context word (the builder of the Python definitions reads it)
LANGUAGES = ("zh-hans", "bo")
TIBETAN_SUFFIXES = set("གངདནབམའརལས")
UNREAD: Any = object()  # the campaign is not read yet


@dataclass
class Figure:
    """One figure of the report: which indicator, which version of its definition, its value
    and how the report writes it."""

    code: str
    version: int
    value: int | Decimal
    text: str
    section: str
    url: str = ""  # the drill-down to its rows, set by the page
    today: str = ""  # on a published report: today's value where it differs

    def as_json(self) -> dict:
        return {
            "code": self.code,
            "version": self.version,
            "value": str(self.value),
            "formatted": self.text,
            "section": self.section,
        }


Part = str | Figure


@dataclass
class Paragraph:
    parts: list[Part]
    free: bool = False  # an editor's paragraph

    @property
    def text(self) -> str:
        return "".join(p.text if isinstance(p, Figure) else p for p in self.parts)


@dataclass
class ReportSection:
    key: str
    title: str
    paragraphs: list[Paragraph] = field(default_factory=list)


@dataclass
class Report:
    unit: Unit
    start: datetime.date
    as_of: datetime.date
    language: str
    title: str
    subtitle: str
    lead: list[Paragraph]
    sections: list[ReportSection]
    issuer: str = ""  # the close (落款): the issuing office
    issued: str = ""  # and the date
    template_version: int = 0  # the version of the campaign's template it was built from
    indicator_versions: dict[str, int] = field(default_factory=dict)  # code -> definition version

    @property
    def figures(self) -> list[Figure]:
        found = []
        for paragraph in self.lead:
            found.extend(p for p in paragraph.parts if isinstance(p, Figure))
        for section in self.sections:
            for paragraph in section.paragraphs:
                found.extend(p for p in paragraph.parts if isinstance(p, Figure))
        return found

    def as_text(self) -> str:
        """The whole report as plain text: title, lead, then each section under its
        heading (``【heading】`` so a reader and a test can find where each section starts)."""
        lines = [self.title, self.subtitle, ""]
        lines += [p.text for p in self.lead]
        for section in self.sections:
            lines += ["", f"【{section.title}】"]
            lines += [p.text for p in section.paragraphs]
        if self.issuer or self.issued:
            lines += ["", self.issuer, self.issued]
        return "\n".join(lines) + "\n"


# --- context words -----------------------------------------------------------------------


def _bare_bo(name: str) -> str:
    return name.rstrip("།་ ")


def bo_particle(name: str, case: str) -> str:
    """``name`` with its genitive (``gen``) or agentive (``erg``) particle, chosen by the
    last letter of its last syllable as Tibetan grammar does."""
    bare = _bare_bo(name)
    last_syllable = bare.split("་")[-1]
    last = last_syllable[-1:] if last_syllable else ""
    open_syllable = last not in TIBETAN_SUFFIXES or len(last_syllable) == 1
    if open_syllable:
        return bare + ("འི་" if case == "gen" else "ས་")
    if last in "དབས":
        particle = "ཀྱི" if case == "gen" else "ཀྱིས"
    elif last in "གང":
        particle = "གི" if case == "gen" else "གིས"
    else:
        particle = "གྱི" if case == "gen" else "གྱིས"
    return f"{bare}་{particle}་"


def _level(unit: Unit) -> str:
    """The unit's level ("city", "district", "county"), or "" for a unit of none."""
    for suffix, _bo, level in LEVELS:
        if unit.name_zh.endswith(suffix):
            return level
    return ""


def context_words(unit: Unit, as_of: datetime.date, language: str, campaign: Any = UNREAD) -> dict[str, str]:
    if campaign is UNREAD:
        campaign = template.campaign_of(unit, as_of)
    level = _level(unit)
    committee = COMMITTEE["level" if level else ""]
    whole = WHOLE[level]
    leaders = LEADERS.get(level, LEADERS[""])
    date = {"year": as_of.year, "month": as_of.month, "day": as_of.day}
    if language == "bo":
        bare = _bare_bo(unit.name_bo or unit.name_zh)
        campaign_bo = _bare_bo(campaign.name_bo if campaign and campaign.name_bo else CAMPAIGN.bo)
        return {
            "unit": bare + "་",
            "unit_gen": bo_particle(bare, "gen"),
            "unit_erg": bo_particle(bare, "erg"),
            "committee": committee.bo.replace("{unit}", bare + "་"),  # a name may hold braces
            "whole": whole.bo,
            "leaders": leaders.bo,
            "leaders_bo": leaders.bo,
            "date": numbers.tibetan_digits(DATE.bo.format(**date)),
            "campaign": campaign_bo + "་",
            "campaign_bare": campaign_bo,
            "campaign_gen": bo_particle(campaign_bo, "gen"),
            "goals": (campaign.goal_words_bo if campaign and campaign.goal_words_bo else GOALS.bo).rstrip("།"),
        }
    return {
        "unit": unit.name_zh,
        "committee": committee.zh.replace("{unit}", unit.name_zh),
        "whole": whole.zh,
        "leaders": leaders.zh,
        "date": DATE.zh.format(**date),
        "campaign": campaign.name_zh if campaign else CAMPAIGN.zh,
        "goals": campaign.goal_words_zh if campaign and campaign.goal_words_zh else GOALS.zh,
    }


# --- values ----------------------------------------------------------------------------------


def programme_names(unit: Unit, start: datetime.date, end: datetime.date, language: str) -> list[str]:
    """The names of the key-items list's programmes whose items the report counts (listed in
    the period, run by a unit of the subtree), in the list's order."""
    from django.apps import apps

    if not apps.is_installed("concerns"):
        return []
    from concerns.models import Programme

    rows = (
        Programme.objects.filter(
            items__responsible_unit__path__startswith=unit.path,
            items__listed_on__gte=start,
            items__listed_on__lte=end,
        )
        .distinct()
        .order_by("order", "pk")
        .values_list("name_zh", "name_bo")
    )
    if language == "bo":
        return [_bare_bo(bo or zh) for zh, bo in rows]
    return [zh for zh, _bo in rows]


def report_range(unit: Unit, as_of: datetime.date, campaign: Any = UNREAD) -> tuple[datetime.date, datetime.date]:
    """From the start of the unit's campaign (or 1 January of the as-of year) to the as-of date."""
    if campaign is UNREAD:
        campaign = template.campaign_of(unit, as_of)
    start = campaign.start if campaign and campaign.start <= as_of else datetime.date(as_of.year, 1, 1)
    return start, as_of


def registered_codes(codes: list[str]) -> list[str]:
    return catalogue.registered(codes)


def indicator_values(
    unit: Unit,
    start: datetime.date,
    end: datetime.date,
    codes: list[str],
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int | Decimal]:
    """The value of each registered indicator in ``codes``, read together
    (``figures.reading``: each rollup's in one pass over it, the others grouped)."""
    return reading.values(codes, unit, start, end, progress)


# --- filling the sentences ----------------------------------------------------------------------


def format_figure(code: str, value, language: str, style: str = numbers.AS_COUNTED, measure: str = "") -> str:
    return numbers.styled(value, language, measure, style)


def _words_in(items, words: dict[str, str]) -> str:
    return "".join(words.get(i.name, "") if isinstance(i, template.Word) else i.text for i in items)


def _fill(items, language: str, words: dict[str, str], values: dict, versions: dict, section: str) -> list[Part]:
    """Text, words and figures in order; in Tibetan each run of text between figures is
    written with single spaces."""
    parts: list[Part] = []
    run: list = []

    def flush() -> None:
        text = _words_in(run, words)
        run.clear()
        if language == "bo":
            text = re.sub(r"  +", " ", text)
        if text:
            parts.append(text)

    for item in items:
        if isinstance(item, template.FigureMark):
            flush()
            value = values[item.code]
            text = format_figure(item.code, value, language, item.style, item.measure)
            parts.append(Figure(item.code, versions[item.code], value, text, section))
        else:
            run.append(item)
    flush()
    return parts


def _absent(marks, values: dict) -> bool:
    return any(m.code not in values for m in marks) or all(not values[m.code] for m in marks)


def build_sentence(
    text: str, language: str, words: dict[str, str], values: dict, section: str, versions: dict[str, int]
) -> list[Part] | None:
    """One sentence of the template filled in, or None when it is left out (its clauses with
    figures all dropped, or a figure outside any clause absent)."""
    try:
        items = list(template.parsed(text, lang_key(language)))
    except template.Problem:
        return None  # a stored template is checked when saved; a broken one writes nothing
    loose = [i for i in items if isinstance(i, template.FigureMark)]
    if loose and any(m.code not in values for m in loose):
        return None
    clauses = [i for i in items if isinstance(i, template.ClauseMark)]
    has_figures = any(c.figures for c in clauses)
    kept = [c for c in clauses if not (c.figures and _absent(c.figures, values))]
    if has_figures and not kept:
        return None
    fill = functools.partial(_fill, language=language, words=words, values=values, versions=versions, section=section)
    if not clauses:
        return fill(items)
    first = items.index(clauses[0])
    last = len(items) - 1 - items[::-1].index(clauses[-1])
    parts: list[Part] = fill(items[:first])
    joiners: dict[int, list] = {}
    pending: list = []
    for item in items[first : last + 1]:
        if isinstance(item, template.ClauseMark):
            joiners[id(item)] = pending
            pending = []
        else:
            pending.append(item)
    for i, clause in enumerate(kept):
        if i:
            joiner = fill(joiners[id(clause)])
            if language == "bo" and all(isinstance(p, str) and not p.strip() for p in joiner):
                joiner = [] if _ends_with(parts, ("་", " ")) else [" "] if joiner else []
            parts.extend(joiner)
        parts.extend(fill(list(clause.items)))
    parts.extend(fill(items[last + 1 :]))
    return parts


def _ends_with(parts: list[Part], endings: tuple[str, ...]) -> bool:
    last = parts[-1] if parts else ""
    text = last.text if isinstance(last, Figure) else last
    return text.endswith(endings)


def _words_only(items, words: dict[str, str]) -> str:
    out = []
    for item in items:
        if isinstance(item, template.Word):
            out.append(words.get(item.name, ""))
        elif isinstance(item, template.Text):
            out.append(item.text)
        elif isinstance(item, template.ClauseMark):  # a stored line is checked; a broken one keeps its words
            out.append(_words_only(item.items, words))
    return "".join(out)


def build_line(text: str, language: str, words: dict[str, str], name: str = "") -> str:
    """One line of the report's head or close (``template.LINES``) filled with the words; a
    Tibetan date line ends with a shad."""
    try:
        filled = _words_only(template.parsed(text, lang_key(language)), words)
    except template.Problem:
        filled = ""  # a stored line is checked when saved; a broken one writes nothing
    if name == "issued" and language == "bo" and filled.strip():
        filled = filled.rstrip("་ །") + "།"
    return filled


def _line(document: dict, name: str, language: str, words: dict[str, str]) -> str:
    return build_line(template.line_of(document, name)[lang_key(language)], language, words, name)


def _paragraphs(paragraphs, language: str, words, values, key: str, versions) -> tuple[list[Paragraph], bool]:
    built = []
    has_data = False
    for paragraph in paragraphs:
        parts: list[Part] = []
        for sentence in paragraph:
            got = build_sentence(sentence.get(lang_key(language), ""), language, words, values, key, versions)
            if got:
                if any(isinstance(p, Figure) for p in got):
                    has_data = True
                if parts and language == "bo":
                    parts.append(" ")
                parts.extend(got)
        if parts:
            built.append(Paragraph(parts))
    return built, has_data


def lang_key(language: str) -> str:
    return template.REPORT_LANGUAGE.get(language, "zh")


def build_report(
    unit: Unit,
    as_of: datetime.date,
    language: str = "zh-hans",
    *,
    draft_texts: dict | None = None,
    progress: Callable[[int, int], None] | None = None,
    document: dict | None = None,
    template_version: int | None = None,
    campaign: Any = UNREAD,
) -> Report:
    """The progress report of ``unit``'s subtree as of ``as_of`` in ``language`` (zh-hans or
    bo), from the template of the unit's campaign (or ``document``, a template not yet
    saved), with the editors' free text of ``draft_texts`` ({section: {"before", "after"}}).
    The campaign is the one ``as_of`` belongs to unless given."""
    if campaign is UNREAD:
        campaign = template.campaign_of(unit, as_of)
    if document is None:
        document, template_version = template.template_of_campaign(campaign)
    draft_texts = draft_texts or {}
    start, end = report_range(unit, as_of, campaign)
    from figures.cache import cached

    codes = registered_codes(template.document_codes(document))
    values = cached(
        "report-values",
        (unit.pk, start, end, tuple(codes)),
        lambda: indicator_values(unit, start, end, codes, progress),
    )
    versions = {c: catalogue.get(c).version for c in codes}
    with translation.override(language):
        words = context_words(unit, as_of, language, campaign)
        words["programmes"] = programmes_word(programme_names(unit, start, end, language), language)
        title = _line(document, "title", language, words)
        subtitle = _line(document, "subtitle", language, words)
        issuer = _line(document, "issuer", language, words)
        issued = _line(document, "issued", language, words)
        lead_text = (draft_texts.get("lead") or {}).get("text", "").strip()
        if lead_text:
            lead = [Paragraph([lead_text], free=True)]
        else:
            lead, _has = _paragraphs(document.get("lead", []), language, words, values, "lead", versions)
        sections = []
        for text in document.get("sections", []):
            paragraphs, has_data = _paragraphs(
                text.get("paragraphs", []), language, words, values, text["key"], versions
            )
            if text.get("needs_data", True) and not has_data:
                continue
            free = draft_texts.get(text["key"]) or {}
            before = [Paragraph([t.strip()], free=True) for t in _split(free.get("before", ""))]
            after = [Paragraph([t.strip()], free=True) for t in _split(free.get("after", ""))]
            title_text = template.section_title(text, language)
            sections.append(ReportSection(text["key"], title_text, before + paragraphs + after))
    return Report(
        unit,
        start,
        as_of,
        language,
        title,
        subtitle,
        lead,
        sections,
        issuer,
        issued,
        template_version=template_version or template.SHIPPED_VERSION,
        indicator_versions=versions,
    )


def preview_sentence(unit: Unit, as_of: datetime.date, language: str, text: str, campaign: Any = UNREAD) -> str | None:
    """One sentence of a template as the report would write it for ``unit`` (None when it is
    left out), its figures read for that sentence alone."""
    if campaign is UNREAD:
        campaign = template.campaign_of(unit, as_of)
    start, end = report_range(unit, as_of, campaign)
    try:
        items = template.parse(text, lang_key(language))
    except template.Problem:
        return None
    codes = registered_codes([m.code for m in template.figure_marks(items)])
    values = indicator_values(unit, start, end, codes)
    versions = {c: catalogue.get(c).version for c in codes}
    with translation.override(language):
        words = context_words(unit, as_of, language, campaign)
        words["programmes"] = programmes_word(programme_names(unit, start, end, language), language)
        parts = build_sentence(text, language, words, values, "preview", versions)
    return None if parts is None else Paragraph(parts).text


def preview_lines(
    unit: Unit, as_of: datetime.date, language: str, texts: dict[str, str], campaign: Any = UNREAD
) -> dict[str, str]:
    """Lines of the report's head or close ({name: text in the template's language}) as the
    report would write them for ``unit``."""
    if campaign is UNREAD:
        campaign = template.campaign_of(unit, as_of)
    start, end = report_range(unit, as_of, campaign)
    with translation.override(language):
        words = context_words(unit, as_of, language, campaign)
        words["programmes"] = programmes_word(programme_names(unit, start, end, language), language)
        return {name: build_line(text, language, words, name) for name, text in texts.items()}


def _split(text: str) -> list[str]:
    return [t for t in (text or "").replace("\r\n", "\n").split("\n\n") if t.strip()]


def serialise(report: Report) -> tuple[dict, list[dict]]:
    """The report's body (paragraphs of text and figure references) and its figures."""
    figures: list[dict] = []

    def paragraph(p) -> dict:
        parts = []
        for part in p.parts:
            if isinstance(part, Figure):
                parts.append({"f": len(figures)})
                figures.append(part.as_json())
            else:
                parts.append({"t": part})
        return {"parts": parts, "free": p.free}

    body = {
        "title": report.title,
        "subtitle": report.subtitle,
        "issuer": report.issuer,
        "issued": report.issued,
        "lead": [paragraph(p) for p in report.lead],
        "sections": [
            {"key": s.key, "title": s.title, "paragraphs": [paragraph(p) for p in s.paragraphs]}
            for s in report.sections
        ],
    }
    return body, figures
