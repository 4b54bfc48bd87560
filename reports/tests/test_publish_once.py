"""A report is published once: publishing it again unchanged is refused with a clear word and
makes no new snapshot; a changed report makes a new one. A snapshot exports as docx, PDF and
xlsx exactly as it was frozen, whatever the rows say today."""

import io
import re
import subprocess

import docx
import pytest
from django.core.exceptions import ValidationError

from core import xlsx
from reports import selectors, services
from reports.models import PublishedReport
from reports.tests.conftest import AS_OF

PUBLISH = {"unit": "540100", "as_of": "2021-12-31", "language": "zh-hans"}


def test_publishing_an_unchanged_report_is_refused_and_makes_no_snapshot(office, unit, seed_values):
    first = services.publish_report(actor=office, unit=unit("540100"), as_of=AS_OF, language="zh-hans")
    with pytest.raises(services.Unchanged) as exc:
        services.publish_report(actor=office, unit=unit("540100"), as_of=AS_OF, language="zh-hans")
    assert isinstance(exc.value, ValidationError) and exc.value.published == first
    assert PublishedReport.objects.count() == 1
    # Another language is another report.
    services.publish_report(actor=office, unit=unit("540100"), as_of=AS_OF, language="bo")
    assert PublishedReport.objects.count() == 2


def _read_values(monkeypatch, values: dict) -> None:
    """Today's figures read as ``values`` (every other indicator zero)."""
    import reports.report as report_module

    def fake(unit, start, end, codes, progress=None):
        return {code: values.get(code, 0) for code in report_module.registered_codes(codes)}

    monkeypatch.setattr(report_module, "indicator_values", fake)


def test_a_changed_report_is_published_again(office, unit, seed_values, monkeypatch):
    services.publish_report(actor=office, unit=unit("540100"), as_of=AS_OF, language="zh-hans")
    _read_values(monkeypatch, {**seed_values, "study.sessions": seed_values["study.sessions"] + 1})
    services.publish_report(actor=office, unit=unit("540100"), as_of=AS_OF, language="zh-hans")
    assert PublishedReport.objects.count() == 2


@pytest.mark.parametrize(
    "language,said", [("zh-hans", "已按现在的内容发布过"), ("bo", "སྔར་སྤེལ་ཟིན།"), ("en", "already published exactly")]
)
def test_the_page_says_the_report_is_unchanged_and_opens_the_snapshot(as_user, office, seed_values, language, said):
    client = as_user(office)
    client.post("/reports/report/publish/", PUBLISH)
    published = PublishedReport.objects.get()
    client.cookies["django_language"] = language
    again = client.post("/reports/report/publish/", PUBLISH, follow=True)
    assert again.redirect_chain[-1][0] == f"/reports/published/{published.pk}/"
    assert said in again.content.decode()
    assert PublishedReport.objects.count() == 1


def test_the_report_page_offers_the_snapshot_instead_of_publishing_again(as_user, office, seed_values, monkeypatch):
    client = as_user(office)
    query = {"unit": "540100", "as_of": "2021-12-31", "language": "zh-hans"}
    assert 'data-testid="publish"' in client.get("/reports/report/", query).content.decode()
    client.post("/reports/report/publish/", PUBLISH)
    published = PublishedReport.objects.get()
    page = client.get("/reports/report/", query).content.decode()
    assert 'data-testid="publish"' not in page and f"/reports/published/{published.pk}/" in page
    _read_values(monkeypatch, {})  # the figures changed since: publishing is offered again
    assert 'data-testid="publish"' in client.get("/reports/report/", query).content.decode()


def _snapshot(client, monkeypatch) -> PublishedReport:
    client.post("/reports/report/publish/", PUBLISH)
    published = PublishedReport.objects.get()
    _read_values(monkeypatch, {})  # today every figure reads zero: the export must not care
    return published


def test_a_snapshot_exports_as_docx_exactly_as_frozen(as_user, office, seed_values, monkeypatch):
    client = as_user(office)
    published = _snapshot(client, monkeypatch)
    response = client.get(f"/reports/published/{published.pk}/export/", {"format": "docx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert "2.8万场次" in text
    frozen = selectors.published_report(published)
    paragraphs = [p.text for p in frozen.lead] + [p.text for sec in frozen.sections for p in sec.paragraphs]
    assert paragraphs and all(p in text for p in paragraphs)


def test_a_snapshot_exports_as_pdf_exactly_as_frozen(as_user, office, seed_values, tmp_path, monkeypatch):
    client = as_user(office)
    published = _snapshot(client, monkeypatch)
    response = client.get(f"/reports/published/{published.pk}/export/", {"format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "snapshot.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "2.8万场次" in re.sub(r"\s+", "", text)


def test_a_snapshot_exports_its_figures_as_xlsx(as_user, office, seed_values, monkeypatch):
    client = as_user(office)
    published = _snapshot(client, monkeypatch)
    response = client.get(f"/reports/published/{published.pk}/export/", {"format": "xlsx"})
    assert response.status_code == 200
    sheet = xlsx.open_workbook(io.BytesIO(response.content), data_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    study = next(r for r in rows if r[0] == "study.sessions")
    frozen = next(f for f in published.figures if f["code"] == "study.sessions")
    assert (study[2], str(study[3]), study[4]) == (frozen["formatted"], str(frozen["value"]), frozen["version"])
    assert len([r for r in rows[3:] if r[0]]) == len(published.figures)


def test_a_snapshot_outside_scope_or_in_an_unknown_format_is_not_exported(
    as_user, office, cg_office, seed_values, monkeypatch
):
    published = _snapshot(as_user(office), monkeypatch)
    assert as_user(cg_office).get(f"/reports/published/{published.pk}/export/", {"format": "docx"}).status_code == 404
    assert as_user(office).get(f"/reports/published/{published.pk}/export/", {"format": "exe"}).status_code == 404


def test_the_snapshot_page_offers_its_exports_in_three_languages(as_user, office, seed_values, monkeypatch):
    client = as_user(office)
    published = _snapshot(client, monkeypatch)
    for language, word in (("zh-hans", "导出为 PDF"), ("bo", "PDF"), ("en", "Export as PDF")):
        client.cookies["django_language"] = language
        page = client.get(f"/reports/published/{published.pk}/").content.decode()
        assert 'data-testid="snapshot-docx"' in page and word in page
