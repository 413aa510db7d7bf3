"""Reads of proposals, always scoped by the acting council and what the
actor may see. access_* raise the same 404 for missing and forbidden."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xieshang.councils.models import Council, Member, NamedBody
from xieshang.councils.queries import get_setting
from xieshang.councils.roles import Actor, Perm
from xieshang.proposals.models import (
    COLLECTIVE_KINDS,
    Assignment,
    CollectiveFiler,
    Cosigner,
    FollowUp,
    HandlingNote,
    Proposal,
    Reply,
    ReplyCategory,
)
from xieshang.proposals.permissions import (
    can_tag_themes,
    can_view,
    is_unit_of,
    is_unit_of_follow_up,
    unit_assignments,
)
from xieshang.proposals.states import (
    AssignmentRole,
    CosignStatus,
    FollowUpStatus,
    NoteKind,
    ProposalStatus,
    ReplyStatus,
)
from xieshang.themes.queries import TaggedItem


def _base(council: Council) -> QuerySet[Proposal]:
    return Proposal.objects.filter(council=council).select_related(
        "lead_proposer",
        "category",
        "author_affiliation",
        "author_sector",
        "author_committee",
        "author_group",
    )


def access_proposal(actor: Actor, proposal_id: int, *, for_update: bool = False) -> Proposal:
    """The proposal with this id, if the actor may see it; else Http404."""
    rows = _base(actor.council).select_related("decline_reason", "merged_into", "session", "term")
    # One row by its key: unordered, where first() would compile an ORDER BY.
    proposal = next(iter(rows.filter(pk=proposal_id).order_by()[:1]), None)
    if proposal is None or not can_view(actor, proposal):
        raise Http404
    return proposal


def theme_year(proposal: Proposal) -> int:
    """The year a proposal's themes count in: its session's, else its filing's."""
    if proposal.session is not None:
        return int(proposal.session.year)
    filed = proposal.submitted_at or proposal.created_at
    return timezone.localtime(filed).year if filed else timezone.localdate().year


def access_proposal_to_tag(actor: Actor, proposal_id: int) -> TaggedItem:
    """A filed proposal of the actor's council that the actor may tag with
    themes; Http404 for a missing, draft or foreign proposal, or an actor
    who may not tag it (the same answer for all)."""
    proposal = _base(actor.council).select_related("session", "council").filter(pk=proposal_id).first()
    if proposal is None or not can_tag_themes(actor, proposal):
        raise Http404
    return TaggedItem(
        kind="proposal",
        label=_("proposal"),
        obj=proposal,
        year=theme_year(proposal),
        title=proposal.title,
        url=reverse("proposals:detail", kwargs={"council_slug": actor.council.slug, "pk": proposal.pk}),
    )


def access_assignment(actor: Actor, assignment_id: int) -> Assignment:
    """An assignment the actor's unit holds, or any in the council for staff."""
    assignment = (
        Assignment.objects.filter(council=actor.council, pk=assignment_id)
        .select_related("proposal", "unit")
        .first()
    )
    if assignment is None:
        raise Http404
    if not (actor.has(Perm.VIEW_ALL_PROPOSALS) or (is_unit_of(actor, assignment) and assignment.is_active)):
        raise Http404
    return assignment


def access_reply(actor: Actor, reply_id: int) -> Reply:
    reply = (
        Reply.objects.filter(council=actor.council, pk=reply_id)
        .select_related("assignment__proposal", "assignment__unit", "category")
        .first()
    )
    if reply is None or not can_view(actor, reply.assignment.proposal):
        raise Http404
    # Proposers read a reply only once staff released it.
    is_insider = actor.has(Perm.VIEW_ALL_PROPOSALS) or is_unit_of(actor, reply.assignment)
    if not is_insider and reply.status != ReplyStatus.RELEASED:
        raise Http404
    return reply


def access_cosign_request(actor: Actor, cosigner_id: int) -> Cosigner:
    if actor.member is None:
        raise Http404
    row = (
        Cosigner.objects.filter(pk=cosigner_id, member=actor.member, proposal__council=actor.council)
        .select_related("proposal", "proposal__lead_proposer")
        .first()
    )
    if row is None:
        raise Http404
    return row


