"""The report as a template: its sections and sentences in Chinese and Tibetan, held as one
ordered JSON document per campaign (``ReportTemplate.document``), edited by the office in the
page and checked here, in one place, by the editor and by a campaign's import alike.

The document::

    {"lead": [[sentence, ...], ...],                 # paragraphs of sentences
     "sections": [{"key": "learning", "title_zh": ..., "title_bo": ..., "title_en": ...,
                   "needs_data": true, "paragraphs": [[sentence, ...], ...]}, ...]}

and a sentence is ``{"zh": ..., "bo": ..., "en": ...}`` (English optional, a gloss for the
English interface). The report's own lines — ``"title"``, ``"subtitle"``, ``"issuer"`` and
``"issued"`` (the close: the issuing office and its date) — are optional keys of the document,
each a sentence that holds only ``{word}`` markers; a document without one reads the line the
platform writes (``reports.templates_text``: the 2021 report's). A sentence's text holds three kinds of marker:

``{word}``
    a word filled from the unit and the date: ``unit``, ``committee``, ``whole``,
    ``leaders``, ``date``, ``campaign``, ``goals``, ``programmes``; in Tibetan also
    ``unit_gen`` / ``unit_erg`` (the unit's name with its genitive / agentive particle),
    ``campaign_bare`` and ``campaign_gen``.
``{code|style|measure}``
    a figure: the indicator's code, how it is rounded (``万`` as counted — 2.8万; ``余`` a
    round figure — 4000余; ``exact``; ``万`` when left out) and the measure word (after the
    number in Chinese, before it in Tibetan, as the language writes it).
``[ ... ]``
    a clause that drops when its figures are absent (the indicator is not installed) or
    all zero. Text between two clauses joins them and is written only between clauses that
    stay; text before the first clause opens the sentence and text after the last closes it.
    A sentence whose clauses with figures all drop is left out, and a section marked
    ``needs_data`` whose figures all drop is left out.

In Tibetan a joiner of spaces is not written after a tsheg (the syllable mark ends the word
already), and runs of spaces are written as one.
"""

from __future__ import annotations

import copy
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from reports import numbers

SHIPPED = Path(__file__).resolve().parent / "data" / "report-2021.json"
SHIPPED_VERSION = 1  # what a campaign that never edited its template reads

LANGUAGES = ("zh", "bo", "en")
REPORT_LANGUAGE = {"zh-hans": "zh", "bo": "bo"}
WORDS = {
    "zh": {"unit", "committee", "whole", "leaders", "date", "campaign", "goals", "programmes"},
    "en": {"unit", "committee", "whole", "leaders", "date", "campaign", "goals", "programmes"},
}
WORDS["bo"] = WORDS["zh"] | {"unit_gen", "unit_erg", "leaders_bo", "campaign_bare", "campaign_gen"}
ALL_WORDS = WORDS["bo"]
CODE = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")
SECTION_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
MAX_SENTENCE = 2000
MAX_TITLE = 200
MAX_LINE = 300  # a line of the report's head or close
LINES = ("title", "subtitle", "issuer", "issued")
MAX_SECTIONS = 30
MAX_SENTENCES = 300
MAX_DOCUMENT = 400_000  # characters of the whole document as JSON


# --- the markers ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Word:
    name: str


@dataclass(frozen=True)
class FigureMark:
    code: str
    style: str
    measure: str
    position: int = field(default=0, compare=False)  # 1-based, in the sentence's text


@dataclass(frozen=True)
class ClauseMark:
    items: tuple[Text | Word | FigureMark, ...]

    @property
    def figures(self) -> list[FigureMark]:
        return [i for i in self.items if isinstance(i, FigureMark)]


Item = Text | Word | FigureMark | ClauseMark


class Problem(Exception):
    """Something wrong at one character of a sentence (1-based)."""

    def __init__(self, position: int, message: str):
        super().__init__(message)
        self.position = position
        self.message = message


def check_characters(text: str, limit: int) -> None:
    if len(text) > limit:
        raise Problem(limit + 1, _("Keep it under %(n)s characters.") % {"n": limit})
    for i, ch in enumerate(text):
        if unicodedata.category(ch) == "Cc" or ch in BIDI_CONTROLS:
            raise Problem(i + 1, _("The control character U+%(code)04X may not be used.") % {"code": ord(ch)})


