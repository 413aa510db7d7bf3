"""Load the whole demo: councils and people, then a year of work in each app
(what ./run does in the background once the server is up)."""

from __future__ import annotations

import signal
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from xieshang.councils.demo.loading import demo_loading_marker

# Opinion reports come before proposals (some proposals are converted into
# reports), duty last (it reads everything else).
SEEDS = (
    "seed_demo",
    "seed_demo_opinions",
    "seed_demo_proposals",
    "seed_demo_meetings",
    "seed_demo_consultations",
    "seed_demo_deliberations",
    "seed_demo_surveys",
    "seed_demo_liaison",
    "seed_demo_supervision",
    "seed_demo_duty",
)


class Command(BaseCommand):
    help = (
        "Load the demo councils, people and a year of work in each app (safe to run again); "
        "pages say the demo is loading until it is done."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        marker = demo_loading_marker()
        marker.touch()
        # ./run stops it with SIGTERM: leave through the finally below.
        signal.signal(signal.SIGTERM, lambda *_args: sys.exit(1))
        try:
            for name in SEEDS:
                call_command(name, stdout=self.stdout, stderr=self.stderr)
        finally:
            marker.unlink(missing_ok=True)
        self.stdout.write(self.style.SUCCESS(_("The demo is loaded.")))
