# ruff: noqa: E501
"""Load the demo city's online deliberation (about 200 comments with
supports, some hidden by the moderators) and its legislative consultation
(a draft regulation with comments by members and an expert). Run after
seed_demo and seed_demo_consultations; safe to run again."""

from __future__ import annotations

import datetime as dt
import random
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from xieshang.consultations.actions import deliberation as d_actions
from xieshang.consultations.actions import legislative as l_actions
from xieshang.consultations.models import (
    ArticleComment,
    Consultation,
    Deliberation,
    DeliberationComment,
    DeliberationCommentSupport,
    DraftRegulation,
    PublicIdentity,
)
from xieshang.core.crypto import blind_index
from xieshang.councils.models import Council, CouncilRole, Member, Role
from xieshang.councils.roles import Actor

DEMO_SLUG = "demo-city"
TOPIC = "老旧小区改造和加装电梯怎么推进"
DRAFT_TITLE = "明湖市物业管理条例（草案征求意见稿）"

OPENINGS = ["建议", "希望", "我认为", "作为老住户，建议", "从基层工作看，建议", "期待", "呼吁"]
SUBJECTS = [
    "加装电梯的费用",
    "低层住户的补偿",
    "改造期间的停车",
    "雨污分流管网",
    "小区绿化和健身设施",
    "适老化改造",
    "物业服务的接续",
    "施工噪音和工期",
    "外墙保温和屋顶防水",
    "充电桩和非机动车棚",
]
DETAILS = [
    "按楼层分摊，政府再补贴一部分",
    "先征求全体住户意见再定方案",
    "由社区牵头成立居民议事会",
    "公开招标并公示施工单位和预算",
    "纳入年度民生实事项目统筹推进",
    "请专业机构评估结构安全",
    "优先安排老年人多的楼栋",
    "改造后明确长期管护责任",
]
CLOSINGS = ["。", "，让群众真正受益。", "，避免改完没人管。", "，减少邻里矛盾。", "，提高居民满意度。"]
NICKNAMES = [
    "老街坊",
    "热心居民",
    "退休教师",
    "社区志愿者",
    "楼道长",
    "年轻业主",
    "老党员",
    "上班族",
    "宝妈",
    "老张",
]

DRAFT_TEXT = """明湖市物业管理条例（草案征求意见稿）

第一章　总则

第一条　为了规范物业管理活动，维护业主、物业使用人和物业服务人的合法权益，营造安全、舒适、文明、和谐的居住环境，根据《中华人民共和国民法典》和国务院《物业管理条例》等法律、行政法规，结合本市实际，制定本条例。
第二条　本市行政区域内的物业管理及其监督管理活动，适用本条例。
第三条　物业管理应当纳入基层社会治理体系，坚持党委领导、政府主导、业主自治、多方参与、协商共建的原则。
第四条　市住房城乡建设主管部门负责全市物业管理活动的监督管理工作。
区（县）人民政府确定的物业管理主管部门负责本辖区内物业管理活动的监督管理工作。
第五条　街道办事处、乡镇人民政府负责组织、协调本辖区内业主大会成立和业主委员会选举工作，指导、监督业主大会和业主委员会依法履行职责。

第二章　业主、业主大会和业主委员会

第六条　业主在物业管理活动中享有法律、法规规定的权利，履行相应的义务。
第七条　一个物业管理区域成立一个业主大会。
第八条　业主委员会委员候选人应当是本物业管理区域内的业主，热心公益事业，具有一定组织能力。
第九条　业主委员会应当每年向业主大会报告工作，并公开物业服务合同履行、专项维修资金使用等情况。

第三章　物业服务

第十条　物业服务人应当按照物业服务合同的约定提供服务，并在物业管理区域内显著位置公示服务内容、服务标准、收费项目和收费标准。
第十一条　物业服务人不得采取停止供电、供水、供热、供燃气以及限制业主进出等方式催交物业费。
第十二条　物业服务合同终止的，原物业服务人应当在约定期限或者合理期限内退出物业管理区域，并移交有关资料和设施设备。

第四章　物业的使用和维护

第十三条　业主、物业使用人装饰装修房屋的，应当事先告知物业服务人，遵守管理规约。
第十四条　利用共有部分经营的收益，在扣除合理成本之后，属于业主共有。
第十五条　住宅专项维修资金属于业主所有，专项用于共有部分、共用设施设备保修期满后的维修和更新、改造。
第十六条　既有住宅加装电梯的，应当经本单元或者本栋专有部分面积占比三分之二以上且人数占比三分之二以上的业主参与表决，并经参与表决专有部分面积四分之三以上且参与表决人数四分之三以上的业主同意。

第五章　附则

第十七条　违反本条例规定的行为，法律、行政法规已有处罚规定的，从其规定。
第十八条　本条例自2027年3月1日起施行。
"""

