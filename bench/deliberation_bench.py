"""1,000 members of the public taking part in one online deliberation, on
loopback, with a throwaway database: each verifies a mobile number by SMS
code, posts a comment and supports two others, through the real public
pages.

    .venv/bin/python bench/deliberation_bench.py [--people 1000] [--seconds 600] [--workers 4]

Steps: make a temporary directory with its own SQLite file and keys (as
bench/load.py does); migrate and collect static files; create a council with
a consultation and a public online deliberation, open now; start gunicorn
on 127.0.0.1 with the SMS backend bench/deliberation_sms.py (it appends each
SMS to sms.log in the temporary directory; the bench reads the code there);
then start the participants evenly over --seconds from a bounded pool of
client threads. Each participant: GET the public page, POST for a code,
read it, POST it with a nickname, POST a comment, GET the page again and
support two comments of others. Prints errors, the 50th/95th/99th
percentile latency of all requests, and the drain; then checks the
database: one identity and one comment per participant, supports counted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from load import environment, free_port, start_server  # noqa: E402 (bench/load.py)

SLUG = "deliberation-bench"
SUPPORT = re.compile(r'action="([^"]+/public/comments/(\d+)/support/)"')
IDEAS = ["加装电梯费用按楼层分摊", "低层住户给予补偿", "公开施工预算", "改造后明确管护责任"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()


def prepare() -> int:
    """Migrate, then create the council, its consultation and the public
    deliberation; return the deliberation's id."""
    from django.core.management import call_command
    from django.db import connections, transaction
    from django.utils import timezone

    from xieshang.accounts.models import User
    from xieshang.consultations.models import Consultation, Deliberation
    from xieshang.councils.models import Council, CouncilSetting, Level

    call_command("migrate", "--no-input", verbosity=0)
    call_command("collectstatic", "--no-input", verbosity=0)
    now = timezone.now()
    with transaction.atomic():
        council = Council.objects.create(slug=SLUG, name="议政基准测试政协", level=Level.CITY)
        staff = User.objects.create(username="deliberation_bench_staff", full_name="办公室")
        # Every participant comes from 127.0.0.1: lift the per-address limit (the per-number one stays).
        CouncilSetting.objects.create(
            council=council, key="deliberation_codes_per_address_per_hour", value=100000, changed_by=staff
        )
        consultation = Consultation.objects.create(
            council=council,
            year=now.year,
            kind="online",
            topic="老旧小区改造和加装电梯",
            starts_at=now + dt.timedelta(days=30),
            notice_due_on=now.date(),
            materials_due_on=now.date(),
            created_by=staff,
        )
        deliberation = Deliberation.objects.create(
            council=council,
            consultation=consultation,
            topic="老旧小区改造和加装电梯怎么推进",
            background="全市有老旧小区三百余个。",
            questions="加装电梯的费用如何分担？",
            opens_at=now - dt.timedelta(hours=1),
            closes_at=now + dt.timedelta(days=7),
            public_enabled=True,
            created_by=staff,
        )
    connections.close_all()
    return deliberation.pk


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def code_for(sms_log: Path, mobile: str, timeout: float = 10) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if sms_log.exists():
            for line in reversed(sms_log.read_text(encoding="utf-8").splitlines()):
                to, _tab, text = line.partition("\t")
                if to == mobile:
                    match = re.search(r"\d{6}", text)
                    if match:
                        return match.group(0)
        time.sleep(0.05)
    raise LookupError(f"no SMS for {mobile}")


