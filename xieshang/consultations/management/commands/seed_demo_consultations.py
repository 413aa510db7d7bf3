"""Load the demo city's consultations: plans over five years, the year's
consultations, speeches and outcomes (safe to run again)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xieshang.consultations.demo import seed_demo_consultations


class Command(BaseCommand):
    help = "Create consultation plans (2022–2026), consultations, speeches and outcomes for the demo city."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            made = seed_demo_consultations()
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        elapsed = time.monotonic() - started
        if not made:
            self.stdout.write(
                f"The demo city already has its consultation plan; nothing created ({elapsed:.1f} s)."
            )
            return
        self.stdout.write(self.style.SUCCESS(f"{made} demo consultations created in {elapsed:.1f} s."))
