"""A year of liaison work (三联系) for the demo city (slug demo-city), at the
scale councils publish: the five chair-meeting leaders each visit two members
a month (about 120 members in the year), members keep 1,000+ constituents,
and 200+ concerns are raised, most of them resolved by the responsible units.
Driven through the real actions; dates are then moved back to when things
happened.

Run after seed_demo (which creates the council, its leaders, members, units
and offices).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from xieshang.core.models import Event, Notification
from xieshang.councils.actions.settings import change_setting
from xieshang.councils.models import Council, CouncilRole, HandlingUnit, Member, OversightOffice, Role
from xieshang.councils.queries import get_setting
from xieshang.councils.roles import Actor
from xieshang.liaison import actions
from xieshang.liaison.models import Concern, ConcernNote, Constituent, LiaisonVisit
from xieshang.liaison.states import ConstituentKind

DEMO_SLUG = "demo-city"
VISITS_PER_MONTH = 2

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余"
    "杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙"
    "史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "建国",
    "秀英",
    "志强",
    "丽华",
    "海燕",
    "国庆",
    "春梅",
    "晓东",
    "玉兰",
    "德明",
    "桂芳",
    "文华",
    "金凤",
    "永红",
    "卫东",
    "淑珍",
    "利民",
    "红梅",
    "小平",
    "爱华",
    "明辉",
    "凤英",
    "长青",
    "学军",
    "美玲",
)
ROLES_OF_PEOPLE = (
    ("退休教师", "居民"),
    ("社区网格员", "居民"),
    ("个体工商户", "商户"),
    ("快递小哥", "新就业群体"),
    ("种粮大户", "农户"),
    ("民营企业主", "企业"),
    ("外卖骑手", "新就业群体"),
    ("乡村医生", "基层医疗"),
    ("家长代表", "教育"),
    ("楼道长", "居民"),
)
ORGANISATIONS = (
    "{area}社区居委会",
    "{area}村民委员会",
    "{area}商会",
    "{area}老年协会",
    "{area}农民专业合作社",
    "{area}中心小学家长委员会",
    "{area}物业服务中心",
    "{area}个体劳动者协会",
    "{area}新就业群体服务站",
    "{area}社会工作服务站",
)
AREAS = (
    "湖东街道",
    "湖西街道",
    "清溪镇",
    "新城街道",
    "高新区",
    "经开区",
    "柳湾镇",
    "白沙乡",
    "望江街道",
    "凤鸣镇",
    "石桥村",
    "南湖社区",
)

# (concern, details, responsible unit's full name or office kind, how it was resolved)
CONCERNS: tuple[tuple[str, str, str, str], ...] = (
    (
        "小区门口道路雨天积水严重",
        "每逢大雨，小区出入口积水没过脚踝，老人孩子出行不便。",
        "市住房和城乡建设局",
        "已完成该路段雨水管网扩容改造，汛期未再出现积水。",
    ),
    (
        "老旧小区加装电梯协调难",
        "居民加装电梯意愿强，但低层住户有异议，审批材料多。",
        "市住房和城乡建设局",
        "街道组织听证协调，简化审批材料，已有两个单元开工加装。",
    ),
    (
        "社区缺少老年助餐点",
        "社区老年人多，子女白天上班，老人吃饭不方便。",
        "市民政局",
        "已在社区服务中心开设老年助餐点，提供中晚餐，对高龄老人给予补助。",
    ),
    (
        "学校周边上下学时段交通拥堵",
        "接送车辆乱停，学生过马路存在安全隐患。",
        "市公安局",
        "增设护学岗和临时停车泊位，高峰时段交警现场疏导，拥堵明显缓解。",
    ),
    (
        "农村生活污水设施运维不到位",
        "村里污水处理设施建成后无人管护，部分已经停运。",
        "市生态环境局",
        "已将设施纳入县级统一运维，落实运维经费，设施恢复运行。",
    ),
    (
        "电动自行车充电桩数量不足",
        "小区居民飞线充电现象多，存在消防隐患。",
        "市应急管理局",
        "联合物业新建集中充电车棚两处、充电端口一百二十个。",
    ),
    (
        "乡镇卫生院缺少儿科医生",
        "孩子看病要跑到城区，往返耗时长。",
        "市卫生健康委员会",
        "通过医共体安排城区医院儿科医生每周到卫生院坐诊两天。",
    ),
    (
        "菜市场周边占道经营",
        "早市摊贩占道经营，影响通行和环境卫生。",
        "市城市管理局",
        "规划设置临时疏导点，引导摊贩入场经营，占道现象基本消除。",
    ),
    (
        "灵活就业人员社保参保不便",
        "快递、外卖等新就业群体反映参保流程复杂、缴费负担重。",
        "市人力资源和社会保障局",
        "开通线上参保专区，落实灵活就业人员社保补贴政策。",
    ),
    (
        "农产品销售渠道窄",
        "合作社种植的蔬果集中上市时卖不出好价钱。",
        "市农业农村局",
        "对接本地商超和电商平台，组织产销对接会，签订长期供货协议。",
    ),
    (
        "公交线路停运后出行不便",
        "原有公交线路调整后，村民进城需步行两公里换乘。",
        "市交通运输局",
        "恢复开通微循环公交，每天往返八个班次。",
    ),
    (
        "小微企业融资难",
        "商会企业反映贷款门槛高、审批周期长。",
        "市发展和改革委员会",
        "组织银企对接会，推广信用贷款产品，已为十余家企业授信。",
    ),
    (
        "河道沿岸垃圾清理不及时",
        "河道两岸垃圾堆积，夏季异味明显。",
        "市水利局",
        "落实河长制巡查，增加保洁频次，沿岸环境明显改善。",
    ),
    (
        "食品小作坊监管薄弱",
        "居民担心无证小作坊的食品安全问题。",
        "市市场监督管理局",
        "开展专项整治，督促小作坊登记备案并公示，抽检结果向社会公开。",
    ),
    (
        "课后服务内容单一",
        "家长反映课后服务多为看管自习，缺少兴趣类课程。",
        "市教育局",
        "引入体育、艺术类社会资源，新增兴趣课程十余门。",
    ),
    (
        "医保异地结算手续繁琐",
        "外出务工人员反映异地就医报销要来回跑。",
        "市医疗保障局",
        "推行异地就医备案线上办理，实现住院费用直接结算。",
    ),
    (
        "文化活动场地不足",
        "村里文化礼堂长期闲置，群众想开展活动却缺少组织。",
        "市文化广电旅游局",
        "配备文化管理员，每月开展送戏下乡和文艺培训活动。",
    ),
    (
        "征地拆迁安置房交付延迟",
        "部分安置户反映安置房交付时间一再推迟。",
        "oversight",
        "经督办，项目已明确交付时间表并按期交付首批安置房。",
    ),
)
CLOSE_REASONS = (
    "已纳入市级重点民生实事项目统一推进，本件予以关闭。",
    "经核实属于司法诉讼范围，已引导当事人依法解决。",
    "反映人表示问题已自行协商解决，申请撤回。",
)
PROGRESS = (
    "已派员现场查看，正在制定解决方案。",
    "已与相关街道和社区沟通，明确责任分工。",
    "方案已报批，正在筹措资金。",
    "已召开协调会，施工单位进场准备。",
)
DISCUSSIONS = (
    "与委员及其联系的群众座谈，听取对{theme}等方面的意见建议，了解委员履职和联系群众情况。",
    "走访委员所在单位和联系的社区，实地察看{theme}情况，交流委员履职中的困难和建议。",
    "召开小型座谈会，委员介绍联系群众工作，群众代表围绕{theme}反映诉求。",
)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _actor(council: Council, role_row: CouncilRole) -> Actor:
    return Actor(
        user=role_row.user,
        council=council,
        roles=frozenset({role_row.role}),
        handling_unit_ids=frozenset({role_row.handling_unit_id})
        if role_row.handling_unit_id
        else frozenset(),
        oversight_office_ids=frozenset({role_row.oversight_office_id})
        if role_row.oversight_office_id
        else frozenset(),
    )


def _member_actor(council: Council, member: Member, fallback: Actor) -> Actor:
    # Members without a login: the office keeps their list for them.
    return Actor(
        user=member.user or fallback.user, council=council, roles=frozenset({Role.MEMBER}), member=member
    )


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3578')}{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}"


def _constituents(rng: random.Random, count: int) -> list[actions.ConstituentData]:
    out = []
    area = rng.choice(AREAS)
    for number in range(count):
        if number % 4 == 3:
            name = rng.choice(ORGANISATIONS).format(area=rng.choice(AREAS))
            out.append(
                actions.ConstituentData(
                    name=name, kind=ConstituentKind.ORGANISATION, sector_area=area, phone=_phone(rng)
                )
            )
        else:
            job, sector = rng.choice(ROLES_OF_PEOPLE)
            name = rng.choice(SURNAMES) + rng.choice(GIVEN)
            out.append(
                actions.ConstituentData(
                    name=name,
                    kind=ConstituentKind.PERSON,
                    sector_area=f"{area}·{sector}",
                    phone=_phone(rng),
                    note=job,
                )
            )
    return out


@dataclass
class _Scene:
    """The demo city's people as the year of liaison work needs them."""

    city: Council
    today: dt.date
    staff: Actor
    leader_rows: list[CouncilRole]
    units: dict[str, HandlingUnit]
    unit_actors: dict[int, Actor]
    office: OversightOffice | None
    office_row: CouncilRole | None
    visit_days: dict[int, dt.date] = field(default_factory=dict)
    concern_days: dict[int, tuple[dt.date, dt.date | None]] = field(default_factory=dict)


