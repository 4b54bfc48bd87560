"""The fuzz suite of the doors for data: generated hostile values — Unicode digits, huge and
negative numbers, control characters, long text, malformed dates, formulas — thrown at every
door a record comes in by (the entry forms, the xlsx import, the bulk and single API,
Open311, the organisational-life forms and the quiz bank import).

Every example asserts the same four things: no answer is a server error; a refused value
writes nothing; the ledger's rollups still equal its rows; and every xlsx the platform gives
back holds no live formula. Hypothesis is derandomised and bounded (``EXAMPLES`` per door), so
the run is repeatable and CI keeps its time; the number of examples each door took is
printed at the end (``-s``) for the record."""

from __future__ import annotations

import datetime
import io
import xml.etree.ElementTree as ET
from collections import Counter

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from concerns.models import Concern, ConcernCategory
from ledger import services as ledger_services
from ledger import xlsx as ledger_xlsx
from ledger.models import Activity, ImportJob
from orglife.models import Meeting, Talk
from orglife.tests import factories as F
from quiz.models import Question

pytestmark = pytest.mark.usefixtures("fresh_rate_limits", "media_root")


@pytest.fixture
def reporter_api(api_as, cg_reporter):
    """One token for all the examples of a test (an account holds at most 20)."""
    return api_as(cg_reporter)


@pytest.fixture
def reporter_key(token_for, cg_reporter):
    return token_for(cg_reporter)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


EXAMPLES = 25
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
DAY = datetime.date(2021, 7, 3)
COUNTS: Counter[str] = Counter()

# Values a careless or hostile hand types: digits of other scripts and forms, numbers past
# any bound, control characters, direction marks, formulas (with the spaces that hide them),
# impossible dates, text longer than any column.
CURATED = [
    "²",
    "①",
    "１２",
    "༡༢",
    "٣",
    "1E19",
    "1e3",
    "10000000000000",
    str(2**63),
    str(-(2**63)),
    "-1",
    "-0",
    "0x10",
    "12.5",
    " 12 ",
    "NaN",
    "inf",
    "",
    " ",
    "\x00",
    "a\x0bb",
    "a\x1bb",
    "a\x7fb",
    "a\u202eb",
    "\ufeff12",
    "=1+1",
    ' =HYPERLINK("http://example.invalid/"&B2,"x")',
    "\u3000=1+1",
    "+1",
    "-1+1",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "2021-13-01",
    "2021-02-30",
    "0000-00-00",
    "9999-99-99",
    "２０２１-０７-０１",
    "2021/07/01",
    "x" * 5000,
    "😀" * 300,
    "<script>alert(1)</script>",
    "../../etc/passwd",
]
# Text the way a browser or a client library can send it: any character but lone surrogates.
ANY_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
HOSTILE = st.one_of(
    st.sampled_from(CURATED),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    ANY_TEXT,
)
HOSTILE_JSON = st.one_of(
    HOSTILE,
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
    st.lists(st.integers(), max_size=3),
)


def _not_a_server_error(response, door: str) -> None:
    assert response.status_code < 500, (door, response.status_code, response.content[:400])


def _rollups_still_equal_rows() -> None:
    assert ledger_services.rollup_differences() == []


def _no_live_formula(data: bytes) -> None:
    book = load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)


def _counts() -> tuple[int, ...]:
    return (
        Activity.objects.count(),
        ImportJob.objects.filter(status="done").count(),
        Concern.objects.count(),
        Meeting.objects.count(),
        Talk.objects.count(),
        Question.objects.count(),
    )


# --- the ledger: form, bulk API, single API, xlsx import ---------------------------------------
ACTIVITY_FIELDS = ["unit", "date", "title", "sessions", "participants", "copies", "place", "venue_kind", "language"]


def _activity(**fields):
    row = {"unit": "540102001", "kind": "collective_study", "date": DAY.isoformat(), "sessions": 1, "participants": 20}
    row.update(fields)
    return row


@FUZZ
@given(field=st.sampled_from(ACTIVITY_FIELDS), value=HOSTILE)
def test_the_activity_form_never_fails_and_writes_only_what_it_accepts(as_user, cg_reporter, field, value):
    COUNTS["activity form"] += 1
    before = Activity.objects.count()
    data = _activity(**{field: value})
    data.pop("kind")
    response = as_user(cg_reporter).post(reverse("ledger:activity_create", args=["collective_study"]), data)
    _not_a_server_error(response, "activity form")
    assert Activity.objects.count() == before + (1 if response.status_code == 302 else 0)
    _rollups_still_equal_rows()