def run(
    base: str, deliberation_id: int, sms_log: Path, *, people: int, seconds: float, threads: int
) -> dict[str, object]:
    page_url = f"{base}/c/{SLUG}/consultations/deliberations/{deliberation_id}/public/"
    lock = threading.Lock()
    latencies: list[float] = []
    failures: list[str] = []
    start = time.monotonic()
    last_answer = [start]
    gap = seconds / people

    def timed(session: requests.Session, method: str, url: str, **kwargs: object) -> requests.Response:
        began = time.perf_counter()
        response = session.request(method, url, timeout=60, allow_redirects=False, **kwargs)  # type: ignore[arg-type]
        with lock:
            latencies.append((time.perf_counter() - began) * 1000)
            last_answer[0] = max(last_answer[0], time.monotonic())
        if response.status_code not in (200, 302):
            raise RuntimeError(
                f"{method} {url.rsplit('/public/', 1)[-1] or 'page'}: HTTP {response.status_code}"
            )
        return response

    def one(index: int) -> None:
        delay = start + index * gap - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        rng = random.Random(index)
        mobile = f"1{rng.choice('3578')}{index:09d}"
        session = requests.Session()
        try:
            page = timed(session, "GET", page_url)
            token = CSRF.search(page.text)
            if not token:
                raise RuntimeError("no CSRF token on the public page")
            csrf = {"csrfmiddlewaretoken": token.group(1)}
            timed(session, "POST", page_url + "code/", data={**csrf, "mobile": mobile})
            code = code_for(sms_log, mobile)
            timed(
                session,
                "POST",
                page_url + "verify/",
                data={**csrf, "mobile": mobile, "code": code, "nickname": f"居民{index}"},
            )
            page = timed(session, "GET", page_url)
            if 'data-testid="comment-form"' not in page.text:
                raise RuntimeError("not verified")
            csrf = {"csrfmiddlewaretoken": CSRF.search(page.text).group(1)}  # type: ignore[union-attr]
            text = f"第{index}号意见：建议{rng.choice(IDEAS)}。"
            timed(session, "POST", page_url + "post/", data={**csrf, "text": text})
            page = timed(session, "GET", page_url)
            targets = SUPPORT.findall(page.text)
            for action, _opinion_id in rng.sample(targets, k=min(2, len(targets))):
                timed(session, "POST", base + action, data=csrf)
        except (requests.RequestException, RuntimeError, LookupError) as exc:
            with lock:
                failures.append(str(exc)[:120])

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(one, range(people)))
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": len(failures),
        "error_kinds": sorted(set(failures))[:5],
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
        "p99": percentile(latencies, 99),
        "max": latencies[-1],
        "drain": last_answer[0] - start,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=600, help="start the participants over this long")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes (default 4)")
    parser.add_argument("--threads", type=int, default=32, help="client threads, at most (default 32)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="xieshang-deliberation-"))
    env = environment(var_dir)
    env["XIESHANG_SMS_BACKEND"] = "deliberation_sms.FileSmsBackend"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "bench"), env.get("PYTHONPATH", "")]))
    setup_django(env)
    server = None
    finished = False
    try:
        began = time.monotonic()
        deliberation_id = prepare()
        print(f"set-up: one council with a public online deliberation, in {time.monotonic() - began:.1f} s")
        port = free_port()
        server = start_server(env, port, args.workers, var_dir)
        result = run(
            f"http://127.0.0.1:{port}",
            deliberation_id,
            var_dir / "sms.log",
            people=args.people,
            seconds=args.seconds,
            threads=args.threads,
        )
        from xieshang.consultations.models import (
            DeliberationComment,
            DeliberationCommentSupport,
            PublicIdentity,
        )

        identities = PublicIdentity.objects.count()
        comments = DeliberationComment.objects.filter(deliberation_id=deliberation_id).count()
        supports = DeliberationCommentSupport.objects.count()
        counted = sum(DeliberationComment.objects.values_list("support_count", flat=True))
        print(
            f"\n{args.people} public participants started over {args.seconds:.0f} s, "
            f"{args.threads} client threads at most, {args.workers} gunicorn workers, SQLite\n"
        )
        print(f"requests             {result['requests']}")
        print(f"errors               {result['errors']} {result['error_kinds'] or ''}")
        print(f"latency p50          {result['p50']:8.1f} ms")
        print(f"latency p95          {result['p95']:8.1f} ms")
        print(f"latency p99          {result['p99']:8.1f} ms")
        print(f"latency max          {result['max']:8.1f} ms")
        print(f"drain (first sent → last answered) {result['drain']:6.1f} s")
        print(
            f"identities {identities}, comments {comments}, supports {supports} (on the comments: {counted})"
        )
        finished = result["errors"] == 0 and identities == comments == args.people and supports == counted
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        if args.keep or not finished:
            print(f"\nkept {var_dir} (gunicorn.log is there)")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)
    if not finished:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