def _mark(
    inner: str, position: int, language: str, codes: set[str] | None, words_only: bool = False
) -> Word | FigureMark:
    pieces = inner.split("|")
    name = pieces[0].strip()
    if words_only and name not in ALL_WORDS:
        raise Problem(
            position,
            _("“%(name)s” is not a word of the report (this line holds no figures): use one of %(words)s.")
            % {"name": name, "words": ", ".join("{" + w + "}" for w in sorted(WORDS[language]))},
        )
    if name in ALL_WORDS:
        if len(pieces) > 1:
            raise Problem(
                position, _("“%(name)s” is a word of the report, not a figure: it takes no style.") % {"name": name}
            )
        if codes is not None and name not in WORDS[language]:
            raise Problem(position, _("The word “%(name)s” is not written in this language.") % {"name": name})
        return Word(name)
    if not CODE.match(name):
        raise Problem(position, _("“%(name)s” is neither a word of the report nor an indicator code.") % {"name": name})
    if codes is not None and name not in codes:
        raise Problem(position, _("No indicator has the code “%(code)s”.") % {"code": name})
    if len(pieces) > 3:
        raise Problem(position, _("A figure is written {code|style|measure}: too many “|”."))
    style = pieces[1].strip() if len(pieces) > 1 and pieces[1].strip() else numbers.AS_COUNTED
    if style not in numbers.FIGURE_STYLES:
        raise Problem(
            position,
            _("Unknown rounding style “%(style)s”: use one of %(styles)s.")
            % {"style": style, "styles": ", ".join(numbers.FIGURE_STYLES)},
        )
    measure = pieces[2] if len(pieces) > 2 else ""
    return FigureMark(name, style, measure, position)


def parse(
    text: str, language: str, codes: set[str] | None = None, *, words_only: bool = False, limit: int = MAX_SENTENCE
) -> list[Item]:
    """The sentence's markers in order. With ``codes`` (the known indicator codes) it checks
    as the editor does and raises ``Problem``; without, it reads a stored sentence.
    ``words_only``: a line of the report's head or close, which holds words and no figures
    or clauses."""
    if codes is not None:
        check_characters(text, limit)
    items: list[Item] = []
    clause: list[Text | Word | FigureMark] | None = None
    clause_start = 0
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            (items if clause is None else clause).append(Text("".join(buffer)))
            buffer.clear()

    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "{":
            end = text.find("}", i + 1)
            inner = text[i + 1 : end] if end >= 0 else ""
            if end < 0 or any(c in inner for c in "{[]"):
                raise Problem(i + 1, _("A “{” is not closed by “}”."))
            flush()
            (items if clause is None else clause).append(_mark(inner, i + 1, language, codes, words_only))
            i = end + 1
            continue
        if ch == "}":
            raise Problem(i + 1, _("A “}” closes nothing."))
        if ch in "[]" and words_only:
            raise Problem(i + 1, _("This line holds no clauses “[ ]”: write brackets as 【】."))
        if ch == "[":
            if clause is not None:
                raise Problem(i + 1, _("A clause “[” opens inside another clause."))
            flush()
            clause, clause_start = [], i + 1
        elif ch == "]":
            if clause is None:
                raise Problem(i + 1, _("A “]” closes no clause."))
            flush()
            items.append(ClauseMark(tuple(clause)))
            clause = None
        else:
            buffer.append(ch)
        i += 1
    if clause is not None:
        raise Problem(clause_start, _("A clause “[” is not closed by “]”."))
    flush()
    return items


@lru_cache(maxsize=4096)
def parsed(text: str, language: str) -> tuple[Item, ...]:
    """A stored sentence's markers, read once per process (a Problem is not kept)."""
    return tuple(parse(text, language))


def figure_marks(items: list[Item] | tuple[Item, ...]) -> list[FigureMark]:
    found: list[FigureMark] = []
    for item in items:
        if isinstance(item, FigureMark):
            found.append(item)
        elif isinstance(item, ClauseMark):
            found.extend(item.figures)
    return found


