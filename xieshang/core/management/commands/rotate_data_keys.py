"""Re-encrypt personal data under the current data key; with --reindex also
recompute blind indexes (after XIESHANG_DATA_INDEX_KEY changed)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from xieshang.core import crypto
from xieshang.core.keyrotation import BATCH_SIZE, encrypted_models, reindex_model, rotate_model


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field with the first key of XIESHANG_DATA_KEYS "
        "(keep the old keys listed until this has run). Safe to run again."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--reindex",
            action="store_true",
            help="Also recompute the blind-index columns (<field>_index) with the current index key.",
        )
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="Rows per transaction.")

    def handle(self, *args: Any, reindex: bool, batch_size: int, **options: Any) -> None:
        self.stdout.write(f"current data key: {crypto.current_key_id()}")
        totals = [0, 0, 0]
        for target in encrypted_models():
            for name, counts in rotate_model(target, batch_size=batch_size).items():
                self.stdout.write(
                    f"{target.label}.{name}: {counts.rotated} re-encrypted, "
                    f"{counts.current} already current, {counts.empty} empty"
                )
                totals[0] += counts.rotated
                totals[1] += counts.current
                totals[2] += counts.empty
            if reindex and target.index_fields:
                changed = reindex_model(target, batch_size=batch_size)
                self.stdout.write(
                    f"{target.label}: {changed} rows re-indexed ({', '.join(target.index_fields)})"
                )
        self.stdout.write(f"total: {totals[0]} re-encrypted, {totals[1]} already current, {totals[2]} empty")
