"""One guard for every uploaded file (``core.uploads``), the evidence files it lets in and
how they are served, and the question asked before a file is imported twice."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from core import uploads
from core.models import ImportedFile
from ledger import xlsx as ledger_xlsx
from ledger.models import Activity, ImportJob
from orglife import services as orglife_services
from orglife.tests import factories as F
from quiz.models import Question

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def _xlsx(rows=(), headers=("a", "b")) -> bytes:
    book = Workbook()
    book.active.append(list(headers))
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _zip(parts: dict[str, bytes], level: int = 6) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        for name, data in parts.items():
            zf.writestr(name, data)
    return out.getvalue()


def _refusal(data: bytes, name: str = "file.xlsx", **kwargs) -> str:
    with translation.override("en"), pytest.raises(uploads.Refused) as exc:
        uploads.check_xlsx(SimpleUploadedFile(name, data), **kwargs)
    return str(exc.value)


# --- the guard ------------------------------------------------------------------------------


def test_a_spreadsheet_is_accepted_and_known_by_its_hash():
    data = _xlsx([(1, 2)])
    checked = uploads.check_xlsx(SimpleUploadedFile("ok.xlsx", data))
    assert checked.kind == "xlsx" and checked.size == len(data)
    assert checked.sha256 == uploads.sha256_of(io.BytesIO(data))


def test_a_file_larger_than_the_limit_is_refused_by_its_size(settings):
    settings.XUEJIAO_UPLOAD_MAX_MB = 1
    message = _refusal(_xlsx() + b"\0" * (2 * 1024 * 1024), name="big.xlsx")
    assert "big.xlsx" in message and "1 MB" in message


@pytest.mark.parametrize(
    ("data", "found"),
    [(PNG, "PNG"), (b"<html><body>hi</body></html>", "HTML"), (b"<svg onload='x'/>", "SVG"), (b"%PDF-1.7", "PDF")],
)
def test_the_type_is_told_by_the_content_not_the_name(data, found):
    assert found in _refusal(data, name="looks-fine.xlsx")


def test_a_zip_bomb_is_refused_by_its_ratio_before_it_is_expanded(settings):
    message = _refusal(_zip({"xl/worksheets/sheet1.xml": b"\0" * (20 * 1024 * 1024)}, level=9))
    assert str(settings.XUEJIAO_UPLOAD_MAX_RATIO) in message


def test_a_zip_that_expands_too_far_in_all_is_refused(settings):
    settings.XUEJIAO_UPLOAD_MAX_EXPANDED_MB = 1
    settings.XUEJIAO_UPLOAD_MAX_RATIO = 10_000
    assert "1 MB" in _refusal(_zip({f"xl/media/{n}.bin": b"\0" * 600_000 for n in range(3)}))


def test_a_zip_of_too_many_parts_is_refused(settings):
    settings.XUEJIAO_UPLOAD_MAX_PARTS = 10
    assert "10" in _refusal(_zip({f"xl/media/{n}.bin": b"x" for n in range(20)}))


@pytest.mark.parametrize("part", ["../evil.xml", "/etc/passwd", "xl/../../evil.xml"])
def test_a_part_whose_name_leads_out_of_the_file_is_refused(part):
    assert part[:20] in _refusal(_zip({part: b"x"}))


def test_a_workbook_with_macros_is_refused():
    assert "macro" in _refusal(_zip({"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0"})).lower()


def test_a_sheet_that_declares_more_rows_than_are_read_is_refused_before_a_row_is_read():
    sheet = b'<worksheet><dimension ref="A1:F900001"/><sheetData/></worksheet>'
    assert "900,001" in _refusal(_zip({"xl/worksheets/sheet1.xml": sheet}))
    sheet = b'<worksheet><dimension ref="A1:ZZ10"/><sheetData/></worksheet>'
    assert "ZZ" in _refusal(_zip({"xl/worksheets/sheet1.xml": sheet}))


def test_the_upload_handler_keeps_no_more_than_the_limit_on_disk_but_knows_the_real_size(settings, tmp_path):
    settings.XUEJIAO_UPLOAD_MAX_MB = 1
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    handler = uploads.CappedUploadHandler()
    handler.new_file("file", "big.xlsx", "application/octet-stream", None)
    chunk = b"x" * (256 * 1024)
    received = 0
    for _ in range(12):
        handler.receive_data_chunk(chunk, received)
        received += len(chunk)
    upload = handler.file_complete(received)
    assert upload.size == 3 * 1024 * 1024
    assert len(open(upload.temporary_file_path(), "rb").read()) == 1024 * 1024 + 1
    with pytest.raises(uploads.Refused):
        uploads.check_xlsx(upload)
    uploads.discard(upload)
    assert not list(tmp_path.iterdir())


# --- evidence files -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("minutes.pdf", b"%PDF-1.4 minutes"),
        ("photo.jpg", b"\xff\xd8\xff\xe0 photo"),
        ("scan.webp", b"RIFF\0\0\0\0WEBPVP8 "),
        ("sheet.xlsx", _xlsx()),
        ("anything", PNG),
    ],
)
def test_photos_pdfs_and_office_documents_are_evidence(name, data):
    checked = uploads.check_evidence(SimpleUploadedFile(name, data))
    assert checked.kind in uploads.EVIDENCE_KINDS


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("page.html", b"<!doctype html><script>alert(1)</script>"),
        ("image.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("minutes.pdf", b"<html>not a pdf</html>"),
        ("photo.png", b"GIF89a"),
        ("tool.exe", b"MZ\x90\x00"),
    ],
)
def test_other_content_is_not_evidence(name, data):
    with pytest.raises(uploads.Refused):
        uploads.check_evidence(SimpleUploadedFile(name, data))


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_a_meetings_minutes_must_be_a_document_and_are_stored_as_what_they_are(media, cg_reporter, unit):
    notice = F.notice("540100")
    with pytest.raises(Exception) as exc:
        orglife_services.record_meeting(
            actor=cg_reporter,
            notice=notice,
            unit=unit(F.CHENGGUAN_ORG),
            date=F.DAY,
            minutes=SimpleUploadedFile("minutes.html", b"<html><script>alert(1)</script></html>"),
        )
    assert "minutes.html" in str(exc.value.message_dict["minutes"])
    meeting = orglife_services.record_meeting(
        actor=cg_reporter,
        notice=notice,
        unit=unit(F.CHENGGUAN_ORG),
        date=F.DAY,
        sign_in_sheet=SimpleUploadedFile("sign-in.html", PNG),
    )
    assert meeting.sign_in_sheet.name.endswith(".png")


def test_evidence_is_served_as_a_download_that_no_browser_renders(media, as_user, cg_reporter, dz_reporter, unit):
    meeting = orglife_services.record_meeting(
        actor=cg_reporter,
        notice=F.notice("540100"),
        unit=unit(F.CHENGGUAN_ORG),
        date=F.DAY,
        minutes=SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes"),
    )
    response = as_user(cg_reporter).get(reverse("orglife:meeting_minutes", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert as_user(dz_reporter).get(reverse("orglife:meeting_minutes", args=[meeting.pk])).status_code == 404


def test_a_measure_done_with_an_svg_as_evidence_is_refused(media, dz_reporter):
    measure = F.measure(F.DAGZE_ORG)
    with pytest.raises(Exception) as exc:
        orglife_services.mark_measure_done(
            actor=dz_reporter,
            measure=measure,
            done_on=F.DAY,
            evidence=SimpleUploadedFile("proof.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>'),
        )
    assert "SVG" in str(exc.value.message_dict["evidence"])
    measure.refresh_from_db()
    assert measure.status == "open" and not measure.evidence


# --- the activity template and the same file twice -----------------------------------------


def _filled_template(client, kind="collective_study") -> bytes:
    book = load_workbook(io.BytesIO(client.get(reverse("ledger:import_template", args=[kind])).content))
    sheet = book["activities"]
    headers = [c.value for c in sheet[1]]
    row = [None] * len(headers)
    labels = dict(ledger_xlsx.ALL_COLUMNS)
    for name, value in {
        "unit": "540102001",
        "date": datetime.datetime(2021, 7, 3),
        "sessions": 1,
        "participants": 12,
    }.items():
        row[headers.index(str(labels[name]))] = value
    for i, value in enumerate(row, start=1):
        sheet.cell(row=2, column=i, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_filled_in_template_imports_with_no_row_the_user_never_wrote(media, as_user, cg_reporter):
    client = as_user(cg_reporter)
    data = _filled_template(client)
    client.post(reverse("ledger:import_start", args=["collective_study"]), {"file": SimpleUploadedFile("t.xlsx", data)})
    job = ImportJob.objects.get()
    assert job.status == "done" and job.created == 1, job.errors
    book = load_workbook(io.BytesIO(client.get(reverse("ledger:import_template", args=["collective_study"])).content))
    assert "540102" in book["activities"]["A1"].comment.text  # the example lives in the header's note


def test_the_same_file_twice_is_asked_about_and_imported_again_only_on_request(media, as_user, cg_reporter):
    client = as_user(cg_reporter)
    data = _filled_template(client)
    url = reverse("ledger:import_start", args=["collective_study"])
    client.post(url, {"file": SimpleUploadedFile("study.xlsx", data)})
    assert Activity.objects.count() == 1 and ImportedFile.objects.count() == 1

    page = client.post(url, {"file": SimpleUploadedFile("copy.xlsx", data)}).content.decode()
    assert 'data-testid="import-again"' in page and str(cg_reporter) in page
    assert Activity.objects.count() == 1 and ImportJob.objects.count() == 1

    client.post(url, {"again": "1"})
    assert Activity.objects.count() == 2 and ImportJob.objects.count() == 2
    assert not list((media / "uploads" / "held").rglob("*.xlsx")), "the held file is gone once used"


def test_a_different_file_is_imported_without_a_question(media, as_user, cg_reporter):
    client = as_user(cg_reporter)
    url = reverse("ledger:import_start", args=["collective_study"])
    data = _filled_template(client)
    client.post(url, {"file": SimpleUploadedFile("study.xlsx", data)})
    other = load_workbook(io.BytesIO(data))
    other["activities"]["F2"] = 99
    out = io.BytesIO()
    other.save(out)
    page = client.post(url, {"file": SimpleUploadedFile("other.xlsx", out.getvalue())}, follow=True).content.decode()
    assert 'data-testid="import-again"' not in page and Activity.objects.count() == 2


def test_the_question_bank_asks_before_the_same_workbook_is_imported_again(media, as_user, office):
    from quiz import bank_io
    from quiz.tests.factories import ensure_bank

    ensure_bank()
    client = as_user(office)
    data = bank_io.export_bank(Question.objects.filter(pk__in=Question.objects.order_by("key")[:5].values("pk")))
    client.post(reverse("quiz:bank_import"), {"file": SimpleUploadedFile("bank.xlsx", data)})
    count = Question.objects.count()
    page = client.post(reverse("quiz:bank_import"), {"file": SimpleUploadedFile("bank.xlsx", data)}).content.decode()
    assert 'data-testid="import-again"' in page
    response = client.post(reverse("quiz:bank_import"), {"again": "1"})
    assert response.status_code == 302 and Question.objects.count() == count
    assert ImportedFile.objects.filter(place="quiz-bank").count() == 2
