"""Consultations for the demo city (明湖市政协, slug demo-city): issued plans
for 2022–2026 whose themes run on for three, four and five years, and the
2026 plan of ten items (three topic consultations and a legislative one);
the year's consultations held with participants, research, speeches (one
over time), minutes and outcome reports with leaders' instructions and what
became of them; one upcoming consultation; one item past its decision date
without a consultation. Driven through the real actions; dates are then
moved back to when things happened.

Run after seed_demo (which creates the council, its people and offices).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from xieshang.consultations.actions import consultations as c_actions
from xieshang.consultations.actions import outcomes as o_actions
from xieshang.consultations.actions import plans as p_actions
from xieshang.consultations.actions import speeches as s_actions
from xieshang.consultations.models import (
    Consultation,
    ConsultationPlan,
    Outcome,
    PlanAmendment,
    PlanItem,
    Speech,
)
from xieshang.consultations.queries import minutes_due_date, preparation_due_dates
from xieshang.consultations.states import ConsultationStatus, OutcomeStatus, ParticipantCategory, PlanStatus
from xieshang.core.models import Notification
from xieshang.councils.models import (
    Council,
    CouncilRole,
    HandlingUnit,
    Member,
    OversightOffice,
    Role,
    SpecialCommittee,
)
from xieshang.councils.roles import Actor

DEMO_SLUG = "demo-city"
YEAR = 2026

# Themes followed across the years: 乡村振兴 five years (2022–2026),
# 营商环境 four (2023–2026), 水环境治理 three (2024–2026).
PAST_PLANS: dict[int, tuple[tuple[str, str, str, str, tuple[str, ...]], ...]] = {
    2022: (
        ("推进乡村产业振兴", "topic", "经济委员会", "市农业农村局", ("乡村振兴",)),
        ("加强历史文化街区保护", "counterpart", "文史和学习委员会", "市文化广电旅游局", ()),
    ),
    2023: (
        ("促进农村集体经济发展", "topic", "经济委员会", "市农业农村局", ("乡村振兴",)),
        ("优化政务服务提升营商环境", "biweekly", "经济委员会", "市市场监督管理局", ("营商环境",)),
    ),
    2024: (
        (
            "推进和美乡村建设",
            "standing_committee_deliberation",
            "人口资源环境委员会",
            "市农业农村局",
            ("乡村振兴",),
        ),
        ("破解中小企业融资难题", "topic", "经济委员会", "市财政局", ("营商环境",)),
        ("加强明湖流域水环境治理", "counterpart", "人口资源环境委员会", "市生态环境局", ("水环境治理",)),
    ),
    2025: (
        ("发展乡村特色产业", "topic", "经济委员会", "市农业农村局", ("乡村振兴",)),
        ("建设法治化营商环境", "biweekly", "社会和法制委员会", "市司法局", ("营商环境",)),
        ("推进城乡污水管网建设", "sector", "人口资源环境委员会", "市住房和城乡建设局", ("水环境治理",)),
    ),
}


@dataclass(frozen=True)
class Item:
    topic: str
    kind: str
    committee: str
    unit: str
    quarter: int
    decision: dt.date
    themes: tuple[str, ...] = ()


PLAN_2026: tuple[Item, ...] = (
    Item(
        "推进城乡融合发展促进共同富裕",
        "topic",
        "经济委员会",
        "市发展和改革委员会",
        2,
        dt.date(2026, 7, 31),
        ("乡村振兴",),
    ),
    Item(
        "持续优化民营经济发展环境", "topic", "经济委员会", "市商务局", 2, dt.date(2026, 8, 31), ("营商环境",)
    ),
    Item(
        "明湖流域水生态保护与修复",
        "topic",
        "人口资源环境委员会",
        "市生态环境局",
        3,
        dt.date(2026, 10, 31),
        ("水环境治理",),
    ),
    Item(
        "《明湖市物业管理条例（草案）》立法协商",
        "legislative",
        "社会和法制委员会",
        "市司法局",
        4,
        dt.date(2026, 12, 31),
    ),
    Item(
        "发展银发经济完善养老服务体系",
        "standing_committee_deliberation",
        "社会和法制委员会",
        "市民政局",
        4,
        dt.date(2026, 12, 20),
    ),
    Item("推进职业教育产教融合", "biweekly", "教科卫体委员会", "市教育局", 1, dt.date(2026, 4, 30)),
    Item(
        "提升基层医疗卫生服务能力",
        "counterpart",
        "教科卫体委员会",
        "市卫生健康委员会",
        3,
        dt.date(2026, 9, 30),
    ),
    Item(
        "加强老旧小区改造后续管理",
        "sector",
        "社会和法制委员会",
        "市住房和城乡建设局",
        3,
        dt.date(2026, 9, 15),
    ),
    Item(
        "重点提案办理协商：城市停车设施建设",
        "proposal_handling",
        "提案委员会",
        "市城市管理局",
        2,
        dt.date(2026, 6, 30),
    ),
    Item("全市经济运行情况通报", "briefing", "经济委员会", "市发展和改革委员会", 3, dt.date(2026, 8, 15)),
)

# The three topic consultations held this year: day, place, minutes, outcome.
HELD: tuple[tuple[int, dt.date, str, str, str, str], ...] = (
    (
        0,
        dt.date(2026, 6, 18),
        "市政协常委会议室",
        "会议听取了市发改委关于城乡融合发展情况的通报，8位委员作了发言，围绕城乡要素双向流动、公共服务均等化、县域经济发展等提出意见建议。市政府副市长到会听取意见并讲话。",
        "关于推进城乡融合发展促进共同富裕的建议",
        "一、健全城乡要素双向流动机制……二、推进城乡基本公共服务均等化……三、壮大县域经济……",
    ),
    (
        1,
        dt.date(2026, 8, 20),
        "市民中心第三会议室",
        "会议围绕民营企业反映集中的准入、融资、账款拖欠等问题协商议政，相关部门现场回应。",
        "关于持续优化民营经济发展环境的专报",
        "一、清理妨碍公平竞争的规定……二、建立政府拖欠账款清偿长效机制……三、完善政企沟通机制……",
    ),
    (
        2,
        dt.date(2026, 10, 22),
        "明湖生态保护中心",
        "委员们实地察看了明湖入湖河道治理情况，围绕生态补偿、岸线管控、面源污染治理等建言。",
        "关于加强明湖流域水生态保护与修复的建议案",
        "一、建立流域横向生态补偿机制……二、严格岸线分区管控……三、系统治理农业面源污染……",
    ),
)

SPEECHES: tuple[tuple[str, str, str], ...] = (
    ("booked", "畅通城乡要素流动的几点建议", "建议加快农村集体经营性建设用地入市改革……"),
    ("booked", "以县域为载体推进新型城镇化", "县域是城乡融合的关键支撑……"),
    ("booked", "补齐农村公共服务短板", "建议推动优质教育医疗资源向农村延伸……"),
    ("impromptu", "关于人才下乡的补充意见", ""),
    ("impromptu", "数字乡村建设要避免重建设轻应用", ""),
)

ADOPTIONS = (
    ("policy_issued", "市政府出台《关于推进城乡融合发展的实施意见》，吸纳建议12条。"),
    ("adopted", "相关建议已纳入市优化营商环境三年行动方案。"),
    ("in_progress", "市生态环境局正会同相关部门研究生态补偿办法。"),
)


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _actor(council: Council, role: str, **filters: object) -> Actor:
    row = (
        CouncilRole.objects.filter(council=council, role=role, **filters)
        .select_related("user")
        .order_by("id")
        .first()
    )
    if row is None:
        raise RuntimeError(f"The demo city has no {role} user: run seed_demo first.")
    return Actor(
        user=row.user,
        council=council,
        roles=frozenset({role}),
        oversight_office_ids=frozenset({row.oversight_office_id}) if row.oversight_office_id else frozenset(),
    )


def _by_name(model: type, council: Council, name: str) -> object | None:
    return model.objects.filter(council=council, name=name).first()  # type: ignore[attr-defined]


def _values(council: Council, item: Item) -> p_actions.ItemValues:
    return p_actions.ItemValues(
        topic=item.topic,
        kind=item.kind,
        quarter=item.quarter,
        lead_committee=_by_name(SpecialCommittee, council, item.committee),  # type: ignore[arg-type]
        partner_unit=_by_name(HandlingUnit, council, item.unit),  # type: ignore[arg-type]
        decision_expected_on=item.decision,
        themes=item.themes,
    )


def _closed(city: Council, item: PlanItem, day: dt.date, user: Any) -> Consultation:
    """A consultation of an item, held on day and closed, written directly
    (the history before the platform was used)."""
    due = preparation_due_dates(city, day)
    consultation = Consultation.objects.create(
        council=city,
        plan_item=item,
        year=day.year,
        kind=item.kind,
        topic=item.topic,
        starts_at=_at(day),
        place="市政协常委会议室",
        lead_committee=item.lead_committee,
        status=ConsultationStatus.CLOSED,
        notice_due_on=due.notice_due_on,
        materials_due_on=due.materials_due_on,
        notice_sent_at=_at(due.notice_due_on),
        materials_sent_at=_at(due.materials_due_on),
        held_on=day,
        minutes_due_on=minutes_due_date(city, day),
        minutes="会议纪要已报送市委、市政府。",
        minutes_sent_at=_at(day + dt.timedelta(days=5)),
        created_by=user,
    )
    consultation.themes.set(item.themes.all())
    return consultation


def _past_plans(city: Council, staff: Actor, offices: list[OversightOffice]) -> None:
    """Issued plans of earlier years with their consultations held and
    outcomes converted: the history themes are followed through."""
    for year, items in PAST_PLANS.items():
        plan = p_actions.create_plan(year=year, title=f"明湖市政协{year}年度协商计划", actor=staff)
        for number, (topic, kind, committee, unit, themes) in enumerate(items):
            values = _values(
                city, Item(topic, kind, committee, unit, 2 + number, dt.date(year, 9, 30), themes)
            )
            item = p_actions.save_plan_item(plan, values=values, actor=staff)
            day = dt.date(year, 5 + 2 * number, 16)
            consultation = _closed(city, item, day, staff.user)
            outcome = Outcome.objects.create(
                council=city,
                consultation=consultation,
                kind="special_report" if number % 2 == 0 else "recommendation",
                title=f"关于{topic}的建议",
                text="（协商成果全文）",
                status=OutcomeStatus.CONVERTED,
                sent_at=_at(day + dt.timedelta(days=20)),
                adoption="adopted" if number % 2 == 0 else "policy_issued",
                adoption_note="建议已被相关部门采纳落实。",
                adoption_recorded_at=_at(day + dt.timedelta(days=90)),
                created_by=staff.user,
            )
            outcome.offices.set(offices)
        ConsultationPlan.objects.filter(pk=plan.pk).update(
            status=PlanStatus.ISSUED,
            approved_on=dt.date(year, 2, 20),
            approval_note="主席会议审议通过",
            issued_on=dt.date(year, 3, 1),
            document_number=f"明委办发〔{year}〕{year % 100}号",
        )


def _participants(consultation: Consultation, staff: Actor, members: list[Member]) -> None:
    for member in members:
        c_actions.add_participant(
            consultation, category=ParticipantCategory.MEMBER, member=member, actor=staff
        )
    unit = HandlingUnit.objects.filter(council=consultation.council).order_by("id").first()
    for category, name, organisation, phone in (
        (ParticipantCategory.GOVERNMENT_LEADER, "刘振华", "明湖市人民政府副市长", ""),
        (ParticipantCategory.DEPARTMENT, "陈立新", "分管副局长", ""),
        (ParticipantCategory.EXPERT, "周文博", "江南大学公共管理学院教授", "13957100001"),
        (ParticipantCategory.CITIZEN, "吴秀英", "湖东区居民代表", "13957100002"),
        (ParticipantCategory.GRASSROOTS, "郑国强", "清溪镇党委书记", "13957100003"),
    ):
        c_actions.add_participant(
            consultation,
            category=category,
            name=name,
            organisation=organisation,
            phone=phone,
            handling_unit=unit if category == ParticipantCategory.DEPARTMENT else None,
            actor=staff,
        )


@dataclass(frozen=True)
class _People:
    """Who acts in the demo city's consultations."""

    staff: Actor
    leader: Actor
    offices: list[OversightOffice]
    office_actors: list[Actor]
    # Members with a login first, so that their pages show speeches.
    members: list[Member]


