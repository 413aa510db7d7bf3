"""A year of proposals for the demo city (明湖市政协, slug demo-city): about
500 proposals over recurring themes, in every status, driven through the
real actions so that every timeline, reply and rating is complete; dates are
then moved back to where they would have happened.

Run after seed_demo (which creates the council, its people and units).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone, translation

from xieshang.accounts.models import User
from xieshang.core.models import Event, Notification
from xieshang.councils.models import Council, CouncilRole, HandlingUnit, Member, Role, Session, Term
from xieshang.councils.roles import Actor
from xieshang.proposals.actions import feedback, filing, handling, review
from xieshang.proposals.actions.config import DEFAULT_CATEGORIES, create_default_lists
from xieshang.proposals.actions.handling import UnitRole
from xieshang.proposals.models import (
    Assignment,
    DeclineReason,
    Proposal,
    ProposalCategory,
    Reply,
    ReplyCategory,
)
from xieshang.proposals.states import AssignmentRole, ProposalStatus, Window

S = ProposalStatus
DEMO_SLUG = "demo-city"
YEAR = 2026


# The themes name their category in Chinese: each is one of the default
# categories every council gets (proposals/actions/config.py), in its order.
CATEGORY_NAMES = (
    "经济发展",
    "乡村振兴",
    "城市建设与管理",
    "教育",
    "医疗卫生",
    "文化旅游",
    "社会保障与就业",
    "生态环境",
    "科技创新",
    "法治与公共安全",
)


def _category(council: Council, name: str) -> ProposalCategory:
    """The council's default category the demo calls name, stored in the
    platform's language as create_default_lists stored it."""
    default = DEFAULT_CATEGORIES[CATEGORY_NAMES.index(name)]
    with translation.override(settings.LANGUAGE_CODE):
        return ProposalCategory.objects.get(council=council, name=str(default))


@dataclass(frozen=True)
class Theme:
    subject: str
    category: str
    units: tuple[str, ...]
    problem: str
    measures: tuple[str, str, str]


