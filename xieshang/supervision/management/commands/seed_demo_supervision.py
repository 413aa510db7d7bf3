"""Load a year of demo democratic supervision into the demo city (safe to run again)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xieshang.supervision.demo import seed_demo_supervision


class Command(BaseCommand):
    help = "Create a year of supervision campaigns, inspections, postings and letters for the demo city."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            made = seed_demo_supervision(options["seed"])
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        elapsed = time.monotonic() - started
        if not made:
            self.stdout.write(
                f"The demo city already has supervision campaigns; nothing created ({elapsed:.1f} s)."
            )
            return
        self.stdout.write(self.style.SUCCESS(f"{made} demo inspections created in {elapsed:.1f} s."))
