"""Content kept in several languages is shown in the reader's, Chinese where it is missing."""

from types import SimpleNamespace

import pytest
from django.utils import translation

from core.languages import pick, pick_field


@pytest.mark.parametrize(("language", "shown"), [("zh-hans", "学习"), ("bo", "སློབ་སྦྱོང་།"), ("en", "Study")])
def test_the_text_is_in_the_readers_language(language, shown):
    with translation.override(language):
        assert pick("学习", "སློབ་སྦྱོང་།", "Study") == shown


@pytest.mark.parametrize("language", ["bo", "en"])
def test_a_text_missing_in_the_readers_language_is_shown_in_chinese(language):
    with translation.override(language):
        assert pick("学习", "", "") == "学习"
        assert pick_field(SimpleNamespace(name_zh="学习", name_bo=""), "name") == "学习"
