"""Enqueue the periodic jobs of config/schedule.py when they are due."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

# config is the top layer: its schedule names the tasks of every app.
from config import schedule
from xieshang.core.scheduler import run_due


class Command(BaseCommand):
    help = "Enqueue periodic jobs (config/schedule.py) when due; run beside the task workers."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--once", action="store_true", help="Make one pass and exit.")
        parser.add_argument(
            "--interval", type=float, default=30.0, help="Seconds between passes (default: 30)."
        )

    def handle(self, *args: Any, once: bool, interval: float, **options: Any) -> None:
        while True:
            for name in run_due(schedule.SCHEDULE):
                self.stdout.write(f"enqueued {name}")
            if once:
                return
            try:
                time.sleep(interval)
            except KeyboardInterrupt:
                return
