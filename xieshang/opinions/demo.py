"""A year of opinion reports for the demo city (明湖市政协, slug demo-city):
reports in every status over recurring themes, staff edits, twelve bulletin
issues, forwardings to the city's party committee and government and up to
the province (江南省政协), the province's decisions and forwardings, and
leaders' instructions at city, province and national level. Driven through
the real actions; dates are then moved back to when things happened.

Run after seed_demo (which creates the councils, their people and offices).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from xieshang.core.models import Event, Notification
from xieshang.councils.models import Council, CouncilRole, Member, OversightKind, OversightOffice, Role
from xieshang.councils.roles import Actor
from xieshang.opinions.actions import bulletin, filing, forwarding, review
from xieshang.opinions.models import BulletinIssue, Forwarding, OpinionReport
from xieshang.opinions.states import AuthorKind, ReportStatus
from xieshang.themes.demo import tag_by_title

DEMO_SLUG = "demo-city"
PROVINCE_SLUG = "province"
YEAR = 2026

THEMES = (
    (
        "老旧小区加装电梯",
        "加装电梯意愿强烈但推进缓慢，低楼层住户意见分歧大",
        "审批环节多、资金分摊机制不健全、后期维保责任不清",
        "简化审批流程，设立市级补助资金，明确维保主体",
    ),
    (
        "农村生活污水治理",
        "部分行政村污水设施建而不用、运维缺位",
        "运维经费未纳入预算，村级缺乏专业力量",
        "建立县级统一运维机制，将运维经费列入财政预算",
    ),
    (
        "中小学课后服务",
        "课后服务内容单一，家长满意度不高",
        "师资不足、经费补助标准偏低",
        "引入社会优质资源，提高课后服务补助标准",
    ),
    (
        "社区养老服务",
        "社区养老服务站点覆盖不足，服务项目少",
        "运营补贴不足，专业护理人员缺口大",
        "加大运营补贴，推进医养结合，培养专业护理队伍",
    ),
    (
        "电动自行车充电安全",
        "小区电动自行车入户充电、飞线充电现象突出",
        "集中充电设施不足，收费标准不统一",
        "加快建设集中充电设施，统一收费标准，加强执法检查",
    ),
    (
        "基层医疗服务能力",
        "乡镇卫生院专业人才流失，群众就医仍向城区集中",
        "待遇偏低、职称晋升通道窄",
        "落实基层医务人员待遇，推进县域医共体建设",
    ),
    (
        "农产品冷链物流",
        "农产品产后损耗大，冷链设施短缺",
        "冷库布局不合理，冷链运输成本高",
        "统筹布局产地冷库，培育冷链物流龙头企业",
    ),
    (
        "城市停车难",
        "老城区停车位缺口大，违停现象普遍",
        "公共停车设施建设滞后，错峰共享机制缺失",
        "挖潜建设公共停车场，推行机关单位车位错时共享",
    ),
    (
        "青年人才安居",
        "青年人才租房成本高，留才难",
        "保障性租赁住房供给不足",
        "加快筹建保障性租赁住房，完善人才安居补贴",
    ),
    (
        "非遗传承保护",
        "部分非遗项目后继乏人",
        "传承人老龄化，市场转化能力弱",
        "建立传承人培养补贴，推动非遗进校园、进景区",
    ),
    (
        "河湖长制落实",
        "部分河道岸线乱占乱建问题反弹",
        "巡河发现问题整改闭环不到位",
        "强化河湖长履职考核，建立问题整改销号制度",
    ),
    (
        "预制菜产业发展",
        "本地预制菜企业规模小、标准不统一",
        "缺乏行业标准和检测平台",
        "制定地方标准，建设公共检测服务平台",
    ),
)
TITLE_FORMS = ("关于推进{s}的建议", "关于{s}问题的反映", "关于加强{s}工作的建议", "{s}亟待破解")
DECLINE_REASONS = (
    "与已采用信息内容重复",
    "反映问题已在解决中",
    "建议缺乏可操作性",
    "属于个案诉求，建议通过信访渠道反映",
)
CITY_LEADERS = (("王建国", "市委书记", "city"), ("陈晓明", "市长", "city"), ("刘芳", "副市长", "city"))
PROVINCE_LEADERS = (("张宏伟", "省委副书记", "province"), ("李红", "副省长", "province"))
NATIONAL_LEADERS = (("赵志远", "全国政协副主席", "national"),)
INSTRUCTION_TEXTS = (
    "请有关部门认真研究，提出具体落实意见。",
    "此件反映的问题具有普遍性，请牵头单位会同相关部门抓紧研究解决。",
    "所提建议很有价值，请结合年度重点工作统筹推进。",
    "请按职责分工研究办理，并将办理情况报告。",
)
# How many reports of the year end in each state (the rest of the story
# is decided per report below).
PLAN = (
    (ReportStatus.DRAFT, 6),
    (ReportStatus.SUBMITTED, 14),
    (ReportStatus.DECLINED, 22),
    (ReportStatus.ADOPTED, 30),
    (ReportStatus.PUBLISHED, 72),
)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _member_actor(council: Council, member: Member, fallback: Actor) -> Actor:
    # Members without a login: the office enters their reports for them.
    return Actor(
        user=member.user or fallback.user, council=council, roles=frozenset({Role.MEMBER}), member=member
    )


def _office_actor(council: Council, office: OversightOffice, fallback: Actor) -> Actor:
    role = CouncilRole.objects.filter(council=council, oversight_office=office).select_related("user").first()
    user = role.user if role is not None else fallback.user
    return Actor(
        user=user,
        council=council,
        roles=frozenset({Role.OVERSIGHT}),
        oversight_office_ids=frozenset({office.pk}),
    )


def _staff(council: Council) -> Actor:
    role = CouncilRole.objects.filter(council=council, role=Role.STAFF).select_related("user").first()
    if role is None:
        raise RuntimeError(f"{council.name} has no staff: run seed_demo first.")
    return Actor(user=role.user, council=council, roles=frozenset({Role.STAFF}))


def _content(rng: random.Random, member: Member, theme: tuple[str, str, str, str]) -> filing.ReportContent:
    subject, problem, analysis, suggestion = theme
    by_sector = member.sector_id is not None and rng.random() < 0.12
    return filing.ReportContent(
        title=rng.choice(TITLE_FORMS).format(s=subject),
        problem=f"近期调研发现，{problem}。群众反映较为集中，影响民生改善。",
        analysis=f"究其原因，主要是{analysis}。",
        suggestion=f"建议：{suggestion}。",
        author_kind=AuthorKind.SECTOR if by_sector else AuthorKind.MEMBER,
        body_id=member.sector_id if by_sector else None,
    )


@dataclass
class _Year:
    """The demo year of opinion reports while it is made."""

    city: Council
    province: Council
    today: dt.date
    city_staff: Actor
    province_staff: Actor
    members: list[Member]
    city_offices: list[OversightOffice]
    province_office: OversightOffice
    # Each report's filing day; the adopted reports, and those printed.
    dates: dict[int, dt.date] = field(default_factory=dict)
    adopted: list[OpinionReport] = field(default_factory=list)
    published_ids: set[int] = field(default_factory=set)


@transaction.atomic
def seed_demo_opinions(seed: int = 2026) -> int:
    """Create the demo city's year of opinion reports; return how many were
    made (0 when the city already has reports, so running again is safe)."""
    city = Council.objects.filter(slug=DEMO_SLUG).first()
    province = Council.objects.filter(slug=PROVINCE_SLUG).first()
    if city is None or province is None:
        raise RuntimeError("No demo city or province: run seed_demo first.")
    if OpinionReport.objects.filter(council=city).exists():
        return 0
    started = timezone.now()
    rng = random.Random(seed)
    year = _year(city, province, timezone.localdate())
    finals = [status for status, count in PLAN for _ in range(count)]
    rng.shuffle(finals)
    _file_all(rng, year, finals)
    _publish_bulletins(year)
    # Forward about two thirds to the city's offices, a third up to the province.
    for index, report in enumerate(year.adopted):
        report.refresh_from_db()
        if index % 3 != 2 and year.city_offices:
            _forward_in_city(rng, year, index, report)
        if index % 3 == 0:
            _forward_upward(rng, year, index, report)
    _backdate(city, year.dates, year.today)
    filed = OpinionReport.objects.filter(council=city).exclude(status=ReportStatus.DRAFT)
    tag_by_title(filed, year_of=lambda report: report.year, staff=year.city_staff)
    Notification.objects.filter(created_at__gte=started, kind__startswith="opinion.").update(
        read_at=timezone.now()
    )
    return len(finals)


def _year(city: Council, province: Council, today: dt.date) -> _Year:
    city_staff, province_staff = _staff(city), _staff(province)
    members = list(Member.objects.filter(council=city, term__is_current=True, is_active=True).order_by("id"))
    if not members:
        raise RuntimeError("The demo city has no members: run seed_demo first.")
    province_office, _new = OversightOffice.objects.get_or_create(
        council=province, name="中共江南省委办公厅", defaults={"kind": OversightKind.PARTY_COMMITTEE}
    )
    return _Year(
        city=city,
        province=province,
        today=today,
        city_staff=city_staff,
        province_staff=province_staff,
        members=members,
        city_offices=list(OversightOffice.objects.filter(council=city).order_by("id")),
        province_office=province_office,
    )


def _file_all(rng: random.Random, year: _Year, finals: Sequence[str]) -> None:
    """File a report for each final status, spread over the year; staff
    edit some, and decline or adopt them as their final status says."""
    # Logged-in members get a few reports each, so their pages are not empty.
    with_login = [m for m in year.members if m.user_id is not None]
    span = (min(year.today, dt.date(YEAR, 12, 31)) - dt.date(YEAR, 1, 5)).days - 20
    for number, final in enumerate(finals):
        member = (
            with_login[number % len(with_login)] if number < 3 * len(with_login) else rng.choice(year.members)
        )
        actor = _member_actor(year.city, member, year.city_staff)
        content = _content(rng, member, THEMES[number % len(THEMES)])
        if final == ReportStatus.DRAFT:
            report = filing.save_report_draft(None, actor=actor, content=content)
        else:
            report = _filed(rng, year, actor, content, final)
        year.dates[report.pk] = dt.date(YEAR, 1, 5) + dt.timedelta(days=int(span * number / len(finals)))


def _filed(
    rng: random.Random, year: _Year, actor: Actor, content: filing.ReportContent, final: str
) -> OpinionReport:
    report = filing.file_opinion_report(actor=actor, content=content)
    staff = year.city_staff
    if rng.random() < 0.35:
        edited = filing.ReportContent(
            content.title,
            content.problem.replace("近期调研发现，", ""),
            content.analysis,
            content.suggestion,
        )
        review.edit_report(report, actor=staff, content=edited, note="压缩篇幅，突出问题")
    if final == ReportStatus.DECLINED:
        review.decline_report(report, actor=staff, reason=rng.choice(DECLINE_REASONS))
    elif final in (ReportStatus.ADOPTED, ReportStatus.PUBLISHED):
        report = review.adopt_report(report, actor=staff)
        year.adopted.append(report)
        if final == ReportStatus.PUBLISHED:
            year.published_ids.add(report.pk)
    return report


def _publish_bulletins(year: _Year) -> None:
    """Twelve issues, each printing the adopted reports of about a month,
    and the year-end issue being composed."""
    staff = year.city_staff
    chunks: dict[int, list[OpinionReport]] = defaultdict(list)
    for report in year.adopted:
        if report.pk in year.published_ids:
            chunks[year.dates[report.pk].month].append(report)
    for month in sorted(chunks):
        issue = bulletin.create_issue(actor=staff, year=YEAR, title=f"{month}月社情民意专刊")
        bulletin.compose_issue(
            issue,
            actor=staff,
            entries=[
                bulletin.EntrySpec(r, "供有关部门参阅" if i == 0 else "") for i, r in enumerate(chunks[month])
            ],
        )
        bulletin.publish_issue(issue, actor=staff)
    bulletin.create_issue(actor=staff, year=YEAR, title="年终综合专刊")


def _forward_in_city(rng: random.Random, year: _Year, index: int, report: OpinionReport) -> None:
    """Send the report to the city's offices; a leader instructs on some."""
    offices = year.city_offices if index % 2 else year.city_offices[:1]
    sent = forwarding.forward_report(report, actor=year.city_staff, target="oversight", offices=offices)
    if index % 4 == 0:
        leader, title, level = rng.choice(CITY_LEADERS)
        forwarding.record_instruction(
            sent[0],
            actor=_office_actor(year.city, sent[0].oversight_office, year.city_staff),  # type: ignore[arg-type]
            leader_name=leader,
            leader_title=title,
            level=level,
            text=rng.choice(INSTRUCTION_TEXTS),
            instructed_on=min(year.today, year.dates[report.pk] + dt.timedelta(days=20)),
        )