def my_proposals(actor: Actor) -> QuerySet[Proposal]:
    """What the actor filed, leads or confirmed as cosigner, newest first."""
    if actor.member is None and not actor.has(Perm.FILE_PROPOSALS):
        return Proposal.objects.none()
    mine = Q(filed_by=actor.user)
    if actor.member is not None:
        mine |= Q(lead_proposer=actor.member) | Q(
            cosigners__member=actor.member, cosigners__status=CosignStatus.CONFIRMED
        )
    return _base(actor.council).filter(mine).distinct().order_by("-updated_at", "-id")


def cosign_requests(actor: Actor) -> QuerySet[Cosigner]:
    """Invitations waiting for the actor's answer."""
    if actor.member is None:
        return Cosigner.objects.none()
    return (
        Cosigner.objects.filter(
            member=actor.member,
            status=CosignStatus.INVITED,
            proposal__council=actor.council,
            proposal__status__in=(ProposalStatus.DRAFT, ProposalStatus.SUBMITTED, ProposalStatus.RETURNED),
        )
        .select_related("proposal", "proposal__lead_proposer")
        .order_by("invited_at", "id")
    )


@dataclass(frozen=True)
class QueueFilters:
    status: str = ProposalStatus.SUBMITTED
    category_id: int | None = None
    window: str = ""
    text: str = ""


def staff_proposals(actor: Actor, filters: QueueFilters) -> QuerySet[Proposal]:
    """Filed proposals for staff lists, oldest submission first."""
    if not actor.has(Perm.VIEW_ALL_PROPOSALS):
        return Proposal.objects.none()
    rows = _base(actor.council).exclude(status=ProposalStatus.DRAFT)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.category_id:
        rows = rows.filter(category_id=filters.category_id)
    if filters.window:
        rows = rows.filter(window=filters.window)
    if filters.text:
        rows = rows.filter(Q(title__icontains=filters.text) | Q(case_number__icontains=filters.text))
    # Units' objections staff still have to settle by reassigning.
    objected = Assignment.objects.filter(proposal=OuterRef("pk"), is_active=True, objected_at__isnull=False)
    return rows.annotate(has_objection=Exists(objected)).order_by("submitted_at", "id")


def status_counts(actor: Actor) -> dict[str, int]:
    """Filed proposals per status, for the filter chips."""
    if not actor.has(Perm.VIEW_ALL_PROPOSALS):
        return {}
    rows = (
        Proposal.objects.filter(council=actor.council)
        .exclude(status=ProposalStatus.DRAFT)
        .values("status")
        .annotate(n=Count("id"))
    )
    return {row["status"]: row["n"] for row in rows}


def unit_inbox(actor: Actor) -> QuerySet[Assignment]:
    """The actor's units' active assignments, soonest due first."""
    if not actor.has(Perm.HANDLE_PROPOSALS) or not actor.handling_unit_ids:
        return Assignment.objects.none()
    return (
        Assignment.objects.filter(council=actor.council, unit_id__in=actor.handling_unit_ids, is_active=True)
        .select_related("proposal", "unit", "proposal__lead_proposer")
        .order_by("due_on", "id")
    )


# A unit still works on an assignment while its proposal is in these states.
IN_HAND = (ProposalStatus.ASSIGNED, ProposalStatus.REHANDLING)


@dataclass(frozen=True)
class UnitInbox:
    """The unit's list, split: what is in hand, by the due date after any
    extension (so the overdue come first), and what is closed, newest
    assignment first."""

    in_hand: QuerySet[Assignment]
    closed: QuerySet[Assignment]
    overdue: int


def unit_inbox_parts(actor: Actor, *, today: dt.date) -> UnitInbox:
    rows = unit_inbox(actor)
    due = Coalesce("extended_due_on", "due_on")
    in_hand = rows.filter(proposal__status__in=IN_HAND).annotate(due=due)
    return UnitInbox(
        in_hand=in_hand.order_by("due", "id"),
        closed=rows.exclude(proposal__status__in=IN_HAND).order_by("-assigned_on", "-id"),
        overdue=in_hand.filter(due__lt=today).count(),
    )


def replies_to_check(actor: Actor) -> QuerySet[Reply]:
    if not actor.has(Perm.RELEASE_REPLIES):
        return Reply.objects.none()
    return (
        Reply.objects.filter(council=actor.council, status=ReplyStatus.SUBMITTED)
        .select_related("assignment__proposal", "assignment__unit", "category")
        .order_by("submitted_at", "id")
    )


