"""Duty demo data for the demo city: this year's rules, rebuilt records,
offline records entered by staff, and last year's published assessment.

Safe to run again: each part is skipped when it is already there.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.utils import timezone

from xieshang.accounts.models import User
from xieshang.councils.models import Council, CouncilRole, Member, Role
from xieshang.councils.roles import Actor
from xieshang.duty import actions
from xieshang.duty.models import DutyAssessment, DutyRecord, DutyScore, ScoringRule
from xieshang.duty.scoring import DEFAULT_RULES
from xieshang.duty.states import DutyKind

DEMO_SLUG = "demo-city"

# Offline work staff record from paper: (kind, points, description).
OFFLINE_WORK = (
    (DutyKind.OFFLINE, 3, "参加“乡村振兴”专题调研，撰写调研报告"),
    (DutyKind.OFFLINE, 2, "参加市政府重点项目视察"),
    (DutyKind.ACTIVITY, 2, "参加委员活动日：走进社区听民意"),
    (DutyKind.ACTIVITY, 2, "参加界别小组协商座谈"),
    (DutyKind.SPEECH, 5, "在双周协商座谈会上作主题发言"),
    (DutyKind.SPEECH, 5, "在常委会专题议政会上发言"),
    (DutyKind.OFFLINE, 4, "牵头开展民主监督专项检查"),
    (DutyKind.OFFLINE, 2, "参加政协委员履职培训班"),
)

# A one-page PDF standing in for a scanned sign-in sheet.
EVIDENCE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass
class DutyDemoCounts:
    rules: int = 0
    automatic: int = 0
    manual: int = 0
    assessments: list[int] = field(default_factory=list)

    def __str__(self) -> str:
        published = ", ".join(str(y) for y in self.assessments) or "none"
        return (
            f"{self.rules} rules, {self.automatic} automatic records, {self.manual} offline records, "
            f"assessments published: {published}"
        )


def _actor(council: Council, role: str) -> Actor:
    row = CouncilRole.objects.filter(council=council, role=role).select_related("user").order_by("id").first()
    if row is None:
        raise RuntimeError(f"The demo city has no {role}: run seed_demo first.")
    return Actor(user=row.user, council=council, roles=frozenset({role}))


def seed_demo_duty(seed: int = 2026) -> DutyDemoCounts:
    """Fill the demo city's duty pages; return what was made this time."""
    council = Council.objects.filter(slug=DEMO_SLUG).first()
    if council is None:
        raise RuntimeError("No demo city: run seed_demo first.")
    staff = _actor(council, Role.STAFF)
    admin = _actor(council, Role.COUNCIL_ADMIN)
    reviewer_role = (
        CouncilRole.objects.filter(council=council, role=Role.LEADER).select_related("user").first()
    )
    reviewer = reviewer_role.user if reviewer_role is not None else staff.user
    this_year = timezone.localdate().year
    last_year = this_year - 1
    rng = random.Random(seed)
    counts = DutyDemoCounts()
    members = list(Member.objects.filter(council=council, is_active=True).order_by("id"))

    automatic_before = DutyRecord.objects.filter(council=council, is_manual=False).count()
    if not ScoringRule.objects.filter(council=council, year=this_year).exists():
        actions.save_rules(actor=admin, year=this_year, rules=DEFAULT_RULES)
        counts.rules = len(DEFAULT_RULES)
    for year in (last_year, this_year):
        actions.rebuild_duty_records(council, year)
    counts.automatic = DutyRecord.objects.filter(council=council, is_manual=False).count() - automatic_before

    if not DutyRecord.objects.filter(council=council, is_manual=True).exists():
        for member in members:
            counts.manual += _paper_records(rng, member, staff, reviewer, this_year)
    if not DutyAssessment.objects.filter(council=council, year=last_year).exists():
        _publish_assessment(staff, last_year)
        counts.assessments.append(last_year)
    return counts


# Last year's plenary attendance as the paper sign-in sheet has it:
# (share of members up to here, kind, points, wording).
PLENARY_SHEET = (
    (0.08, DutyKind.PLENARY_ABSENT, -30, "{year}年全会：未请假缺席（据纸质签到表补录）"),
    (0.18, DutyKind.PLENARY_EXCUSED, 6, "{year}年全会：请假（据纸质签到表补录）"),
    (1.0, DutyKind.PLENARY_PRESENT, 10, "{year}年全会：出席（据纸质签到表补录）"),
)


def _paper_records(rng: random.Random, member: Member, staff: Actor, reviewer: User, this_year: int) -> int:
    """Enter what staff copy from paper for member: last year's plenary
    (which predates the platform) and some offline work of both years;
    return how many records."""
    last_year = this_year - 1
    draw = rng.random()
    _share, kind, points, text = next(row for row in PLENARY_SHEET if draw < row[0])
    actions.add_manual_record(
        member,
        actor=staff,
        kind=kind,
        points=points,
        occurred_on=dt.date(last_year, 1, 12),
        description=text.format(year=last_year),
        reviewer=reviewer,
    )
    made = 1
    for year, share in ((last_year, 0.6), (this_year, 0.15)):
        for _ in range(rng.choice((1, 2, 3)) if rng.random() < share else 0):
            _offline_work(rng, member, staff, reviewer, year=year, with_evidence=year == this_year)
            made += 1
    return made


def _offline_work(
    rng: random.Random, member: Member, staff: Actor, reviewer: User, *, year: int, with_evidence: bool
) -> None:
    kind, points, text = rng.choice(OFFLINE_WORK)
    occurred = dt.date(year, rng.randint(2, 11), rng.randint(1, 28))
    if occurred > timezone.localdate():
        occurred = timezone.localdate()
    evidence = (
        ContentFile(EVIDENCE_PDF, name="签到表扫描件.pdf") if with_evidence and rng.random() < 0.3 else None
    )
    actions.add_manual_record(
        member,
        actor=staff,
        kind=kind,
        points=points,
        occurred_on=occurred,
        description=text,
        reviewer=reviewer,
        evidence=evidence,
    )


def _publish_assessment(staff: Actor, year: int) -> None:
    """Assess year, raise the two best scores for what the record cannot
    show, and publish it."""
    assessment = actions.open_assessment(actor=staff, year=year)
    lines = list(DutyScore.objects.filter(assessment=assessment).order_by("score", "id"))
    adjustments = (
        (3, "牵头完成的调研报告获市委主要领导批示"),
        (2, "长期坚持联系界别群众，成效突出"),
    )
    for line, (points, reason) in zip(lines[-len(adjustments) :], adjustments, strict=False):
        actions.adjust_score(line, actor=staff, adjustment=points, reason=reason)
    actions.publish_assessment(assessment, actor=staff)
