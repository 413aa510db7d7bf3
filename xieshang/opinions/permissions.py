"""Who may do what to which opinion report, now. Used by the actions (to
refuse) and by the pages (to show only the actions the user may take)."""

from __future__ import annotations

from xieshang.councils.models import Role
from xieshang.councils.roles import Actor, Perm
from xieshang.opinions.models import BulletinIssue, Forwarding, OpinionReport
from xieshang.opinions.states import (
    ADOPTED_STATUSES,
    AuthorKind,
    ForwardTarget,
    IssueStatus,
    ReceiptStatus,
    ReportStatus,
)
from xieshang.themes.permissions import can_tag


def _in_council(actor: Actor, report: OpinionReport) -> bool:
    return report.council_id == actor.council.pk


def is_reporter(actor: Actor, report: OpinionReport) -> bool:
    """The filer, or the member the report is filed for."""
    if not _in_council(actor, report):
        return False
    if report.filed_by_id == actor.user.pk:
        return True
    return actor.member is not None and report.member_id == actor.member.pk


def may_file_as(actor: Actor, author_kind: str, body_id: int | None) -> bool:
    """Members file their own reports, and in the name of a body they belong
    to (their affiliation, their sector group, a special committee of theirs)."""
    if not actor.has(Perm.FILE_OPINIONS) or actor.member is None:
        return False
    member = actor.member
    if author_kind == AuthorKind.MEMBER:
        return True
    if author_kind == AuthorKind.AFFILIATION:
        return body_id is not None and member.affiliation_id == body_id
    if author_kind == AuthorKind.SECTOR:
        return body_id is not None and member.sector_id == body_id
    if author_kind == AuthorKind.SPECIAL_COMMITTEE:
        return body_id is not None and member.special_committees.filter(pk=body_id).exists()
    return False


def can_view(actor: Actor, report: OpinionReport) -> bool:
    """Reporters see theirs; staff and leaders every filed report of the council."""
    if not _in_council(actor, report):
        return False
    if is_reporter(actor, report):
        return True
    return actor.has(Perm.VIEW_ALL_OPINIONS) and report.status != ReportStatus.DRAFT


def can_edit_draft(actor: Actor, report: OpinionReport) -> bool:
    return (
        actor.has(Perm.FILE_OPINIONS)
        and report.filed_by_id == actor.user.pk
        and report.status == ReportStatus.DRAFT
        and _in_council(actor, report)
    )


def can_staff_edit(actor: Actor, report: OpinionReport) -> bool:
    """Staff edit the text of a submitted report before deciding on it."""
    return (
        actor.has(Perm.MANAGE_OPINIONS)
        and _in_council(actor, report)
        and report.status == ReportStatus.SUBMITTED
    )


def can_decide(actor: Actor, report: OpinionReport) -> bool:
    """Adopt or decline: staff, while submitted."""
    return (
        actor.has(Perm.MANAGE_OPINIONS)
        and _in_council(actor, report)
        and report.status == ReportStatus.SUBMITTED
    )


def can_forward(actor: Actor, report: OpinionReport) -> bool:
    """Staff forward their council's adopted reports."""
    return (
        actor.has(Perm.MANAGE_OPINIONS) and _in_council(actor, report) and report.status in ADOPTED_STATUSES
    )


def is_receiving_staff(actor: Actor, forwarding: Forwarding) -> bool:
    return (
        actor.has(Perm.MANAGE_OPINIONS)
        and forwarding.council_id == actor.council.pk
        and forwarding.target in (ForwardTarget.PARENT,)
    )


def can_decide_receipt(actor: Actor, forwarding: Forwarding) -> bool:
    """The parent council's staff adopt or decline a report forwarded to them."""
    return is_receiving_staff(actor, forwarding) and forwarding.status == ReceiptStatus.RECEIVED


def can_forward_receipt(actor: Actor, forwarding: Forwarding) -> bool:
    """…and forward it again once they adopted it."""
    return is_receiving_staff(actor, forwarding) and forwarding.status == ReceiptStatus.ADOPTED


def is_office_of(actor: Actor, forwarding: Forwarding) -> bool:
    """An oversight-office user of the office the report was sent to."""
    return (
        actor.has_role(Role.OVERSIGHT)
        and forwarding.council_id == actor.council.pk
        and forwarding.target == ForwardTarget.OVERSIGHT
        and forwarding.oversight_office_id in actor.oversight_office_ids
    )


def can_instruct(actor: Actor, forwarding: Forwarding) -> bool:
    """Record a leader's instruction on a report sent to the actor's office."""
    return actor.has(Perm.INSTRUCT_OPINIONS) and is_office_of(actor, forwarding)


def can_compose(actor: Actor, issue: BulletinIssue) -> bool:
    return (
        actor.has(Perm.MANAGE_OPINIONS)
        and issue.council_id == actor.council.pk
        and issue.status == IssueStatus.DRAFT
    )


def can_tag_themes(actor: Actor, report: OpinionReport) -> bool:
    """Staff who prepare consultations and read every report tag a filed
    report of this council with themes (a draft is its author's alone)."""
    return (
        _in_council(actor, report)
        and report.status != ReportStatus.DRAFT
        and can_tag(actor, view_perm=Perm.VIEW_ALL_OPINIONS)
    )