def rater_ids(proposal: Proposal) -> frozenset[int]:
    """Members who rate the proposal's replies: the lead proposer, the lead
    proposers of proposals merged into it, and (when the council says so)
    confirmed cosigners of all of them."""
    family = [proposal.pk, *proposal.merged_proposals.values_list("pk", flat=True)]
    ids = set(
        Proposal.objects.filter(pk__in=family, lead_proposer__isnull=False).values_list(
            "lead_proposer_id", flat=True
        )
    )
    # A collective proposal is rated by the member who filed it for the body.
    for collective in Proposal.objects.filter(pk__in=family, lead_proposer__isnull=True):
        principal = principal_rater_id(collective)
        if principal is not None:
            ids.add(principal)
    if get_setting(proposal.council, "cosigners_rate_replies"):
        ids |= set(
            Cosigner.objects.filter(proposal_id__in=family, status=CosignStatus.CONFIRMED).values_list(
                "member_id", flat=True
            )
        )
    return frozenset(ids)


def replies_for_proposer(proposal: Proposal) -> QuerySet[Reply]:
    """Released replies of a proposal, for its proposers."""
    return (
        Reply.objects.filter(assignment__proposal=proposal, status=ReplyStatus.RELEASED)
        .select_related("assignment__unit", "category")
        .order_by("handling_round", "assignment__role", "id")
    )


def current_replies(proposal: Proposal) -> QuerySet[Reply]:
    """Every reply of the proposal's current round, with units."""
    return (
        Reply.objects.filter(assignment__proposal=proposal, handling_round=proposal.handling_round)
        .select_related("assignment__unit", "category")
        .order_by("id")
    )


def ratings_due(actor: Actor, today: dt.date) -> QuerySet[Reply]:
    """Released replies the actor (as lead proposer, or proposer of a merged
    proposal) has not rated yet while the window is open."""
    if actor.member is None or not actor.has(Perm.FILE_PROPOSALS):
        return Reply.objects.none()
    member = actor.member
    return (
        Reply.objects.filter(
            council=actor.council,
            status=ReplyStatus.RELEASED,
            feedback_due_on__gte=today,
            handling_round=F("assignment__proposal__handling_round"),
            assignment__proposal__status__in=(ProposalStatus.RELEASED, ProposalStatus.RATED),
        )
        .filter(
            Q(assignment__proposal__lead_proposer=member)
            | Q(assignment__proposal__merged_proposals__lead_proposer=member)
            | Q(assignment__proposal__lead_proposer__isnull=True, assignment__proposal__filed_by=actor.user)
        )
        .exclude(feedback__member=member)
        .select_related("assignment__proposal", "assignment__unit")
        .distinct()
        .order_by("feedback_due_on", "id")
    )


def returned_to_me(actor: Actor) -> QuerySet[Proposal]:
    """The actor's proposals returned for revision."""
    return Proposal.objects.filter(
        council=actor.council, filed_by=actor.user, status=ProposalStatus.RETURNED
    ).order_by("id")


def objections_waiting(actor: Actor) -> QuerySet[Assignment]:
    """Units' objections staff have not settled by reassigning."""
    if not actor.has(Perm.ASSIGN_PROPOSALS):
        return Assignment.objects.none()
    return Assignment.objects.filter(
        council=actor.council,
        is_active=True,
        objected_at__isnull=False,
        proposal__status=ProposalStatus.ASSIGNED,
    )


def filed_proposals_by_ids(actor: Actor, ids: list[int]) -> list[Proposal]:
    """The filed proposals of the actor's council with these ids (staff only)."""
    if not actor.has(Perm.VIEW_ALL_PROPOSALS) or not ids:
        return []
    return list(_base(actor.council).exclude(status=ProposalStatus.DRAFT).filter(pk__in=ids))


def assignment_meeting_rows(actor: Actor, limit: int = 200) -> list[Proposal]:
    """Accepted proposals waiting for assignment, by case number, with their
    suggested units (for the assignment meeting page)."""
    if not actor.has(Perm.ASSIGN_PROPOSALS):
        return []
    return list(
        _base(actor.council)
        .filter(status=ProposalStatus.ACCEPTED)
        .prefetch_related("suggested_units")
        .order_by("case_number", "id")[:limit]
    )


@dataclass(frozen=True)
class VisibleHandling:
    """A proposal's active assignments and replies as one actor may see them,
    and which of the assignments are the actor's units' own."""

    assignments: QuerySet[Assignment]
    replies: QuerySet[Reply]
    mine: frozenset[int]
    is_insider: bool


