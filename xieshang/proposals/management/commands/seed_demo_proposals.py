"""Load a year of demo proposals into the demo city (safe to run again)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xieshang.proposals.demo.builder import seed_demo_proposals


class Command(BaseCommand):
    help = "Create about 500 proposals in every status for the demo city (run seed_demo first)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            made = seed_demo_proposals(options["seed"])
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        elapsed = time.monotonic() - started
        if not made:
            self.stdout.write(f"The demo city already has proposals; nothing created ({elapsed:.1f} s).")
            return
        self.stdout.write(self.style.SUCCESS(f"{made} demo proposals created in {elapsed:.1f} s."))
