"""Surveys at scale, with a throwaway database (as bench/load.py makes one).

    .venv/bin/python bench/surveys_bench.py results [--responses 100000] [--views 30]
    .venv/bin/python bench/surveys_bench.py public [--people 10000] [--seconds 300] [--workers 4]

results: load a public survey of eight questions (every kind; the demo
city's 千人问卷) with --responses answers (each checked, bulk-created, the
running totals raised by exactly what was loaded), then, in this process,
open the results page --views times as staff and print its p50/p95/max time
and query count (with 100 answers and with all of them: the count must not
change), then write the Excel export of every answer and print its time and
peak memory (the process's maximum resident size).

public: start gunicorn on 127.0.0.1 with the file SMS backend
(bench/deliberation_sms.py) and start --people members of the public
evenly over --seconds from a bounded pool of client threads; each opens the
public page, asks for a code, reads it from sms.log, verifies and sends
their answers. Prints errors and the p50/p95/p99 latency of all requests,
then checks the database: one response per person, the count and every
running total equal to a count of the stored answers.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from deliberation_bench import CSRF, code_for, percentile  # noqa: E402 (bench/deliberation_bench.py)
from load import environment, free_port, start_server  # noqa: E402 (bench/load.py)

SLUG = "survey-bench"


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()


def prepare() -> tuple[Any, Any]:
    """Migrate; create the council, its staff and the open public survey."""
    import datetime as dt

    from django.core.management import call_command
    from django.utils import timezone

    from xieshang.accounts.models import User
    from xieshang.councils.models import Council, CouncilRole, CouncilSetting, Level, Role
    from xieshang.councils.roles import Actor
    from xieshang.surveys.actions.questions import add_question
    from xieshang.surveys.actions.surveys import SurveyDetails, create_survey, open_survey
    from xieshang.surveys.demo import PUBLIC_QUESTIONS

    call_command("migrate", "--no-input", verbosity=0)
    call_command("collectstatic", "--no-input", verbosity=0)
    council = Council.objects.create(slug=SLUG, name="问卷基准测试政协", level=Level.CITY)
    staff = User.objects.create(username="survey_bench_staff", full_name="办公室")
    CouncilRole.objects.create(council=council, user=staff, role=Role.STAFF)
    # Every respondent comes from 127.0.0.1: lift the per-address limit (the per-number one stays).
    CouncilSetting.objects.create(
        council=council, key="survey_codes_per_address_per_hour", value=100000, changed_by=staff
    )
    actor = Actor(user=staff, council=council, roles=frozenset({Role.STAFF}))
    now = timezone.now()
    survey = create_survey(
        actor=actor,
        details=SurveyDetails(
            title="公共服务满意度调查（基准测试）",
            year=now.year,
            audience="public",
            is_anonymous=True,
            opens_at=now - dt.timedelta(hours=1),
            closes_at=now + dt.timedelta(days=7),
        ),
    )
    for spec in PUBLIC_QUESTIONS:
        add_question(survey, actor=actor, spec=spec)
    return open_survey(survey, actor=actor), staff


def check_totals(survey: Any) -> bool:
    """Whether the count and every running total equal a count of the stored answers."""
    from xieshang.surveys.actions.answers import check_answers
    from xieshang.surveys.models import Response, Survey, Tally
    from xieshang.surveys.queries import questions_of

    survey = Survey.objects.get(pk=survey.pk)
    questions = questions_of(survey)
    counted: Counter[tuple[int, str]] = Counter()
    rows = 0
    for answers in Response.objects.filter(survey=survey).values_list("answers", flat=True).iterator(5000):
        counted.update(check_answers(questions, answers).bumps)
        rows += 1
    stored = {(t.question_id, t.key): t.count for t in Tally.objects.filter(survey=survey) if t.count}
    exact = stored == dict(counted)
    print(f"responses stored {rows}, survey's count {survey.response_count}, totals exact: {exact}")
    return rows == survey.response_count and stored == dict(counted)


def time_results(survey: Any, staff: Any, views: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(staff)
    url = reverse("surveys:results", kwargs={"council_slug": SLUG, "pk": survey.pk})
    client.get(url)  # warm-up
    times = []
    for _ in range(views):
        began = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    times.sort()
    print(
        f"results page        p50 {percentile(times, 50):7.1f} ms   p95 {percentile(times, 95):7.1f} ms   "
        f"max {times[-1]:7.1f} ms   queries {len(captured)}"
    )


def results(args: argparse.Namespace, env: dict[str, str]) -> bool:
    from xieshang.surveys.actions.bulk import load_responses
    from xieshang.surveys.demo import public_answers

    survey, staff = prepare()
    rng = random.Random(2026)
    first = min(100, args.responses)
    load_responses(survey, public_answers(survey, rng, first))
    print(f"with {first} responses:")
    time_results(survey, staff, args.views)
    began = time.monotonic()
    step = 20000
    for start in range(first, args.responses, step):
        load_responses(survey, public_answers(survey, rng, min(step, args.responses - start), first=start))
    print(f"loaded {args.responses} responses in {time.monotonic() - began:.1f} s")
    print(f"with {args.responses} responses:")
    time_results(survey, staff, args.views)
    # The export runs in a fresh process, so that its peak memory is its own.
    subprocess.run([sys.executable, __file__, "export", "--survey", str(survey.pk)], env=env, check=True)
    return check_totals(survey)


def high_water_mb() -> float:
    """This process's peak resident memory (VmHWM; ru_maxrss survives exec on Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def export(args: argparse.Namespace) -> bool:
    """Write the Excel export of every answer; print its time and this
    process's peak memory (Django's own included, printed before)."""
    from xieshang.surveys.exports import answers_workbook
    from xieshang.surveys.models import Survey

    survey = Survey.objects.get(pk=args.survey)
    base = high_water_mb()
    began = time.monotonic()
    content, rows = answers_workbook(survey)
    elapsed = time.monotonic() - began
    peak = high_water_mb()
    print(
        f"Excel export        {rows} rows, {len(content) / 1e6:.1f} MB, {elapsed:.1f} s, "
        f"peak memory {peak:.0f} MB (the process before the export: {base:.0f} MB)"
    )
    return True


