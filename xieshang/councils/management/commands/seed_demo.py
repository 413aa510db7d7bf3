"""Load the demo councils, people and accounts (safe to run again)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from xieshang.councils.demo.builder import build_demo
from xieshang.councils.demo.tables import DEMO_SEED


class Command(BaseCommand):
    help = "Create the demo province, cities and counties with members and a login for every role."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--seed",
            type=int,
            default=DEMO_SEED,
            help="random seed (default: the fixed demo seed)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        counts = build_demo(options["seed"])
        elapsed = time.monotonic() - started
        if not counts.total:
            self.stdout.write(
                _("Demo data already present; nothing created (%(seconds).1f s).") % {"seconds": elapsed}
            )
            return
        summary = ", ".join(f"{count} {kind}" for kind, count in sorted(counts.created.items()))
        self.stdout.write(
            self.style.SUCCESS(
                _("Demo data created in %(seconds).1f s: %(summary)s.")
                % {"seconds": elapsed, "summary": summary}
            )
        )
        self.stdout.write(_("Run `manage.py demo_logins` to see the accounts."))