THEMES = (
    Theme(
        "老旧小区加装电梯",
        "城市建设与管理",
        ("市住房和城乡建设局",),
        "业主意见难统一、资金分摊难、审批环节多",
        (
            "简化加装电梯审批流程，推行联合审查",
            "设立市级专项补贴并允许提取住房公积金",
            "建立社区协商议事机制化解邻里分歧",
        ),
    ),
    Theme(
        "社区居家养老服务",
        "社会保障与就业",
        ("市民政局", "市卫生健康委员会"),
        "服务供给不足、专业护理人员缺乏",
        (
            "每个街道建设一处综合性养老服务中心",
            "对护理人员给予培训和岗位补贴",
            "推动医养结合，签约家庭医生上门服务",
        ),
    ),
    Theme(
        "中小学课后延时服务",
        "教育",
        ("市教育局",),
        "服务内容单一、教师负担偏重",
        ("引入优质社会资源丰富课后服务内容", "合理核定课后服务补助标准", "建立教师弹性上下班制度"),
    ),
    Theme(
        "城市黑臭水体治理长效机制",
        "生态环境",
        ("市生态环境局", "市水利局"),
        "治理成果易反弹、管护责任不清",
        ("落实河湖长制，明确日常管护主体", "加快雨污分流管网改造", "引入第三方评估并向社会公开水质"),
    ),
    Theme(
        "农村生活污水处理设施运维",
        "乡村振兴",
        ("市农业农村局", "市生态环境局"),
        "设施建而不用、运维资金缺口大",
        ("建立县乡村三级运维管理体系", "将运维经费纳入财政预算", "推广低成本、易维护的处理工艺"),
    ),
    Theme(
        "中心城区停车难问题",
        "城市建设与管理",
        ("市城市管理局", "市公安局"),
        "泊位缺口大、占道停车普遍",
        ("盘活机关企事业单位内部停车资源错时共享", "建设立体停车设施", "推行智慧停车诱导系统"),
    ),
    Theme(
        "新能源汽车充电基础设施建设",
        "经济发展",
        ("市发展和改革委员会",),
        "充电桩布局不均、老旧小区安装困难",
        ("编制充电设施专项规划", "推动居住区共享充电桩建设", "完善充电设施运营补贴政策"),
    ),
    Theme(
        "基层医疗卫生服务能力",
        "医疗卫生",
        ("市卫生健康委员会",),
        "基层人才流失、群众首诊意愿低",
        ("完善基层医务人员薪酬激励机制", "推进紧密型医共体建设", "加强常见病、慢性病诊疗能力"),
    ),
    Theme(
        "异地就医直接结算",
        "医疗卫生",
        ("市医疗保障局",),
        "备案手续繁琐、结算范围有限",
        ("推行线上备案、承诺制备案", "扩大门诊慢特病跨省直接结算范围", "加强医保经办窗口服务"),
    ),
    Theme(
        "持续优化营商环境",
        "经济发展",
        ("市市场监督管理局", "市发展和改革委员会"),
        "涉企检查多头重复、政策兑现慢",
        ("推行跨部门综合监管“一次查到位”", "建立惠企政策“免申即享”机制", "畅通企业诉求直达渠道"),
    ),
    Theme(
        "中小微企业融资难融资贵",
        "经济发展",
        ("市财政局",),
        "缺乏抵押物、融资成本偏高",
        ("扩大政府性融资担保规模", "设立中小企业转贷应急资金", "推广知识产权质押融资"),
    ),
    Theme(
        "高校毕业生就业创业",
        "社会保障与就业",
        ("市人力资源和社会保障局",),
        "岗位与专业不匹配、留才政策吸引力不足",
        ("建设青年人才驿站提供过渡住宿", "加大创业担保贷款支持", "组织校企对接专场招聘"),
    ),
    Theme(
        "农村电子商务发展",
        "乡村振兴",
        ("市商务局",),
        "物流成本高、品牌化程度低",
        ("完善县乡村三级物流配送体系", "培育本地农产品区域公用品牌", "开展农村电商人才培训"),
    ),
    Theme(
        "历史文化街区保护与活化利用",
        "文化旅游",
        ("市文化广电旅游局", "市自然资源和规划局"),
        "保护资金不足、业态同质化",
        ("编制历史文化街区保护利用规划", "引导社会资本参与老建筑修缮", "植入非遗展示等特色业态"),
    ),
    Theme(
        "全域旅游高质量发展",
        "文化旅游",
        ("市文化广电旅游局",),
        "景区分散、旅游产品单一",
        ("串联精品旅游线路", "发展夜间文旅消费", "完善旅游集散与公共服务设施"),
    ),
    Theme(
        "科技成果转化",
        "科技创新",
        ("市科学技术局",),
        "产学研合作不紧密、转化服务薄弱",
        ("建设技术转移服务平台", "落实科研人员成果转化收益分配", "设立科技成果转化引导基金"),
    ),
    Theme(
        "城市内涝防治",
        "城市建设与管理",
        ("市水利局", "市住房和城乡建设局"),
        "排水标准偏低、易涝点整治不彻底",
        ("开展易涝点“一点一策”整治", "推进海绵城市建设", "完善城市内涝预警和应急处置机制"),
    ),
    Theme(
        "食品安全监管",
        "法治与公共安全",
        ("市市场监督管理局",),
        "小作坊小摊贩监管难、网络订餐风险增加",
        ("推行“互联网+明厨亮灶”", "加强网络订餐平台责任落实", "开展校园周边食品安全专项整治"),
    ),
    Theme(
        "电动自行车安全管理",
        "法治与公共安全",
        ("市公安局", "市应急管理局"),
        "违规充电、飞线充电现象突出",
        ("加快小区集中充电设施建设", "严查非标车辆和违规改装", "加强消防安全宣传"),
    ),
    Theme(
        "公共法律服务体系建设",
        "法治与公共安全",
        ("市司法局",),
        "基层法律服务资源不足",
        ("推进村居法律顾问全覆盖", "建设“一站式”公共法律服务中心", "加强法律援助经费保障"),
    ),
    Theme(
        "生活垃圾分类",
        "生态环境",
        ("市城市管理局",),
        "居民分类习惯尚未养成、分类运输衔接不畅",
        ("推行定时定点投放和督导", "完善分类收运处置体系", "建立积分激励机制"),
    ),
    Theme(
        "农村公路养护",
        "乡村振兴",
        ("市交通运输局",),
        "养护资金不足、养护责任落实不到位",
        ("全面推行农村公路路长制", "将养护资金纳入财政预算", "推广专业化养护模式"),
    ),
    Theme(
        "高标准农田建设",
        "乡村振兴",
        ("市农业农村局", "市自然资源和规划局"),
        "建后管护不到位、投入标准偏低",
        ("提高高标准农田亩均投入标准", "建立建后管护责任制度", "推动农田建设与数字农业结合"),
    ),
    Theme(
        "婴幼儿照护服务体系",
        "社会保障与就业",
        ("市卫生健康委员会",),
        "普惠托位不足、托育费用偏高",
        ("扩大普惠性托育服务供给", "支持用人单位举办托育机构", "加强托育从业人员培训"),
    ),
    Theme(
        "青少年心理健康教育",
        "教育",
        ("市教育局", "市卫生健康委员会"),
        "专职心理教师不足、家校协同不够",
        ("按标准配齐专职心理健康教师", "建立学生心理健康筛查和干预机制", "开设家长心理健康课堂"),
    ),
    Theme(
        "数字政府建设",
        "科技创新",
        ("市发展和改革委员会",),
        "数据共享不充分、“一网通办”体验不佳",
        ("打破部门数据壁垒", "推进高频事项“掌上办”", "加强政务数据安全管理"),
    ),
    Theme(
        "安全生产风险防范",
        "法治与公共安全",
        ("市应急管理局",),
        "小微企业安全管理薄弱",
        ("开展重点行业领域专项整治", "推行安全生产责任保险", "加强基层应急管理队伍建设"),
    ),
    Theme(
        "城市公交线网优化",
        "城市建设与管理",
        ("市交通运输局",),
        "线路重复、部分区域覆盖不足",
        ("开展公交客流调查优化线网", "开通社区微循环公交", "推进公交与地铁接驳"),
    ),
    Theme(
        "耕地保护",
        "乡村振兴",
        ("市自然资源和规划局",),
        "耕地“非农化”“非粮化”问题仍有发生",
        ("落实耕地保护党政同责", "建立耕地保护补偿激励机制", "利用卫星遥感开展动态监测"),
    ),
    Theme(
        "全民健身公共服务",
        "文化旅游",
        ("市文化广电旅游局",),
        "健身场地不足、学校场馆开放率低",
        ("利用边角地建设口袋公园和健身步道", "推动学校体育场馆错时开放", "举办群众性体育赛事"),
    ),
)

