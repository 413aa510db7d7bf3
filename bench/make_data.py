"""Create the benchmark council ("bench", 1,000 members, login bench_staff).

    .venv/bin/python bench/make_data.py [--members 1000]

Uses the database the settings point at (DATABASE_URL, or the SQLite file in
XIESHANG_VAR_DIR); bench/load.py runs it against a throwaway one.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=1000)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from xieshang.councils.demo.bench import build_bench_council

    started = time.monotonic()
    counts = build_bench_council(members=args.members)
    print(
        f"bench council ready in {time.monotonic() - started:.1f} s; created: {counts.created or 'nothing'}"
    )


if __name__ == "__main__":
    main()