@FUZZ
@given(field=st.sampled_from([*ACTIVITY_FIELDS, "kind", "rows"]), value=HOSTILE_JSON)
def test_the_activity_api_never_fails_and_a_refusal_writes_nothing(reporter_api, field, value):
    COUNTS["activity API (bulk and single)"] += 1
    client = reporter_api
    before = Activity.objects.count()
    if field == "rows":
        body = {"rows": value}
    else:
        body = {"rows": [_activity(), _activity(**{field: value})]}
    bulk = client.post("/api/v1/activities/bulk", body)
    _not_a_server_error(bulk, "bulk API")
    assert bulk["Content-Type"].startswith("application/json")
    written = Activity.objects.count() - before
    assert written == (len(body["rows"]) if bulk.status_code == 201 else 0)
    if field != "rows":
        single = client.post("/api/v1/activities", _activity(**{field: value}))
        _not_a_server_error(single, "single API")
        assert single["Content-Type"].startswith("application/json")
        assert Activity.objects.count() - before == written + (1 if single.status_code == 201 else 0)
    _rollups_still_equal_rows()


def _sheet(row: dict) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.title = "activities"
    labels = dict(ledger_xlsx.ALL_COLUMNS)
    columns = ["unit", "date", "kind", "title", "sessions", "participants", "copies", "place"]
    sheet.append([str(labels[c]) for c in columns])
    sheet.append([row.get(c) for c in columns])
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("fuzz.xlsx", out.getvalue())


CELL = st.one_of(
    HOSTILE.filter(lambda v: not ILLEGAL_CHARACTERS_RE.search(v)).map(lambda v: v[:32767]),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=datetime.date(1900, 1, 1)),
)


@FUZZ
@given(
    field=st.sampled_from(["unit", "date", "kind", "title", "sessions", "participants", "copies", "place"]), value=CELL
)
def test_the_activity_import_lands_whole_or_not_at_all(as_user, cg_reporter, field, value):
    COUNTS["activity xlsx import"] += 1
    before = Activity.objects.count()
    row = {"unit": "540102001", "date": DAY, "kind": "集体学习", "sessions": 1, "participants": 20, field: value}
    response = as_user(cg_reporter).post(
        reverse("ledger:import_start", args=["collective_study"]),
        {"file": _sheet(row), "again": "1"},
        follow=True,
    )
    _not_a_server_error(response, "activity import")
    job = ImportJob.objects.order_by("-pk").first()
    assert job is not None and job.status in ("done", "failed"), job and job.status
    assert Activity.objects.count() == before + (1 if job.status == "done" else 0)
    _rollups_still_equal_rows()


def test_every_activity_export_holds_no_live_formula(as_user, cg_reporter, office):
    """Titles that look like formulas, written through the doors that accept them, come back
    in the export as the text that was typed."""
    client = as_user(cg_reporter)
    titles = [v for v in CURATED if v.strip() and v.lstrip(" \u3000\t\r")[:1] in "=+-@" and len(v) < 200]
    for title in titles:
        data = _activity(title=title)
        data.pop("kind")
        client.post(reverse("ledger:activity_create", args=["collective_study"]), data)
    stored = set(Activity.objects.values_list("title", flat=True))
    assert stored, "no formula-like title was accepted, so the export proves nothing"
    response = as_user(office).get(reverse("ledger:activity_list"), {"format": "xlsx"})
    _no_live_formula(response.content)
    shown = {c.value for row in load_workbook(io.BytesIO(response.content)).active.iter_rows() for c in row}
    assert stored <= shown


# --- Open311 --------------------------------------------------------------------------------
ROOT = "/open311/v2"


def _open311_answer(response, fmt: str, door: str) -> None:
    _not_a_server_error(response, door)
    kind = response.get("Content-Type", "")
    if fmt == "json":
        assert kind.startswith("application/json"), (door, kind)
        response.json()
    else:
        assert "xml" in kind, (door, kind)
        ET.fromstring(response.content)


@FUZZ
@given(value=HOSTILE, fmt=st.sampled_from(["json", "xml"]), where=st.sampled_from(["service", "request", "token"]))
def test_open311_paths_answer_in_their_format_whatever_they_are_given(reporter_key, value, fmt, where):
    COUNTS["Open311 paths and search"] += 1
    key = reporter_key
    client = Client()
    path_value = value.replace("/", "_").replace("\x00", "") or "x"
    paths = {"service": "services", "request": "requests", "token": "tokens"}
    response = client.get(f"{ROOT}/{paths[where]}/{path_value}.{fmt}", {"api_key": key})
    _open311_answer(response, fmt, f"Open311 {where}")
    search = client.get(
        f"{ROOT}/requests.{fmt}", {"api_key": key, "start_date": value, "end_date": value, "status": value}
    )
    _open311_answer(search, fmt, "Open311 search")


