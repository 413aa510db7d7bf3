"""A year of democratic supervision for the demo city (slug demo-city), at
the scale the seed city publishes: 18 contact groups over 38 rivers and 47
streets in two campaigns, about 190 inspections; 144 supervisors in 16 groups
posted to 19 units, with about 240 recommendation letters, a few of them
overdue. Driven through the real actions, dated when things happened.

Run after seed_demo (which creates the council, its members, units and groups).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from xieshang.councils.actions.structure import create_body
from xieshang.councils.models import (
    Council,
    CouncilRole,
    HandlingUnit,
    Member,
    MemberGroup,
    MemberGroupKind,
    Role,
)
from xieshang.councils.roles import Actor
from xieshang.supervision import actions
from xieshang.supervision.models import (
    InspectionRound,
    Problem,
    SupervisionCampaign,
    SupervisionTarget,
    TargetAssignment,
    TargetKind,
)
from xieshang.supervision.queries import target_kinds

DEMO_SLUG = "demo-city"
CONTACT_GROUPS = 18
SUPERVISOR_GROUPS = 16
SUPERVISORS_PER_GROUP = 9
POSTED_UNITS = 19
INSPECTIONS = 190
LETTERS = 240
DISTRICTS = ("湖东区", "湖西区", "清溪区", "新城区", "高新区", "经开区")
RIVER_NAMES = tuple(
    [
        "东沙涌",
        "西河",
        "清溪",
        "柳河",
        "青龙港",
        "白沙河",
        "月湖",
        "南渠",
        "北渠",
        "小港",
        "新河",
        "长河",
        "桃溪",
        "杏溪",
        "金沙河",
        "银河沟",
        "石门溪",
        "大沟",
    ]
)
STREET_NAMES = tuple(
    [
        "人民路",
        "解放路",
        "中山路",
        "建设路",
        "和平街",
        "文化路",
        "胜利街",
        "新华路",
        "长江路",
        "黄河路",
        "湖滨路",
        "学府路",
        "滨江路",
        "朝阳路",
        "东风路",
        "友谊路",
    ]
)
FINDINGS = (
    "水体发黑发臭，岸边垃圾堆积。",
    "排污口有污水直排，周边有异味。",
    "河面漂浮物较多，保洁不到位。",
    "人行道占道经营，车辆乱停乱放。",
    "沿街店招破损，夜间照明不足。",
    "整改后水质明显改善，岸线整洁。",
)
PROBLEMS = ("排污口偷排", "岸线垃圾清运不及时", "占道经营反复", "窨井盖缺失", "绿化带缺株", "违规广告牌")
LETTER_TOPICS = (
    "窗口服务",
    "审批时限",
    "政务公开",
    "执法规范",
    "投诉处理",
    "群众满意度",
    "信息化建设",
    "队伍作风",
)


@dataclass
class _Scene:
    city: Council
    today: dt.date
    staff: Actor
    admin: Actor
    units: list[HandlingUnit]
    liaisons: dict[int, Actor]


def _actor(council: Council, row: CouncilRole) -> Actor:
    member = (
        Member.objects.filter(council=council, user=row.user).first() if row.role == Role.MEMBER else None
    )
    return Actor(
        user=row.user,
        council=council,
        roles=frozenset({row.role}),
        member=member,
        handling_unit_ids=frozenset({row.handling_unit_id}) if row.handling_unit_id else frozenset(),
    )


def _scene(city: Council) -> _Scene:
    roles = CouncilRole.objects.filter(council=city).select_related("user")
    staff = roles.filter(role=Role.STAFF).order_by("id").first()
    admin = roles.filter(role=Role.COUNCIL_ADMIN).order_by("id").first()
    if staff is None or admin is None:
        raise RuntimeError(f"{city.name} has no staff: run seed_demo first.")
    liaisons = {
        row.handling_unit_id: _actor(city, row)
        for row in roles.filter(role=Role.UNIT_LIAISON).order_by("id")
        if row.handling_unit_id is not None
    }
    units = [u for u in HandlingUnit.objects.filter(council=city).order_by("id") if u.pk in liaisons]
    return _Scene(city, timezone.localdate(), _actor(city, staff), _actor(city, admin), units, liaisons)


def _groups(rng: random.Random, scene: _Scene, kind: str, wanted: int, prefix: str) -> list[MemberGroup]:
    """The city's groups of kind, made up to wanted through the structure action."""
    groups = list(MemberGroup.objects.filter(council=scene.city, kind=kind).order_by("id"))
    for number in range(len(groups) + 1, wanted + 1):
        data = {"name": f"{prefix}{number}", "kind": kind}
        groups.append(create_body(MemberGroup, actor=scene.admin, data=data))
    return groups[:wanted]