def visible_handling(actor: Actor, proposal: Proposal) -> VisibleHandling:
    """Staff and leaders see every unit and reply; a handling unit its own
    assignments and their replies; anyone else who may read the proposal
    (its proposers) every unit and the released replies. Assignments come in
    due order, replies by handling round."""
    is_insider = actor.has(Perm.VIEW_ALL_PROPOSALS)
    mine = frozenset(a.pk for a in unit_assignments(actor, proposal))
    assignments = Assignment.objects.filter(proposal=proposal, is_active=True).select_related("unit")
    replies = Reply.objects.filter(assignment__proposal=proposal).select_related(
        "assignment__unit", "category"
    )
    if not is_insider:
        if mine:
            assignments = assignments.filter(pk__in=mine)
            replies = replies.filter(assignment_id__in=mine)
        else:
            replies = replies.filter(status=ReplyStatus.RELEASED)
    return VisibleHandling(
        assignments=assignments.order_by("due_on", "id"),
        replies=replies.order_by("handling_round", "id"),
        mine=mine,
        is_insider=is_insider,
    )


def visible_follow_ups(actor: Actor, proposal: Proposal, handling: VisibleHandling) -> QuerySet[FollowUp]:
    """The proposal's follow-ups: staff and leaders all, a unit handling it
    its own units', anyone else none."""
    if not (handling.is_insider or handling.mine):
        return FollowUp.objects.none()
    rows = proposal.follow_ups.select_related("unit").order_by("due_on", "id")
    if not handling.is_insider:
        rows = rows.filter(unit_id__in=actor.handling_unit_ids)
    return rows


def reply_categories(council: Council) -> QuerySet[ReplyCategory]:
    """The council's active reply categories, in their order."""
    return ReplyCategory.objects.filter(council=council, is_active=True).order_by("sort_order", "code")


def reply_with_unit(reply: Reply) -> Reply:
    """A reply just saved, read again with its unit and category."""
    return Reply.objects.select_related("assignment__unit", "category").get(pk=reply.pk)


def current_reply(assignment: Assignment) -> Reply | None:
    """The assignment's reply in the proposal's current handling round, if any."""
    return Reply.objects.filter(
        assignment=assignment, handling_round=assignment.proposal.handling_round
    ).first()


def notes_visible(actor: Actor, proposal: Proposal) -> list[HandlingNote]:
    """Handling records of the proposal the actor may read: staff and leaders
    all; a unit its own, and as lead unit its helpers' opinions; proposers
    the contacts and consultations they took part in."""
    rows = HandlingNote.objects.filter(assignment__proposal=proposal).select_related(
        "assignment__unit", "written_by"
    )
    if actor.has(Perm.VIEW_ALL_PROPOSALS):
        return list(rows)
    mine = [a for a in Assignment.objects.filter(proposal=proposal, is_active=True) if is_unit_of(actor, a)]
    if mine:
        leads = any(a.role == AssignmentRole.LEAD for a in mine)
        allowed = Q(assignment__in=mine)
        if leads:
            allowed |= Q(kind=NoteKind.HELPER_OPINION)
        return list(rows.filter(allowed))
    return list(rows.exclude(kind=NoteKind.HELPER_OPINION))


def key_proposals(actor: Actor) -> QuerySet[Proposal]:
    """Key proposals (重点提案) with their supervising leaders, by case number."""
    if not actor.has(Perm.VIEW_ALL_PROPOSALS):
        return Proposal.objects.none()
    return (
        _base(actor.council)
        .filter(is_key=True)
        .select_related("supervising_leader")
        .annotate(activities=Count("follow_throughs"))
        .order_by("case_number", "id")
    )


def principal_rater_id(proposal: Proposal) -> int | None:
    """The member whose rating settles the proposal: the lead proposer, or
    for a collective proposal the member who filed it for the body."""
    if proposal.lead_proposer_id is not None:
        return proposal.lead_proposer_id
    return (
        Member.objects.filter(
            council_id=proposal.council_id, term_id=proposal.term_id, user_id=proposal.filed_by_id
        )
        .values_list("pk", flat=True)
        .first()
    )


def body_from_key(council: Council, key: str) -> NamedBody | None:
    """The body named by "kind:id" in council, or None."""
    kind, _sep, raw = key.partition(":")
    model = COLLECTIVE_KINDS.get(kind)
    if model is None or not raw.isdigit():
        return None
    return model.objects.filter(council=council, pk=int(raw)).first()  # type: ignore[attr-defined,no-any-return]