# --- the document -----------------------------------------------------------------------------


@cache
def _shipped_text() -> str:
    return SHIPPED.read_text(encoding="utf-8")


def shipped_document() -> dict[str, Any]:
    """The 2021 report as the platform ships it (a fresh copy: callers may change it)."""
    return json.loads(_shipped_text())


def sentences(document: dict) -> list[tuple[str, int, int, dict]]:
    """(section key or "lead", paragraph, sentence, the sentence) in the document's order."""
    found = []
    for p, paragraph in enumerate(document.get("lead", [])):
        found.extend(("lead", p, s, sentence) for s, sentence in enumerate(paragraph))
    for section in document.get("sections", []):
        for p, paragraph in enumerate(section.get("paragraphs", [])):
            found.extend((section.get("key", ""), p, s, sentence) for s, sentence in enumerate(paragraph))
    return found


def document_codes(document: dict) -> list[str]:
    """Every indicator code the document's sentences name, in order of first use."""
    seen: dict[str, None] = {}
    for _key, _p, _s, sentence in sentences(document):
        for language in ("zh", "bo"):
            try:
                items = parsed(sentence.get(language, ""), language)
            except Problem:
                continue
            for mark in figure_marks(items):
                seen.setdefault(mark.code, None)
    return list(seen)


def section_keys(document: dict) -> list[str]:
    return [s["key"] for s in document.get("sections", [])]


def section_title(section: dict, language: str) -> str:
    lang = REPORT_LANGUAGE.get(language, "en" if language == "en" else "zh")
    return section.get(f"title_{lang}") or section.get("title_zh", "")


def default_line(name: str) -> dict[str, str]:
    """The line the platform writes when the document has none of its own (the 2021 report's)."""
    from reports import templates_text

    clause = {
        "title": templates_text.TITLE,
        "subtitle": templates_text.SUBTITLE,
        "issuer": templates_text.ISSUER,
        "issued": templates_text.ISSUED,
    }[name]
    return {"zh": clause.zh, "bo": clause.bo, "en": clause.en}


def line_of(document: dict, name: str) -> dict[str, str]:
    """The document's line ``name`` (one of ``LINES``) in each language: its own, else the default."""
    own = document.get(name)
    if isinstance(own, dict):
        return {k: own.get(k, "") if isinstance(own.get(k, ""), str) else "" for k in LANGUAGES}
    return default_line(name)


def line_name(name: str) -> str:
    return {
        "title": _("Report title"),
        "subtitle": _("Report subtitle"),
        "issuer": _("Issuing office"),
        "issued": _("Date of issue"),
    }[name]


def reader_language() -> str:
    """The language a section's title is shown in to the reader of the page."""
    from django.utils.translation import get_language

    language = get_language() or ""
    return language if language in ("bo", "en") else "zh-hans"


# --- checking -------------------------------------------------------------------------------------


def _language_name(language: str) -> str:
    return {"zh": _("Chinese"), "bo": _("Tibetan"), "en": _("English")}[language]


def check_sentence(sentence: Any, codes: set[str]) -> list[tuple[str, int, str]]:
    """Problems of one sentence: (language, position, message)."""
    if not isinstance(sentence, dict):
        return [("zh", 0, _("A sentence must have its Chinese and Tibetan text."))]
    problems: list[tuple[str, int, str]] = []
    parsed: dict[str, list[Item]] = {}
    for language in LANGUAGES:
        text = sentence.get(language, "")
        if not isinstance(text, str):
            problems.append((language, 0, _("The text must be written as text.")))
            continue
        if not text.strip():
            if language != "en":
                problems.append((language, 0, _("Write the sentence in Chinese and in Tibetan.")))
            continue
        try:
            parsed[language] = parse(text, language, codes)
        except Problem as problem:
            problems.append((language, problem.position, problem.message))
    if "zh" in parsed and "bo" in parsed:
        zh = {m.code for m in figure_marks(parsed["zh"])}
        for mark in figure_marks(parsed["bo"]):
            if mark.code not in zh:
                problems.append(
                    (
                        "bo",
                        mark.position,
                        _("The figure %(code)s is not in the Chinese sentence.") % {"code": mark.code},
                    )
                )
        bo = {m.code for m in figure_marks(parsed["bo"])}
        for mark in figure_marks(parsed["zh"]):
            if mark.code not in bo:
                problems.append(
                    (
                        "zh",
                        mark.position,
                        _("The figure %(code)s is not in the Tibetan sentence.") % {"code": mark.code},
                    )
                )
    return problems


