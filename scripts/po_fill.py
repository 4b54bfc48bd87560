#!/usr/bin/env python3
"""Fill an app's catalogues after ``scripts/messages``.

    .venv/bin/python scripts/po_fill.py APP [TRANSLATIONS.json]

- sets each catalogue's header (language, plural forms) and clears the "fuzzy" flag;
- fills English: msgstr = msgid (msgids are English);
- fills Chinese and Tibetan from TRANSLATIONS.json, a mapping
  ``{msgid: {"zh": "...", "bo": "..."}}`` (Chinese and Tibetan have one plural form);
- lists every entry still untranslated, and exits 1 if there is any.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
HEADERS = {
    "zh_Hans": ("zh_Hans", "nplurals=1; plural=0;"),
    "bo": ("bo", "nplurals=1; plural=0;"),
    "en": ("en", "nplurals=2; plural=(n != 1);"),
}


def main() -> int:
    app = sys.argv[1]
    mapping: dict[str, dict[str, str]] = {}
    if len(sys.argv) > 2:
        mapping = json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))
    missing = []
    for lang, (code, plural) in HEADERS.items():
        path = ROOT / app / "locale" / lang / "LC_MESSAGES" / "django.po"
        po = polib.pofile(str(path))
        po.metadata.update({"Language": code, "Plural-Forms": plural, "Content-Type": "text/plain; charset=UTF-8"})
        po.metadata_is_fuzzy = False
        for entry in po:
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            if lang == "en":
                if entry.msgid_plural:
                    entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
                else:
                    entry.msgstr = entry.msgid
                continue
            key = "zh" if lang == "zh_Hans" else "bo"
            text = mapping.get(entry.msgid, {}).get(key)
            if text:
                if entry.msgid_plural:
                    entry.msgstr_plural = {0: text}
                else:
                    entry.msgstr = text
            done = entry.msgstr_plural.get(0) if entry.msgid_plural else entry.msgstr
            if not done:
                missing.append(f"{app} {lang}: {entry.msgid!r}")
        po.save(str(path))
    for line in missing:
        print("untranslated:", line)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
