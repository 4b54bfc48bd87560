"""Build the Lhasa demo: the unit tree, people, accounts, the 2021 campaign and — from every
app that has one — its demo records; then the second campaign, the 2023 thematic education,
loaded from the document its set-up pages exported, with its own records."""

from __future__ import annotations

import importlib
import time

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from core.seeding import DEMO_PASSWORD, DemoContext, ensure_reference_data
from ledger import demo_2023
from orgs.demo import DEMO_ACCOUNTS
from orgs.models import Unit


class Command(BaseCommand):
    help = (
        "Load the Lhasa demo (deterministic). Does nothing when the database already holds "
        "units, unless --reset is given, which empties the database first."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="Number of cities (1: Lhasa alone; N>1: Lhasa and N-1 copies under a region).",
        )
        parser.add_argument("--seed", type=int, default=2021, help="Random seed (default 2021).")
        parser.add_argument("--reset", action="store_true", help="Empty the database first, then load.")

    def handle(self, *args, scale: int, seed: int, reset: bool, **options):
        if scale < 1:
            self.stderr.write("--scale must be 1 or more.")
            raise SystemExit(2)
        if Unit.objects.exists():
            if not reset:
                self.stdout.write("The demo is already loaded; nothing to do (use --reset to rebuild).")
                self._print_accounts()
                return
            call_command("flush", interactive=False, verbosity=0)
            ensure_reference_data()
        started = time.monotonic()
        ctx = DemoContext(scale=scale, seed=seed, log=self.stdout.write)
        steps = []
        for config in apps.get_app_configs():
            try:
                steps.append((config.name, importlib.import_module(f"{config.name}.demo")))
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
        with transaction.atomic():
            for name, module in steps:
                self.stdout.write(f"{name}:")
                module.build(ctx)
            self.stdout.write("2023 thematic education:")
            demo_2023.build(ctx)
            for _name, module in steps:
                if hasattr(module, "finish"):
                    module.finish(ctx)
        self.stdout.write(self.style.SUCCESS(f"Demo loaded in {time.monotonic() - started:.1f} s."))
        self._print_accounts()

    def _print_accounts(self) -> None:
        self.stdout.write(f"Demo accounts (password {DEMO_PASSWORD}):")
        for username, code, role, _name in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:20} {role:13} {code}")