@transaction.atomic
def seed_demo_liaison(seed: int = 2026) -> int:
    """Create the demo city's year of liaison work; return how many visits
    were made (0 when the city already has visits, so running again is safe)."""
    city = Council.objects.filter(slug=DEMO_SLUG).first()
    if city is None:
        raise RuntimeError("There is no demo city: run seed_demo first.")
    if LiaisonVisit.objects.filter(council=city).exists():
        return 0
    rng = random.Random(seed)
    started = timezone.now()
    scene = _scene(city, timezone.localdate())
    plan_rows, pool = _plan_visits(rng, scene)
    made = 0
    for row, month, member in _schedule(rng, scene, plan_rows, pool):
        made += _visit(rng, scene, row, month, member)
    # Flag what is overdue now, as the hourly sweep would have.
    actions.remind_concerns(today=scene.today)
    _backdate(city, scene.visit_days, scene.concern_days)
    Notification.objects.filter(created_at__gte=started, kind__startswith="liaison.").exclude(
        kind="liaison.overdue"
    ).update(read_at=timezone.now())
    return made


def _scene(city: Council, today: dt.date) -> _Scene:
    """Load the city's leaders, staff, units and office; let leaders make
    VISITS_PER_MONTH visits a month."""
    roles = CouncilRole.objects.filter(council=city).select_related("user")
    leader_rows = list(roles.filter(role=Role.LEADER).order_by("id"))
    staff_row = roles.filter(role=Role.STAFF).first()
    admin_row = roles.filter(role=Role.COUNCIL_ADMIN).first()
    if not leader_rows or staff_row is None or admin_row is None:
        raise RuntimeError(f"{city.name} has no leaders or staff: run seed_demo first.")
    if int(get_setting(city, "liaison_visits_per_month", year=today.year)) < VISITS_PER_MONTH:
        change_setting(
            actor=_actor(city, admin_row),
            key="liaison_visits_per_month",
            raw_value=VISITS_PER_MONTH,
            year=today.year,
            reason="主席会议成员每月走访两名委员",
        )
    office = OversightOffice.objects.filter(council=city).order_by("id").first()
    return _Scene(
        city=city,
        today=today,
        staff=_actor(city, staff_row),
        leader_rows=leader_rows,
        units={unit.name: unit for unit in HandlingUnit.objects.filter(council=city)},
        unit_actors={
            row.handling_unit_id: _actor(city, row)
            for row in roles.filter(role=Role.UNIT_LIAISON)
            if row.handling_unit_id is not None
        },
        office=office,
        office_row=roles.filter(oversight_office=office).first() if office else None,
    )


