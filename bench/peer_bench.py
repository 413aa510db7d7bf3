"""xieshang's side of the OpenSlides 3.3 peer benchmark (../shared/peers), with
the whole list read the way a client now would: in one request.

    /tmp/os33/venv/bin/python bench/peer_bench.py --base http://127.0.0.1:8800 -n 1000 -c 8

Run by bench/peers.sh. It reuses the harness's own phases (login, API token,
create, submit, read one, RSS) from xieshang_bench.py in the peers directory
($PEERS_DIR, default ../shared/peers beside the project), and replaces only
"get-list": one GET …/proposals/export.jsonl (JSON Lines, streamed) instead of
ten pages of 100. It also reads the paged list as before ("get-pages"), so
both ways stay comparable, and prints each web worker's memory: RSS, and PSS
(its own pages plus its share of those it shares with the others).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEERS = Path(os.environ.get("PEERS_DIR", ROOT.parent / "shared" / "peers")).resolve()
sys.path.insert(0, str(PEERS))
sys.path.insert(0, str(PEERS / "openslides33"))

import memory  # noqa: E402  (bench/memory.py, beside this file)
import xieshang_bench as harness  # noqa: E402  (the harness's phases)

from bench import make_motion  # noqa: E402  (the same texts as the OpenSlides side)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", default="http://127.0.0.1:8800")
    ap.add_argument("--slug", default="demo-city")
    ap.add_argument("--user", default="member")
    ap.add_argument("--password", default="Minghu-2026!")
    ap.add_argument("-n", type=int, default=1000)
    ap.add_argument("-c", type=int, default=8)
    ap.add_argument("--json")
    a = ap.parse_args()
    base, api = a.base.rstrip("/"), f"{a.base.rstrip('/')}/api/v1/c/{a.slug}/proposals"
    token = harness.api_token(base, a.user, a.password)
    rng = random.Random(7)
    motions = [make_motion(i, rng) for i in range(a.n)]
    cats = [c["id"] for c in harness.client(token).get(f"{api}/lists", timeout=60).json()["categories"]]

    def create(m):  # the harness's create, unchanged
        text = re.sub(r"<[^>]+>", "", m["text"])
        body = {
            "title": m["title"][:50],
            "window": "regular",
            "category_id": cats[hash(m["title"]) % len(cats)],
            "situation": text[:3000],
            "analysis": re.sub(r"<[^>]+>", "", m.get("reason", ""))[:3000],
            "suggestions": text[:3000],
        }
        return harness.client(token).post(api, json=body, timeout=120)

    res = {}
    res["create"], rs = harness.phase("create", [(create, m) for m in motions], a.c)
    created = [r.json() for r in rs if r is not None and r.status_code == 201]
    ids, versions = [p["id"] for p in created], {p["id"]: p.get("version") for p in created}

    def submit(pid):
        return harness.client(token).post(
            f"{api}/{pid}/submit", json={"version": versions.get(pid)}, timeout=120
        )

    def get_one(pid):
        return harness.client(token).get(f"{api}/{pid}", timeout=120)

    def get_list(_):
        answer = harness.client(token).get(f"{api}/export.jsonl", timeout=300)
        if answer.status_code == 200 and answer.text.count("\n") != a.n:
            answer.status_code = 599  # counted as an error: not the whole list
        return answer

    def get_pages(_):
        n_pages, page, last = 1, 1, None
        while page <= n_pages and page <= 100:
            last = harness.client(token).get(f"{api}?page_size=100&page={page}", timeout=300)
            if last.status_code >= 400:
                return last
            n_pages, page = last.json()["pages"], page + 1
        return last

    res["submit"], _ = harness.phase("submit", [(submit, i) for i in ids], a.c)
    sample = [rng.choice(ids) for _ in range(a.n)]
    res["get_one"], _ = harness.phase("get-one", [(get_one, i) for i in sample], a.c)
    lists = max(8, a.c * 4)
    res["get_list_all"], _ = harness.phase("get-list", [(get_list, i) for i in range(lists)], a.c)
    res["get_pages"], _ = harness.phase("get-pages", [(get_pages, i) for i in range(lists)], a.c)
    port = int(base.rsplit(":", 1)[1])
    res["rss"] = harness.rss(port)
    print("RESULT rss", json.dumps(res["rss"]))
    pids = sorted(int(pid) for pid in res["rss"]["pids"])  # the master started first
    res["memory"] = memory.process_memory(pids)
    print(memory.report(res["memory"]))
    if a.json:
        Path(a.json).write_text(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