def answer_form(page: str, rng: random.Random) -> dict[str, Any]:
    """Answers to the public form, read from its inputs."""
    data: dict[str, Any] = {}
    radios: dict[str, list[str]] = {}
    for name, value in re.findall(r'type="radio" name="(q\d+(?:_r\d+)?)" id="[^"]*" value="(\d+)"', page):
        radios.setdefault(name, []).append(value)
    for name, value in re.findall(r'type="radio" name="(q\d+_r\d+)" value="(\d+)"', page):
        radios.setdefault(name, []).append(value)
    for name, values in radios.items():
        data[name] = rng.choice(values)
    boxes: dict[str, list[str]] = {}
    for name, value in re.findall(r'type="checkbox" name="(q\d+)" id="[^"]*" value="(\d+)"', page):
        boxes.setdefault(name, []).append(value)
    for name, values in boxes.items():
        data[name] = rng.sample(values, 2)
    for name in re.findall(r'type="number" step="1" inputmode="numeric" name="(q\d+)"', page):
        data[name] = str(rng.randint(1, 6))
    for name in re.findall(r'<textarea class="form-control" name="(q\d+)"', page):
        data[name] = rng.choice(["希望增加社区医生", "公交线路要延伸到新小区", ""])
    return data


def run_public(base: str, survey_id: int, sms_log: Path, args: argparse.Namespace) -> dict[str, Any]:
    import requests

    page_url = f"{base}/c/{SLUG}/surveys/p/{survey_id}/"
    lock = threading.Lock()
    latencies: list[float] = []
    failures: list[str] = []
    start = time.monotonic()
    gap = args.seconds / args.people

    def timed(session: Any, method: str, url: str, **kwargs: Any) -> Any:
        began = time.perf_counter()
        response = session.request(method, url, timeout=60, allow_redirects=False, **kwargs)
        with lock:
            latencies.append((time.perf_counter() - began) * 1000)
        if response.status_code not in (200, 302):
            raise RuntimeError(f"{method} {url.rsplit('/p/', 1)[-1]}: HTTP {response.status_code}")
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
            csrf = {"csrfmiddlewaretoken": CSRF.search(page.text).group(1)}
            timed(session, "POST", page_url + "code/", data={**csrf, "mobile": mobile})
            code = code_for(sms_log, mobile)
            timed(session, "POST", page_url + "verify/", data={**csrf, "mobile": mobile, "code": code})
            page = timed(session, "GET", page_url)
            if 'data-testid="answer-form"' not in page.text:
                raise RuntimeError("not verified")
            csrf = {"csrfmiddlewaretoken": CSRF.search(page.text).group(1)}
            sent = timed(session, "POST", page_url + "submit/", data={**csrf, **answer_form(page.text, rng)})
            if sent.status_code != 302:
                raise RuntimeError("answers refused")
        except (requests.RequestException, RuntimeError, LookupError, AttributeError) as exc:
            with lock:
                failures.append(str(exc)[:120])

    with ThreadPoolExecutor(args.threads) as pool:
        list(pool.map(one, range(args.people)))
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": len(failures),
        "error_kinds": sorted(set(failures))[:5],
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
        "p99": percentile(latencies, 99),
        "took": time.monotonic() - start,
    }


def public(args: argparse.Namespace, env: dict[str, str], var_dir: Path) -> bool:
    from django.db import connections

    survey, _staff = prepare()
    connections.close_all()
    port = free_port()
    server = start_server(env, port, args.workers, var_dir)
    try:
        result = run_public(f"http://127.0.0.1:{port}", survey.pk, var_dir / "sms.log", args)
    finally:
        server.terminate()
        server.wait(timeout=20)
    print(
        f"\n{args.people} public respondents started over {args.seconds:.0f} s, "
        f"{args.threads} client threads at most, {args.workers} gunicorn workers, SQLite\n"
    )
    print(f"requests      {result['requests']}  (all done in {result['took']:.0f} s)")
    print(f"errors        {result['errors']} {result['error_kinds'] or ''}")
    print(f"latency p50   {result['p50']:8.1f} ms")
    print(f"latency p95   {result['p95']:8.1f} ms")
    print(f"latency p99   {result['p99']:8.1f} ms")
    return result["errors"] == 0 and check_totals(survey)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("results", "public", "export"))
    parser.add_argument("--survey", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--responses", type=int, default=100000)
    parser.add_argument("--views", type=int, default=30)
    parser.add_argument("--people", type=int, default=10000)
    parser.add_argument("--seconds", type=float, default=300, help="start the respondents over this long")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes (default 4)")
    parser.add_argument("--threads", type=int, default=32, help="client threads, at most (default 32)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    if args.mode == "export":  # the child process of results, in its environment
        setup_django(dict(os.environ))
        export(args)
        return
    var_dir = Path(tempfile.mkdtemp(prefix="xieshang-surveys-"))
    env = environment(var_dir)
    env["XIESHANG_SMS_BACKEND"] = "deliberation_sms.FileSmsBackend"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "bench"), env.get("PYTHONPATH", "")]))
    setup_django(env)
    finished = False
    try:
        finished = results(args, env) if args.mode == "results" else public(args, env, var_dir)
    finally:
        if args.keep or not finished:
            print(f"\nkept {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)
    if not finished:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
