"""Content kept in both languages (``name_zh``, ``name_bo``, sometimes ``name_en``) shown in
the reader's: one rule for every model's ``name``-like property."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language


def pick(zh: str, bo: str = "", en: str = "") -> str:
    """The text in the reader's language when it exists in it, else the Chinese."""
    lang = get_language() or ""
    if lang == "bo" and bo:
        return bo
    if lang.startswith("en") and en:
        return en
    return zh


def pick_field(obj: Any, stem: str) -> str:
    """``pick`` over ``obj.<stem>_zh``, ``_bo`` and ``_en`` (those it has)."""
    return pick(getattr(obj, f"{stem}_zh"), getattr(obj, f"{stem}_bo", ""), getattr(obj, f"{stem}_en", ""))