TITLE_FORMS = (
    "关于加强{s}的建议",
    "关于进一步推进{s}的建议",
    "关于完善{s}的建议",
    "关于加快{s}的建议",
    "关于优化{s}工作的建议",
    "关于破解{s}难题的建议",
    "关于我市{s}的几点建议",
    "关于健全{s}机制的建议",
)

# How many proposals end in each status (about 500 in all).
PLAN: tuple[tuple[str, int], ...] = (
    (S.DRAFT, 18),
    (S.SUBMITTED, 30),
    (S.RETURNED, 10),
    (S.DECLINED, 38),
    (S.CONVERTED, 14),
    (S.MERGED, 20),
    (S.ACCEPTED, 16),
    (S.ASSIGNED, 96),
    (S.REPLIED, 24),
    (S.RELEASED, 44),
    (S.RATED, 50),
    (S.REHANDLING, 10),
    (S.CONCLUDED, 130),
)

ORDER = [S.SUBMITTED, S.ACCEPTED, S.ASSIGNED, S.REPLIED, S.RELEASED, S.RATED, S.CONCLUDED]


@dataclass
class Cast:
    council: Council
    term: Term
    session: Session
    staff: Actor
    members: list[Member]
    units: dict[str, HandlingUnit]
    liaisons: dict[int, Actor]
    leader: User | None
    fallback_user: User
    stamps: dict[int, dict[str, dt.datetime]] = field(default_factory=dict)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _member_actor(cast: Cast, member: Member) -> Actor:
    # Members without a login are entered by the proposals office on their behalf.
    return Actor(
        user=member.user or cast.fallback_user,
        council=cast.council,
        roles=frozenset({Role.MEMBER}),
        member=member,
    )


