"""A year of meetings for the demo city (明湖市政协, slug demo-city): the
plenary sessions of the term with three sittings each, standing-committee
meetings every two months, monthly chair meetings, secretary-general,
special-committee and sector-group meetings, member activity days and a
training; attendance with leave (mostly approved), absences and partial
attendance, a few members absent often enough to be flagged; and two
meetings still to come. Driven through the real actions; the history is then
moved back to when it would have happened.

Run after seed_demo (which creates the council and its people).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from xieshang.core.models import Event, Notification
from xieshang.councils.models import (
    Council,
    CouncilRole,
    Member,
    Role,
    Sector,
    Session,
    SpecialCommittee,
    Term,
)
from xieshang.councils.roles import Actor
from xieshang.meetings.actions import check_in, leave
from xieshang.meetings.actions import meetings as organise
from xieshang.meetings.actions.meetings import InviteeChoice, MeetingDetails, SittingPlan
from xieshang.meetings.models import Meeting
from xieshang.meetings.states import EventType, MeetingKind

DEMO_SLUG = "demo-city"
YEAR = 2026

LEAVE_REASONS = (
    "赴外地参加省里组织的专题培训",
    "单位有重要接待任务",
    "因病住院治疗",
    "带队赴外地招商考察",
    "参加全国性行业会议",
    "家中有急事需要处理",
)
REFUSAL_NOTE = "本次会议审议重要事项，请尽量安排出席"

AGENDAS: dict[str, str] = {
    MeetingKind.STANDING_COMMITTEE: (
        "一、传达学习有关会议精神\n二、审议有关人事事项\n三、围绕年度重点工作开展专题议政"
    ),
    MeetingKind.CHAIR_MEETING: "一、听取有关部门情况通报\n二、研究近期重点工作安排\n三、审议有关文件",
    MeetingKind.SECRETARY_GENERAL_MEETING: "一、研究机关近期工作\n二、协调各专委会工作安排",
    MeetingKind.SPECIAL_COMMITTEE: "一、研究提案督办工作\n二、讨论专题调研方案",
    MeetingKind.SECTOR_GROUP: "一、界别委员交流履职情况\n二、讨论界别集体提案选题",
    MeetingKind.MEMBER_DAY: "一、走进社区开展协商议事\n二、听取群众意见建议",
    MeetingKind.TRAINING: "一、专题辅导报告\n二、分组交流研讨",
}


@dataclass(frozen=True)
class Cast:
    council: Council
    term: Term
    staff: Actor
    leader: Actor | None
    members: list[Member]
    standing: list[Member]
    often_absent: frozenset[int]


def _at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _member_actor(cast: Cast, member: Member) -> Actor:
    return Actor(
        user=member.user or cast.staff.user,
        council=cast.council,
        roles=frozenset({Role.MEMBER}),
        member=member,
    )


def _cast(council: Council, rng: random.Random) -> Cast:
    term = Term.objects.get(council=council, is_current=True)
    staff_role = CouncilRole.objects.filter(council=council, role=Role.STAFF).select_related("user").first()
    if staff_role is None:
        raise RuntimeError("The demo city has no staff: run seed_demo first.")
    leader_role = CouncilRole.objects.filter(council=council, role=Role.LEADER).select_related("user").first()
    members = list(Member.objects.filter(council=council, term=term, is_active=True).order_by("id"))
    if not members:
        raise RuntimeError("The demo city has no members: run seed_demo first.")
    standing = [m for m in members if m.is_standing_committee_member]
    # Two members and two standing-committee members miss meetings often.
    often = rng.sample(members, 2) + rng.sample(standing, min(2, len(standing)))
    return Cast(
        council=council,
        term=term,
        staff=Actor(user=staff_role.user, council=council, roles=frozenset({Role.STAFF})),
        leader=(
            Actor(user=leader_role.user, council=council, roles=frozenset({Role.LEADER}))
            if leader_role is not None
            else None
        ),
        members=members,
        standing=standing,
        often_absent=frozenset(m.pk for m in often),
    )


def _create(
    cast: Cast,
    kind: str,
    title: str,
    place: str,
    sittings: list[tuple[dt.datetime, dt.datetime, str]],
    choice: InviteeChoice,
    **bodies: object,
) -> Meeting:
    details = MeetingDetails(
        kind=kind,
        title=title,
        place=place,
        starts_at=sittings[0][0],
        ends_at=sittings[-1][1],
        agenda=AGENDAS.get(kind, ""),
        sittings=tuple(SittingPlan(start, end, name) for start, end, name in sittings)
        if len(sittings) > 1
        else (),
        **bodies,  # type: ignore[arg-type]
    )
    meeting = organise.create_meeting(actor=cast.staff, details=details, publish=True)
    organise.set_invitees(meeting, actor=cast.staff, choice=choice)
    if kind in (MeetingKind.SPECIAL_COMMITTEE, MeetingKind.CHAIR_MEETING, MeetingKind.STANDING_COMMITTEE):
        organise.add_guest(
            meeting, actor=cast.staff, full_name="陈志明", organisation="市发展和改革委员会", title="主任"
        )
    return meeting


def _attend(cast: Cast, rng: random.Random, meeting: Meeting) -> None:
    """Leave, check-ins (some late, some partial), then close."""
    sittings = list(meeting.sittings.order_by("number"))
    before = meeting.starts_at - dt.timedelta(days=2)
    invited = [i.member for i in meeting.invitations.select_related("member__user")]
    for member in invited:
        roll = rng.random()
        if member.pk in cast.often_absent and (
            meeting.kind in (MeetingKind.PLENARY, MeetingKind.STANDING_COMMITTEE) or roll < 0.5
        ):
            continue  # absent without leave, often enough to be flagged
        if roll < 0.07:
            request = leave.request_leave(
                meeting, actor=_member_actor(cast, member), reason=rng.choice(LEAVE_REASONS), now=before
            )
            decider = cast.leader if cast.leader is not None and rng.random() < 0.3 else cast.staff
            approve = rng.random() < 0.9
            leave.decide_leave(request, actor=decider, approve=approve, note="" if approve else REFUSAL_NOTE)
            if approve:
                continue
        if roll > 0.97:
            continue  # absent without leave
        attended = sittings
        if len(sittings) > 1 and 0.92 < roll <= 0.97:
            attended = sittings[:1]  # came to the opening only: partial
        for sitting in attended:
            late = rng.random() < 0.04
            minutes = rng.randint(16, 40) if late else rng.randint(-25, 0)
            row = check_in.check_in_by_staff(
                sitting,
                actor=cast.staff,
                member=member,
                now=sitting.starts_at + dt.timedelta(minutes=minutes),
                is_late=late,
            )
            if rng.random() < 0.02:
                check_in.mark_check_in(row, actor=cast.staff, is_late=late, left_early=True)
    organise.close_meeting(meeting, actor=cast.staff, now=meeting.ends_at)


def _plenaries(cast: Cast, rng: random.Random) -> list[Meeting]:
    made = []
    for session in Session.objects.filter(term=cast.term).order_by("number"):
        if session.year < 2024:
            continue
        day = session.opens_on
        sittings = [
            (_at(day, 9), _at(day, 11, 30), "开幕大会"),
            (_at(day + dt.timedelta(days=1), 9), _at(day + dt.timedelta(days=1), 11, 30), "大会发言"),
            (_at(session.closes_on, 9), _at(session.closes_on, 11), "闭幕大会"),
        ]
        meeting = _create(
            cast,
            MeetingKind.PLENARY,
            f"政协明湖市第{cast.term.number}届委员会第{session.number}次会议",
            "明湖市会议中心大礼堂",
            sittings,
            InviteeChoice(all_members=True),
            session=session,
        )
        made.append(meeting)
    return made


def _one_sitting(
    day: dt.date, hours: tuple[int, int] = (9, 11)
) -> list[tuple[dt.datetime, dt.datetime, str]]:
    return [(_at(day, hours[0]), _at(day, hours[1]), "")]


def _year(cast: Cast) -> list[Meeting]:
    """The year's meetings, all held: the council's leading bodies, its
    committees, sectors and member days, and the members' training."""
    return [*_leading_meetings(cast), *_group_meetings(cast), _training(cast)]