ARTICLE_COMMENTS = {
    1: ["建议在立法依据中增加《明湖市城市管理条例》的相关内容。"],
    3: ["建议将“协商共建”具体化，明确社区居委会、业主委员会和物业服务人三方议事机制。"],
    5: ["街道工作人员力量有限，建议明确区级部门的协助责任。", "建议增加街道对业主大会筹备经费的保障条款。"],
    9: ["业主委员会公开财务的频次建议改为每半年一次。"],
    10: ["建议明确公示的方式，除纸质公告外应在线上同步公示。", "收费标准调整应设置听证或协商程序。"],
    11: ["本条很好，建议增加对违规催费行为的处罚条款。"],
    12: ["建议规定退出期限不超过十五日，并明确拒不退出的法律责任。", "交接应当有街道和业主委员会共同见证。"],
    15: ["维修资金使用程序繁琐，建议增加紧急情况下的简易使用程序。"],
    16: [
        "加装电梯表决比例建议与民法典第二百七十八条保持一致，并明确低层业主补偿的协商机制。",
        "建议规定加装电梯后期运行维护费用的分摊原则。",
        "建议对反对加装的业主设置听证程序，减少邻里矛盾。",
    ],
}


def _staff(city: Council) -> Actor:
    row = (
        CouncilRole.objects.filter(council=city, role=Role.STAFF)
        .select_related("user")
        .order_by("id")
        .first()
    )
    if row is None:
        raise CommandError("The demo city has no staff user: run seed_demo first.")
    return Actor(user=row.user, council=city, roles=frozenset({Role.STAFF}))


def _comment_text(rng: random.Random) -> str:
    return rng.choice(OPENINGS) + rng.choice(SUBJECTS) + rng.choice(DETAILS) + rng.choice(CLOSINGS)


