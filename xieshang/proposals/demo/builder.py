"""A year of proposals for the demo city (明湖市政协, slug demo-city): about
500 proposals over recurring themes, in every status, driven through the
real actions so that every timeline, reply and rating is complete; dates are
then moved back to where they would have happened.

Run after seed_demo (which creates the council, its people and units). Each
proposal's story is told in steps (filed, reviewed, assigned, answered,
rated, concluded) and stops at the status PLAN gives it; a fixed random seed
makes the year the same on every run.
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
from xieshang.proposals.demo.themes import CATEGORY_NAMES, THEMES, TITLE_FORMS, Theme, reply_text
from xieshang.proposals.models import (
    Assignment,
    DeclineReason,
    Proposal,
    ProposalCategory,
    Reply,
    ReplyCategory,
)
from xieshang.proposals.queries import theme_year
from xieshang.proposals.states import AssignmentRole, ProposalStatus, Window
from xieshang.themes.demo import tag_by_title

DEMO_SLUG = "demo-city"
YEAR = 2026

# How many proposals end in each status (about 500 in all).
PLAN: tuple[tuple[str, int], ...] = (
    (ProposalStatus.DRAFT, 18),
    (ProposalStatus.SUBMITTED, 30),
    (ProposalStatus.RETURNED, 10),
    (ProposalStatus.DECLINED, 38),
    (ProposalStatus.CONVERTED, 14),
    (ProposalStatus.MERGED, 20),
    (ProposalStatus.ACCEPTED, 16),
    (ProposalStatus.ASSIGNED, 96),
    (ProposalStatus.REPLIED, 24),
    (ProposalStatus.RELEASED, 44),
    (ProposalStatus.RATED, 50),
    (ProposalStatus.REHANDLING, 10),
    (ProposalStatus.CONCLUDED, 130),
)


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


def _category(council: Council, name: str) -> ProposalCategory:
    """The council's default category the demo calls name, stored in the
    platform's language as create_default_lists stored it."""
    default = DEFAULT_CATEGORIES[CATEGORY_NAMES.index(name)]
    with translation.override(settings.LANGUAGE_CODE):
        return ProposalCategory.objects.get(council=council, name=str(default))


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


@dataclass
class Story:
    """One demo proposal on its way to its final status."""

    proposal: Proposal
    theme: Theme
    content: filing.ProposalContent
    proposer: Actor
    final: str
    submitted: dt.date
    stamps: dict[str, dt.datetime]
    dissatisfied: bool = False


# Stamped with the review's day, whichever way the review went.
REVIEWED = (
    "proposal.accepted",
    "proposal.declined",
    "proposal.converted",
    "proposal.merged",
    "proposal.returned",
)
# Proposals far along the workflow were filed early in the year.
FILED_EARLY = (
    ProposalStatus.REPLIED,
    ProposalStatus.RELEASED,
    ProposalStatus.RATED,
    ProposalStatus.REHANDLING,
    ProposalStatus.CONCLUDED,
)


def _one(cast: Cast, rng: random.Random, number: int, final: str) -> Proposal | None:
    story = _draft(cast, rng, number, final)
    cast.stamps[story.proposal.pk] = story.stamps
    if final == ProposalStatus.DRAFT:
        return story.proposal
    reviewed = _submit(rng, story)
    if final == ProposalStatus.SUBMITTED:
        return story.proposal
    if final in (
        ProposalStatus.RETURNED,
        ProposalStatus.DECLINED,
        ProposalStatus.CONVERTED,
        ProposalStatus.MERGED,
    ):
        return _review(cast, story, reviewed)
    story.proposal = review.accept_proposal(story.proposal, actor=cast.staff)
    if final == ProposalStatus.ACCEPTED:
        return story.proposal
    assigned_on = _assign(cast, rng, story, reviewed)
    if final == ProposalStatus.ASSIGNED:
        return story.proposal
    return _handle(cast, rng, story, assigned_on)


def _filed_on(rng: random.Random, content: filing.ProposalContent, final: str) -> dt.date:
    late_month = 4 if final in FILED_EARLY else 10
    if content.window == Window.SESSION:
        submitted = dt.date(YEAR, 1, rng.randint(5, 12))
    else:
        submitted = dt.date(YEAR, rng.randint(2, late_month), rng.randint(1, 28))
    if final == ProposalStatus.DRAFT:
        submitted = dt.date(YEAR, 11, rng.randint(1, 25))
    return submitted


