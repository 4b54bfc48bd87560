"""The docx and PDF exports: an official document's shape, the figures, embedded fonts."""

import io
import re
import subprocess

import docx
import pytest

from reports import exports
from reports.report import build_report
from reports.tests.conftest import AS_OF


@pytest.fixture
def city_report(unit, seed_values):
    return lambda language: build_report(unit("540100"), AS_OF, language)


def test_the_docx_has_a_title_body_font_figures_and_page_numbers(city_report):
    document = docx.Document(io.BytesIO(exports.docx_bytes(city_report("zh-hans"))))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "拉萨市党史学习教育：学党史砺初心 担使命谋发展"
    assert document.paragraphs[0].runs[0].font.size.pt == 22
    body = "\n".join(paragraphs)
    for figure in ("2.8万场次", "291.4万人次", "12万余条", "1600余次"):
        assert figure in body
    assert "组织生活会动真较劲" in paragraphs
    run = document.paragraphs[2].runs[0]  # the lead
    assert run.font.name == "Noto Serif CJK SC"
    assert 'w:eastAsia="Noto Serif CJK SC"' in run._element.xml
    footer = document.sections[0].footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "fldChar" in footer


def test_the_tibetan_docx_uses_a_tibetan_font(city_report):
    document = docx.Document(io.BytesIO(exports.docx_bytes(city_report("bo"))))
    assert document.paragraphs[0].text.startswith("ལྷ་ས་གྲོང་ཁྱེར་")
    assert document.paragraphs[2].runs[0].font.name == "Noto Serif Tibetan"


def _pdf_text(path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _pdf_fonts(path) -> str:
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


def test_the_chinese_pdf_holds_the_figures_and_embeds_the_cjk_font(city_report, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(exports.pdf_bytes(city_report("zh-hans")))
    text = re.sub(r"\s+", "", _pdf_text(path))
    for figure in ("2.8万场次", "291.4万人次", "4000余场次", "11.9万余条"):
        assert figure in text
    fonts = _pdf_fonts(path)
    assert "Noto-Serif-CJK-SC" in fonts
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])  # every font embedded


def test_the_tibetan_pdf_embeds_a_tibetan_font_and_numbers_its_pages(city_report, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(exports.pdf_bytes(city_report("bo")))
    fonts = _pdf_fonts(path)
    assert "Tibetan-Machine-Uni" in fonts
    text = _pdf_text(path)
    assert "— 1 —" in text and "— 2 —" in text
    assert "ཏང" in re.sub(r"\s+", "", text)


# A vowel sign or subjoined letter that extraction tore off its syllable stands after a space
# or at the start of a line.
DETACHED = re.compile(r"(?:^|\s)[\u0f71-\u0f84\u0f8d-\u0fbc]", re.MULTILINE)


def test_the_tibetan_pdf_gives_back_its_words_in_logical_order(city_report, tmp_path):
    report = city_report("bo")
    path = tmp_path / "report.pdf"
    path.write_bytes(exports.pdf_bytes(report))
    text = _pdf_text(path)
    assert not DETACHED.findall(text), DETACHED.findall(text)[:5]
    joined = text.replace("\n", "")  # a line of Tibetan breaks after a tsheg, inside no syllable
    for phrase in (
        "སྒྲིག་འཛུགས་འགོ་ཁྲིད་ཤུགས་ཆེ་བ།",  # a heading
        "ཏང་ལོ་རྒྱུས་སློབ་སྦྱོང་",  # the campaign's name
        "ཐག་གཅོད་ཚད་",  # the resolution rate
        report.sections[0].title,
    ):
        assert phrase in joined, phrase
