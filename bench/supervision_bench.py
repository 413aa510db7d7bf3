"""The campaign page and the supervision statistics endpoint at scale, on a
throwaway SQLite file.

    .venv/bin/python bench/supervision_bench.py [--targets 10000] [--inspections 200000]
        [--requests 30] [--keep]

Steps: make a temporary directory with its own SQLite file and fresh keys
(nothing of your .env or var/ is used); migrate; create a council with
staff, 20 handling units, 18 contact groups and one campaign holding
--targets targets (with coordinates) and --inspections inspections (a third
unannounced, one in five with an open problem), written in bulk; then
request the campaign page and the statistics endpoint --requests times each
as the staff user, in process (Django's test client, no server), and print
the 50th and 95th percentile and the number of queries of one request.
Run it twice with different sizes to see that the query count does not
grow with the rows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from duty_bench import environment  # noqa: E402

YEAR = 2026


def make_data(targets: int, inspections: int) -> tuple[object, object]:
    from django.db import transaction

    from xieshang.accounts.models import User
    from xieshang.councils.models import (
        Council,
        CouncilRole,
        HandlingUnit,
        Level,
        MemberGroup,
        MemberGroupKind,
        Role,
    )
    from xieshang.supervision.actions import create_default_target_kinds
    from xieshang.supervision.models import (
        Inspection,
        Problem,
        SupervisionCampaign,
        SupervisionTarget,
        TargetAssignment,
        TargetKind,
    )

    rng = random.Random(2026)
    with transaction.atomic():
        council = Council.objects.create(slug="bench", name="基准测试政协", level=Level.CITY)
        staff = User.objects.create_user(username="bench_staff", full_name="基准")  # logs in by force_login
        CouncilRole.objects.create(user=staff, council=council, role=Role.STAFF)
        create_default_target_kinds(council, user=None)
        kind = TargetKind.objects.filter(council=council).first()
        units = [HandlingUnit.objects.create(council=council, name=f"市第{n}局") for n in range(20)]
        groups = [
            MemberGroup.objects.create(council=council, name=f"联系小组{n}", kind=MemberGroupKind.CONTACT)
            for n in range(18)
        ]
        campaign = SupervisionCampaign.objects.create(
            council=council,
            title="黑臭水体治理专项民主监督",
            year=YEAR,
            starts_on=dt.date(YEAR, 1, 1),
            ends_on=dt.date(YEAR, 12, 31),
            created_by=staff,
        )
        rows = SupervisionTarget.objects.bulk_create(
            SupervisionTarget(
                council=council,
                campaign=campaign,
                kind=kind,
                code=f"T{n:06d}",
                name=f"点位{n}",
                district="城东区",
                handling_unit=units[n % len(units)],
                latitude=Decimal(f"{30 + rng.random():.6f}"),
                longitude=Decimal(f"{120 + rng.random():.6f}"),
            )
            for n in range(targets)
        )
        TargetAssignment.objects.bulk_create(
            TargetAssignment(council=council, campaign=campaign, group=groups[n % len(groups)], target=t)
            for n, t in enumerate(rows)
        )
        batch = []
        for n in range(inspections):
            target = rows[rng.randrange(len(rows))]
            day = dt.date(YEAR, 1, 1) + dt.timedelta(days=rng.randrange(330))
            batch.append(
                Inspection(
                    council=council,
                    campaign=campaign,
                    target=target,
                    group=groups[n % len(groups)],
                    inspected_on=day,
                    year=YEAR,
                    is_unannounced=n % 3 == 0,
                    findings="巡查记录",
                    recorded_by=staff,
                )
            )
            if len(batch) == 5000:
                Inspection.objects.bulk_create(batch)
                batch = []
        Inspection.objects.bulk_create(batch)
        Problem.objects.bulk_create(
            Problem(
                council=council,
                inspection=inspection,
                target_id=inspection.target_id,
                description="问题",
                handling_unit_id=units[0].pk,
            )
            for inspection in Inspection.objects.filter(campaign=campaign).only("id", "target_id")[
                : inspections // 5
            ]
        )
    return staff, campaign


def timed(client: object, url: str, requests: int) -> tuple[float, float, int]:
    from django.db import connection

    queries: list[str] = []

    def count(execute: object, sql: str, *args: object) -> object:
        queries.append(sql)
        return execute(sql, *args)  # type: ignore[operator]

    with connection.execute_wrapper(count):
        response = client.get(url)  # type: ignore[attr-defined]
        assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(url)  # type: ignore[attr-defined]
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    return statistics.median(times), p95, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--targets", type=int, default=10_000)
    parser.add_argument("--inspections", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="xieshang-supervision-bench-"))
    environment(work)
    os.chdir(ROOT)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    try:
        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        started = time.perf_counter()
        staff, campaign = make_data(args.targets, args.inspections)
        print(
            f"data: {args.targets} targets, {args.inspections} inspections "
            f"in {time.perf_counter() - started:.1f} s"
        )
        client = Client()
        client.force_login(staff)  # type: ignore[arg-type]
        pages = {
            "campaign page": f"/c/bench/supervision/campaigns/{campaign.pk}/",  # type: ignore[attr-defined]
            "statistics endpoint": f"/api/v1/c/bench/supervision/statistics?year={YEAR}",
        }
        print(f"{'page':<22} {'p50 ms':>9} {'p95 ms':>9} {'queries':>8}")
        for label, url in pages.items():
            p50, p95, count = timed(client, url, args.requests)
            print(f"{label:<22} {p50:9.1f} {p95:9.1f} {count:8d}")
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