def _leading_meetings(cast: Cast) -> list[Meeting]:
    """Standing committee, chair and secretary-general meetings."""
    made = []
    chair_group = InviteeChoice(members=cast.standing[:9])
    for number, month in enumerate((2, 4, 6, 8, 10), start=1):
        made.append(
            _create(
                cast,
                MeetingKind.STANDING_COMMITTEE,
                f"政协明湖市第{cast.term.number}届委员会常务委员会第{number + 14}次会议",
                "市政协机关三楼常委会议室",
                _one_sitting(dt.date(YEAR, month, 20), (9, 12)),
                InviteeChoice(standing_committee=True),
            )
        )
    for month in range(1, 12):
        made.append(
            _create(
                cast,
                MeetingKind.CHAIR_MEETING,
                f"{YEAR}年第{month}次主席会议",
                "市政协机关二楼会议室",
                _one_sitting(dt.date(YEAR, month, 12), (15, 17)),
                chair_group,
            )
        )
    for month in (3, 9):
        made.append(
            _create(
                cast,
                MeetingKind.SECRETARY_GENERAL_MEETING,
                f"{YEAR}年第{1 if month == 3 else 2}次秘书长会议",
                "市政协机关二楼会议室",
                _one_sitting(dt.date(YEAR, month, 5), (9, 10)),
                InviteeChoice(members=cast.standing[:5]),
            )
        )
    return made