def _hold(
    city: Council, item: PlanItem, spec: tuple[int, dt.date, str, str, str, str], number: int, people: _People
) -> None:
    """Hold the number-th consultation of the plan (spec: item index, day,
    place, minutes, outcome title and text) and follow its outcome to what
    became of it; then move the facts back to when they happened."""
    _index, day, place, minutes, title, text = spec
    consultation = _held(city, item, day, place, minutes, number, people)
    outcome = _followed_outcome(consultation, title, text, number, people)
    due = preparation_due_dates(city, day)
    Consultation.objects.filter(pk=consultation.pk).update(
        notice_sent_at=_at(due.notice_due_on - dt.timedelta(days=2)),
        materials_sent_at=_at(due.materials_due_on),
        minutes_sent_at=_at(minutes_due_date(city, day) - dt.timedelta(days=2)),
    )
    Speech.objects.filter(consultation=consultation).update(delivered_at=_at(day, 15))
    Outcome.objects.filter(pk=outcome.pk).update(
        sent_at=_at(day + dt.timedelta(days=14)),
        adoption_recorded_at=_at(day + dt.timedelta(days=45))
        if outcome.adoption != "in_progress"
        else timezone.now(),
    )
    outcome.instructions.update(instructed_on=day + dt.timedelta(days=21))


