"""Memory of gunicorn's processes, for the benchmarks: RSS (every resident
page, shared ones included), its peak, and PSS (each shared page divided
among the processes sharing it: what the processes really cost together)."""

from __future__ import annotations

import subprocess
from pathlib import Path


def _kb(text: str, key: str) -> int:
    for line in text.splitlines():
        if line.startswith(f"{key}:"):
            return int(line.split()[1])
    return 0


def process_memory(pids: list[int]) -> list[dict[str, float]]:
    rows = []
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        rows.append(
            {
                "pid": pid,
                "rss_mb": _kb(status, "VmRSS") / 1024,
                "peak_rss_mb": _kb(status, "VmHWM") / 1024,
                "pss_mb": _kb(rollup, "Pss") / 1024,
            }
        )
    return rows


def gunicorn_pids(master: int) -> list[int]:
    """The master, then its workers."""
    children = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout
    return [master, *sorted(int(pid) for pid in children.split())]


def report(rows: list[dict[str, float]]) -> str:
    lines = []
    for index, row in enumerate(rows):
        role = "master" if index == 0 else f"worker {index}"
        rss, peak, pss = row["rss_mb"], row["peak_rss_mb"], row["pss_mb"]
        lines.append(
            f"{role:<9} pid {int(row['pid']):>7}: RSS {rss:6.0f} MB (peak {peak:4.0f}), PSS {pss:5.0f} MB"
        )
    lines.append(
        f"total: RSS {sum(r['rss_mb'] for r in rows):.0f} MB, PSS {sum(r['pss_mb'] for r in rows):.0f} MB"
        " (RSS counts the pages the workers share with the master once in each)"
    )
    return "\n".join(lines)
