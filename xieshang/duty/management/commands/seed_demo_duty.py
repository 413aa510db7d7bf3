"""Load duty demo data into the demo city (safe to run again)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xieshang.duty.demo import seed_demo_duty


class Command(BaseCommand):
    help = (
        "Give the demo city this year's scoring rules, rebuilt duty records, offline records "
        "and last year's published assessment (run seed_demo, seed_demo_proposals and the "
        "meetings demo first for richer records)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            counts = seed_demo_duty(options["seed"])
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Duty demo: {counts} ({time.monotonic() - started:.1f} s)."))