def _plan_visits(
    rng: random.Random, scene: _Scene
) -> tuple[dict[int, list[tuple[int, Member]]], Iterator[Member]]:
    """Each leader's plan for the year: VISITS_PER_MONTH members a month,
    nobody twice; return the plans and the members not planned."""
    city, leader_rows = scene.city, scene.leader_rows
    leader_ids = {row.user_id for row in leader_rows}
    members = [
        m
        for m in Member.objects.filter(council=city, is_active=True).select_related("user").order_by("id")
        if m.user_id not in leader_ids
    ]
    rng.shuffle(members)
    # Members who log in to the demo are visited early, so their pages show
    # constituents, a visit and concerns followed to the end.
    members.sort(key=lambda m: m.user_id is None)
    plan_rows: dict[int, list[tuple[int, Member]]] = {row.user_id: [] for row in leader_rows}
    pool = iter(members)
    for month in range(1, 13):
        for row in leader_rows:
            for _slot in range(VISITS_PER_MONTH):
                member = next(pool, None)
                if member is not None:
                    plan_rows[row.user_id].append((month, member))
    for row in leader_rows:
        chooser = _actor(city, row) if rng.random() < 0.4 else scene.staff
        actions.set_visit_plan(
            actor=chooser, leader=row.user, year=scene.today.year, rows=plan_rows[row.user_id]
        )
    return plan_rows, pool