def _forward_upward(rng: random.Random, year: _Year, index: int, report: OpinionReport) -> None:
    """Forward the report to the province, which leaves some waiting,
    declines a few and adopts the rest, sending some on to its office and
    the national committee, where leaders instruct on them."""
    province, staff, office = year.province, year.province_staff, year.province_office
    [up] = forwarding.forward_report(report, actor=year.city_staff, target="parent")
    if index % 9 == 6:
        return  # still waiting in the province's queue
    if index % 12 == 9:
        forwarding.decline_received(up, actor=staff, reason="内容已由其他市报送")
        return
    forwarding.adopt_received(up, actor=staff)
    if index % 2 != 0:
        if index % 5 == 0:
            forwarding.forward_received(up, actor=staff, target="national")
        return
    [onward] = forwarding.forward_received(up, actor=staff, target="oversight", offices=[office])
    leader, title, level = rng.choice(PROVINCE_LEADERS)
    forwarding.record_instruction(
        onward,
        actor=_office_actor(province, office, staff),
        leader_name=leader,
        leader_title=title,
        level=level,
        text=rng.choice(INSTRUCTION_TEXTS),
        instructed_on=min(year.today, year.dates[report.pk] + dt.timedelta(days=35)),
    )
    if index % 5 == 0:
        forwarding.forward_received(up, actor=staff, target="national")
        leader, title, level = NATIONAL_LEADERS[0]
        forwarding.record_instruction(
            onward,
            actor=_office_actor(province, office, staff),
            leader_name=leader,
            leader_title=title,
            level=level,
            text="此件反映的情况很重要，请有关方面研究参考。",
            instructed_on=min(year.today, year.dates[report.pk] + dt.timedelta(days=50)),
        )


