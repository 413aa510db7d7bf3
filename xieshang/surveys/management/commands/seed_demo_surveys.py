"""Load the demo city's surveys, with the 1,200-answer public questionnaire
(safe to run again)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xieshang.surveys.demo import seed_demo_surveys


class Command(BaseCommand):
    help = "Create the demo city's surveys and their answers (run seed_demo first)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            made = seed_demo_surveys(options["seed"])
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        elapsed = time.monotonic() - started
        if not made:
            self.stdout.write(f"The demo city already has surveys; nothing created ({elapsed:.1f} s).")
            return
        self.stdout.write(self.style.SUCCESS(f"{made} demo surveys created in {elapsed:.1f} s."))
