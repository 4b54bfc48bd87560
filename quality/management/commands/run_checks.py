"""Run the data-quality checks over a unit's subtree: ``manage.py run_checks [--unit CODE]
[--check CODE ...]``. Without --unit, over every top-level unit."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from orgs.models import Unit
from quality import services
from quality.checks import REGISTRY


class Command(BaseCommand):
    help = "Run the data-quality checks over a subtree and report the flags raised."

    def add_arguments(self, parser):
        parser.add_argument("--unit", default="", help="Code of the unit whose subtree is checked.")
        parser.add_argument("--check", action="append", default=[], help="Only this check (repeatable).")

    def handle(self, *args, unit: str, check: list[str], **options):
        unknown = [c for c in check if c not in REGISTRY]
        if unknown:
            raise CommandError(f"Unknown checks: {', '.join(unknown)}. Known: {', '.join(REGISTRY)}")
        if unit:
            try:
                roots = [Unit.objects.get(code=unit)]
            except Unit.DoesNotExist as exc:
                raise CommandError(f"No unit with code {unit}.") from exc
        else:
            roots = list(Unit.get_root_nodes())
        for root in roots:
            self.stdout.write(f"{root.code} {root.name_zh}:")
            rows, raised, seconds = services.run_checks(root, codes=check or None, log_to=self.stdout.write)
            self.stdout.write(f"  {rows} rows checked, {raised} new flags, {seconds:.1f} s")