def _liaison(cast: Cast, unit: HandlingUnit) -> Actor:
    actor = cast.liaisons.get(unit.pk)
    if actor is None:
        actor = Actor(
            user=cast.fallback_user,
            council=cast.council,
            roles=frozenset({Role.UNIT_LIAISON}),
            handling_unit_ids=frozenset({unit.pk}),
        )
    return actor


def _cast(council: Council) -> Cast:
    term = Term.objects.get(council=council, is_current=True)
    session = Session.objects.filter(term=term, year=YEAR).order_by("-number").first()
    if session is None:
        raise RuntimeError("The demo city has no session for 2026: run seed_demo first.")
    staff_role = CouncilRole.objects.filter(council=council, role=Role.STAFF).select_related("user").first()
    if staff_role is None:
        raise RuntimeError("The demo city has no staff: run seed_demo first.")
    staff = Actor(user=staff_role.user, council=council, roles=frozenset({Role.STAFF}))
    members = list(Member.objects.filter(council=council, term=term, is_active=True).order_by("id"))
    units = {u.name: u for u in HandlingUnit.objects.filter(council=council)}
    liaisons: dict[int, Actor] = {}
    for role in CouncilRole.objects.filter(council=council, role=Role.UNIT_LIAISON).select_related("user"):
        if role.handling_unit_id and role.handling_unit_id not in liaisons:
            liaisons[role.handling_unit_id] = Actor(
                user=role.user,
                council=council,
                roles=frozenset({Role.UNIT_LIAISON}),
                handling_unit_ids=frozenset({role.handling_unit_id}),
            )
    leader_role = CouncilRole.objects.filter(council=council, role=Role.LEADER).select_related("user").first()
    return Cast(
        council=council,
        term=term,
        session=session,
        staff=staff,
        members=members,
        units=units,
        liaisons=liaisons,
        leader=leader_role.user if leader_role else None,
        fallback_user=staff_role.user,
    )


def _content(rng: random.Random, theme: Theme, cast: Cast) -> filing.ProposalContent:
    title = rng.choice(TITLE_FORMS).format(s=theme.subject)
    first, second, third = theme.measures
    return filing.ProposalContent(
        title=title[:50],
        situation=(
            f"近年来，我市高度重视{theme.subject}工作，出台了一系列政策措施，取得了积极成效。"
            f"但在调研中发现，群众反映仍较为集中，主要表现为{theme.problem}等问题。"
        ),
        analysis=(
            f"究其原因：一是相关部门之间统筹协调不够；二是资金和人才保障不足；"
            f"三是政策落实的考核评估机制不健全，{theme.subject}的长效机制尚未形成。"
        ),
        suggestions=f"一是{first}；二是{second}；三是{third}。",
        category=_category(cast.council, theme.category),
        suggested_units=tuple(cast.units[name] for name in theme.units if name in cast.units),
        consents_to_publish_reply=rng.random() < 0.7,
        window=Window.SESSION if rng.random() < 0.75 else Window.REGULAR,
    )


def _units_for(theme: Theme, cast: Cast, rng: random.Random) -> list[UnitRole]:
    units = [cast.units[name] for name in theme.units if name in cast.units]
    if not units:
        units = [rng.choice(list(cast.units.values()))]
    if len(units) == 1:
        return [UnitRole(units[0], AssignmentRole.LEAD)]
    if rng.random() < 0.25:
        return [UnitRole(u, AssignmentRole.SPLIT) for u in units]
    helper = AssignmentRole.ASSISTING if rng.random() < 0.7 else AssignmentRole.JOINT
    return [UnitRole(units[0], AssignmentRole.LEAD), *(UnitRole(u, helper) for u in units[1:])]


