"""Print (or write) the progress report of a unit as of a date, in Chinese or Tibetan.

manage.py build_report --unit 540100 --as-of 2021-12-31 --language zh-hans --format text
manage.py build_report --unit 540100 --as-of 2021-12-31 --language bo --format pdf --output report.pdf
"""

from __future__ import annotations

import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from orgs.models import Unit
from reports import exports
from reports.report import LANGUAGES, build_report, serialise
from reports.selectors import draft_texts


class Command(BaseCommand):
    help = "Build the progress report of a unit as of a date."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="Unit code, e.g. 540100.")
        parser.add_argument("--as-of", required=True, help="YYYY-MM-DD")
        parser.add_argument("--language", default="zh-hans", choices=LANGUAGES)
        parser.add_argument("--format", default="text", choices=["text", "json", "docx", "pdf"])
        parser.add_argument("--output", help="File to write (required for docx and pdf).")

    def handle(self, *args, **options):
        unit = Unit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(f"No unit with code {options['unit']}.")
        try:
            as_of = datetime.date.fromisoformat(options["as_of"])
        except ValueError as exc:
            raise CommandError("--as-of must be YYYY-MM-DD.") from exc
        language = options["language"]
        with translation.override(language):
            report = build_report(unit, as_of, language, draft_texts=draft_texts(unit, as_of, language))
            fmt = options["format"]
            if fmt == "text":
                self._emit(report.as_text(), options)
            elif fmt == "json":
                body, figures = serialise(report)
                self._emit(json.dumps({"body": body, "figures": figures}, ensure_ascii=False, indent=1), options)
            else:
                if not options["output"]:
                    raise CommandError("--output is required for docx and pdf.")
                data = exports.docx_bytes(report) if fmt == "docx" else exports.pdf_bytes(report)
                with open(options["output"], "wb") as handle:
                    handle.write(data)

    def _emit(self, text: str, options) -> None:
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as handle:
                handle.write(text)
        else:
            self.stdout.write(text, ending="")