def _schedule(
    rng: random.Random, scene: _Scene, plan_rows: dict[int, list[tuple[int, Member]]], pool: Iterator[Member]
) -> list[tuple[CouncilRole, int, Member]]:
    """The planned visits, and besides the plan a visit now and then on a
    leader's own initiative (an unplanned visit) up to this month."""
    leader_rows = scene.leader_rows
    schedule = [(row, month, member) for row in leader_rows for month, member in plan_rows[row.user_id]]
    for month in range(1, scene.today.month + 1):
        for row in leader_rows:
            member = next(pool, None) if rng.random() < 0.3 else None
            if member is not None:
                schedule.append((row, month, member))
    return schedule


def _visit(rng: random.Random, scene: _Scene, row: CouncilRole, month: int, member: Member) -> int:
    """Record one visit with the member's constituents and the concerns
    raised, and let the units work on them; return 1, or 0 for a visit not
    made (yet): visits due this month are still being made."""
    city, staff, today = scene.city, scene.staff, scene.today
    leader = _actor(city, row)
    day = dt.date(today.year, month, rng.randint(3, 26))
    if day > today or (month == today.month and rng.random() < 0.4):
        return 0
    member_actor = _member_actor(city, member, staff)
    kept = [
        actions.save_constituent(None, actor=member_actor, data=data)
        for data in _constituents(rng, rng.randint(9, 12))
    ]
    companions = [row.user]
    if rng.random() < 0.15:
        other = rng.choice([r for r in scene.leader_rows if r.pk != row.pk])
        companions.append(other.user)
    picked = rng.sample(CONCERNS, k=rng.choice((1, 2, 2, 2, 3)))
    concerns = [_concern_data(rng, scene, concern, day) for concern in picked]
    visit = actions.record_visit(
        actor=leader if rng.random() < 0.5 else staff,
        member=member,
        visited_on=day,
        leaders=companions,
        constituents=kept[: rng.randint(8, len(kept))],
        discussion=rng.choice(DISCUSSIONS).format(theme="、".join(p[0][:6] for p in picked)),
        concerns=concerns,
        today=day,
    )
    scene.visit_days[visit.pk] = day
    for concern, (_t, _d, _r, resolution) in zip(visit.concerns.order_by("id"), picked, strict=True):
        finished = _work_on(
            rng, concern, resolution, day, today, scene.unit_actors, scene.office_row, city, staff
        )
        scene.concern_days[concern.pk] = (day, finished)
    return 1