def _held(
    city: Council, item: PlanItem, day: dt.date, place: str, minutes: str, number: int, people: _People
) -> Consultation:
    """The consultation on item: research beforehand, the notice, five
    speeches (one over time), then held, minuted and closed."""
    staff, members = people.staff, people.members
    consultation = c_actions.create_consultation(
        details=c_actions.ConsultationDetails(
            kind=item.kind,
            topic=item.topic,
            starts_at=_at(day, 14),
            place=place,
            lead_committee=item.lead_committee,
            description="围绕年度协商计划确定的议题，开展专题协商。",
        ),
        plan_item=item,
        actor=staff,
    )
    speakers = members[number * 5 : number * 5 + 5]
    _participants(consultation, staff, speakers + members[20 + number * 5 : 25 + number * 5])
    c_actions.record_activity(
        consultation,
        kind="research" if number != 2 else "inspection",
        title=f"“{item.topic}”协商前专题调研",
        held_on=day - dt.timedelta(days=40),
        place="各区县",
        members=speakers[:3],
        report="调研组先后走访了4个区县、12个部门和单位，召开座谈会6场，形成调研报告。",
        actor=staff,
    )
    c_actions.send_notice(consultation, actor=staff)
    for member, (kind, speech_title, speech_text) in zip(speakers, SPEECHES, strict=False):
        speech = s_actions.add_speech(
            consultation, member=member, kind=kind, title=speech_title, text=speech_text, actor=staff
        )
        taken = (
            speech.allotted_seconds - 40
            if member != speakers[1] or number != 0
            else speech.allotted_seconds + 75
        )
        s_actions.record_speech_duration(speech, duration_seconds=taken, actor=staff)
    c_actions.mark_held(consultation, held_on=day, actor=staff)
    c_actions.send_minutes(consultation, minutes=minutes, actor=staff)
    c_actions.close_consultation(consultation, actor=staff)
    return consultation