def _group_meetings(cast: Cast) -> list[Meeting]:
    """A special committee's plenaries, sector groups and member days."""
    made = []
    committee = SpecialCommittee.objects.filter(council=cast.council).order_by("sort_order", "name").first()
    if committee is not None:
        for month in (5, 11):
            made.append(
                _create(
                    cast,
                    MeetingKind.SPECIAL_COMMITTEE,
                    f"{committee.name}{YEAR}年{'上' if month == 5 else '下'}半年全体会议",
                    "市政协机关四楼会议室",
                    _one_sitting(dt.date(YEAR, month, 8), (14, 16)),
                    InviteeChoice(committees=[committee]),
                    special_committee=committee,
                )
            )
    sectors = list(Sector.objects.filter(council=cast.council).order_by("sort_order", "name")[:4])
    for index, sector in enumerate(sectors[:2]):
        made.append(
            _create(
                cast,
                MeetingKind.SECTOR_GROUP,
                f"{sector.name}界别小组{YEAR}年度活动",
                "明湖市委员之家",
                _one_sitting(dt.date(YEAR, 4 + index * 3, 16), (14, 17)),
                InviteeChoice(sectors=[sector]),
                sector=sector,
            )
        )
    for quarter, (month, topic) in enumerate(
        ((3, "社区养老"), (6, "河湖治理"), (9, "营商环境"), (11, "乡村振兴"))
    ):
        made.append(
            _create(
                cast,
                MeetingKind.MEMBER_DAY,
                f"委员活动日：{topic}专题协商",
                "明湖市委员之家",
                _one_sitting(dt.date(YEAR, month, 25), (9, 11)),
                InviteeChoice(
                    sectors=sectors[quarter % len(sectors) : quarter % len(sectors) + 1] if sectors else []
                ),
            )
        )
    return made


def _training(cast: Cast) -> Meeting:
    return _create(
        cast,
        MeetingKind.TRAINING,
        f"{YEAR}年委员履职能力培训班",
        "明湖市委党校报告厅",
        [
            (_at(dt.date(YEAR, 7, 14), 9), _at(dt.date(YEAR, 7, 14), 12), "专题辅导"),
            (_at(dt.date(YEAR, 7, 15), 9), _at(dt.date(YEAR, 7, 15), 12), "分组研讨"),
        ],
        InviteeChoice(all_members=True),
    )


def _upcoming(cast: Cast) -> list[Meeting]:
    """Two meetings still to come (the work lists and the check-in screen)."""
    today = timezone.localdate()
    standing = _create(
        cast,
        MeetingKind.STANDING_COMMITTEE,
        f"政协明湖市第{cast.term.number}届委员会常务委员会第20次会议",
        "市政协机关三楼常委会议室",
        _one_sitting(today + dt.timedelta(days=7), (9, 12)),
        InviteeChoice(standing_committee=True),
    )
    day = _create(
        cast,
        MeetingKind.MEMBER_DAY,
        "委员活动日：年终履职交流",
        "明湖市委员之家",
        _one_sitting(today + dt.timedelta(days=12), (14, 16)),
        InviteeChoice(all_members=True),
    )
    return [standing, day]


def _backdate(meetings: list[Meeting]) -> None:
    """Move each closed meeting's history to the days it happened."""
    meeting_type = ContentType.objects.get_for_model(Meeting)
    for meeting in meetings:
        before = meeting.starts_at - dt.timedelta(days=10)
        after = meeting.ends_at + dt.timedelta(hours=1)
        events = Event.objects.filter(content_type=meeting_type, object_id=meeting.pk)
        events.filter(type__in=(EventType.CREATED, EventType.PUBLISHED, EventType.INVITEES_CHANGED)).update(
            created_at=before
        )
        events.filter(type__in=(EventType.LEAVE_REQUESTED,)).update(
            created_at=meeting.starts_at - dt.timedelta(days=2)
        )
        events.filter(type__in=(EventType.LEAVE_APPROVED, EventType.LEAVE_REFUSED)).update(
            created_at=meeting.starts_at - dt.timedelta(days=1)
        )
        events.filter(type__in=(EventType.CLOSED, EventType.ATTENDANCE_CORRECTED)).update(created_at=after)
        events.filter(type=EventType.CHECKED_IN).update(created_at=meeting.starts_at)
        Meeting.objects.filter(pk=meeting.pk).update(created_at=before, updated_at=after)
        meeting.leave_requests.update(
            requested_at=meeting.starts_at - dt.timedelta(days=2),
            decided_at=meeting.starts_at - dt.timedelta(days=1),
        )


@transaction.atomic
def seed_demo_meetings(seed: int = 2026) -> int:
    """Create the demo city's meetings; return how many were made (0 when the
    council already has meetings)."""
    council = Council.objects.filter(slug=DEMO_SLUG).first()
    if council is None:
        raise RuntimeError("No demo city: run seed_demo first.")
    if Meeting.objects.filter(council=council).exists():
        return 0
    started = timezone.now()
    rng = random.Random(seed)
    cast = _cast(council, rng)
    held = _plenaries(cast, rng) + _year(cast)
    for meeting in held:
        _attend(cast, rng, meeting)
    _backdate(held)
    # The year's messages were read long ago; the coming meetings' are new.
    Notification.objects.filter(council=council, created_at__gte=started, kind__startswith="meeting.").update(
        read_at=timezone.now()
    )
    upcoming = _upcoming(cast)
    return len(held) + len(upcoming)