@transaction.atomic
def seed_deliberation(city: Council, staff: Actor, members: list[Member]) -> int:
    if Deliberation.objects.filter(council=city, topic=TOPIC).exists():
        return 0
    consultation = (
        Consultation.objects.filter(council=city)
        .exclude(kind="legislative")
        .exclude(status="cancelled")
        .order_by("-starts_at")
        .first()
    )
    if consultation is None:
        raise CommandError("The demo city has no consultations: run seed_demo_consultations first.")
    now = timezone.now()
    deliberation = d_actions.open_deliberation(
        consultation,
        topic=TOPIC,
        background="全市有2000年以前建成的老旧小区三百余个，涉及居民十二万户，其中多层住宅加装电梯需求迫切。"
        "市政协拟就此开展专题协商，现公开征求意见。",
        questions="1. 加装电梯的费用如何分担？\n2. 低层住户的利益如何保障？\n3. 改造后的长期管理由谁负责？",
        opens_at=now - dt.timedelta(days=10),
        closes_at=now + dt.timedelta(days=20),
        public_enabled=True,
        actor=staff,
    )
    rng = random.Random(6)  # noqa: S311 -- repeatable demo data, not a secret
    mobiles = [f"1390571{n:04d}" for n in range(120)]
    existing = set(
        PublicIdentity.objects.filter(
            council=city, mobile_index__in=[blind_index(m) for m in mobiles]
        ).values_list("mobile_index", flat=True)
    )
    PublicIdentity.objects.bulk_create(
        PublicIdentity(
            council=city,
            mobile=mobile,
            mobile_index=blind_index(mobile),
            nickname=f"{NICKNAMES[n % len(NICKNAMES)]}{n + 1}",
        )
        for n, mobile in enumerate(mobiles)
        if blind_index(mobile) not in existing
    )
    identities = list(
        PublicIdentity.objects.filter(
            council=city, mobile_index__in=[blind_index(m) for m in mobiles]
        ).order_by("pk")
    )
    with_users = [m for m in members if m.user_id][:40]
    comments = []
    for n in range(200):
        author: dict[str, Any]
        if n % 4 == 0 and with_users:
            member = with_users[n // 4 % len(with_users)]
            author = {"user_id": member.user_id, "author_name": member.full_name}
        else:
            identity = identities[n % len(identities)]
            author = {"identity": identity, "author_name": identity.nickname}
        comments.append(
            DeliberationComment(council=city, deliberation=deliberation, text=_comment_text(rng), **author)
        )
    comments = DeliberationComment.objects.bulk_create(comments)
    supports = []
    for comment in comments:
        fans = rng.sample(identities, k=min(len(identities), int(rng.paretovariate(1.2)) % 40))
        for fan in fans:
            if fan.pk != comment.identity_id:
                supports.append(DeliberationCommentSupport(council=city, comment=comment, identity=fan))
    DeliberationCommentSupport.objects.bulk_create(supports)
    for comment in comments:
        count = sum(1 for s in supports if s.comment_id == comment.pk)
        if count:
            DeliberationComment.objects.filter(pk=comment.pk).update(support_count=F("support_count") + count)
    off_topic = DeliberationComment.objects.create(
        council=city,
        deliberation=deliberation,
        identity=identities[0],
        author_name=identities[0].nickname,
        text="低价出售二手家电，有意者联系。",
    )
    d_actions.hide_comment(off_topic, reason="与议题无关的广告", actor=staff)
    return len(comments) + 1


@transaction.atomic
def seed_draft(city: Council, staff: Actor, members: list[Member]) -> int:
    if DraftRegulation.objects.filter(council=city, title=DRAFT_TITLE).exists():
        return 0
    consultation = (
        Consultation.objects.filter(council=city, kind="legislative").order_by("-starts_at").first()
    )
    if consultation is None:
        raise CommandError(
            "The demo city has no legislative consultation: run seed_demo_consultations first."
        )
    draft = l_actions.add_draft(consultation, title=DRAFT_TITLE, text=DRAFT_TEXT, actor=staff)
    invitation, _token = l_actions.invite_expert(
        draft,
        name="沈立新",
        organisation="明湖大学法学院教授",
        expires_at=timezone.now() + dt.timedelta(days=30),
        actor=staff,
    )
    articles = {a.number: a for a in draft.articles.all()}
    with_users = [m for m in members if m.user_id] or members
    rows = []
    n = 0
    for number, texts in ARTICLE_COMMENTS.items():
        for text in texts:
            member = with_users[n % len(with_users)]
            rows.append(
                ArticleComment(
                    council=city,
                    article=articles[number],
                    user_id=member.user_id,
                    author_name=member.full_name,
                    text=text,
                )
            )
            n += 1
    rows.append(
        ArticleComment(
            council=city,
            article=articles[16],
            expert=invitation,
            author_name=invitation.name,
            text="第十六条的表决规则与民法典第二百七十八条一致，但宜增加“本单元”范围的界定。",
        )
    )
    ArticleComment.objects.bulk_create(rows)
    return len(rows)


class Command(BaseCommand):
    help = "Create the demo city's online deliberation (about 200 comments) and a draft regulation with comments."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        city = Council.objects.filter(slug=DEMO_SLUG).first()
        if city is None:
            raise CommandError("There is no demo city: run seed_demo first.")
        staff = _staff(city)
        members = list(Member.objects.filter(council=city, is_active=True).order_by("id")[:80])
        deliberation_comments = seed_deliberation(city, staff, members)
        article_comments = seed_draft(city, staff, members)
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"{deliberation_comments} demo comments and {article_comments} comments on articles created in {elapsed:.1f} s "
                "(none when they already existed)."
            )
        )