def _reply_text(theme: Theme, category: str) -> str:
    first, second, _third = theme.measures
    if category == "A":
        return (
            f"您提出的关于{theme.subject}的建议已被采纳。我单位已{first}，"
            "相关工作已于今年落实到位。感谢您对我市工作的关心和支持。"
        )
    if category == "B":
        return (
            f"您的建议很有针对性。我单位已将“{second}”列入明年工作计划，"
            "正会同有关部门逐步推进，并将及时向您通报进展。"
        )
    return (
        f"您的建议对做好{theme.subject}工作具有参考价值。受财力等条件限制，"
        "目前暂难全面实施，我们将在今后工作中认真研究吸纳。"
    )


def _one(cast: Cast, rng: random.Random, number: int, final: str) -> Proposal | None:
    theme = THEMES[number % len(THEMES)]
    member = cast.members[rng.randrange(len(cast.members))]
    proposer = _member_actor(cast, member)
    content = _content(rng, theme, cast)
    # Proposals far along the workflow were filed early in the year.
    late_month = 4 if final in (S.REPLIED, S.RELEASED, S.RATED, S.REHANDLING, S.CONCLUDED) else 10
    if content.window == Window.SESSION:
        submitted = dt.date(YEAR, 1, rng.randint(5, 12))
    else:
        submitted = dt.date(YEAR, rng.randint(2, late_month), rng.randint(1, 28))
    if final == S.DRAFT:
        submitted = dt.date(YEAR, 11, rng.randint(1, 25))
    stamps: dict[str, dt.datetime] = {
        "proposal.draft_saved": _at(submitted - dt.timedelta(days=rng.randint(1, 6)))
    }
    proposal = filing.save_draft(None, actor=proposer, content=content)
    if rng.random() < 0.2:
        others = [m for m in rng.sample(cast.members, 4) if m.pk != member.pk][: rng.randint(1, 3)]
        rows = filing.invite_cosigners(proposal, actor=proposer, members=others)
        for row in rows:
            filing.answer_cosign(row, actor=_member_actor(cast, row.member), confirm=rng.random() < 0.85)
        stamps["proposal.cosigner_invited"] = stamps["proposal.draft_saved"]
        stamps["proposal.cosign_confirmed"] = stamps["proposal.cosign_refused"] = _at(submitted, 9)
    if final == S.DRAFT:
        cast.stamps[proposal.pk] = stamps
        return proposal
    proposal = filing.submit_proposal(proposal, actor=proposer, today=submitted)
    stamps["proposal.submitted"] = _at(submitted)
    reviewed = submitted + dt.timedelta(days=rng.randint(7, 25))
    stamps.update(
        dict.fromkeys(
            (
                "proposal.accepted",
                "proposal.declined",
                "proposal.converted",
                "proposal.merged",
                "proposal.returned",
            ),
            _at(reviewed),
        )
    )
    cast.stamps[proposal.pk] = stamps
    staff = cast.staff
    if final == S.SUBMITTED:
        return proposal
    if final == S.RETURNED:
        return review.return_for_revision(
            proposal, actor=staff, reason="建议部分较为笼统，请补充具体可行的措施后重新提交。"
        )
    if final == S.DECLINED:
        reason = DeclineReason.objects.filter(council=cast.council).order_by("?").first()
        assert reason is not None
        return review.decline_proposal(proposal, actor=staff, reason=reason)
    if final == S.CONVERTED:
        return review.convert_proposal(
            proposal,
            actor=staff,
            target="opinion_report",
            consent_note=f"{reviewed:%m月%d日}电话征得提案人同意",
        )
    if final == S.MERGED:
        into = (
            Proposal.objects.filter(council=cast.council, term=cast.term, status__in=(S.ACCEPTED, S.ASSIGNED))
            .order_by("?")
            .first()
        )
        if into is None:
            return review.return_for_revision(proposal, actor=staff, reason="请补充具体建议。")
        return review.merge_proposal(proposal, actor=staff, into=into, note="与同类提案并案办理")
    proposal = review.accept_proposal(proposal, actor=staff)
    if final == S.ACCEPTED:
        return proposal
    # Session proposals go to the assignment meeting in February.
    assigned_on = (
        dt.date(YEAR, 2, 10) if content.window == Window.SESSION else reviewed + dt.timedelta(days=5)
    )
    if final == S.ASSIGNED and rng.random() < 0.75:
        # Recent ones, not yet due.
        assigned_on = dt.date(YEAR, rng.randint(9, 11), rng.randint(1, 20))
    assigned_on = min(assigned_on, dt.date(YEAR, 11, 20))
    proposal = handling.assign_proposal(
        proposal, actor=staff, units=_units_for(theme, cast, rng), assigned_on=assigned_on
    )
    stamps["proposal.assigned"] = _at(assigned_on)
    if rng.random() < 0.04:
        extend = Assignment.objects.filter(proposal=proposal, is_active=True).first()
        if extend is not None:
            handling.approve_extension(
                extend,
                actor=staff,
                new_due_on=extend.due_on + dt.timedelta(days=45),
                reason="涉及多部门协调，需延期办理",
            )
    if final == S.ASSIGNED:
        return proposal
    replied_on = assigned_on + dt.timedelta(days=rng.randint(30, 85))
    _reply_round(cast, rng, proposal, theme, replied_on)
    stamps["proposal.reply_submitted"] = _at(replied_on)
    if final == S.REPLIED:
        return proposal
    released_on = replied_on + dt.timedelta(days=rng.randint(2, 8))
    if final == S.RELEASED:
        # Recently released: most proposers can still rate.
        released_on = max(released_on, timezone.localdate() - dt.timedelta(days=rng.randint(0, 20)))
    _release_round(cast, proposal, released_on)
    stamps["proposal.reply_released"] = _at(released_on)
    if final == S.RELEASED:
        return proposal
    rated_on = released_on + dt.timedelta(days=rng.randint(1, 12))
    dissatisfied = final == S.REHANDLING or rng.random() < 0.06
    _rate_round(cast, rng, proposal, rated_on, dissatisfied=dissatisfied)
    stamps["proposal.rated"] = _at(rated_on)
    if final == S.RATED:
        return proposal
    proposal.refresh_from_db()
    if dissatisfied and proposal.status == S.RATED:
        proposal = review.order_rehandling(
            proposal,
            actor=staff,
            reason="提案人对答复不满意，请进一步研究办理",
            today=rated_on + dt.timedelta(days=3),
        )
        stamps["proposal.rehandling_ordered"] = _at(rated_on + dt.timedelta(days=3))
        if final == S.REHANDLING:
            return proposal
        second_on = rated_on + dt.timedelta(days=rng.randint(20, 40))
        _reply_round(cast, rng, proposal, theme, second_on)
        _release_round(cast, proposal, second_on + dt.timedelta(days=2))
        _rate_round(cast, rng, proposal, second_on + dt.timedelta(days=5), dissatisfied=False)
        rated_on = second_on + dt.timedelta(days=5)
    if final == S.REHANDLING:
        return proposal
    concluded_on = rated_on + dt.timedelta(days=rng.randint(1, 10))
    proposal = review.conclude_proposal(proposal, actor=staff, today=concluded_on)
    stamps["proposal.concluded"] = _at(concluded_on)
    # Recorded by the conclusion: ratings missing from closed windows, and
    # the follow-up of a B-category reply.
    stamps["proposal.feedback_missing"] = stamps["proposal.follow_up_opened"] = _at(concluded_on)
    if rng.random() < 0.08:
        review.mark_outstanding(proposal, actor=staff, is_outstanding=True)
    return proposal


