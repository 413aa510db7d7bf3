"""2,000 members checking in to one plenary sitting within a minute, through
the real check-in page, on loopback, with a throwaway database.

    .venv/bin/python bench/checkin_bench.py [--members 2000] [--seconds 60] [--workers 4]

Steps: make a temporary directory with its own SQLite file and keys (as
bench/load.py does); migrate and collect static files; create a council
with --members seated members (each with a login and a session made
directly in the session table, as if each had logged in on their phone) and
a published plenary meeting whose one sitting has them all invited; start
gunicorn on 127.0.0.1; then send one check-in per member, spread evenly over
--seconds (the members arriving), each with the code of the moment it is
sent (as if scanned from the screen), from a bounded pool of client threads.
Prints errors, the 50th/95th/99th percentile latency, and the time from the
first request to the last answer (the drain); then checks the database holds
exactly one check-in per member.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
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

SLUG = "checkin-bench"


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()


def prepare(members: int) -> tuple[int, list[str]]:
    """Migrate, then create the council, members, sessions and the meeting;
    return the sitting's id and one session key per member."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from xieshang.accounts.models import User
    from xieshang.councils.models import Council, CouncilRole, Level, Member, Role, Term
    from xieshang.meetings.models import Invitation, Meeting, Sitting
    from xieshang.meetings.states import InvitedVia, MeetingKind, MeetingStatus

    # Nobody logs in with a password: each member gets a session directly.
    UNUSABLE = UNUSABLE_PASSWORD_PREFIX + "bench"
    call_command("migrate", "--no-input", verbosity=0)
    call_command("collectstatic", "--no-input", verbosity=0)
    now = timezone.now()
    with transaction.atomic():
        council = Council.objects.create(slug=SLUG, name="签到基准测试政协", level=Level.CITY)
        term = Term.objects.create(
            council=council,
            number=14,
            starts_on=dt.date(2023, 1, 1),
            ends_on=dt.date(2027, 12, 31),
            is_current=True,
        )
        staff = User.objects.create(username="checkin_bench_staff", full_name="会务组")
        users = User.objects.bulk_create(
            [User(username=f"cb{n:05d}", full_name=f"委员{n:05d}", password=UNUSABLE) for n in range(members)]
        )
        CouncilRole.objects.bulk_create(
            [CouncilRole(council=council, user=u, role=Role.MEMBER) for u in users]
        )
        seated = Member.objects.bulk_create(
            [Member(council=council, term=term, user=u, full_name=u.full_name, gender="male") for u in users]
        )
        meeting = Meeting.objects.create(
            council=council,
            kind=MeetingKind.PLENARY,
            title="第十四届委员会第三次会议",
            place="市会议中心大礼堂",
            starts_at=now - dt.timedelta(minutes=10),
            ends_at=now + dt.timedelta(hours=3),
            status=MeetingStatus.PUBLISHED,
            term=term,
            notice_due_on=now.date(),
            created_by=staff,
        )
        sitting = Sitting.objects.create(
            council=council, meeting=meeting, number=1, starts_at=meeting.starts_at, ends_at=meeting.ends_at
        )
        Invitation.objects.bulk_create(
            [
                Invitation(council=council, meeting=meeting, member=m, via=InvitedVia.ALL_MEMBERS)
                for m in seated
            ]
        )
        store = SessionStore()
        expires = now + dt.timedelta(hours=2)
        keys = []
        rows = []
        for user in users:
            key = store._get_new_session_key()
            data = {
                SESSION_KEY: str(user.pk),
                BACKEND_SESSION_KEY: "xieshang.accounts.backends.UsernameOrMobileBackend",
                HASH_SESSION_KEY: user.get_session_auth_hash(),
            }
            rows.append(Session(session_key=key, session_data=store.encode(data), expire_date=expires))
            keys.append(key)
        Session.objects.bulk_create(rows)
    from django.db import connections

    connections.close_all()
    return sitting.pk, keys


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def run(base: str, sitting_id: int, keys: list[str], *, seconds: float, threads: int) -> dict[str, object]:
    from xieshang.meetings.codes import code_for

    local = threading.local()
    lock = threading.Lock()
    latencies: list[float] = []
    failures: list[str] = []
    start = time.monotonic()
    last_answer = [start]
    gap = seconds / len(keys)

    def one(index: int) -> None:
        # Member index arrives at start + index × gap: an even stream over the minute.
        delay = start + index * gap - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        session = getattr(local, "session", None)
        if session is None:
            session = local.session = requests.Session()
        code = code_for(sitting_id, dt.datetime.now(dt.UTC))
        began = time.perf_counter()
        try:
            response = session.get(
                f"{base}/c/{SLUG}/meetings/check-in/{code}/",
                cookies={"sessionid": keys[index]},
                timeout=60,
                allow_redirects=False,
            )
            ok = response.status_code == 200 and 'data-testid="check-in-ok"' in response.text
            problem = "" if ok else f"HTTP {response.status_code}"
        except requests.RequestException as exc:
            ok, problem = False, type(exc).__name__
        elapsed = (time.perf_counter() - began) * 1000
        with lock:
            latencies.append(elapsed)
            last_answer[0] = max(last_answer[0], time.monotonic())
            if not ok:
                failures.append(problem)

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(one, range(len(keys))))
    latencies.sort()
    return {
        "sent": len(keys),
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
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=60, help="spread the arrivals over this long")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes (default 4)")
    parser.add_argument("--threads", type=int, default=32, help="client threads, at most (default 32)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="xieshang-checkin-"))
    env = environment(var_dir)
    setup_django(env)
    server = None
    finished = False
    try:
        began = time.monotonic()
        sitting_id, keys = prepare(args.members)
        took = time.monotonic() - began
        print(f"set-up: {args.members} members with sessions, one plenary sitting, in {took:.1f} s")
        port = free_port()
        server = start_server(env, port, args.workers, var_dir)
        result = run(f"http://127.0.0.1:{port}", sitting_id, keys, seconds=args.seconds, threads=args.threads)
        from xieshang.meetings.models import CheckIn

        stored = CheckIn.objects.filter(sitting_id=sitting_id).count()
        distinct = CheckIn.objects.filter(sitting_id=sitting_id).values("member_id").distinct().count()
        print(
            f"\n{result['sent']} check-ins spread over {args.seconds:.0f} s, "
            f"{args.threads} client threads at most, {args.workers} gunicorn workers, SQLite\n"
        )
        print(f"errors               {result['errors']} {result['error_kinds'] or ''}")
        print(f"latency p50          {result['p50']:8.1f} ms")
        print(f"latency p95          {result['p95']:8.1f} ms")
        print(f"latency p99          {result['p99']:8.1f} ms")
        print(f"latency max          {result['max']:8.1f} ms")
        print(f"drain (first sent → last answered) {result['drain']:6.1f} s")
        print(f"check-ins stored     {stored} ({distinct} distinct members)")
        finished = result["errors"] == 0 and stored == distinct == args.members
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
