"""The report as an official document: docx (python-docx) and PDF (WeasyPrint).

Both name their fonts explicitly — "Noto Serif CJK SC" for Chinese (naming the SC face keeps
Japanese glyph variants out), "Noto Serif Tibetan" / "Tibetan Machine Uni" for Tibetan —
and number their pages. WeasyPrint embeds the (subset) fonts in the PDF.

The Tibetan PDF is set in Tibetan Machine Uni: its stacked letters are glyphs that map back
to their letters, so text copied from the PDF (or extracted by a search engine) comes back as
whole syllables. Set in Noto Serif Tibetan, every vowel sign is a mark glyph placed apart
from its letter, and extraction tears it off its syllable (ས ི ག་ instead of སྒྲིག་).
"""

from __future__ import annotations

import io

from django.template.loader import render_to_string

from reports.report import Report

CJK_SERIF = "Noto Serif CJK SC"
CJK_SANS = "Noto Sans CJK SC"
TIBETAN = "Noto Serif Tibetan"
TIBETAN_ALT = "Tibetan Machine Uni"


def _fonts(language: str) -> tuple[str, str]:
    """(body font, heading font) of the Word document for the report's language."""
    if language == "bo":
        return TIBETAN, TIBETAN
    return CJK_SERIF, CJK_SANS


def _pdf_fonts(language: str) -> tuple[str, str]:
    """(body font, heading font) of the PDF: Tibetan Machine Uni for Tibetan, whose text
    extracts in logical order (see the module's note)."""
    if language == "bo":
        return TIBETAN_ALT, TIBETAN_ALT
    return _fonts(language)


def _set_font(run, name: str, size_pt: float, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = name
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    if size_pt:
        # complex scripts (Tibetan) take their size from szCs
        sz = rpr.makeelement(qn("w:szCs"), {qn("w:val"): str(int(size_pt * 2))})
        rpr.append(sz)


def _page_number_field(paragraph) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = "PAGE"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(instr)
    run._r.append(end)


def docx_bytes(report: Report) -> bytes:
    """A Word document in the shape of an official document: centred title (22 pt, 二号),
    subtitle, section headings in bold, body in 16 pt (三号) serif with a first-line indent
    of two characters, A4 margins, page numbers centred in the footer."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    body_font, heading_font = _fonts(report.language)
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = doc.styles["Normal"]
    normal.font.name = body_font
    normal.font.size = Pt(16)

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_font(title.add_run(report.title), heading_font, 22, bold=True)
    subtitle = doc.add_paragraph()
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_font(subtitle.add_run(report.subtitle), body_font, 16)

    def body_paragraph(text: str) -> None:
        p = doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(32)
        p.paragraph_format.line_spacing = Pt(28) if report.language != "bo" else Pt(34)
        _set_font(p.add_run(text), body_font, 16)

    for paragraph in report.lead:
        body_paragraph(paragraph.text)
    for sec in report.sections:
        heading = doc.add_paragraph()
        heading.paragraph_format.space_before = Pt(12)
        _set_font(heading.add_run(sec.title), heading_font, 16, bold=True)
        for paragraph in sec.paragraphs:
            body_paragraph(paragraph.text)

    # the close (落款): the issuing office and the date, flush right below the last section
    for i, text in enumerate((report.issuer, report.issued)):
        if text:
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if i == 0:
                p.paragraph_format.space_before = Pt(32)
            _set_font(p.add_run(text), body_font, 16)

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number_field(footer)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def pdf_html(report: Report) -> str:
    body_font, heading_font = _pdf_fonts(report.language)
    return render_to_string(
        "reports/report_pdf.html",
        {
            "report": report,
            "body_font": body_font,
            "heading_font": heading_font,
            "fallbacks": f'"{TIBETAN_ALT}", "{TIBETAN}", "{CJK_SERIF}"',
        },
    )


def pdf_bytes(report: Report) -> bytes:
    from weasyprint import HTML

    return HTML(string=pdf_html(report)).write_pdf()