def _reply_round(cast: Cast, rng: random.Random, proposal: Proposal, theme: Theme, on: dt.date) -> None:
    proposal.refresh_from_db()
    for assignment in Assignment.objects.filter(proposal=proposal, is_active=True).select_related("unit"):
        if not assignment.replies_to_proposer:
            continue
        code = rng.choices(["A", "B", "C"], weights=[55, 35, 10])[0]
        category = ReplyCategory.objects.get(council=cast.council, code=code)
        handling.save_reply(
            assignment,
            actor=_liaison(cast, assignment.unit),
            content=handling.ReplyContent(
                category=category,
                text=_reply_text(theme, code),
                signer=rng.choice(["王建国", "李志强", "陈晓东", "刘红梅", "张卫民"]),
                contact_person=rng.choice(["赵敏", "孙磊", "周婷", "吴昊"]),
                contact_phone=f"0579-8{rng.randint(1000000, 9999999)}",
            ),
            submit=True,
        )
    Reply.objects.filter(assignment__proposal=proposal, handling_round=proposal.handling_round).update(
        submitted_at=_at(on)
    )


def _release_round(cast: Cast, proposal: Proposal, on: dt.date) -> None:
    proposal.refresh_from_db()
    for reply in Reply.objects.filter(
        assignment__proposal=proposal, handling_round=proposal.handling_round, status="submitted"
    ):
        handling.release_reply(reply, actor=cast.staff, today=on)
    Reply.objects.filter(assignment__proposal=proposal, handling_round=proposal.handling_round).update(
        released_at=_at(on, 15)
    )


