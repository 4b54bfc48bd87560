"""Building the progress report: the sentences of ``templates_text`` filled with indicator
values for one unit's subtree, from the campaign's start to an as-of date.

A built report is plain data (``Report``): a title, a lead, sections of paragraphs, each
paragraph a list of parts that are either text or a ``Figure``. Every figure carries the
indicator's code and definition version, its value and how it is written, so the page can
link it to its rows and publishing can freeze it. Editors' free text (``ReportDraft``) is
placed before and after each section; it never holds a figure.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import translation

from figures import catalogue, reading
from orgs.models import Unit
from reports import numbers
from reports.templates_text import (
    CAMPAIGN,
    COMMITTEE,
    DATE,
    GOALS,
    ISSUED,
    ISSUER,
    LEAD,
    LEADERS,
    LEVELS,
    SECTIONS,
    STYLES,
    SUBTITLE,
    TITLE,
    WHOLE,
    Clause,
    Sentence,
    Style,
    programmes_word,
)

FIGURE = re.compile(r"\{([a-z_]+(?:\.[a-z_]+)+)\}")
WORD = re.compile(r"\{([a-z_]+)\}")
LANGUAGES = ("zh-hans", "bo")
TIBETAN_SUFFIXES = set("གངདནབམའརལས")


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


def context_words(unit: Unit, as_of: datetime.date, language: str) -> dict[str, str]:
    from campaigns.models import Campaign

    campaign = Campaign.objects.filter(root_unit__path__in=unit.ancestor_paths()).order_by("-start").first()
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


def report_range(unit: Unit, as_of: datetime.date) -> tuple[datetime.date, datetime.date]:
    """From the start of the unit's campaign (or 1 January of the as-of year) to the as-of date."""
    from campaigns.models import Campaign

    campaign = Campaign.objects.filter(root_unit__path__in=unit.ancestor_paths()).order_by("-start").first()
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


def _style(code: str) -> Style:
    return STYLES.get(code, Style("", "", ""))


def format_figure(code: str, value, language: str) -> str:
    style = _style(code)
    if language == "bo":
        return numbers.bo_number(value, style.bo, approx=style.approx)
    if language.startswith("zh"):
        return numbers.zh_number(value, style.zh, approx=style.approx)
    return numbers.en_number(value, style.en, approx=style.approx)


def _fill(text: str, words: dict[str, str], figures: dict[str, Figure]) -> list[Part]:
    parts: list[Part] = []
    pos = 0
    for match in FIGURE.finditer(text):
        parts.append(WORD.sub(lambda m: words.get(m.group(1), ""), text[pos : match.start()]))
        parts.append(figures[match.group(1)])
        pos = match.end()
    parts.append(WORD.sub(lambda m: words.get(m.group(1), ""), text[pos:]))
    return [p for p in parts if p != ""]


def _clause_text(clause: Clause, language: str) -> str:
    return clause.bo if language == "bo" else clause.zh


def _is_zero(value) -> bool:
    return not value


def _sentence(
    sentence: Sentence,
    language: str,
    words: dict[str, str],
    values: dict,
    section: str,
    versions: dict[str, int],
) -> list[Part] | None:
    kept: list[list[Part]] = []
    seps: list[str] = []
    has_figures = False
    for clause in sentence.clauses:
        text = _clause_text(clause, language)
        codes = FIGURE.findall(clause.zh)
        if codes:
            has_figures = True
            if any(c not in values for c in codes) or all(_is_zero(values[c]) for c in codes):
                continue
        figures = {c: Figure(c, versions[c], values[c], format_figure(c, values[c], language), section) for c in codes}
        kept.append(_fill(text, words, figures))
        seps.append(clause.sep)
    if has_figures and not kept:
        return None
    parts: list[Part] = _fill(_clause_text(sentence.opening, language), words, {})
    for i, clause_parts in enumerate(kept):
        if i and language != "bo":
            parts.append(seps[i])
        elif i and language == "bo" and not _ends_with(parts, ("་", " ")):
            parts.append(" ")
        parts.extend(clause_parts)
    parts.extend(_fill(_clause_text(sentence.closing, language), words, {}))
    if language == "bo":
        parts = [re.sub(r"  +", " ", p) if isinstance(p, str) else p for p in parts]
    return parts


def _ends_with(parts: list[Part], endings: tuple[str, ...]) -> bool:
    last = parts[-1] if parts else ""
    text = last.text if isinstance(last, Figure) else last
    return text.endswith(endings)


def build_report(
    unit: Unit,
    as_of: datetime.date,
    language: str = "zh-hans",
    *,
    draft_texts: dict | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    """The progress report of ``unit``'s subtree as of ``as_of`` in ``language`` (zh-hans or
    bo), with the editors' free text of ``draft_texts`` ({section: {"before", "after"}})."""
    from reports.templates_text import figure_codes

    draft_texts = draft_texts or {}
    start, end = report_range(unit, as_of)
    from figures.cache import cached

    codes = registered_codes(figure_codes())
    values = cached(
        "report-values",
        (unit.pk, start, end, tuple(codes)),
        lambda: indicator_values(unit, start, end, codes, progress),
    )
    versions = {c: catalogue.get(c).version for c in codes}
    with translation.override(language):
        words = context_words(unit, as_of, language)
        words["programmes"] = programmes_word(programme_names(unit, start, end, language), language)
        title = "".join(str(p) for p in _fill(_clause_text(TITLE, language), words, {}))
        subtitle = "".join(str(p) for p in _fill(_clause_text(SUBTITLE, language), words, {}))
        issuer = "".join(str(p) for p in _fill(_clause_text(ISSUER, language), words, {}))
        issued = "".join(str(p) for p in _fill(_clause_text(ISSUED, language), words, {}))
        if language == "bo":
            issued = issued.rstrip("་ ") + "།"
        lead = []
        lead_text = (draft_texts.get("lead") or {}).get("text", "").strip()
        if lead_text:
            lead.append(Paragraph([lead_text], free=True))
        else:
            for sentence in LEAD:
                parts = _sentence(sentence, language, words, values, "lead", versions)
                if parts:
                    lead.append(Paragraph(parts))
        sections = []
        for text in SECTIONS:
            paragraphs = []
            has_data = False
            for paragraph in text.paragraphs:
                parts: list[Part] = []
                for sentence in paragraph:
                    got = _sentence(sentence, language, words, values, text.key, versions)
                    if got:
                        if any(isinstance(p, Figure) for p in got):
                            has_data = True
                        if parts and language == "bo":
                            parts.append(" ")
                        parts.extend(got)
                if parts:
                    paragraphs.append(Paragraph(parts))
            if text.needs_data and not has_data:
                continue
            free = draft_texts.get(text.key) or {}
            before = [Paragraph([t.strip()], free=True) for t in _split(free.get("before", ""))]
            after = [Paragraph([t.strip()], free=True) for t in _split(free.get("after", ""))]
            title_text = text.title_bo if language == "bo" else text.title_zh
            sections.append(ReportSection(text.key, title_text, before + paragraphs + after))
    return Report(unit, start, as_of, language, title, subtitle, lead, sections, issuer, issued)


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
