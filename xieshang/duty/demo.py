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
            # Last year's plenary session predates the platform: staff copy the paper sign-in sheet.
            draw = rng.random()
            if draw < 0.08:
                kind, points, text = (
                    DutyKind.PLENARY_ABSENT,
                    -30,
                    f"{last_year}年全会：未请假缺席（据纸质签到表补录）",
                )
            elif draw < 0.18:
                kind, points, text = (
                    DutyKind.PLENARY_EXCUSED,
                    6,
                    f"{last_year}年全会：请假（据纸质签到表补录）",
                )
            else:
                kind, points, text = (
                    DutyKind.PLENARY_PRESENT,
                    10,
                    f"{last_year}年全会：出席（据纸质签到表补录）",
                )
            actions.add_manual_record(
                member,
                actor=staff,
                kind=kind,
                points=points,
                occurred_on=dt.date(last_year, 1, 12),
                description=text,
                reviewer=reviewer,
            )
            counts.manual += 1
            for year, share in ((last_year, 0.6), (this_year, 0.15)):
                for _ in range(rng.choice((1, 2, 3)) if rng.random() < share else 0):
                    kind, points, text = rng.choice(OFFLINE_WORK)
                    occurred = dt.date(year, rng.randint(2, 11), rng.randint(1, 28))
                    if occurred > timezone.localdate():
                        occurred = timezone.localdate()
                    evidence = (
                        ContentFile(EVIDENCE_PDF, name="签到表扫描件.pdf")
                        if year == this_year and rng.random() < 0.3
                        else None
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
                    counts.manual += 1

    if not DutyAssessment.objects.filter(council=council, year=last_year).exists():
        assessment = actions.open_assessment(actor=staff, year=last_year)
        lines = list(DutyScore.objects.filter(assessment=assessment).order_by("score", "id"))
        adjustments = (
            (3, "牵头完成的调研报告获市委主要领导批示"),
            (2, "长期坚持联系界别群众，成效突出"),
        )
        for line, (points, reason) in zip(lines[-len(adjustments) :], adjustments, strict=False):
            actions.adjust_score(line, actor=staff, adjustment=points, reason=reason)
        actions.publish_assessment(assessment, actor=staff)
        counts.assessments.append(last_year)
    return counts
