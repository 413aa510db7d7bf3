"""Rebuild the automatic duty records of one council's year, or of all."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from xieshang.councils.models import Council
from xieshang.duty.actions import rebuild_duty_records


class Command(BaseCommand):
    help = (
        "Rebuild automatic duty records from proposals, meetings and the other sources (safe to run again)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--council", help="the council's slug (default: every active council)")
        parser.add_argument("--year", type=int, default=None, help="the year (default: this year)")

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["year"] or timezone.localdate().year
        councils = Council.objects.filter(is_active=True).order_by("id")
        if options["council"]:
            councils = councils.filter(slug=options["council"])
            if not councils.exists():
                raise CommandError(f"No active council with the slug {options['council']!r}.")
        for council in councils:
            started = time.monotonic()
            result = rebuild_duty_records(council, year)
            self.stdout.write(
                f"{council.slug} {year}: {result.total} records "
                f"({result.created} added, {result.updated} updated, {result.removed} removed) "
                f"in {time.monotonic() - started:.1f} s"
            )
