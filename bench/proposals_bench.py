"""Proposal search, the filtered staff list and the statistics page at 10,000
and 100,000 proposals, on a throwaway SQLite file (or DATABASE_URL's database
with --use-database-url).

    .venv/bin/python bench/proposals_bench.py [--sizes 10000 100000] [--queries 50] [--keep]

Steps: make a temporary directory with its own SQLite file and fresh keys
(nothing of your .env or var/ is used); migrate; create five councils with a
term of five yearly sessions (2022-2026), categories, sectors, affiliations,
30 handling units and 300 members each; then, for each size, add proposals
until the platform holds that many (40 % in the measured council 基准市政协,
the rest spread over the others; every year; realistic Chinese titles and
texts from theme tables; every status, with assignments, released replies and
ratings, and their search documents) and measure, in-process through Django's
test client as a leader of the measured council:

- search: --queries different queries (one to three words) on the search page,
  and the same queries through search_proposals() + count_proposals() alone;
- the filtered list: the staff proposal list filtered by status and category;
- the statistics page of 2026.

Prints p50 and p95 in milliseconds for each, and how each grows from the
first size to the last. Targets (issue 3): search p95 < 100 ms and the
statistics page < 500 ms at 100,000 proposals on SQLite.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import os
import random
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from proposal_texts import ASPECTS, PROBLEMS, QUERY_WORDS, SUGGESTIONS, TOPICS, VERBS

ROOT = Path(__file__).resolve().parent.parent
YEARS = (2022, 2023, 2024, 2025, 2026)
COUNCILS = 5
MEASURED_SHARE = 0.4


def environment(var_dir: Path, *, keep_database_url: bool) -> None:
    database_url = os.environ.get("DATABASE_URL") if keep_database_url else None
    for key in [k for k in os.environ if k.startswith("XIESHANG_")]:
        del os.environ[key]
    os.environ.pop("DATABASE_URL", None)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
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


class World:
    """The councils and what proposals refer to, created once."""

    def __init__(self) -> None:
        from django.db import transaction

        from xieshang.accounts.models import User
        from xieshang.councils.models import CouncilRole, Role

        self.rng = random.Random(2026)
        self.councils: list[Any] = []
        self.per_council: dict[int, dict[str, Any]] = {}
        with transaction.atomic():
            self.filer = User.objects.create(username="bench_filer", full_name="录入员")
            self.leader = User.objects.create(username="bench_leader", full_name="基准领导")
            parent = None
            for index in range(COUNCILS):
                council = self._council(index, parent)
                parent = parent or council
            CouncilRole.objects.create(user=self.leader, council=self.councils[0], role=Role.LEADER)
        self.count = 0

    def _council(self, index: int, parent: Any) -> Any:
        """A council with its term, a session a year, its lists, 30 units and
        300 members; remembered with what its proposals refer to."""
        from xieshang.councils.models import Council, Level, Session, Term
        from xieshang.proposals.actions.config import create_default_lists
        from xieshang.proposals.models import DeclineReason, ProposalCategory, ReplyCategory

        council = Council.objects.create(
            slug=f"bench-{index}",
            name="基准市政协" if index == 0 else f"基准县{index}政协",
            level=Level.CITY if index == 0 else Level.COUNTY,
            parent=parent,
        )
        term = Term.objects.create(
            council=council,
            number=14,
            starts_on=dt.date(2022, 1, 1),
            ends_on=dt.date(2026, 12, 31),
            is_current=True,
        )
        sessions = {
            year: Session.objects.create(
                council=council,
                term=term,
                number=number,
                year=year,
                opens_on=dt.date(year, 1, 10),
                closes_on=dt.date(year, 1, 14),
            )
            for number, year in enumerate(YEARS, start=1)
        }
        create_default_lists(council, user=None)
        units, members = self._people(council, term, index)
        self.councils.append(council)
        self.per_council[council.pk] = {
            "term": term,
            "sessions": sessions,
            "categories": list(ProposalCategory.objects.filter(council=council)),
            "reply_categories": list(ReplyCategory.objects.filter(council=council)),
            "decline_reason": DeclineReason.objects.filter(council=council).first(),
            "units": units,
            "members": members,
            "next_case": {year: 0 for year in YEARS},
        }
        return council

    @staticmethod
    def _people(council: Any, term: Any, index: int) -> tuple[list[Any], list[Any]]:
        """The council's sectors and affiliations; return its units and members."""
        from xieshang.councils.models import Affiliation, HandlingUnit, Member, Sector

        sectors = Sector.objects.bulk_create(
            [Sector(council=council, name=f"界别{n}", sort_order=n) for n in range(12)]
        )
        affiliations = Affiliation.objects.bulk_create(
            [Affiliation(council=council, name=f"党派{n}", sort_order=n) for n in range(10)]
        )
        units = HandlingUnit.objects.bulk_create(
            [HandlingUnit(council=council, name=f"承办单位{n:02d}", sort_order=n) for n in range(30)]
        )
        members = Member.objects.bulk_create(
            [
                Member(
                    council=council,
                    term=term,
                    full_name=f"委员{index}-{n:03d}",
                    gender="female" if n % 2 else "male",
                    sector=sectors[n % len(sectors)],
                    affiliation=affiliations[n % len(affiliations)],
                )
                for n in range(300)
            ]
        )
        return units, members

    def text(self, topic: str) -> tuple[str, str, str]:
        rng = self.rng
        situation = (
            f"近年来，我市{topic}工作取得积极进展，群众满意度逐步提高。"
            f"但调研发现，仍存在{rng.choice(PROBLEMS)}、{rng.choice(PROBLEMS)}等问题，"
            f"与人民群众对美好生活的期待还有差距。"
        )
        analysis = (
            f"究其原因，一是对{topic}的重视程度不够；二是{rng.choice(PROBLEMS)}；"
            f"三是缺乏长效机制，{rng.choice(ASPECTS)}有待加强。"
        )
        picks = rng.sample(SUGGESTIONS, 3)
        suggestions = f"一是{picks[0]}；二是{picks[1]}；三是{picks[2]}，切实提升{topic}水平。"
        return situation, analysis, suggestions

    def add(self, how_many: int) -> float:
        """Add how_many proposals with their rows and search documents; return seconds."""
        from django.db import transaction

        started = time.perf_counter()
        for start in range(0, how_many, 5000):
            batch = min(5000, how_many - start)
            with transaction.atomic():
                proposals = [self._proposal() for _n in range(batch)]
                self._save(proposals)
                replies = self._reply(self._assign(proposals))
                self._rate(replies)
                self._index(proposals, replies)
            self.count += batch
        return time.perf_counter() - started

    def _proposal(self) -> Any:
        """A proposal in a drawn council, year and status, not saved yet."""
        from django.utils import timezone

        from xieshang.proposals.models import Proposal
        from xieshang.proposals.states import ProposalStatus

        rng = self.rng
        council = self.councils[0] if rng.random() < MEASURED_SHARE else rng.choice(self.councils[1:])
        data = self.per_council[council.pk]
        year = rng.choice(YEARS)
        session = data["sessions"][year]
        status = rng.choice(STATUS_DRAW)
        if year == YEARS[-1] and status in ANSWERED and rng.random() < 0.5:
            status = ProposalStatus.ASSIGNED
        topic = rng.choice(TOPICS)
        title = f"关于{rng.choice(VERBS)}{topic}{rng.choice(ASPECTS)}的建议"
        situation, analysis, suggestions = self.text(topic)
        case_number = ""
        if status in NUMBERED:
            data["next_case"][year] += 1
            case_number = f"14-{session.number}-{data['next_case'][year]:05d}"
        submitted = dt.datetime(year, 1, rng.randint(2, 14), 9, 0, tzinfo=timezone.get_current_timezone())
        return Proposal(
            council=council,
            term=data["term"],
            session=session,
            lead_proposer=rng.choice(data["members"]),
            filed_by=self.filer,
            title=title,
            category=rng.choice(data["categories"]),
            situation=situation,
            analysis=analysis,
            suggestions=suggestions,
            status=status,
            case_number=case_number,
            submitted_at=submitted,
            accepted_at=submitted + dt.timedelta(days=20) if status in NUMBERED else None,
            is_key=status in NUMBERED and rng.random() < 0.015,
            decline_reason=data["decline_reason"] if status == ProposalStatus.DECLINED else None,
        )

    @staticmethod
    def _save(proposals: list[Any]) -> None:
        """Save the proposals; a merged one is merged into the first numbered
        proposal of its council (submitted when there is none)."""
        from xieshang.proposals.models import Proposal
        from xieshang.proposals.states import ProposalStatus

        Proposal.objects.bulk_create(
            [p for p in proposals if p.status != ProposalStatus.MERGED], batch_size=1000
        )
        targets: dict[int, Any] = {}
        for proposal in proposals:
            if proposal.pk and proposal.status in NUMBERED:
                targets.setdefault(proposal.council_id, proposal)
        merged = []
        for proposal in proposals:
            if proposal.status == ProposalStatus.MERGED:
                target = targets.get(proposal.council_id)
                if target is None:
                    proposal.status = ProposalStatus.SUBMITTED
                else:
                    proposal.merged_into = target
                merged.append(proposal)
        Proposal.objects.bulk_create(merged, batch_size=1000)

    def _assign(self, proposals: list[Any]) -> list[Any]:
        """A lead unit (and now and then an assisting one) for each proposal
        past acceptance; return the lead assignments that replied."""
        from xieshang.proposals.models import Assignment
        from xieshang.proposals.states import AssignmentRole, ProposalStatus

        assignments, replied = [], []
        for proposal in proposals:
            if proposal.status not in NUMBERED or proposal.status == ProposalStatus.ACCEPTED:
                continue
            year = proposal.session.year
            units = self.rng.sample(self.per_council[proposal.council_id]["units"], 2)
            roles = [AssignmentRole.LEAD]
            if self.rng.random() < 0.3:
                roles.append(AssignmentRole.ASSISTING)
            rows = [
                Assignment(
                    council_id=proposal.council_id,
                    proposal=proposal,
                    unit=unit,
                    role=role,
                    assigned_on=dt.date(year, 3, 2),
                    due_on=dt.date(year, 6, 2),
                    objection_due_on=dt.date(year, 3, 9),
                )
                for unit, role in zip(units, roles, strict=False)
            ]
            assignments.extend(rows)
            if proposal.status in ANSWERED:
                replied.append(rows[0])
        Assignment.objects.bulk_create(assignments, batch_size=1000)
        return replied

    def _reply(self, assignments: list[Any]) -> list[Any]:
        """A released reply for each assignment, one in ten late."""
        from django.utils import timezone

        from xieshang.proposals.models import Reply
        from xieshang.proposals.states import ReplyStatus

        rng, tz = self.rng, timezone.get_current_timezone()
        replies = []
        for assignment in assignments:
            data = self.per_council[assignment.council_id]
            late = rng.random() < 0.1
            released = dt.datetime.combine(
                assignment.due_on + dt.timedelta(days=rng.randint(1, 20) if late else -rng.randint(0, 40)),
                dt.time(10),
                tzinfo=tz,
            )
            replies.append(
                Reply(
                    council_id=assignment.council_id,
                    assignment=assignment,
                    category=rng.choice(data["reply_categories"]),
                    text=f"经研究，我单位高度重视，已将有关建议纳入年度工作计划，{rng.choice(SUGGESTIONS)}。",
                    signer="局长",
                    contact_person="科长",
                    status=ReplyStatus.RELEASED,
                    written_by=self.filer,
                    submitted_at=released,
                    released_at=released,
                )
            )
        Reply.objects.bulk_create(replies, batch_size=1000)
        return replies

    def _rate(self, replies: list[Any]) -> None:
        """The lead proposer's rating of each reply but those just released."""
        from xieshang.proposals.models import Feedback
        from xieshang.proposals.states import ProposalStatus

        feedback = [
            Feedback(
                council_id=reply.council_id,
                reply=reply,
                member_id=reply.assignment.proposal.lead_proposer_id,
                satisfaction=self.rng.choice(SATISFACTIONS),
            )
            for reply in replies
            if reply.assignment.proposal.status != ProposalStatus.RELEASED
        ]
        Feedback.objects.bulk_create(feedback, batch_size=1000)

    @staticmethod
    def _index(proposals: list[Any], replies: list[Any]) -> None:
        """The proposals' search documents, with their replies' text."""
        from django.contrib.contenttypes.models import ContentType

        from xieshang.core.models import SearchDocument
        from xieshang.core.text import rebuild_fts_rows, segment
        from xieshang.proposals.models import Proposal

        content_type = ContentType.objects.get_for_model(Proposal)
        reply_text = {reply.assignment.proposal_id: reply.text for reply in replies}
        documents = []
        for proposal in proposals:
            parts = (
                proposal.situation,
                proposal.analysis,
                proposal.suggestions,
                reply_text.get(proposal.pk, ""),
            )
            body = "\n".join(part for part in parts if part)
            documents.append(
                SearchDocument(
                    council_id=proposal.council_id,
                    content_type=content_type,
                    object_id=proposal.pk,
                    title=proposal.title,
                    body=body,
                    title_terms=segment(proposal.title),
                    body_terms=segment(body),
                )
            )
        SearchDocument.objects.bulk_create(documents, batch_size=1000)
        rebuild_fts_rows([document.pk for document in documents])


