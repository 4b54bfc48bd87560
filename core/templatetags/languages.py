"""The language switch's choices, made once per language: every page carries them."""

from __future__ import annotations

import functools

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, get_language_info

register = template.Library()


@functools.cache
def _options(current: str) -> SafeString:
    options = []
    for code, _name in settings.LANGUAGES:
        name = get_language_info(code)["name_local"]
        if code == current:
            options.append(format_html('<option value="{}" selected>{}</option>', code, name))
        else:
            options.append(format_html('<option value="{}">{}</option>', code, name))
    return mark_safe("".join(options))  # each part escaped above


@register.simple_tag
def language_options() -> SafeString:
    """An ``<option>`` for each language, in its own name; the page's language selected."""
    return _options(get_language())