def _backdate(city: Council, dates: dict[int, dt.date], today: dt.date) -> None:
    """Move what the actions stamped 'now' to when it would have happened:
    each report's events a few days apart from its filing date."""
    report_type = ContentType.objects.get_for_model(OpinionReport)
    for report in OpinionReport.objects.filter(council=city):
        day = dates[report.pk]
        events = list(Event.objects.filter(content_type=report_type, object_id=report.pk).order_by("id"))
        stamps = [_at(min(today, day + dt.timedelta(days=3 * i)), 9 + i % 8) for i in range(len(events))]
        for event, when in zip(events, stamps, strict=True):
            Event.objects.filter(pk=event.pk).update(created_at=when)
        last = stamps[-1] if stamps else _at(day)
        fields = {"created_at": _at(day, 8), "updated_at": last}
        if report.submitted_at is not None:
            fields["submitted_at"] = _at(day, 9)
        if report.decided_at is not None:
            fields["decided_at"] = stamps[min(2, len(stamps) - 1)]
        OpinionReport.objects.filter(pk=report.pk).update(**fields)
        for row in Forwarding.objects.filter(report=report):
            Forwarding.objects.filter(pk=row.pk).update(
                forwarded_at=_at(min(today, day + dt.timedelta(days=10))),
                decided_at=_at(min(today, day + dt.timedelta(days=18))) if row.decided_at else None,
            )
    for issue in BulletinIssue.objects.filter(council=city, year=YEAR, published_at__isnull=False):
        BulletinIssue.objects.filter(pk=issue.pk).update(
            published_at=_at(min(today, dt.date(YEAR, min(12, issue.number), 25)))
        )
