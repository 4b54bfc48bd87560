"""A flag stores what its check found as a message code and its parameters, never as text in
one language; the reader sees it in their own language. Flags written before that are read
back by the migration."""

import importlib
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from core.quality import DETAIL_MESSAGES, render_detail
from quality.models import Flag

HAN = re.compile(r"[\u3400-\u9fff]")
TIBETAN = re.compile(r"[\u0f00-\u0fff]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
migration = importlib.import_module("quality.migrations.0004_flag_detail_code")


def _people_flag(record) -> Flag:
    activity = record(code="540102001", participants=2000)
    return Flag.objects.get(check_item__code="activity.too_many_people", object_id=activity.pk)


def test_a_flag_stores_a_code_and_numbers_and_reads_in_each_language(record):
    flag = _people_flag(record)
    assert flag.detail_code == "activity.too_many_people"
    assert flag.detail_params["participants"] == 2000 and set(flag.detail_params) == {
        "participants",
        "people",
        "sessions",
    }
    with translation.override("zh-hans"):
        zh = flag.detail
    with translation.override("bo"):
        bo = flag.detail
    with translation.override("en"):
        en = flag.detail
    assert "2000" in zh.replace(",", "") and HAN.search(zh) and not LATIN_WORD.search(zh)
    assert "2000" in bo.replace(",", "") and TIBETAN.search(bo) and not HAN.search(bo) and not LATIN_WORD.search(bo)
    assert en.replace(",", "").startswith("2000 participant-times")


@pytest.mark.parametrize("lang", ["zh-hans", "bo"])
def test_the_flag_list_shows_the_detail_in_the_readers_language(as_user, office, record, lang):
    _people_flag(record)
    client = as_user(office)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    page = client.get(reverse("quality:flag_list") + "?check=activity.too_many_people").content.decode()
    with translation.override(lang):
        expected = str(DETAIL_MESSAGES["activity.too_many_people"]).split("%")[0]
    assert "participant-times" not in page
    assert expected in page or expected == ""


@pytest.mark.parametrize("lang", ["zh-hans", "bo"])
def test_every_detail_message_has_its_words_in_chinese_and_tibetan(lang):
    assert len(DETAIL_MESSAGES) >= 20
    script = HAN if lang == "zh-hans" else TIBETAN
    with translation.override("en"):
        english = {code: str(message) for code, message in DETAIL_MESSAGES.items()}
    with translation.override(lang):
        for code, message in DETAIL_MESSAGES.items():
            text = str(message)
            assert text != english[code], (code, "untranslated")
            words = re.sub(r"%\(\w+\)s", "", text)
            assert script.search(words) and not LATIN_WORD.search(words), (code, text)
            if lang == "bo":
                assert not HAN.search(text), (code, text)


# What the checks stored before, check by check, and what it is read back as.
OLD_DETAILS = [
    ("activity.future_date", "2021-08-01 > 2021-07-01", "activity.future_date", {"date": "2021-08-01", "entered": "2021-07-01"}),
    ("activity.late_entry", "+75 d", "activity.late_entry", {"days": 75}),
    ("activity.outside_campaign", "2020-01-01 ∉ 2021-02-20…2021-12-31", "activity.outside_campaign",
     {"date": "2020-01-01", "start": "2021-02-20", "end": "2021-12-31"}),
    ("activity.too_many_people", "2000 > 40 × 1", "activity.too_many_people", {"participants": 2000, "people": 40, "sessions": 1}),
    ("activity.venue_capacity", "950 > 300", "activity.venue_capacity", {"per_session": 950, "capacity": 300}),
    ("activity.unusual_counts", "participants 30,000 > 45", "activity.unusual_counts.participants", {"value": 30000, "usual": 45}),
    ("activity.duplicate", "= #12", "activity.duplicate", {"original": "12"}),
    ("activity.burst", "2021-07-01 10:05", "activity.burst", {"date": "2021-07-01", "time": "10:05"}),
    ("activity.same_counts", "7 × 30", "activity.same_counts", {"rows": 7, "participants": 30}),
    ("activity.no_evidence", "0", "activity.no_evidence", {}),
    ("measure.dates_out_of_order", "done 2021-03-01 < set 2021-04-01", "measure.done_before_set",
     {"date": "2021-03-01", "set_on": "2021-04-01"}),
    ("measure.dates_out_of_order", "verified 2021-05-01 < done 2021-06-01", "measure.verified_before_done",
     {"date": "2021-05-01", "done_on": "2021-06-01"}),
    ("meeting.unusual_attendance", "9,000 > 31", "meeting.unusual_attendance", {"count": 9000, "usual": 31}),
    ("concern.fast_resolution", "0 d", "concern.fast_resolution", {"days": 0}),
    ("concern.no_evidence", "—", "concern.no_evidence", {}),
    ("concern.callback_by_resolver", "cg-office", "concern.callback_by_resolver", {"account": "cg-office"}),
    ("attempt.too_fast", "1.5 s/q", "attempt.too_fast", {"seconds": 1.5}),
    ("attempt.same_answers", "6 ×", "attempt.same_answers", {"attempts": 6}),
]  # fmt: skip


@pytest.mark.parametrize(("check", "old", "code", "params"), OLD_DETAILS)
def test_the_migration_reads_every_stored_detail_back_into_a_code(check, old, code, params):
    assert migration.read_detail(check, old) == (code, params)
    assert code in DETAIL_MESSAGES
    with translation.override("bo"):
        assert TIBETAN.search(render_detail(code, params))


def test_a_stored_detail_no_pattern_reads_is_kept_as_it_was():
    assert migration.read_detail("activity.burst", "something else") == ("", {"text": "something else"})
    assert render_detail("", {"text": "something else"}) == "something else"
