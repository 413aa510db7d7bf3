"""Measure pages against the trivial view, on loopback, with a throwaway database.

    .venv/bin/python bench/load.py [--requests 400] [--concurrency 8] [--workers 4]

Steps: make a temporary directory with its own SQLite file and keys; migrate,
collect static files and create the benchmark council (bench/make_data.py);
start gunicorn on 127.0.0.1 at a free port; log in as the council's staff;
then, page by page, send a bounded number of requests from a pool of
threads (and stop early at --seconds). Prints requests per second and the
50th/95th percentile latency of each page, and each page's ratio to /healthz.
Nothing leaves the machine; the temporary directory is removed afterwards.
"""

from __future__ import annotations

import argparse
import base64
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import memory  # noqa: E402
from xieshang.councils.demo.tables import DEMO_PASSWORD  # noqa: E402 (plain data, no Django)

PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
SLUG = "bench"


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    logged_in: bool


PAGES = (
    Page("healthz (trivial view)", "/healthz", logged_in=False),
    Page("login page", "/accounts/login/", logged_in=False),
    Page("home (my work)", f"/c/{SLUG}/", logged_in=True),
    Page("member list", f"/c/{SLUG}/members/", logged_in=True),
)


@dataclass(frozen=True)
class Result:
    page: Page
    done: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def per_second(self) -> float:
        return self.done / self.seconds if self.seconds else 0.0

    def percentile(self, q: int) -> float:
        if len(self.latencies_ms) < 2:
            return self.latencies_ms[0] if self.latencies_ms else float("nan")
        return statistics.quantiles(self.latencies_ms, n=100, method="inclusive")[q - 1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def environment(var_dir: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("XIESHANG_")}
    env.pop("DATABASE_URL", None)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "XIESHANG_VAR_DIR": str(var_dir),
            "XIESHANG_SECRET_KEY": secrets.token_urlsafe(50),
            "XIESHANG_DATA_KEYS": "b1:" + base64.b64encode(os.urandom(16)).decode(),
            "XIESHANG_DATA_INDEX_KEY": secrets.token_urlsafe(32),
            "XIESHANG_DEBUG": "false",
            "XIESHANG_LOG_LEVEL": "WARNING",
        }
    )
    return env


def prepare(env: dict[str, str], members: int) -> None:
    for command in (
        [PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"],
        [PYTHON, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        [PYTHON, "bench/make_data.py", "--members", str(members)],
    ):
        subprocess.run(command, cwd=ROOT, env=env, check=True)


def start_server(env: dict[str, str], port: int, workers: int, var_dir: Path) -> subprocess.Popen[bytes]:
    log = (var_dir / "gunicorn.log").open("wb")
    server = subprocess.Popen(
        [
            GUNICORN,
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--no-control-socket",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200:
                return server
        except requests.RequestException:
            pass
        if server.poll() is not None:
            break
        time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"gunicorn did not start; see {var_dir / 'gunicorn.log'}")


def log_in(base: str) -> dict[str, str]:
    session = requests.Session()
    page = session.get(f"{base}/accounts/login/", timeout=10)
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if match is None:
        raise SystemExit("no CSRF token on the login page")
    response = session.post(
        f"{base}/accounts/login/",
        data={"username": "bench_staff", "password": DEMO_PASSWORD, "csrfmiddlewaretoken": match.group(1)},
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=10,
    )
    if "sessionid" not in session.cookies:
        raise SystemExit(f"could not log in as bench_staff (HTTP {response.status_code})")
    return session.cookies.get_dict()


def measure(
    base: str, page: Page, cookies: dict[str, str], *, count: int, threads: int, limit: float
) -> Result:
    local = threading.local()
    stop_at = time.monotonic() + limit
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()

    def one(_: int) -> None:
        nonlocal errors
        if time.monotonic() > stop_at:
            return
        session = getattr(local, "session", None)
        if session is None:
            session = local.session = requests.Session()
            if page.logged_in:
                session.cookies.update(cookies)
        started = time.perf_counter()
        try:
            ok = session.get(base + page.path, timeout=30, allow_redirects=False).status_code == 200
        except requests.RequestException:
            ok = False
        elapsed = (time.perf_counter() - started) * 1000
        with lock:
            if ok:
                latencies.append(elapsed)
            else:
                errors += 1

    # A few requests first, so that every worker has warmed up its imports.
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(one, range(threads * 2)))
    latencies.clear()
    errors = 0
    started = time.monotonic()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(one, range(count)))
    return Result(page, len(latencies), errors, time.monotonic() - started, sorted(latencies))


def report(results: list[Result], args: argparse.Namespace) -> None:
    base = results[0]
    print(
        f"\n{args.requests} requests per page, {args.concurrency} client threads, "
        f"{args.workers} gunicorn workers, SQLite, {args.members} members\n"
    )
    header = (
        f"{'page':<24} {'ok':>5} {'errors':>6} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p50 × healthz':>14}"
    )
    print(header)
    print("-" * len(header))
    for result in results:
        ratio = result.percentile(50) / base.percentile(50)
        print(
            f"{result.page.name:<24} {result.done:>5} {result.errors:>6} {result.per_second:>8.1f} "
            f"{result.percentile(50):>8.1f} {result.percentile(95):>8.1f} {ratio:>14.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400, help="requests per page (default 400)")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads (default 8)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes (default 4)")
    parser.add_argument("--members", type=int, default=1000, help="members in the bench council")
    parser.add_argument("--seconds", type=float, default=60, help="stop a page's run after this long")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="xieshang-bench-"))
    env = environment(var_dir)
    server = None
    finished = False
    try:
        prepare(env, args.members)
        port = free_port()
        server = start_server(env, port, args.workers, var_dir)
        base = f"http://127.0.0.1:{port}"
        cookies = log_in(base)
        results = []
        for page in PAGES:
            result = measure(
                base, page, cookies, count=args.requests, threads=args.concurrency, limit=args.seconds
            )
            if not result.done:
                print(f"{page.name}: every request failed (is {page.path} there?)", file=sys.stderr)
            results.append(result)
        report([r for r in results if r.done], args)
        print("\nmemory after the run, per gunicorn process:")
        print(memory.report(memory.process_memory(memory.gunicorn_pids(server.pid))))
        finished = True
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        if args.keep or not finished:
            print(f"\nkept {var_dir} (gunicorn.log is there)")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
