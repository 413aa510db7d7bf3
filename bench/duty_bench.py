"""Rebuild a year of duty records for a large council, on a throwaway SQLite file.

    .venv/bin/python bench/duty_bench.py [--members 1000] [--facts 50000] [--keep]

Steps: make a temporary directory with its own SQLite file and fresh keys
(nothing of your .env or var/ is used); migrate; create the benchmark council
(bench/make_data.py's 1,000 members); add proposals with co-signers and
closed meetings with attendance until the year holds about --facts source
facts; then rebuild the year's duty records twice (the first run creates
every record, the second finds nothing to change) and score the council.
Prints seconds and peak memory of each step: the peak of Python allocations
(tracemalloc) and the process's maximum resident size. Target: under 30 s
and 500 MB on SQLite.
"""

from __future__ import annotations

import argparse
import base64
import os
import resource
import secrets
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
YEAR = 2026


def environment(var_dir: Path) -> None:
    for key in [k for k in os.environ if k.startswith("XIESHANG_")]:
        del os.environ[key]
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(
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


def max_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(label: str, step: Callable[[], Any], *, trace: bool = False) -> Any:
    """Time step; with trace, also the peak of Python allocations (tracemalloc
    slows allocation-heavy code several times, so timed runs go untraced)."""
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    result = step()
    seconds = time.perf_counter() - started
    peak = ""
    if trace:
        peak = f"   peak Python {tracemalloc.get_traced_memory()[1] / 2**20:7.1f} MB"
        tracemalloc.stop()
    print(f"{label:<44} {seconds:8.2f} s{peak}   max RSS {max_rss_mb():7.1f} MB")
    return result


def make_sources(members: int, facts: int) -> dict[str, int]:
    """Proposals (lead + 2 co-signers, all accepted: 6 facts each) for 60 % of
    the facts, and closed meetings where every member's attendance is one fact
    for the rest."""
    import random

    from django.db import transaction

    from xieshang.accounts.models import User
    from xieshang.councils.models import Council, Member

    rng = random.Random(1)
    council = Council.objects.get(slug="bench")
    member_rows = list(Member.objects.filter(council=council).values_list("id", "term_id", "user_id"))[
        :members
    ]
    filer = User.objects.get(username="bench_staff")
    proposals = int(facts * 0.6) // 6
    attendance_facts = facts - proposals * 6
    meetings = max(1, attendance_facts // len(member_rows))
    with transaction.atomic():
        cosigners = _proposals(rng, council, member_rows, filer, proposals)
        attendance = _meetings(rng, council, member_rows, filer, meetings)
    return {"proposals": proposals, "cosigners": cosigners, "meetings": meetings, "attendance": attendance}


def _proposals(
    rng: Any, council: Any, member_rows: list[tuple[int, int, int]], filer: Any, count: int
) -> int:
    """count accepted proposals, each with two confirmed co-signers; return
    how many co-signers."""
    import datetime as dt

    from django.utils import timezone

    from xieshang.councils.models import Session
    from xieshang.proposals.actions.config import create_default_lists
    from xieshang.proposals.models import Cosigner, Proposal, ProposalCategory
    from xieshang.proposals.states import CosignStatus, ProposalStatus

    tz = timezone.get_current_timezone()
    term_id = member_rows[0][1]
    session = Session.objects.filter(term_id=term_id).order_by("-number").first()
    create_default_lists(council, user=None)
    category = ProposalCategory.objects.filter(council=council).first()
    made = []
    for n in range(count):
        lead = rng.choice(member_rows)
        when = dt.datetime(YEAR, 1 + n % 12, 1 + n % 28, 9, 0, tzinfo=tz)
        made.append(
            Proposal(
                council=council,
                term_id=term_id,
                session=session,
                lead_proposer_id=lead[0],
                filed_by=filer,
                title=f"关于改进第{n}项公共服务的建议",
                category=category,
                situation="情况",
                analysis="分析",
                suggestions="建议",
                status=ProposalStatus.ACCEPTED,
                case_number=f"B{n:06d}",
                submitted_at=when,
                accepted_at=when + dt.timedelta(days=15),
            )
        )
    Proposal.objects.bulk_create(made, batch_size=1000)
    cosigners = []
    for proposal in made:
        others = rng.sample(member_rows, 3)
        for other in [o for o in others if o[0] != proposal.lead_proposer_id][:2]:
            cosigners.append(Cosigner(proposal=proposal, member_id=other[0], status=CosignStatus.CONFIRMED))
    Cosigner.objects.bulk_create(cosigners, batch_size=2000)
    return len(cosigners)


def _meetings(rng: Any, council: Any, member_rows: list[tuple[int, int, int]], filer: Any, count: int) -> int:
    """count closed meetings of several kinds with every member's attendance;
    return how many attendance rows."""
    import datetime as dt

    from django.utils import timezone

    from xieshang.meetings.models import Attendance, Meeting
    from xieshang.meetings.states import AttendanceStatus, MeetingKind, MeetingStatus

    tz = timezone.get_current_timezone()
    kinds = [
        MeetingKind.PLENARY,
        MeetingKind.STANDING_COMMITTEE,
        MeetingKind.TRAINING,
        MeetingKind.SECTOR_GROUP,
    ]
    statuses = [AttendanceStatus.PRESENT] * 8 + [AttendanceStatus.EXCUSED, AttendanceStatus.ABSENT]
    attendance = []
    for n in range(count):
        starts = dt.datetime(YEAR, 1 + n % 12, 10, 9, 0, tzinfo=tz)
        kind = kinds[n % len(kinds)]
        meeting = Meeting.objects.create(
            council=council,
            kind=kind,
            title=f"第{n + 1}次会议",
            place="会议中心",
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=4),
            status=MeetingStatus.CLOSED,
            term_id=member_rows[0][1],
            notice_due_on=starts.date() - dt.timedelta(days=7),
            created_by=filer,
        )
        for member_id, _term, _user in member_rows:
            # Only plenary attendance counts whatever it was; elsewhere
            # present is what counts, so everyone is present there.
            status = rng.choice(statuses) if kind == MeetingKind.PLENARY else AttendanceStatus.PRESENT
            attendance.append(
                Attendance(
                    council=council, meeting=meeting, member_id=member_id, status=status, computed_at=starts
                )
            )
    Attendance.objects.bulk_create(attendance, batch_size=2000)
    return len(attendance)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--facts", type=int, default=50_000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    var_dir = Path(tempfile.mkdtemp(prefix="xieshang-duty-bench-"))
    environment(var_dir)
    try:
        import django

        django.setup()
        from django.core.management import call_command

        from xieshang.councils.demo.bench import build_bench_council
        from xieshang.councils.models import Council
        from xieshang.duty.actions import rebuild_duty_records
        from xieshang.duty.models import DutyRecord
        from xieshang.duty.queries import council_scores

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        build_bench_council(members=args.members)
        made = make_sources(args.members, args.facts)
        print(f"setup: {made} in {time.perf_counter() - started:.1f} s")
        council = Council.objects.get(slug="bench")
        first = measure("rebuild (creates every record)", lambda: rebuild_duty_records(council, YEAR))
        print(f"    {first}")
        second = measure("rebuild again (nothing changes)", lambda: rebuild_duty_records(council, YEAR))
        print(f"    {second}")
        scores = measure("score the council (1 query + arithmetic)", lambda: council_scores(council, YEAR))
        print(
            f"    {len(scores)} members scored; {DutyRecord.objects.filter(council=council).count()} records"
        )
        DutyRecord.objects.filter(council=council).delete()
        measure(
            "rebuild from empty, traced for memory", lambda: rebuild_duty_records(council, YEAR), trace=True
        )
    finally:
        if args.keep:
            print(f"kept {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
