"""Print the demo accounts: role, username, password and what to try first."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from xieshang.accounts.models import User
from xieshang.councils.demo.builder import DEMO_LOGINS
from xieshang.councils.demo.tables import DEMO_PASSWORD


class Command(BaseCommand):
    help = "List the demo accounts and what each is good for."

    def handle(self, *args: Any, **options: Any) -> None:
        present = set(
            User.objects.filter(username__in=[login.username for login in DEMO_LOGINS]).values_list(
                "username", flat=True
            )
        )
        if not present:
            self.stdout.write(_("No demo accounts yet: run `manage.py seed_demo` first."))
            return
        header = (_("Role"), _("Council"), _("Username"), _("Password"), _("Try first"))
        rows = [
            (login.role, login.council, login.username, DEMO_PASSWORD, login.try_first)
            for login in DEMO_LOGINS
            if login.username in present
        ]
        widths = [max(_width(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
        for number, row in enumerate([header, *rows]):
            self.stdout.write(
                "  ".join(_pad(str(cell), width) for cell, width in zip(row, widths, strict=True))
            )
            if number == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
        self.stdout.write(
            _(
                "Liaisons of the other handling units log in as liaison_<code> (e.g. liaison_fgw). "
                "Members can also log in with their mobile number."
            )
        )


def _width(text: str) -> int:
    # Chinese characters take two columns in a terminal.
    return sum(2 if ord(char) > 0x2E80 else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
