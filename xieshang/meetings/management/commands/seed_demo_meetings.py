"""Load a year of demo meetings into the demo city (safe to run again)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xieshang.meetings.demo import seed_demo_meetings


class Command(BaseCommand):
    help = "Create the demo city's meetings with attendance, leave and check-ins (run seed_demo first)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            made = seed_demo_meetings(options["seed"])
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        elapsed = time.monotonic() - started
        if not made:
            self.stdout.write(f"The demo city already has meetings; nothing created ({elapsed:.1f} s).")
            return
        self.stdout.write(self.style.SUCCESS(f"{made} demo meetings created in {elapsed:.1f} s."))