def _fill(rng: random.Random, groups: list[MemberGroup], pool: list[Member], size: int) -> None:
    """Give each group exactly size members, drawn from pool without repeats."""
    available = [m for m in pool if not m.groups.filter(pk__in=[g.pk for g in groups]).exists()]
    rng.shuffle(available)
    for group in groups:
        have = list(group.members.filter(is_active=True))
        if len(have) > size:
            group.members.remove(*have[size:])
        while group.members.filter(is_active=True).count() < size and available:
            group.members.add(available.pop())


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(max((end - start).days, 1)))


def _campaign(
    rng: random.Random, scene: _Scene, title: str, kind: TargetKind, names: list[str], prefix: str
) -> SupervisionCampaign:
    year = scene.today.year
    campaign = actions.create_campaign(
        actor=scene.staff,
        data=actions.CampaignData(
            title,
            year,
            dt.date(year, 3, 1),
            dt.date(year, 12, 31),
            "围绕群众反映强烈的突出问题开展专项民主监督。",
        ),
    )
    targets = [
        actions.TargetData(
            code=f"{prefix}-{n:02d}",
            name=name,
            district=rng.choice(DISTRICTS),
            kind=kind,
            handling_unit=rng.choice(scene.units),
            latitude=Decimal(f"{30.20 + rng.uniform(-0.12, 0.12):.6f}"),
            longitude=Decimal(f"{120.15 + rng.uniform(-0.15, 0.15):.6f}"),
        )
        for n, name in enumerate(names, start=1)
    ]
    actions.add_targets(campaign, actor=scene.staff, targets=targets)
    for number in range(3):
        start = dt.date(year, 3 + 3 * number, 1)
        actions.add_round(
            campaign,
            actor=scene.staff,
            starts_on=start,
            ends_on=min(start + dt.timedelta(days=80), dt.date(year, 12, 31)),
        )
    return campaign


def _inspect(rng: random.Random, scene: _Scene, campaign: SupervisionCampaign, count: int) -> None:
    targets = list(SupervisionTarget.objects.filter(campaign=campaign).select_related("handling_unit"))
    assigned = {
        a.target_id: a.group
        for a in TargetAssignment.objects.filter(campaign=campaign).select_related("group")
    }
    rounds = list(InspectionRound.objects.filter(campaign=campaign))
    last = min(scene.today - dt.timedelta(days=3), campaign.ends_on)
    for n in range(count):
        target = targets[n % len(targets)]
        day = _day(rng, campaign.starts_on, last)
        members = list(assigned[target.pk].members.filter(is_active=True)[:6])
        problems = [
            actions.ProblemData(rng.choice(PROBLEMS), target.handling_unit)
            for _ in range(rng.choice((0, 1, 1, 2)))
        ]
        actions.record_inspection(
            campaign,
            actor=scene.staff,
            data=actions.InspectionData(
                target=target,
                inspected_on=day,
                is_unannounced=rng.random() < 0.35,
                participants=rng.sample(members, k=min(len(members), rng.randint(2, 4))),
                findings=rng.choice(FINDINGS),
                problems=problems,
                round=next((r for r in rounds if r.starts_on <= day <= r.ends_on), None),
            ),
            today=scene.today,
        )


def _recommend(rng: random.Random, scene: _Scene, campaign: SupervisionCampaign) -> None:
    by_unit: dict[int, list[Problem]] = {}
    for problem in Problem.objects.filter(inspection__campaign=campaign).select_related(
        "inspection", "handling_unit"
    ):
        by_unit.setdefault(problem.handling_unit_id, []).append(problem)
    for problems in by_unit.values():
        unit = problems[0].handling_unit
        sent = max(p.inspection.inspected_on for p in problems) + dt.timedelta(days=3)
        sent = min(sent, scene.today)
        row = actions.send_recommendation(
            campaign,
            actor=scene.staff,
            handling_unit=unit,
            title=f"关于{unit.short_name or unit.name}整改{campaign.title[:8]}问题的建议",
            text="针对视察发现的问题，建议逐项建立整改台账，明确责任人和完成时限。",
            problems=problems,
            today=sent,
        )
        liaison = scene.liaisons.get(unit.pk)
        if liaison is None or rng.random() < 0.15:
            continue
        answered = min(sent + dt.timedelta(days=rng.randint(5, 25)), scene.today)
        actions.reply_recommendation(
            row, actor=liaison, text="已制定整改方案，正在逐项落实。", today=answered
        )
        if rng.random() < 0.7:
            actions.resolve_recommendation(row, actor=scene.staff, today=scene.today)