def _rate_round(
    cast: Cast, rng: random.Random, proposal: Proposal, on: dt.date, *, dissatisfied: bool
) -> None:
    proposal.refresh_from_db()
    lead = proposal.lead_proposer
    assert lead is not None
    for reply in Reply.objects.filter(
        assignment__proposal=proposal, handling_round=proposal.handling_round, status="released"
    ).select_related("assignment__proposal"):
        satisfaction = (
            "dissatisfied"
            if dissatisfied
            else rng.choices(["satisfied", "basically_satisfied"], weights=[75, 25])[0]
        )
        comment = (
            "答复针对性不强，措施不够具体。"
            if dissatisfied
            else rng.choice(["", "答复认真，感谢！", "希望持续跟进落实。"])
        )
        feedback.rate_reply(
            reply, actor=_member_actor(cast, lead), satisfaction=satisfaction, comment=comment, today=on
        )


def _backdate(cast: Cast) -> None:
    """Move the timestamps the actions wrote 'now' to when things happened."""
    proposal_type = ContentType.objects.get_for_model(Proposal)
    columns = {
        "submitted_at": "proposal.submitted",
        "accepted_at": "proposal.accepted",
        "released_at": "proposal.reply_released",
        "concluded_at": "proposal.concluded",
    }
    for proposal in Proposal.objects.filter(pk__in=list(cast.stamps)):
        stamps = cast.stamps[proposal.pk]
        fields: dict[str, dt.datetime] = {
            "created_at": stamps["proposal.draft_saved"],
            "updated_at": max(stamps.values()),
        }
        for column, event_type in columns.items():
            if getattr(proposal, column) is not None and event_type in stamps:
                fields[column] = stamps[event_type]
        Proposal.objects.filter(pk=proposal.pk).update(**fields)
        for event in Event.objects.filter(content_type=proposal_type, object_id=proposal.pk):
            when = stamps.get(event.type)
            if when is not None:
                Event.objects.filter(pk=event.pk).update(created_at=when)


@transaction.atomic
def seed_demo_proposals(seed: int = 2026) -> int:
    """Create the demo city's year of proposals; return how many were made
    (0 when the council already has proposals)."""
    council = Council.objects.filter(slug=DEMO_SLUG).first()
    if council is None:
        raise RuntimeError("No demo city: run seed_demo first.")
    if Proposal.objects.filter(council=council).exists():
        return 0
    started = timezone.now()
    # Councils get the default lists when created; one made before that gets them here.
    create_default_lists(council, user=None)
    cast = _cast(council)
    rng = random.Random(seed)
    finals = [status for status, count in PLAN for _ in range(count)]
    rng.shuffle(finals)
    # Accepted proposals first in each batch, so that merges have targets.
    finals.sort(key=lambda s: 0 if s in (S.ASSIGNED, S.ACCEPTED) else 1)
    made = 0
    for number, final in enumerate(finals):
        if _one(cast, rng, number, final) is not None:
            made += 1
    key_candidates = list(
        Proposal.objects.filter(council=council, status__in=(S.ASSIGNED, S.RELEASED, S.CONCLUDED)).order_by(
            "id"
        )[:8]
    )
    if cast.leader is not None:
        for proposal in key_candidates:
            review.mark_key(proposal, actor=cast.staff, is_key=True, supervising_leader=cast.leader)
    _backdate(cast)
    # The year's messages were read long ago; today's work lists come from the data.
    Notification.objects.filter(
        council=council, created_at__gte=started, kind__startswith="proposal."
    ).update(read_at=timezone.now())
    return made
