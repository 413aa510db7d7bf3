"""Rebuild the search documents of proposals (after a restore, an upgrade of
the segmenter's dictionary, or data loaded without the actions)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xieshang.councils.models import Council
from xieshang.proposals.search import reindex_council_proposals


class Command(BaseCommand):
    help = "Index the text of every filed proposal again, in one council or in all."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--council", help="slug of one council (default: every council)")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        council_id = None
        if options["council"]:
            council = Council.objects.filter(slug=options["council"]).first()
            if council is None:
                raise CommandError(f"No council with the slug {options['council']!r}.")
            council_id = council.pk
        count = reindex_council_proposals(council_id)
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"{count} proposals indexed in {elapsed:.1f} s."))