def _concern_data(
    rng: random.Random, scene: _Scene, concern: tuple[str, str, str, str], day: dt.date
) -> actions.ConcernData:
    title, details, responsible, _resolution = concern
    unit = scene.units.get(responsible)
    return actions.ConcernData(
        title=title,
        description=details,
        handling_unit=unit,
        oversight_office=scene.office if unit is None else None,
        due_on=day + dt.timedelta(days=rng.choice((30, 45, 60))),
    )


def _work_on(
    rng: random.Random,
    concern: Concern,
    resolution: str,
    raised: dt.date,
    today: dt.date,
    unit_actors: dict[int, Actor],
    office_row: CouncilRole | None,
    city: Council,
    staff: Actor,
) -> dt.date | None:
    """Let the responsible unit work on the concern as it would have by now:
    old concerns resolved (a few closed), recent ones in progress or open."""
    if concern.handling_unit_id is not None:
        worker = unit_actors.get(concern.handling_unit_id, staff)
    else:
        worker = _actor(city, office_row) if office_row is not None else staff
    age = (today - raised).days
    chance = rng.random()
    if age < 20 and chance < 0.5:
        return None
    actions.note_progress(concern, actor=worker, text=rng.choice(PROGRESS))
    if age < 40 and chance < 0.75:
        return None
    if chance < 0.04:
        closed = min(today, raised + dt.timedelta(days=rng.randint(15, 40)))
        actions.close_concern(concern, actor=staff, reason=rng.choice(CLOSE_REASONS), today=closed)
        return closed
    if (age < 60 and chance < 0.9) or chance > 0.985:
        return None
    finished = min(today, raised + dt.timedelta(days=rng.randint(10, 55)))
    actions.resolve_concern(concern, actor=worker, resolution=resolution, today=finished)
    return finished


def _backdate(
    city: Council, visit_days: dict[int, dt.date], concern_days: dict[int, tuple[dt.date, dt.date | None]]
) -> None:
    """Move what the actions stamped 'now' to when it happened."""
    visit_type = ContentType.objects.get_for_model(LiaisonVisit)
    concern_type = ContentType.objects.get_for_model(Concern)
    for visit_id, day in visit_days.items():
        LiaisonVisit.objects.filter(pk=visit_id).update(created_at=_at(day, 17))
        Event.objects.filter(content_type=visit_type, object_id=visit_id).update(created_at=_at(day, 17))
    for concern_id, (day, finished) in concern_days.items():
        Concern.objects.filter(pk=concern_id).update(created_at=_at(day, 17))
        events = list(Event.objects.filter(content_type=concern_type, object_id=concern_id).order_by("id"))
        end = finished or min(timezone.localdate(), day + dt.timedelta(days=20))
        for number, event in enumerate(events):
            when = day if number == 0 else min(end, day + dt.timedelta(days=7 * number))
            if event.type == "liaison.concern_overdue":
                continue
            Event.objects.filter(pk=event.pk).update(created_at=_at(when, 10 + number % 7))
        for number, note in enumerate(ConcernNote.objects.filter(concern_id=concern_id).order_by("id")):
            ConcernNote.objects.filter(pk=note.pk).update(
                created_at=_at(min(end, day + dt.timedelta(days=7 * (number + 1))), 15)
            )
    first_visit: dict[int, dt.date] = {}
    for visit in LiaisonVisit.objects.filter(council=city).prefetch_related("constituents"):
        for constituent in visit.constituents.all():
            first_visit.setdefault(constituent.pk, visit.visited_on)
    for constituent_id, day in first_visit.items():
        Constituent.objects.filter(pk=constituent_id).update(created_at=_at(day - dt.timedelta(days=30), 9))