def _followed_outcome(
    consultation: Consultation, title: str, text: str, number: int, people: _People
) -> Outcome:
    """The consultation's outcome, sent to the offices, instructed on by a
    leader, and what became of it."""
    staff, office_actors = people.staff, people.office_actors
    outcome = o_actions.write_outcome(
        consultation,
        kind="special_report" if number != 2 else "recommendation",
        title=title,
        text=text,
        actor=staff,
    )
    o_actions.send_outcome(outcome, offices=people.offices, actor=staff)
    o_actions.record_outcome_instruction(
        outcome,
        leader_name=("王建国", "李明", "张华")[number],
        leader_title=("市委书记", "市长", "市委副书记")[number],
        level="city",
        text="此件很好，请相关部门认真研究吸纳，抓好落实。",
        instructed_on=timezone.localdate(),
        actor=office_actors[number % len(office_actors)],
    )
    adoption, note = ADOPTIONS[number]
    return o_actions.record_adoption(
        outcome,
        adoption=adoption,
        note=note,
        follow_up_on=timezone.localdate() + dt.timedelta(days=30) if adoption == "in_progress" else None,
        actor=office_actors[(number + 1) % len(office_actors)],
    )


@transaction.atomic
def seed_demo_consultations() -> int:
    """Create the demo city's consultations; return how many consultations
    were made (0 when the city already has a 2026 plan: running again is safe)."""
    city = Council.objects.filter(slug=DEMO_SLUG).first()
    if city is None:
        raise RuntimeError("No demo city: run seed_demo first.")
    if ConsultationPlan.objects.filter(council=city, year=YEAR).exists():
        return 0
    started = timezone.now()
    people = _people(city)
    _past_plans(city, people.staff, people.offices)
    items = _plan_of_the_year(city, people)
    for number, spec in enumerate(HELD):
        _hold(city, items[spec[0]], spec, number, people)
    # The biweekly, proposal-handling and briefing items were held on time;
    # 提升基层医疗卫生服务能力 passed its decision date without one (flagged).
    for index, day in ((5, dt.date(YEAR, 4, 16)), (8, dt.date(YEAR, 6, 11)), (9, dt.date(YEAR, 7, 30))):
        _closed(city, items[index], day, people.staff.user)
    _coming_up(items, people)
    Notification.objects.filter(
        council=city, kind__startswith="consultations.", created_at__gte=started
    ).delete()
    return Consultation.objects.filter(council=city).count()