@FUZZ
@given(
    field=st.sampled_from(["service_code", "description", "address_id", "first_name", "last_name", "phone", "email"]),
    value=HOSTILE,
)
def test_open311_posts_never_fail_and_the_feed_stays_well_formed(reporter_key, field, value):
    COUNTS["Open311 post"] += 1
    key = reporter_key
    category = ConcernCategory.objects.order_by("pk").first()
    data = {"api_key": key, "service_code": str(category.pk), "description": "路灯不亮", field: value}
    before = Concern.objects.count()
    response = Client().post(f"{ROOT}/requests.json", data)
    _open311_answer(response, "json", "Open311 post")
    assert Concern.objects.count() == before + (1 if response.status_code in (200, 201) else 0)
    feed = Client().get(f"{ROOT}/requests.xml", {"api_key": key})
    _open311_answer(feed, "xml", "Open311 feed")


# --- concerns, organisational life and the quiz bank -----------------------------------------
@FUZZ
@given(
    field=st.sampled_from(["unit", "category", "source", "description", "raised_by", "contact", "collected_on"]),
    value=HOSTILE,
)
def test_the_concern_form_never_fails_and_writes_only_what_it_accepts(as_user, cg_reporter, field, value):
    COUNTS["concern form"] += 1
    category = ConcernCategory.objects.order_by("pk").first()
    data = {
        "unit": "540102001001",
        "category": category.pk,
        "source": "hotline",
        "description": "路灯不亮",
        "raised_by": "卓玛",
        "contact": "",
        "collected_on": "2021-06-01",
        field: value,
    }
    before = Concern.objects.count()
    response = as_user(cg_reporter).post(reverse("concerns:concern_create"), data)
    _not_a_server_error(response, "concern form")
    assert Concern.objects.count() == before + (1 if response.status_code == 302 else 0)


@FUZZ
@given(field=st.sampled_from(["unit", "date", "attendee_count", "place", "chair_name", "agenda"]), value=HOSTILE)
def test_the_meeting_form_never_fails_and_writes_only_what_it_accepts(as_user, cg_reporter, field, value):
    COUNTS["meeting form"] += 1
    notice = F.notice()
    data = {"unit": F.CHENGGUAN_ORG, "date": "2021-10-15", "attendee_count": "12", field: value}
    before = Meeting.objects.count()
    response = as_user(cg_reporter).post(reverse("orglife:meeting_create", args=[notice.pk]), data)
    _not_a_server_error(response, "meeting form")
    assert Meeting.objects.count() == before + (1 if response.status_code == 302 else 0)


@FUZZ
@given(field=st.sampled_from(["date", "person", "talker"]), value=HOSTILE.map(lambda v: v.replace("|", "/")))
def test_the_talks_form_never_fails_and_writes_only_what_it_accepts(as_user, cg_reporter, field, value):
    COUNTS["talks form"] += 1
    parts = {"date": "2021-10-12", "person": "扎西", "talker": "次仁", field: value}
    line = " | ".join(parts[k] for k in ("date", "person", "talker"))
    before = Talk.objects.count()
    response = as_user(cg_reporter).post(reverse("orglife:talk_create"), {"unit": F.CHENGGUAN_ORG, "lines": line})
    _not_a_server_error(response, "talks form")
    if response.status_code != 302:
        assert Talk.objects.count() == before


@FUZZ
@given(
    column=st.sampled_from(
        ["key", "category", "type", "difficulty", "status", "text_zh", "text_bo", "option_A_zh", "right"]
    ),
    value=CELL,
)
def test_the_quiz_bank_import_lands_whole_or_not_at_all(as_user, office, column, value):
    COUNTS["quiz bank import"] += 1
    from quiz import bank_io
    from quiz.tests.test_bank import GOOD

    row = {**GOOD, column: value}
    book = Workbook()
    book.active.append(bank_io.COLUMNS)
    book.active.append([row.get(c, "") for c in bank_io.COLUMNS])
    out = io.BytesIO()
    book.save(out)
    before = Question.objects.count()
    response = as_user(office).post(
        reverse("quiz:bank_import"), {"file": SimpleUploadedFile("bank.xlsx", out.getvalue()), "again": "1"}
    )
    _not_a_server_error(response, "quiz bank import")
    if response.status_code != 302:
        assert Question.objects.count() == before
    export = as_user(office).get(reverse("quiz:bank_export"))
    _no_live_formula(export.content)


def test_the_fuzz_suite_ran_every_door(request):
    """Printed with ``-s``: how many generated examples each door took in this run."""
    # Runs last in this module (pytest keeps the file's order).
    ran = {door: n for door, n in COUNTS.items() if n}
    if len(ran) < 9:
        pytest.skip("run the whole module to count every door")
    print("\nfuzz examples per door:", ", ".join(f"{door}: {n}" for door, n in sorted(ran.items())))
    assert all(n >= EXAMPLES for n in ran.values()), ran
    assert connection.vendor in ("sqlite", "postgresql")
