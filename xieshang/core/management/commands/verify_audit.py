"""Check the audit log's hash chain from the first entry to the head."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xieshang.core.audit import verify_chain


class Command(BaseCommand):
    help = "Verify the audit log's SM3 hash chain; exit with status 1 when it is broken."

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if report.intact:
            self.stdout.write(f"{report.checked} entries checked: intact")
            return
        where = f"entry {report.broken_id}" if report.broken_id is not None else "end of the chain"
        self.stdout.write(f"{report.checked} entries checked: BROKEN at {where}: {report.reason}")
        raise CommandError(f"audit chain broken at {where}: {report.reason}", returncode=1)
