"""A council sized for load tests: one city council with many members.

Used by bench/make_data.py; the pages the benchmark requests read from it.
"""

from __future__ import annotations

from django.db import transaction

from xieshang.councils.demo import tables
from xieshang.councils.demo.builder import Counts, DemoBuilder
from xieshang.councils.models import MemberGroup, MemberGroupKind, Role, SpecialCommittee
from xieshang.councils.roles import Actor

# A council of its own at the top of the tree (a city would need a province).
BENCH_COUNCIL = tables.CouncilSpec(
    "bench", "基准测试政协", "province", None, "基准市", 14, ("339930", "339931", "339932")
)
BENCH_STAFF = "bench_staff"


def build_bench_council(*, members: int = 1000, seed: int = 1) -> Counts:
    """Create the benchmark council with `members` seated members and a staff
    login (BENCH_STAFF, tables.DEMO_PASSWORD). Running it again creates nothing."""
    builder = DemoBuilder(seed)
    total_seats = sum(seats for _, seats in tables.SECTORS)
    scaled = [(name, max(1, round(seats * members / total_seats)) + 1) for name, seats in tables.SECTORS]
    plans = builder.plan_seats(
        BENCH_COUNCIL,
        scaled,
        contact_groups=tables.CONTACT_GROUPS,
        committees=tables.SPECIAL_COMMITTEES,
    )[:members]
    office = [builder.people.person(address_codes=BENCH_COUNCIL.address_codes) for _ in range(3)]
    with transaction.atomic():
        builder.platform = builder.user("platform", office[2], is_superuser=True)
        council = builder.council(BENCH_COUNCIL)
        term = builder.term_and_sessions(council, BENCH_COUNCIL.term_number)
        builder.basic_bodies(council, [name for name, _ in tables.SECTORS])
        builder.named(SpecialCommittee, council, tables.SPECIAL_COMMITTEES)
        builder.named(MemberGroup, council, tables.CONTACT_GROUPS, kind=MemberGroupKind.CONTACT)
        admin = builder.user("bench_admin", office[0])
        builder.role(admin, council, Role.COUNCIL_ADMIN)
        staff = builder.user(BENCH_STAFF, office[1])
        builder.role(staff, council, Role.STAFF)
        actor = Actor(user=admin, council=council, roles=frozenset({Role.COUNCIL_ADMIN}))
        builder.seat(council, term, actor, plans)
    return builder.counts