def collective_authorisations(actor: Actor) -> list[CollectiveFiler]:
    """Bodies the actor may file for."""
    if not actor.has(Perm.FILE_PROPOSALS):
        return []
    return list(
        CollectiveFiler.objects.filter(council=actor.council, user=actor.user).select_related(
            "body_affiliation", "body_sector", "body_committee", "body_group"
        )
    )


def collective_filers(actor: Actor) -> QuerySet[CollectiveFiler]:
    """Every authorisation in the council, for staff."""
    if not actor.has(Perm.REVIEW_PROPOSALS):
        return CollectiveFiler.objects.none()
    return (
        CollectiveFiler.objects.filter(council=actor.council)
        .select_related("user", "body_affiliation", "body_sector", "body_committee", "body_group")
        .order_by("id")
    )


def published_replies(council: Council) -> QuerySet[Reply]:
    """Released replies of the council's proposals whose proposer consented to
    publication, newest first: what the public page shows, without login."""
    return (
        Reply.objects.filter(
            council=council,
            status=ReplyStatus.RELEASED,
            assignment__proposal__consents_to_publish_reply=True,
            assignment__proposal__status__in=(
                ProposalStatus.RELEASED,
                ProposalStatus.RATED,
                ProposalStatus.CONCLUDED,
                ProposalStatus.REHANDLING,
            ),
        )
        .select_related("assignment__proposal__category", "assignment__unit", "category")
        .order_by("-released_at", "-id")
    )


@dataclass(frozen=True)
class FollowUpFilters:
    year: int | None = None  # the year the re-check is due in
    status: str = ""
    unit_id: int | None = None


def follow_ups_for(actor: Actor, filters: FollowUpFilters) -> QuerySet[FollowUp]:
    """Follow-ups of B-category proposals the actor may see, soonest due
    first: every one in the council for staff and leaders, the actor's
    units' for a unit liaison, none for anyone else."""
    rows = FollowUp.objects.filter(council=actor.council)
    if actor.has(Perm.VIEW_ALL_PROPOSALS):
        pass
    elif actor.has(Perm.HANDLE_PROPOSALS) and actor.handling_unit_ids:
        rows = rows.filter(unit_id__in=actor.handling_unit_ids)
    else:
        return FollowUp.objects.none()
    if filters.year:
        rows = rows.filter(due_on__gte=dt.date(filters.year, 1, 1), due_on__lte=dt.date(filters.year, 12, 31))
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.unit_id:
        rows = rows.filter(unit_id=filters.unit_id)
    return rows.select_related("proposal", "unit", "reply__category").order_by("due_on", "status", "id")


def access_follow_up(actor: Actor, follow_up_id: int) -> FollowUp:
    """A follow-up staff and leaders, or its unit, may see; else Http404."""
    follow_up = (
        FollowUp.objects.filter(council=actor.council, pk=follow_up_id)
        .select_related("proposal", "unit", "reply__category", "reported_by", "closed_by")
        .first()
    )
    if follow_up is None:
        raise Http404
    if not (actor.has(Perm.VIEW_ALL_PROPOSALS) or is_unit_of_follow_up(actor, follow_up)):
        raise Http404
    return follow_up


def follow_ups_to_report(actor: Actor, today: dt.date) -> QuerySet[FollowUp]:
    """The actor's units' follow-ups due this year (or earlier) on which the
    unit has not reported yet, soonest first."""
    if not actor.has(Perm.HANDLE_PROPOSALS) or not actor.handling_unit_ids:
        return FollowUp.objects.none()
    return (
        FollowUp.objects.filter(
            council=actor.council,
            unit_id__in=actor.handling_unit_ids,
            status=FollowUpStatus.OPEN,
            due_on__lte=dt.date(today.year, 12, 31),
        )
        .select_related("proposal", "unit")
        .order_by("due_on", "id")
    )


def follow_ups_to_close(actor: Actor, today: dt.date) -> QuerySet[FollowUp]:
    """Follow-ups due this year (or earlier) the units have reported on, for
    staff to close."""
    if not actor.has(Perm.REVIEW_PROPOSALS):
        return FollowUp.objects.none()
    return FollowUp.objects.filter(
        council=actor.council, status=FollowUpStatus.REPORTED, due_on__lte=dt.date(today.year, 12, 31)
    )