def _draft(cast: Cast, rng: random.Random, number: int, final: str) -> Story:
    """A member's draft on the number-th theme, with co-signers now and then."""
    theme = THEMES[number % len(THEMES)]
    member = cast.members[rng.randrange(len(cast.members))]
    proposer = _member_actor(cast, member)
    content = _content(rng, theme, cast)
    submitted = _filed_on(rng, content, final)
    stamps = {"proposal.draft_saved": _at(submitted - dt.timedelta(days=rng.randint(1, 6)))}
    proposal = filing.save_draft(None, actor=proposer, content=content)
    if rng.random() < 0.2:
        others = [m for m in rng.sample(cast.members, 4) if m.pk != member.pk][: rng.randint(1, 3)]
        rows = filing.invite_cosigners(proposal, actor=proposer, members=others)
        for row in rows:
            filing.answer_cosign(row, actor=_member_actor(cast, row.member), confirm=rng.random() < 0.85)
        stamps["proposal.cosigner_invited"] = stamps["proposal.draft_saved"]
        stamps["proposal.cosign_confirmed"] = stamps["proposal.cosign_refused"] = _at(submitted, 9)
    return Story(proposal, theme, content, proposer, final, submitted, stamps)


def _submit(rng: random.Random, story: Story) -> dt.date:
    """Submit the draft; return the day staff review it."""
    story.proposal = filing.submit_proposal(story.proposal, actor=story.proposer, today=story.submitted)
    story.stamps["proposal.submitted"] = _at(story.submitted)
    reviewed = story.submitted + dt.timedelta(days=rng.randint(7, 25))
    story.stamps.update(dict.fromkeys(REVIEWED, _at(reviewed)))
    return reviewed


def _review(cast: Cast, story: Story, reviewed: dt.date) -> Proposal:
    """End the story at the review: returned, declined, converted or merged."""
    proposal, staff = story.proposal, cast.staff
    if story.final == ProposalStatus.RETURNED:
        return review.return_for_revision(
            proposal, actor=staff, reason="建议部分较为笼统，请补充具体可行的措施后重新提交。"
        )
    if story.final == ProposalStatus.DECLINED:
        reason = DeclineReason.objects.filter(council=cast.council).order_by("?").first()
        assert reason is not None
        return review.decline_proposal(proposal, actor=staff, reason=reason)
    if story.final == ProposalStatus.CONVERTED:
        return review.convert_proposal(
            proposal,
            actor=staff,
            target="opinion_report",
            consent_note=f"{reviewed:%m月%d日}电话征得提案人同意",
        )
    into = (
        Proposal.objects.filter(
            council=cast.council,
            term=cast.term,
            status__in=(ProposalStatus.ACCEPTED, ProposalStatus.ASSIGNED),
        )
        .order_by("?")
        .first()
    )
    if into is None:
        return review.return_for_revision(proposal, actor=staff, reason="请补充具体建议。")
    return review.merge_proposal(proposal, actor=staff, into=into, note="与同类提案并案办理")


def _assign(cast: Cast, rng: random.Random, story: Story, reviewed: dt.date) -> dt.date:
    """Assign the accepted proposal to its theme's units; return the day."""
    # Session proposals go to the assignment meeting in February.
    assigned_on = (
        dt.date(YEAR, 2, 10) if story.content.window == Window.SESSION else reviewed + dt.timedelta(days=5)
    )
    if story.final == ProposalStatus.ASSIGNED and rng.random() < 0.75:
        # Recent ones, not yet due.
        assigned_on = dt.date(YEAR, rng.randint(9, 11), rng.randint(1, 20))
    assigned_on = min(assigned_on, dt.date(YEAR, 11, 20))
    story.proposal = handling.assign_proposal(
        story.proposal, actor=cast.staff, units=_units_for(story.theme, cast, rng), assigned_on=assigned_on
    )
    story.stamps["proposal.assigned"] = _at(assigned_on)
    if rng.random() < 0.04:
        extend = Assignment.objects.filter(proposal=story.proposal, is_active=True).first()
        if extend is not None:
            handling.approve_extension(
                extend,
                actor=cast.staff,
                new_due_on=extend.due_on + dt.timedelta(days=45),
                reason="涉及多部门协调，需延期办理",
            )
    return assigned_on


def _handle(cast: Cast, rng: random.Random, story: Story, assigned_on: dt.date) -> Proposal:
    """Reply, release and rate; order rehandling after a dissatisfied
    rating; conclude — each as far as the final status goes."""
    rated_on = _first_round(cast, rng, story, assigned_on)
    if rated_on is None or story.final == ProposalStatus.RATED:
        return story.proposal
    proposal = story.proposal
    proposal.refresh_from_db()
    if story.dissatisfied and proposal.status == ProposalStatus.RATED:
        rated_on = _rehandle(cast, rng, story, rated_on)
    if story.final == ProposalStatus.REHANDLING:
        return story.proposal
    return _conclude(cast, rng, story, rated_on)


