"""The report as it was built before it became a template: the sentences of
``reports.templates_text`` (the 2021 report written in Python) filled by the builder of that
time. Kept for the tests only, which hold the shipped template
(``reports/data/report-2021.json``) to it: the document made from these definitions is the
shipped one, and the text the template builds is the text these definitions built.

    python manage.py shell -c "from reports.tests.python_report import write_shipped; write_shipped()"

writes the shipped document again from the definitions.
"""

from __future__ import annotations

import datetime
import json
import re

from django.utils import translation

from figures import catalogue
from orgs.models import Unit
from reports import report as builder
from reports.numbers import AS_COUNTED, ROUNDED
from reports.template import SHIPPED
from reports.templates_text import LEAD, SECTIONS, STYLES, Clause, Sentence, Style

FIGURE = re.compile(r"\{([a-z_]+(?:\.[a-z_]+)+)\}")
EN_JOINERS = {"，": ", ", "、": ", ", "；": "; ", "": " ", "和": " and "}


# --- the document made from the definitions --------------------------------------------------------


def _marked(text: str, language: str) -> str:
    def mark(match: re.Match) -> str:
        code = match.group(1)
        style = STYLES.get(code, Style("", "", ""))
        measure = {"zh": style.zh, "bo": style.bo, "en": style.en}[language]
        rounding = ROUNDED if style.approx else AS_COUNTED
        return "{" + code + "|" + rounding + ("|" + measure if measure else "") + "}"

    text = FIGURE.sub(mark, text)
    return text.replace("{leaders_bo}", "{leaders}")


def _sentence_text(sentence: Sentence, language: str) -> str:
    def text(clause: Clause) -> str:
        return _marked(getattr(clause, language), language)

    with_figures = any(FIGURE.search(c.zh) for c in sentence.clauses)
    out = text(sentence.opening)
    for i, clause in enumerate(sentence.clauses):
        if i:
            if language == "zh":
                out += clause.sep
            elif language == "bo":
                out += "" if with_figures is False and out.endswith(("་", " ")) else " "
            else:
                out += EN_JOINERS.get(clause.sep, " ")
        out += f"[{text(clause)}]" if with_figures else text(clause)
    closing = text(sentence.closing)
    if language == "en" and not closing and sentence.closing.zh == "。":
        closing = "."
    return out + closing


def document_from_python() -> dict:
    def sentence(s: Sentence) -> dict:
        return {language: _sentence_text(s, language) for language in ("zh", "bo", "en")}

    return {
        "lead": [[sentence(s)] for s in LEAD],
        "sections": [
            {
                "key": section.key,
                "title_zh": section.title_zh,
                "title_bo": section.title_bo,
                "title_en": section.title_en,
                "needs_data": section.needs_data,
                "paragraphs": [[sentence(s) for s in paragraph] for paragraph in section.paragraphs],
            }
            for section in SECTIONS
        ],
    }


def write_shipped() -> None:
    SHIPPED.parent.mkdir(exist_ok=True)
    SHIPPED.write_text(json.dumps(document_from_python(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


# --- the builder of that time -----------------------------------------------------------------------


def _style(code: str) -> Style:
    return STYLES.get(code, Style("", "", ""))


def format_figure(code: str, value, language: str) -> str:
    from reports import numbers

    style = _style(code)
    if language == "bo":
        return numbers.bo_number(value, style.bo, approx=style.approx)
    return numbers.zh_number(value, style.zh, approx=style.approx)


def _fill(text: str, words: dict[str, str], figures: dict) -> list:
    parts: list = []
    pos = 0
    for match in FIGURE.finditer(text):
        parts.append(builder.WORD.sub(lambda m: words.get(m.group(1), ""), text[pos : match.start()]))
        parts.append(figures[match.group(1)])
        pos = match.end()
    parts.append(builder.WORD.sub(lambda m: words.get(m.group(1), ""), text[pos:]))
    return [p for p in parts if p != ""]


def _clause_text(clause: Clause, language: str) -> str:
    return clause.bo if language == "bo" else clause.zh


def _ends_with(parts: list, endings: tuple[str, ...]) -> bool:
    last = parts[-1] if parts else ""
    text = last.text if isinstance(last, builder.Figure) else last
    return text.endswith(endings)


def _sentence(sentence: Sentence, language: str, words: dict, values: dict, section: str, versions: dict):
    kept: list[list] = []
    seps: list[str] = []
    has_figures = False
    for clause in sentence.clauses:
        text = _clause_text(clause, language)
        codes = FIGURE.findall(clause.zh)
        if codes:
            has_figures = True
            if any(c not in values for c in codes) or all(not values[c] for c in codes):
                continue
        figures = {
            c: builder.Figure(c, versions[c], values[c], format_figure(c, values[c], language), section) for c in codes
        }
        kept.append(_fill(text, words, figures))
        seps.append(clause.sep)
    if has_figures and not kept:
        return None
    parts: list = _fill(_clause_text(sentence.opening, language), words, {})
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


def figure_codes() -> list[str]:
    seen: dict[str, None] = {}
    for section in SECTIONS:
        for paragraph in section.paragraphs:
            for sentence in paragraph:
                for clause in sentence.clauses:
                    for code in FIGURE.findall(clause.zh):
                        seen.setdefault(code, None)
    return list(seen)


def python_report_text(unit: Unit, as_of: datetime.date, language: str) -> str:
    """The report's text as the Python definitions built it (title, lead, sections, close)."""
    from reports.templates_text import ISSUED, ISSUER, SUBTITLE, TITLE, programmes_word

    start, end = builder.report_range(unit, as_of)
    codes = builder.registered_codes(figure_codes())
    values = builder.indicator_values(unit, start, end, codes)
    versions = {c: catalogue.get(c).version for c in codes}
    with translation.override(language):
        words = builder.context_words(unit, as_of, language)
        words["programmes"] = programmes_word(builder.programme_names(unit, start, end, language), language)

        def line(clause: Clause) -> str:
            return "".join(str(p) for p in _fill(_clause_text(clause, language), words, {}))

        title, subtitle, issuer, issued = line(TITLE), line(SUBTITLE), line(ISSUER), line(ISSUED)
        if language == "bo":
            issued = issued.rstrip("་ ") + "།"
        lead = []
        for sentence in LEAD:
            parts = _sentence(sentence, language, words, values, "lead", versions)
            if parts:
                lead.append(builder.Paragraph(parts))
        sections = []
        for text in SECTIONS:
            paragraphs = []
            has_data = False
            for paragraph in text.paragraphs:
                parts = []
                for sentence in paragraph:
                    got = _sentence(sentence, language, words, values, text.key, versions)
                    if got:
                        if any(isinstance(p, builder.Figure) for p in got):
                            has_data = True
                        if parts and language == "bo":
                            parts.append(" ")
                        parts.extend(got)
                if parts:
                    paragraphs.append(builder.Paragraph(parts))
            if text.needs_data and not has_data:
                continue
            title_text = text.title_bo if language == "bo" else text.title_zh
            sections.append(builder.ReportSection(text.key, title_text, paragraphs))
    return builder.Report(unit, start, as_of, language, title, subtitle, lead, sections, issuer, issued).as_text()
