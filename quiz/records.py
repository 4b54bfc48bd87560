"""The definition of a question's fields, once: the bank's form and its xlsx import parse
through ``QUESTION`` (by way of ``services.question_errors``), so text with control
characters, or longer than its column, is refused at either door alike."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.records import Record, Text

TEXT_MAX = 4000

QUESTION = Record(
    _("question"),
    key=Text(_("Key"), max_length=40, required=True),
    text_zh=Text(_("Text (Chinese)"), max_length=TEXT_MAX, multiline=True, required=True),
    text_bo=Text(_("Text (Tibetan)"), max_length=TEXT_MAX, multiline=True),
    explanation_zh=Text(_("Explanation (Chinese)"), max_length=TEXT_MAX, multiline=True),
    explanation_bo=Text(_("Explanation (Tibetan)"), max_length=TEXT_MAX, multiline=True),
    source=Text(_("Source"), max_length=240),
    option_zh=Text(_("Options"), max_length=400),
    option_bo=Text(_("Options"), max_length=800),
)
