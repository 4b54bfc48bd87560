"""Every UI string exists in Chinese, Tibetan and English, and the catalogues hold every
string the source has (regenerated here from the source, in a scratch copy)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.translation import get_language_info

ROOT = Path(settings.BASE_DIR)
APPS = sorted(p.parent.parent.parent.parent.name for p in ROOT.glob("*/locale/bo/LC_MESSAGES/django.po"))
LANGS = ["zh_Hans", "bo", "en"]


def _translated(entry: polib.POEntry) -> bool:
    if entry.msgid_plural:
        return all(entry.msgstr_plural.values()) and bool(entry.msgstr_plural)
    return bool(entry.msgstr)


@pytest.mark.parametrize("app", APPS)
@pytest.mark.parametrize("lang", LANGS)
def test_every_catalogue_entry_is_translated(app, lang):
    po = polib.pofile(str(ROOT / app / "locale" / lang / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in po if not e.obsolete and (not _translated(e) or "fuzzy" in e.flags)]
    assert not missing, f"{app}/{lang} untranslated: {missing[:10]}"


@pytest.mark.parametrize("app", APPS)
def test_the_catalogues_hold_every_string_of_the_source(app, tmp_path):
    scratch = tmp_path / app
    shutil.copytree(ROOT / app, scratch, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "xuejiao.settings", "PYTHONPATH": str(ROOT)}
    admin = Path(sys.executable).with_name("django-admin")
    subprocess.run(
        [
            str(admin),
            "makemessages",
            "-l",
            "bo",
            "--no-obsolete",
            "--no-location",
            "--ignore",
            "tests/*",
            "--ignore",
            "migrations/*",
            "-v0",
        ],
        cwd=scratch,
        env=env,
        check=True,
    )
    fresh = {e.msgid for e in polib.pofile(str(scratch / "locale" / "bo" / "LC_MESSAGES" / "django.po"))}
    kept = {e.msgid for e in polib.pofile(str(ROOT / app / "locale" / "bo" / "LC_MESSAGES" / "django.po"))}
    assert fresh - kept == set(), f"strings missing from {app}'s catalogues: run scripts/messages"


def test_django_knows_tibetan():
    info = get_language_info("bo")
    assert info["name_local"] == "བོད་ཡིག"


def test_a_page_in_tibetan_has_tibetan_navigation(cg_reporter):
    client = Client()
    client.force_login(cg_reporter)
    client.post(reverse("set_language"), {"language": "bo", "next": "/"})
    page = client.get(reverse("home")).content.decode()
    assert 'lang="bo"' in page
    assert "སྒྲིག་འཛུགས་འགོ་ཁྲིད།" in page  # Organisation
    assert "ཕྱིར་འཐོན།" in page  # Log out


def test_the_language_choice_is_remembered_in_a_cookie(cg_reporter):
    client = Client()
    client.force_login(cg_reporter)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en" and int(cookie["max-age"]) >= 30 * 24 * 3600
    assert "Log out" in client.get(reverse("home")).content.decode()


def test_chinese_is_the_default(cg_reporter):
    client = Client()
    client.force_login(cg_reporter)
    page = client.get(reverse("home")).content.decode()
    assert 'lang="zh-hans"' in page and "退出" in page


@pytest.mark.parametrize("lang", ["zh-hans", "bo", "en"])
def test_the_language_switch_offers_each_language_in_its_own_name_with_the_pages_selected(lang):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    page = client.get(reverse("login")).content.decode()
    options = re.findall(r'<option value="([^"]+)"( selected)?>([^<]+)</option>', page)
    assert [(code, name) for code, _s, name in options] == [
        (code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES
    ]
    assert [code for code, selected, _n in options if selected] == [lang]
