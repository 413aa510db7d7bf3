"""Profile single requests in-process, against the database the settings name.

    DATABASE_URL=sqlite:////tmp/x/db.sqlite3 .venv/bin/python bench/profile_requests.py [--proposals 200]

Needs the demo councils and people (`manage.py seed_demo`) in that database.
Creates proposals through the API as the demo member when there are fewer
than --proposals, then for each request (read one proposal through the API,
a page of the API list, the member's home page, the proposal list page)
sends --repeat requests through Django's test client under cProfile and
prints the query count, the median time and the top lines of the profile
(by own time and by cumulative time). Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("XIESHANG_DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from xieshang.accounts.models import User  # noqa: E402
from xieshang.accounts.tokens import create_token  # noqa: E402
from xieshang.proposals.models import Proposal, ProposalCategory  # noqa: E402

SLUG = "demo-city"
TEXT = "关于加快推进老旧小区加装电梯的建议。" * 20


def ensure_proposals(client: Client, headers: dict[str, str], wanted: int) -> list[int]:
    have = list(Proposal.objects.filter(council__slug=SLUG).values_list("pk", flat=True))
    category = ProposalCategory.objects.filter(council__slug=SLUG).values_list("pk", flat=True).first()
    for i in range(len(have), wanted):
        body = {
            "title": f"关于老旧小区加装电梯的建议{i}",
            "window": "regular",
            "category_id": category,
            "situation": TEXT,
            "analysis": TEXT,
            "suggestions": TEXT,
        }
        answer = client.post(f"/api/v1/c/{SLUG}/proposals", body, content_type="application/json", **headers)
        assert answer.status_code == 201, answer.content[:300]
        have.append(answer.json()["id"])
    return have


def profile(client: Client, path: str, headers: dict[str, str], repeat: int, top: int) -> None:
    client.get(path, **headers)  # warm-up: imports, template loading
    queries: list[str] = []

    def record(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        status = client.get(path, **headers).status_code
    if os.environ.get("SHOW_SQL"):
        print("\n".join(q[:300] for q in queries))
    times = []
    prof = cProfile.Profile()
    for _ in range(repeat):
        start = time.perf_counter()
        prof.enable()
        client.get(path, **headers)
        prof.disable()
        times.append((time.perf_counter() - start) * 1000)
    median = statistics.median(times)
    calls = pstats.Stats(prof).total_calls // repeat  # type: ignore[attr-defined]
    print(
        f"\n=== GET {path}  status {status}, {len(queries)} queries, median {median:.1f} ms, "
        f"{calls} Python function calls per request"
    )
    for key in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(prof, stream=out).strip_dirs().sort_stats(key).print_stats(top)
        lines = out.getvalue().splitlines()
        start = next(i for i, line in enumerate(lines) if "ncalls" in line)
        print(f"--- by {key}")
        print("\n".join(lines[start : start + top + 1]))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--proposals", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--only", default="", help="profile only paths containing this")
    args = parser.parse_args()
    member = User.objects.get(username="member")
    _token, secret = create_token(user=member, name=f"profile-{time.time_ns()}")
    api = Client(HTTP_HOST="127.0.0.1")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    ids = ensure_proposals(api, bearer, args.proposals)
    browser = Client(HTTP_HOST="127.0.0.1")
    browser.force_login(member)
    paths = [
        (api, f"/api/v1/c/{SLUG}/proposals/{ids[len(ids) // 2]}", bearer),
        (api, f"/api/v1/c/{SLUG}/proposals?page_size=100", bearer),
        (browser, "/healthz", {}),
        (browser, f"/c/{SLUG}/", {}),
        (browser, f"/c/{SLUG}/proposals/", {}),
    ]
    for client, path, headers in paths:
        if args.only in path:
            profile(client, path, headers, args.repeat, args.top)


if __name__ == "__main__":
    main()