def _people(city: Council) -> _People:
    offices = list(OversightOffice.objects.filter(council=city).order_by("id"))
    people = _People(
        staff=_actor(city, Role.STAFF),
        leader=_actor(city, Role.LEADER),
        offices=offices,
        office_actors=[_actor(city, Role.OVERSIGHT, oversight_office=office) for office in offices],
        members=list(
            Member.objects.filter(council=city, is_active=True).order_by(
                F("user_id").desc(nulls_last=True), "id"
            )[:40]
        ),
    )
    if len(people.members) < 35 or not offices:
        raise RuntimeError("The demo city lacks members or offices: run seed_demo first.")
    return people


def _plan_of_the_year(city: Council, people: _People) -> list[PlanItem]:
    """This year's plan: drafted, commented on by the offices, approved,
    issued and amended once; return its items."""
    staff, office_actors = people.staff, people.office_actors
    plan = p_actions.create_plan(year=YEAR, title=f"明湖市政协{YEAR}年度协商计划", actor=staff)
    items = [p_actions.save_plan_item(plan, values=_values(city, item), actor=staff) for item in PLAN_2026]
    p_actions.send_plan_for_revision(plan, actor=staff)
    suggestion = p_actions.suggest_plan_change(
        plan,
        item=items[4],
        text="市政府拟于年底前出台养老服务体系建设规划，建议该项协商调整到第三季度。",
        proposed={"quarter": "3"},
        actor=office_actors[-1],
    )
    p_actions.decide_plan_suggestion(
        suggestion, accept=False, note="已与市民政局沟通，规划出台时间推迟，维持原安排。", actor=staff
    )
    comment = p_actions.suggest_plan_change(
        plan, item=items[0], text="建议邀请县（市、区）分管领导参加。", actor=office_actors[0]
    )
    p_actions.decide_plan_suggestion(comment, accept=True, note="采纳。", actor=staff)
    p_actions.approve_plan(
        plan, approved_on=timezone.localdate(), note="十四届市政协第15次主席会议", actor=people.leader
    )
    p_actions.issue_plan(
        plan, issued_on=timezone.localdate(), document_number="明委办发〔2026〕8号", actor=staff
    )
    p_actions.save_plan_item(
        plan,
        item=items[7],
        values=replace(_values(city, PLAN_2026[7]), quarter=4),
        reason="市住建局工作安排调整，协商时间顺延至第四季度。",
        actor=staff,
    )
    ConsultationPlan.objects.filter(pk=plan.pk).update(
        approved_on=dt.date(YEAR, 2, 26), issued_on=dt.date(YEAR, 3, 5)
    )
    PlanItem.objects.filter(pk=items[7].pk).update(decision_expected_on=dt.date(YEAR, 12, 15))
    PlanAmendment.objects.filter(plan=plan).update(made_at=_at(dt.date(YEAR, 7, 10)))
    return items


def _coming_up(items: list[PlanItem], people: _People) -> None:
    """Coming up: the legislative consultation, notice sent; the standing
    committee deliberation still being prepared."""
    staff, members = people.staff, people.members
    today = timezone.localdate()
    for index, offset, notify in ((3, 12, True), (4, 24, False)):
        day = today + dt.timedelta(days=offset)
        consultation = c_actions.create_consultation(
            details=c_actions.ConsultationDetails(
                kind=items[index].kind,
                topic=items[index].topic,
                starts_at=_at(day, 9),
                place="市政协常委会议室",
                lead_committee=items[index].lead_committee,
            ),
            plan_item=items[index],
            actor=staff,
        )
        _participants(consultation, staff, members[30:35])
        if notify:
            c_actions.send_notice(consultation, actor=staff)
            s_actions.add_speech(
                consultation,
                member=members[30],
                kind="booked",
                title="关于物业服务收费监管条款的意见",
                text="建议第二十三条增加物业服务收费公示的具体要求……",
                actor=staff,
            )