def check_line(line: Any) -> list[tuple[str, int, str]]:
    """Problems of one line of the report's head or close: (language, position, message). It
    holds ``{word}`` markers of its language only — no figures, no clauses."""
    if not isinstance(line, dict):
        return [("zh", 0, _("A line must have its Chinese and Tibetan text."))]
    problems: list[tuple[str, int, str]] = []
    for language in LANGUAGES:
        text = line.get(language, "")
        if not isinstance(text, str):
            problems.append((language, 0, _("The text must be written as text.")))
            continue
        if not text.strip():
            if language != "en":
                problems.append((language, 0, _("Write the line in Chinese and in Tibetan.")))
            continue
        try:
            parse(text, language, set(), words_only=True, limit=MAX_LINE)
        except Problem as problem:
            problems.append((language, problem.position, problem.message))
    return problems


def line_message(name: str, language: str, position: int, message: str) -> str:
    if position:
        return _("%(line)s, %(language)s, character %(position)s: %(problem)s") % {
            "line": line_name(name),
            "language": _language_name(language),
            "position": position,
            "problem": message,
        }
    return _("%(line)s, %(language)s: %(problem)s") % {
        "line": line_name(name),
        "language": _language_name(language),
        "problem": message,
    }


def _where(section: str, paragraph: int, sentence: int, language: str, position: int, message: str) -> str:
    if position:
        return _(
            "Section “%(section)s”, paragraph %(paragraph)s, sentence %(sentence)s, %(language)s, "
            "character %(position)s: %(problem)s"
        ) % {
            "section": section,
            "paragraph": paragraph + 1,
            "sentence": sentence + 1,
            "language": _language_name(language),
            "position": position,
            "problem": message,
        }
    return _("Section “%(section)s”, paragraph %(paragraph)s, sentence %(sentence)s, %(language)s: %(problem)s") % {
        "section": section,
        "paragraph": paragraph + 1,
        "sentence": sentence + 1,
        "language": _language_name(language),
        "problem": message,
    }


def _section_name(section: dict, index: int) -> str:
    title = section_title(section, reader_language()) if isinstance(section, dict) else ""
    return str(title or (section.get("key") if isinstance(section, dict) else "") or index + 1)


def lead_name() -> str:
    return _("Lead")


def _check_paragraphs(name: str, paragraphs: Any, codes: set[str], counted: list[int]) -> list[str]:
    if not isinstance(paragraphs, list) or not all(isinstance(p, list) for p in paragraphs):
        return [_("Section “%(section)s”: its paragraphs must be lists of sentences.") % {"section": name}]
    messages = []
    for p, paragraph in enumerate(paragraphs):
        for s, sentence in enumerate(paragraph):
            counted[0] += 1
            for language, position, message in check_sentence(sentence, codes):
                messages.append(_where(name, p, s, language, position, message))
    return messages