# How proposals are spread over the statuses (drawn from this list), which
# are numbered, which answered, and how replies are rated. Status values
# are written out: this module imports the apps only once Django is set up.
STATUS_DRAW = (
    ["submitted"] * 4
    + ["declined"] * 4
    + ["merged"] * 2
    + ["accepted"] * 5
    + ["assigned"] * 20
    + ["released"] * 15
    + ["rated"] * 15
    + ["concluded"] * 35
)
NUMBERED = {"accepted", "assigned", "released", "rated", "concluded"}
ANSWERED = {"released", "rated", "concluded"}
SATISFACTIONS = ["satisfied"] * 7 + ["basically_satisfied"] * 2 + ["dissatisfied"]


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return statistics.median(ordered), p95


def timed(action: Callable[[], Any], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def measure(world: World, queries: list[str]) -> dict[str, tuple[float, float, str]]:
    from django.test import Client

    from xieshang.councils.tenancy import build_actor
    from xieshang.proposals.search import SearchFilters, count_proposals, search_proposals

    council = world.councils[0]
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(world.leader)
    base = f"/c/{council.slug}/proposals"
    actor = build_actor(world.leader, council)
    assert actor is not None
    category = world.per_council[council.pk]["categories"][0]

    def get(url: str) -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: {response.status_code}")

    results: dict[str, tuple[float, float, str]] = {}
    get(f"{base}/search/?q=养老")  # warm up caches (dictionary, templates, content types)
    samples = [timed(lambda q=q: get(f"{base}/search/?q={q}"), 1)[0] for q in queries]
    results["search page"] = (*percentiles(samples), f"{len(queries)} queries")
    samples = [
        timed(
            lambda q=q: (
                search_proposals(actor, q, SearchFilters()),
                count_proposals(actor, q, SearchFilters()),
            ),
            1,
        )[0]
        for q in queries
    ]
    results["search (query functions)"] = (*percentiles(samples), f"{len(queries)} queries")
    get(f"{base}/search/?q=养老&year=2026&status=assigned")
    samples = [
        timed(lambda q=q: get(f"{base}/search/?q={q}&year=2025&category={category.pk}"), 1)[0]
        for q in queries
    ]
    results["search page + filters"] = (*percentiles(samples), f"{len(queries)} queries")
    list_url = f"{base}/review/?status=assigned&category={category.pk}"
    get(list_url)
    samples = timed(lambda: get(list_url), 20)
    results["filtered list"] = (*percentiles(samples), "20 requests")
    stats_url = f"{base}/statistics/?year=2026"
    get(stats_url)
    samples = timed(lambda: get(stats_url), 10)
    results["statistics page (2026)"] = (*percentiles(samples), "10 requests")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--use-database-url", action="store_true", help="use DATABASE_URL instead of SQLite")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    var_dir = Path(tempfile.mkdtemp(prefix="xieshang-proposals-bench-"))
    environment(var_dir, keep_database_url=args.use_database_url)
    failed = True
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        call_command("collectstatic", "--no-input", verbosity=0)
        world = World()
        elapsed = time.perf_counter() - started
        print(f"setup: {COUNCILS} councils, years {YEARS[0]}-{YEARS[-1]} in {elapsed:.1f} s")
        rng = random.Random(7)
        queries = []
        while len(queries) < args.queries:
            words = rng.sample(QUERY_WORDS, rng.choice((1, 1, 2)))
            if rng.random() < 0.2:
                words.append(rng.choice(ASPECTS))
            query = " ".join(words)
            if query not in queries:
                queries.append(query)
        table: dict[int, dict[str, tuple[float, float, str]]] = {}
        for size in sorted(args.sizes):
            seconds = world.add(size - world.count)
            if connection.vendor == "sqlite":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            print(f"{size:>7,} proposals generated ({seconds:.1f} s for this step)")
            table[size] = measure(world, queries)
        print()
        print(f"database: {connection.vendor}; measured council: 40 % of the proposals; times in ms")
        print(f"{'what':<28} {'proposals':>9} {'p50':>8} {'p95':>8}  samples")
        print("-" * 72)
        names = list(next(iter(table.values())))
        for name in names:
            for size, results in table.items():
                p50, p95, note = results[name]
                print(f"{name:<28} {size:>9,} {p50:>8.1f} {p95:>8.1f}  {note}")
        first, last = min(table), max(table)
        print()
        print(f"growth from {first:,} to {last:,} proposals (× {last / first:.0f} data): p95 ratio")
        for name in names:
            print(f"  {name:<28} × {table[last][name][1] / table[first][name][1]:.2f}")
        failed = False
    finally:
        if args.keep or failed:
            print(f"kept {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