def _resident(rng: random.Random, scene: _Scene, groups: list[MemberGroup]) -> None:
    year = scene.today.year
    units = scene.units[:POSTED_UNITS]
    postings = []
    for n, unit in enumerate(units):
        group = groups[n % len(groups)]
        leader = group.members.filter(is_active=True).order_by("id").first()
        postings.append(
            actions.post_group(
                actor=scene.staff,
                data=actions.PostingData(group, unit, leader, dt.date(year, 1, 1), dt.date(year + 1, 12, 31)),
            )
        )
    for posting in postings:
        members = list(posting.group.members.filter(is_active=True))
        for _ in range(4):
            actions.record_activity(
                posting,
                actor=scene.staff,
                kind=rng.choice(("visit", "symposium", "unannounced_check", "unit_meeting")),
                held_on=_day(rng, dt.date(year, 1, 15), scene.today),
                participants=rng.sample(members, k=min(len(members), 3)),
                outcome="了解单位工作情况，反馈群众意见。",
                today=scene.today,
            )
    issued_days = sorted(
        _day(rng, dt.date(year, 1, 20), scene.today - dt.timedelta(days=2)) for _ in range(LETTERS)
    )
    for n, issued in enumerate(issued_days):
        posting = postings[n % len(postings)]
        letter = actions.issue_letter(
            posting,
            actor=scene.staff,
            title=f"关于改进{rng.choice(LETTER_TOPICS)}工作的建议",
            text="派驻监督小组在走访和座谈中了解到以下情况，建议认真研究改进。",
            today=issued,
        )
        liaison = scene.liaisons.get(posting.handling_unit_id)
        waited = (scene.today - issued).days
        # Most letters are answered, a few late; the recent ones are still open,
        # and a few old ones have no answer (overdue).
        if liaison is None or waited < 20 or rng.random() < 0.03:
            continue
        answered = issued + dt.timedelta(
            days=rng.randint(10, 26) if rng.random() < 0.9 else rng.randint(31, 45)
        )
        actions.answer_letter(
            letter, actor=liaison, text="已研究并制定改进措施，具体如下。", today=min(answered, scene.today)
        )
        if rng.random() < 0.08:
            actions.return_letter(letter, actor=scene.staff, reason="答复未写明落实时限。")
            actions.answer_letter(
                letter, actor=liaison, text="补充落实时限：本季度内完成。", today=scene.today
            )
        elif rng.random() < 0.6:
            actions.close_letter(letter, actor=scene.staff)


def seed_demo_supervision(seed: int = 2026) -> int:
    """Create the demo city's year of democratic supervision; return how many
    inspections were made (0 when the city already has campaigns)."""
    city = Council.objects.filter(slug=DEMO_SLUG).first()
    if city is None:
        raise RuntimeError("There is no demo city: run seed_demo first.")
    if SupervisionCampaign.objects.filter(council=city).exists():
        return 0
    rng = random.Random(seed)
    scene = _scene(city)
    with transaction.atomic():
        actions.create_default_target_kinds(city, user=scene.admin.user)
        kinds = {k.name: k for k in target_kinds(city)}
        river, street = list(kinds.values())[:2]
        pool = list(Member.objects.filter(council=city, is_active=True).order_by("id"))
        contact = _groups(rng, scene, MemberGroupKind.CONTACT, CONTACT_GROUPS, "委员联系小组")
        supervisors = _groups(rng, scene, MemberGroupKind.SUPERVISORS, SUPERVISOR_GROUPS, "民主监督小组")
        _fill(rng, supervisors, pool, SUPERVISORS_PER_GROUP)
        _fill(rng, contact, pool, 8)
        rivers = _campaign(
            rng,
            scene,
            "黑臭水体治理专项民主监督",
            river,
            [f"{RIVER_NAMES[n % 18]}{'' if n < 18 else n // 18 + 1}段" for n in range(38)],
            "HC",
        )
        streets = _campaign(
            rng,
            scene,
            "城市街道精细化管理专项民主监督",
            street,
            [f"{STREET_NAMES[n % 16]}{n // 16 + 1}段" for n in range(47)],
            "JD",
        )
        for campaign in (rivers, streets):
            targets = list(SupervisionTarget.objects.filter(campaign=campaign).order_by("id"))
            for n, group in enumerate(contact):
                chosen = targets[n :: len(contact)]
                if chosen:
                    actions.assign_groups(campaign, actor=scene.staff, group=group, targets=chosen)
        _inspect(rng, scene, rivers, INSPECTIONS * 38 // 85)
        _inspect(rng, scene, streets, INSPECTIONS - INSPECTIONS * 38 // 85)
        for campaign in (rivers, streets):
            _recommend(rng, scene, campaign)
            actions.issue_special_report(
                campaign,
                actor=scene.staff,
                title=f"{campaign.title}情况报告",
                period_start=campaign.starts_on,
                period_end=scene.today,
                summary="现将专项民主监督开展情况报告如下。",
                today=scene.today,
            )
        _resident(rng, scene, supervisors)
        actions.remind_and_flag(today=scene.today)
    return INSPECTIONS