def check_document(document: Any, codes: set[str]) -> list[str]:
    """Every problem of a template, each naming its section, paragraph, sentence, language and
    character; empty when the template may be saved."""
    if not isinstance(document, dict) or not isinstance(document.get("sections"), list):
        return [_("A report template has a lead and a list of sections.")]
    if len(json.dumps(document, ensure_ascii=False)) > MAX_DOCUMENT:
        return [_("The template is too long: keep it under %(n)s characters.") % {"n": MAX_DOCUMENT}]
    sections = document["sections"]
    if len(sections) > MAX_SECTIONS:
        return [_("A report has at most %(n)s sections.") % {"n": MAX_SECTIONS}]
    messages: list[str] = []
    for name in LINES:
        if name in document:
            messages += [line_message(name, *problem) for problem in check_line(document[name])]
    counted = [0]
    messages += _check_paragraphs(lead_name(), document.get("lead", []), codes, counted)
    keys: set[str] = set()
    for index, section in enumerate(sections):
        name = _section_name(section, index)
        if not isinstance(section, dict):
            messages.append(_("Section %(n)s is not a section.") % {"n": index + 1})
            continue
        key = section.get("key")
        if not isinstance(key, str) or not SECTION_KEY.match(key) or key == "lead":
            messages.append(
                _("Section “%(section)s”: its key uses lower-case letters, digits and underscores.") % {"section": name}
            )
        elif key in keys:
            messages.append(_("Section “%(section)s”: the key %(key)s is used twice.") % {"section": name, "key": key})
        keys.add(str(key))
        for language in LANGUAGES:
            title = section.get(f"title_{language}", "")
            if not isinstance(title, str) or (language != "en" and not title.strip()):
                messages.append(
                    _("Section “%(section)s”: write its title in Chinese and in Tibetan.") % {"section": name}
                )
                continue
            try:
                check_characters(title, MAX_TITLE)
                if any(c in title for c in "{}[]"):
                    raise Problem(
                        next(i for i, c in enumerate(title) if c in "{}[]") + 1, _("A title holds no markers.")
                    )
            except Problem as problem:
                messages.append(
                    _("Section “%(section)s”, title, %(language)s, character %(position)s: %(problem)s")
                    % {
                        "section": name,
                        "language": _language_name(language),
                        "position": problem.position,
                        "problem": problem.message,
                    }
                )
        if not isinstance(section.get("needs_data", True), bool):
            messages.append(_("Section “%(section)s”: say whether it needs figures.") % {"section": name})
        messages += _check_paragraphs(name, section.get("paragraphs"), codes, counted)
    if counted[0] > MAX_SENTENCES:
        messages.insert(0, _("A report has at most %(n)s sentences.") % {"n": MAX_SENTENCES})
    return messages


def _clean_sentence(sentence: dict) -> dict:
    return {k: sentence.get(k, "").strip() for k in LANGUAGES}


def clean_document(document: dict) -> dict:
    """The document as stored: only the known fields, texts stripped."""
    lines = {name: _clean_sentence(document[name]) for name in LINES if name in document}
    return {
        **lines,
        "lead": [[_clean_sentence(s) for s in p] for p in document.get("lead", [])],
        "sections": [
            {
                "key": s["key"],
                "title_zh": s.get("title_zh", "").strip(),
                "title_bo": s.get("title_bo", "").strip(),
                "title_en": s.get("title_en", "").strip(),
                "needs_data": s.get("needs_data", True),
                "paragraphs": [[_clean_sentence(x) for x in p] for p in s.get("paragraphs", [])],
            }
            for s in document["sections"]
        ],
    }


def copy_document(document: dict) -> dict:
    return copy.deepcopy(document)


# --- the campaign's template ------------------------------------------------------------------


def campaign_of(unit, as_of=None):
    """The unit's campaign (one whose root is the unit or above it), its template read in the
    same query: the newest whose period holds ``as_of``, else the newest begun by then (a
    campaign still being set up counts for neither), else the newest. A report as of a day is the report of the campaign that day belongs to, so a
    later campaign over the same units leaves an earlier one's report as it was."""
    from campaigns.choices import CampaignStatus
    from campaigns.models import Campaign

    campaigns = list(
        Campaign.objects.filter(root_unit__path__in=unit.ancestor_paths())
        .select_related("report_template")
        .order_by("-start", "-pk")
    )
    if as_of is not None:
        for fits in (lambda c: c.start <= as_of <= c.end, lambda c: c.start <= as_of):
            campaign = next((c for c in campaigns if fits(c) and c.status != CampaignStatus.DRAFT), None)
            if campaign is not None:
                return campaign
    return campaigns[0] if campaigns else None


def template_of_campaign(campaign) -> tuple[dict, int]:
    """(document, version) of the campaign's template: its own, or the shipped one."""
    from django.core.exceptions import ObjectDoesNotExist

    try:
        row = campaign.report_template if campaign is not None else None
    except ObjectDoesNotExist:
        row = None
    if row is None:
        return shipped_document(), SHIPPED_VERSION
    return row.document, row.version


def template_of(unit) -> tuple[dict, int]:
    return template_of_campaign(campaign_of(unit))