def _first_round(cast: Cast, rng: random.Random, story: Story, assigned_on: dt.date) -> dt.date | None:
    """The units reply, staff release, the proposer rates; return the day of
    the rating (None when the story ends before it)."""
    proposal, final = story.proposal, story.final
    replied_on = assigned_on + dt.timedelta(days=rng.randint(30, 85))
    _reply_round(cast, rng, proposal, story.theme, replied_on)
    story.stamps["proposal.reply_submitted"] = _at(replied_on)
    if final == ProposalStatus.REPLIED:
        return None
    released_on = replied_on + dt.timedelta(days=rng.randint(2, 8))
    if final == ProposalStatus.RELEASED:
        # Recently released: most proposers can still rate.
        released_on = max(released_on, timezone.localdate() - dt.timedelta(days=rng.randint(0, 20)))
    _release_round(cast, proposal, released_on)
    story.stamps["proposal.reply_released"] = _at(released_on)
    if final == ProposalStatus.RELEASED:
        return None
    rated_on = released_on + dt.timedelta(days=rng.randint(1, 12))
    story.dissatisfied = final == ProposalStatus.REHANDLING or rng.random() < 0.06
    _rate_round(cast, rng, proposal, rated_on, dissatisfied=story.dissatisfied)
    story.stamps["proposal.rated"] = _at(rated_on)
    return rated_on


def _rehandle(cast: Cast, rng: random.Random, story: Story, rated_on: dt.date) -> dt.date:
    """Order rehandling after the dissatisfied rating; unless the story ends
    there, the units answer again and the proposer rates the second reply.
    Return the day of the last rating."""
    ordered_on = rated_on + dt.timedelta(days=3)
    story.proposal = review.order_rehandling(
        story.proposal, actor=cast.staff, reason="提案人对答复不满意，请进一步研究办理", today=ordered_on
    )
    story.stamps["proposal.rehandling_ordered"] = _at(ordered_on)
    if story.final == ProposalStatus.REHANDLING:
        return rated_on
    second_on = rated_on + dt.timedelta(days=rng.randint(20, 40))
    _reply_round(cast, rng, story.proposal, story.theme, second_on)
    _release_round(cast, story.proposal, second_on + dt.timedelta(days=2))
    _rate_round(cast, rng, story.proposal, second_on + dt.timedelta(days=5), dissatisfied=False)
    return second_on + dt.timedelta(days=5)


def _conclude(cast: Cast, rng: random.Random, story: Story, rated_on: dt.date) -> Proposal:
    concluded_on = rated_on + dt.timedelta(days=rng.randint(1, 10))
    proposal = review.conclude_proposal(story.proposal, actor=cast.staff, today=concluded_on)
    story.stamps["proposal.concluded"] = _at(concluded_on)
    # Recorded by the conclusion: ratings missing from closed windows, and
    # the follow-up of a B-category reply.
    story.stamps["proposal.feedback_missing"] = story.stamps["proposal.follow_up_opened"] = _at(concluded_on)
    if rng.random() < 0.08:
        review.mark_outstanding(proposal, actor=cast.staff, is_outstanding=True)
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
                text=reply_text(theme, code),
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
    finals.sort(key=lambda s: 0 if s in (ProposalStatus.ASSIGNED, ProposalStatus.ACCEPTED) else 1)
    made = 0
    for number, final in enumerate(finals):
        if _one(cast, rng, number, final) is not None:
            made += 1
    key_candidates = list(
        Proposal.objects.filter(
            council=council,
            status__in=(ProposalStatus.ASSIGNED, ProposalStatus.RELEASED, ProposalStatus.CONCLUDED),
        ).order_by("id")[:8]
    )
    if cast.leader is not None:
        for proposal in key_candidates:
            review.mark_key(proposal, actor=cast.staff, is_key=True, supervising_leader=cast.leader)
    _backdate(cast)
    filed = (
        Proposal.objects.filter(council=council)
        .exclude(status=ProposalStatus.DRAFT)
        .select_related("session")
    )
    tag_by_title(filed, year_of=theme_year, staff=cast.staff)
    # The year's messages were read long ago; today's work lists come from the data.
    Notification.objects.filter(
        council=council, created_at__gte=started, kind__startswith="proposal."
    ).update(read_at=timezone.now())
    return made
