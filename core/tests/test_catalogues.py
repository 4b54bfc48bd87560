"""One word per message id and language, whatever the order of the apps: the project's catalogue
(xuejiao/locale, first in LOCALE_PATHS) holds Django's own messages in the project's words and
the one translation of every message id that several apps translate differently; ids whose
meanings differ carry a context."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import polib
import pytest
from django import forms
from django.conf import settings
from django.core.validators import MinValueValidator
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, pgettext

ROOT = Path(settings.BASE_DIR)
PROJECT_CATALOGUE = ROOT / "xuejiao" / "locale"
HAN = re.compile(r"[\u3400-\u9fff]")


def _project_apps() -> list[str]:
    return [p.parent.name for p in sorted(ROOT.glob("*/apps.py")) if (p.parent / "locale").is_dir()]


def test_the_project_catalogue_comes_first_and_every_app_catalogue_before_any_library():
    paths = [Path(p) for p in settings.LOCALE_PATHS]
    assert paths[0] == PROJECT_CATALOGUE
    assert {p.parent.name for p in paths[1:]} == set(_project_apps())


@pytest.mark.parametrize("lang", ["zh_Hans", "bo"])
def test_no_message_id_has_two_meanings_between_the_apps(lang):
    own = {(e.msgctxt, e.msgid) for e in polib.pofile(str(PROJECT_CATALOGUE / lang / "LC_MESSAGES" / "django.po"))}
    words = defaultdict(dict)
    for app in _project_apps():
        for e in polib.pofile(str(ROOT / app / "locale" / lang / "LC_MESSAGES" / "django.po")):
            text = e.msgstr or e.msgstr_plural.get(0, "")
            if text and not e.obsolete:
                words[(e.msgctxt, e.msgid)][app] = text
    clashes = {k: v for k, v in words.items() if len(set(v.values())) > 1 and k not in own}
    assert not clashes, (
        f"give these one word in xuejiao/locale, or a context where they mean different things: {clashes}"
    )


def test_tibetan_has_its_own_words_for_djangos_messages_and_no_chinese():
    po = polib.pofile(str(PROJECT_CATALOGUE / "bo" / "LC_MESSAGES" / "django.po"))
    for entry in po:
        text = entry.msgstr or entry.msgstr_plural.get(0, "")
        assert text and not HAN.search(text), entry.msgid


def _refusal(field: forms.Field, value) -> str:
    with pytest.raises(forms.ValidationError) as refused:
        field.clean(value)
    return " ".join(refused.value.messages)


@pytest.mark.parametrize(
    ("lang", "whole", "date", "at_least", "required"),
    [
        ("zh-hans", "请输入整数。", "请输入有效的日期。", "该值不能小于 0。", "此项为必填项。"),
        ("bo", "ཧྲིལ་གྲངས་ཤིག་འཇུག་རོགས།", "ནོར་མེད་པའི་ཚེས་གྲངས་འཇུག་རོགས།", "གྲངས་ཐང་འདི་ 0 ལས་ཆུང་བ་མི་ཆོག", "འདི་ངེས་པར་འབྲི་དགོས།"),
        ("en", "Enter a whole number.", "Enter a valid date.", "greater than or equal to 0", "This field is required."),
    ],
)
def test_djangos_validation_speaks_the_readers_language(lang, whole, date, at_least, required):
    with translation.override(lang):
        assert _refusal(forms.IntegerField(), "abc") == whole
        assert _refusal(forms.DateField(), "2021-13-40") == date
        assert at_least in _refusal(forms.IntegerField(validators=[MinValueValidator(0)]), "-1")
        assert _refusal(forms.CharField(), "") == required
        if lang == "bo":
            for message in (whole, date, gettext("Enter a number."), gettext("That page contains no results")):
                assert not HAN.search(message)


@pytest.mark.parametrize(
    ("lang", "period", "question", "organisation", "published"),
    [
        ("zh-hans", "上一期", "上一题", "党组织", "发布时"),
        ("bo", "དུས་རིམ་སྔོན་མ།", "དྲི་བ་སྔོན་མ།", "ཏང་གི་སྒྲིག་འཛུགས།", "འགྲེམས་སྤེལ་དུས།"),
    ],
)
def test_words_that_mean_different_things_in_different_pages_keep_their_meaning(
    lang, period, question, organisation, published
):
    with translation.override(lang):
        assert pgettext("period", "previous") == period
        assert pgettext("question", "Previous") == question
        assert pgettext("party organisation", "Organisation") == organisation
        assert pgettext("figure as published", "Published") == published
        # The pager's "Previous" is a page, and the unit tree's section is not a meeting.
        assert gettext("Previous") != question
        assert gettext("Organisation") != organisation


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "word"), [("zh-hans", "上一期"), ("bo", "དུས་རིམ་སྔོན་མ།")])
def test_the_dashboard_cards_compare_with_the_previous_period(as_user, office, lang, word):
    client = as_user(office)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert word in page and "上一页" not in page