# --- changes to a document (each on a copy; the services store them) --------------------------------


def paragraphs_of(document: dict, key: str) -> list:
    from django.core.exceptions import ValidationError

    if key == "lead":
        return document.setdefault("lead", [])
    for section in document.get("sections", []):
        if section.get("key") == key:
            return section.setdefault("paragraphs", [])
    raise ValidationError({"document": _("No section has the key %(key)s.") % {"key": key}})


def sentence_at(document: dict, key: str, paragraph: int, sentence: int) -> dict:
    from django.core.exceptions import ValidationError

    paragraphs = paragraphs_of(document, key)
    if not (0 <= paragraph < len(paragraphs) and 0 <= sentence < len(paragraphs[paragraph])):
        raise ValidationError({"document": _("No such sentence in this section.")})
    return paragraphs[paragraph][sentence]


def with_sentence(document: dict, key: str, paragraph: int, sentence: int | None, texts: dict) -> dict:
    """A copy with the sentence replaced, or (``sentence`` None) added at the end of the
    paragraph (``paragraph`` past the last: a new paragraph)."""
    from django.core.exceptions import ValidationError

    changed = copy_document(document)
    paragraphs = paragraphs_of(changed, key)
    new = {k: texts.get(k, "") for k in LANGUAGES}
    if sentence is None:
        if not 0 <= paragraph <= len(paragraphs):
            raise ValidationError({"document": _("No such paragraph in this section.")})
        if paragraph == len(paragraphs):
            paragraphs.append([])
        paragraphs[paragraph].append(new)
    else:
        sentence_at(changed, key, paragraph, sentence)
        paragraphs[paragraph][sentence] = new
    return changed


def without_sentence(document: dict, key: str, paragraph: int, sentence: int) -> dict:
    changed = copy_document(document)
    sentence_at(changed, key, paragraph, sentence)
    paragraphs = paragraphs_of(changed, key)
    del paragraphs[paragraph][sentence]
    if not paragraphs[paragraph]:
        del paragraphs[paragraph]
    return changed


def with_section(document: dict, key: str, new_key: str, titles: dict, needs_data: bool) -> dict:
    """A copy with the section's titles changed, or (``key`` empty) a new section
    ``new_key`` added before the last one (the next steps close the report)."""
    changed = copy_document(document)
    fields = {f"title_{k}": titles.get(k, "") for k in LANGUAGES} | {"needs_data": needs_data}
    if key:
        paragraphs_of(changed, key)
        next(s for s in changed["sections"] if s.get("key") == key).update(fields)
    else:
        sections = changed.setdefault("sections", [])
        sections.insert(max(len(sections) - 1, 0), {"key": new_key, **fields, "paragraphs": []})
    return changed


def without_section(document: dict, key: str) -> dict:
    from django.core.exceptions import ValidationError

    if key == "lead":
        raise ValidationError({"document": _("The lead cannot be deleted; delete its sentences instead.")})
    changed = copy_document(document)
    paragraphs_of(changed, key)
    changed["sections"] = [s for s in changed["sections"] if s.get("key") != key]
    return changed


def with_sentence_moved(document: dict, key: str, paragraph: int, sentence: int, step: int) -> dict:
    """A copy with the sentence moved one place earlier (``step`` -1) or later (+1) in its
    paragraph; at either end it stays."""
    changed = copy_document(document)
    sentence_at(changed, key, paragraph, sentence)
    row = paragraphs_of(changed, key)[paragraph]
    other = sentence + (1 if step > 0 else -1)
    if 0 <= other < len(row):
        row[sentence], row[other] = row[other], row[sentence]
    return changed


def with_line(document: dict, name: str, texts: dict | None) -> dict:
    """A copy with the line ``name`` of the report's head or close written as ``texts``, or
    (``texts`` None) without a line of its own: the report writes the default again."""
    from django.core.exceptions import ValidationError

    if name not in LINES:
        raise ValidationError({"document": _("The report has no line %(name)s.") % {"name": name}})
    changed = copy_document(document)
    if texts is None:
        changed.pop(name, None)
    else:
        changed[name] = {k: texts.get(k, "") for k in LANGUAGES}
    return changed
