"""Every import endpoint against the malformed-files corpus (``upload_corpus/make_corpus.py``):
files that are not spreadsheets, an empty file, a zip bomb, merged cells, formulas, dates as
text, 200,000 blank rows, a second sheet, a file saved by LibreOffice, HTML and SVG named
.xlsx, macros, parts whose names climb out of the archive.

Each answer: never a server error; a message that says what is wrong and where (the file
by its name, or the rows and columns); nothing written; the refused upload gone from disk.
A request that does not answer within a very generous limit fails the test instead of
hanging it (a guard against hangs, not a measure of speed)."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import ImportedFile
from core.tests.upload_corpus import make_corpus
from ledger.models import Activity, ImportJob
from orglife.models import Finding, Measure, Talk
from orglife.tests import factories as F
from quiz.models import Question

HANG_SECONDS = 120
# Files whose content is refused before a row is read: the message names the file.
REFUSED_BY_THE_GUARD = {
    "not-xlsx.xlsx",
    "empty.xlsx",
    "zip-bomb.xlsx",
    "html-disguised.xlsx",
    "svg-disguised.xlsx",
    "macros.xlsx",
    "climbing-names.xlsx",
}


@pytest.fixture(scope="session")
def corpus() -> dict[str, bytes]:
    return make_corpus.build()


@contextlib.contextmanager
def no_hang(seconds: int = HANG_SECONDS):
    def stop(signum, frame):
        raise TimeoutError(f"no answer within {seconds} s: the request hangs")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _written() -> tuple[int, ...]:
    return (
        Activity.objects.count(),
        Finding.objects.count(),
        Measure.objects.count(),
        Talk.objects.count(),
        Question.objects.count(),
        ImportedFile.objects.count(),
    )


def _ledger(client, upload):
    response = client.post(reverse("ledger:import_start", args=["collective_study"]), {"file": upload}, follow=True)
    job = ImportJob.objects.order_by("-pk").first()
    if job is None:  # refused by the form itself (an empty file)
        return response, response.content.decode(), False
    assert job.status == "failed", "a malformed file is never imported"
    assert not job.file, "the refused upload is not kept"
    said = job.message + " " + " ".join(f"{r} {c} {m}" for r, c, m in job.errors)
    return response, said, bool(job.errors)


def _quiz_bank(client, upload):
    response = client.post(reverse("quiz:bank_import"), {"file": upload})
    page = response.content.decode()
    return response, page, 'data-testid="problems"' in page


def _findings(client, upload):
    data = {"unit": F.CHENGGUAN_ORG, "source": "self", "date": "2021-10-15", "file": upload}
    response = client.post(reverse("orglife:finding_import"), data)
    page = response.content.decode()
    return response, page, 'data-testid="problems"' in page


def _talks(client, upload):
    response = client.post(reverse("orglife:talk_import"), {"file": upload})
    page = response.content.decode()
    return response, page, 'data-testid="problems"' in page


ENDPOINTS: dict[str, tuple[str, Callable]] = {
    "ledger": ("cg_reporter", _ledger),
    "quiz-bank": ("office", _quiz_bank),
    "findings": ("cg_reporter", _findings),
    "talks": ("cg_reporter", _talks),
}


@pytest.mark.parametrize("name", list(make_corpus.CORPUS))
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_every_import_answers_every_malformed_file_clearly_and_writes_nothing(
    db, request, as_user, corpus, endpoint, name, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "incoming")
    Path(settings.FILE_UPLOAD_TEMP_DIR).mkdir()
    persona, post = ENDPOINTS[endpoint]
    client = as_user(request.getfixturevalue(persona))
    before = _written()

    with no_hang():
        response, said, rows_named = post(client, SimpleUploadedFile(name, corpus[name]))

    assert response.status_code < 500
    assert _written() == before, "nothing is written from a malformed file"
    if name == "empty.xlsx":  # Django's own form refuses it on the file field
        assert "errorlist" in said or name in said
    elif name in REFUSED_BY_THE_GUARD:
        assert name in said, f"the message names the file: {said[:300]}"
    else:
        assert rows_named or name in said, f"the message says where: {said[:300]}"
    assert not list(Path(settings.FILE_UPLOAD_TEMP_DIR).iterdir()), "the upload's temporary file is deleted"
    media = Path(settings.MEDIA_ROOT)
    kept = [p for p in media.rglob("*") if p.is_file()] if media.exists() else []
    assert all("problems" in p.name for p in kept), f"only the marked copy of a refused file is kept: {kept}"
