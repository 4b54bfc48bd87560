"""The shipped template is the 2021 report the Python definitions wrote: the document made
from them is the shipped one, and the text the template builds is, word for word, the text
they built — in Chinese and Tibetan, with every figure and with clauses dropping."""

import json

import pytest

from reports.report import build_report
from reports.template import SHIPPED, check_document, shipped_document
from reports.tests.conftest import AS_OF, SEED_VALUES
from reports.tests.python_report import document_from_python, python_report_text


def test_the_shipped_template_is_the_document_made_from_the_python_definitions():
    assert json.loads(SHIPPED.read_text(encoding="utf-8")) == document_from_python()


def test_the_shipped_template_passes_the_editors_checks(db):
    from figures import catalogue

    assert check_document(shipped_document(), set(catalogue.codes())) == []


@pytest.mark.parametrize("language", ["zh-hans", "bo"])
@pytest.mark.parametrize("code", ["540100", "540102", "540102001"])
def test_the_template_builds_the_text_the_python_definitions_built(unit, seed_values, language, code):
    new = build_report(unit(code), AS_OF, language).as_text()
    assert new == python_report_text(unit(code), AS_OF, language)


SPARSE = [
    {},  # nothing recorded: only the sections that need no figures
    {"study.sessions": 3, "film.participants": 1200, "visits.county_cadres": 7, "orglife.measures_overdue": 2},
    {"centre_group.study_sessions": 0, "books.copies": 46312, "concerns.resolved": 4, "key_items.total": 1},
    {k: v for i, (k, v) in enumerate(SEED_VALUES.items()) if i % 2},
    {k: v for i, (k, v) in enumerate(SEED_VALUES.items()) if i % 3 == 1},
]


@pytest.mark.parametrize("language", ["zh-hans", "bo"])
@pytest.mark.parametrize("values", SPARSE)
def test_clauses_drop_as_they_did_when_figures_are_absent(unit, monkeypatch, language, values):
    import reports.report as report_module

    def fake(unit, start, end, codes, progress=None):
        return {code: values.get(code, 0) for code in report_module.registered_codes(codes)}

    monkeypatch.setattr(report_module, "indicator_values", fake)
    new = build_report(unit("540100"), AS_OF, language).as_text()
    assert new == python_report_text(unit("540100"), AS_OF, language)
