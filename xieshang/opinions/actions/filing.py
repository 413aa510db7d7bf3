"""Writing and filing opinion reports, also from other items (a proposal
converted by the proposals committee, a concern raised on a liaison visit)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core.attachments import attach
from xieshang.core.errors import require
from xieshang.core.models import Attachment
from xieshang.core.notifications import notify
from xieshang.core.states import ensure_state
from xieshang.core.versions import check_version, save_new_version
from xieshang.councils.models import Affiliation, Council, Member, NamedBody, Sector, SpecialCommittee
from xieshang.councils.queries import get_setting
from xieshang.councils.roles import Actor, Perm
from xieshang.opinions.actions.common import lock_report, report_history, report_url, staff_users
from xieshang.opinions.models import SECTIONS, OpinionReport, OpinionReportVersion
from xieshang.opinions.permissions import can_edit_draft, may_file_as
from xieshang.opinions.states import AuthorKind, EventType, OriginKind, ReportStatus, ensure_report_transition

TITLE_MAX = 100
BODY_FIELDS = {
    AuthorKind.AFFILIATION: "affiliation_id",
    AuthorKind.SECTOR: "sector_id",
    AuthorKind.SPECIAL_COMMITTEE: "special_committee_id",
}


@dataclass(frozen=True)
class ReportContent:
    """What the reporter writes, and in whose name."""

    title: str
    problem: str = ""
    analysis: str = ""
    suggestion: str = ""
    author_kind: str = AuthorKind.MEMBER
    body_id: int | None = None


def validate_text(
    council: Council, content: ReportContent, *, complete: bool, check_limit: bool = True
) -> None:
    """Raise ValidationError (by field) unless the text fits the council's
    limit, counted over problem, analysis and suggestion together;
    complete=True also requires every section."""
    errors: dict[str, str] = {}
    limit = int(get_setting(council, "opinion_report_max_chars"))
    if not content.title.strip():
        errors["title"] = _("Give the report a title.")
    elif len(content.title) > TITLE_MAX:
        errors["title"] = _("The title may have at most %(max)s characters; it has %(n)s.") % {
            "max": TITLE_MAX,
            "n": len(content.title),
        }
    total = sum(len(getattr(content, name)) for name in SECTIONS)
    if check_limit and total > limit:
        errors["__all__"] = _(
            "An opinion report may have at most %(max)s characters in problem, analysis and "
            "suggestion together; this one has %(n)s. Shorten it by %(over)s characters."
        ) % {"max": limit, "n": total, "over": total - limit}
    if complete:
        labels = {
            "problem": _("Describe the problem."),
            "analysis": _("Give your analysis."),
            "suggestion": _("Write your suggestion."),
        }
        for name in SECTIONS:
            if not getattr(content, name).strip():
                errors[name] = labels[name]
    if errors:
        raise ValidationError(errors)


def _author_fields(actor: Actor, content: ReportContent, member: Member | None) -> dict[str, object]:
    if content.author_kind not in AuthorKind.values:
        raise ValidationError({"author_kind": _("Choose in whose name the report is filed.")})
    fields: dict[str, object] = {
        "author_kind": content.author_kind,
        "member": member,
        "affiliation_id": None,
        "sector_id": None,
        "special_committee_id": None,
    }
    if content.author_kind != AuthorKind.MEMBER:
        fields[BODY_FIELDS[AuthorKind(content.author_kind)]] = content.body_id
    return fields


def _apply(report: OpinionReport, content: ReportContent) -> None:
    report.title = content.title.strip()
    report.problem = content.problem
    report.analysis = content.analysis
    report.suggestion = content.suggestion


def _check_author(actor: Actor, content: ReportContent) -> None:
    if not may_file_as(actor, content.author_kind, content.body_id):
        if actor.has(Perm.FILE_OPINIONS) and actor.member is not None:
            raise ValidationError(
                {"author_kind": _("You can file only in your own name or for a body you belong to.")}
            )
        require(False, _("Only seated members can file opinion reports."))


BODY_MODELS: dict[str, type[NamedBody]] = {
    AuthorKind.AFFILIATION: Affiliation,
    AuthorKind.SECTOR: Sector,
    AuthorKind.SPECIAL_COMMITTEE: SpecialCommittee,
}


def _check_on_behalf(actor: Actor, content: ReportContent, member: Member | None) -> None:
    """Staff file for a seated member of the council, or for one of its bodies."""
    if content.author_kind == AuthorKind.MEMBER:
        if member is None or member.council_id != actor.council.pk:
            raise ValidationError({"member": _("Choose a member of this council.")})
        return
    model = BODY_MODELS.get(content.author_kind)
    if model is None or not model._default_manager.filter(council=actor.council, pk=content.body_id).exists():
        raise ValidationError({"author_kind": _("Choose a body of this council.")})


def _attach_all(report: OpinionReport, attachments: Sequence[Attachment]) -> None:
    for attachment in attachments:
        try:
            attach(attachment, report)
        except ValueError as error:
            raise ValidationError({"attachments": _("This file cannot be attached here.")}) from error


@transaction.atomic
def save_report_draft(
    report: OpinionReport | None,
    *,
    actor: Actor,
    content: ReportContent,
    attachments: Sequence[Attachment] = (),
    expected_version: int | None = None,
) -> OpinionReport:
    """Create (report=None) or change the actor's own draft.

    Raise PermissionDenied unless actor is a seated member filing in their own
    name or for a body of theirs, ValidationError for text over the council's
    limit and StaleEdit when the draft changed since the form loaded.
    """
    require(actor.has(Perm.FILE_OPINIONS))
    _check_author(actor, content)
    validate_text(actor.council, content, complete=False)
    if report is None:
        report = OpinionReport(council=actor.council, year=timezone.localdate().year, filed_by=actor.user)
    else:
        report = lock_report(report)
        check_version(report, expected_version)
        ensure_state(report.status, {ReportStatus.DRAFT})
        require(can_edit_draft(actor, report))
    for name, value in _author_fields(actor, content, actor.member).items():
        setattr(report, name, value)
    _apply(report, content)
    save_new_version(report)
    _attach_all(report, attachments)
    report_history(report, EventType.DRAFT_SAVED, actor)
    return report


def _submit(report: OpinionReport, actor: Actor, *, strict: bool = True) -> None:
    """Move a draft to submitted and keep the reporter's text as version 1."""
    ensure_report_transition(report.status, ReportStatus.SUBMITTED)
    content = ReportContent(report.title, report.problem, report.analysis, report.suggestion)
    validate_text(report.council, content, complete=strict, check_limit=strict)
    now = timezone.now()
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = now
    report.year = timezone.localdate().year
    save_new_version(report)
    OpinionReportVersion.objects.create(
        council=report.council,
        report=report,
        number=1,
        title=report.title,
        problem=report.problem,
        analysis=report.analysis,
        suggestion=report.suggestion,
        edited_by=report.filed_by,
    )
    notify(
        recipients=staff_users(report.council_id),
        council=report.council,
        title=_("New opinion report: %(title)s") % {"title": report.title},
        url=report_url(report),
        kind="opinion.review",
    )


@transaction.atomic
def submit_report(
    report: OpinionReport, *, actor: Actor, expected_version: int | None = None
) -> OpinionReport:
    """File the actor's draft for the staff to edit and decide on.

    Raise PermissionDenied unless actor is its filer, InvalidTransition unless
    it is a draft, ValidationError when a section is empty or the text is over
    the limit, and StaleEdit when it changed since the form loaded.
    """
    report = lock_report(report)
    require(actor.has(Perm.FILE_OPINIONS))
    check_version(report, expected_version)
    ensure_report_transition(report.status, ReportStatus.SUBMITTED)
    require(can_edit_draft(actor, report))
    _submit(report, actor)
    report_history(report, EventType.SUBMITTED, actor)
    return report


@transaction.atomic
def file_opinion_report(
    *,
    actor: Actor,
    content: ReportContent,
    member: Member | None = None,
    origin: models.Model | None = None,
    origin_kind: str = OriginKind.NONE,
    origin_label: str = "",
    origin_url: str = "",
    attachments: Sequence[Attachment] = (),
) -> OpinionReport:
    """File a report at once (no draft), optionally made from another item.

    member: the member the report is filed for. A member files for themself
    (or a body of theirs, see ReportContent); staff may file for any seated
    member or body of the council (a converted proposal, a member who cannot
    go online), which the history records.
    origin: the item the report was made from (a Proposal, a Concern). A
    converted proposal scores once, as this report: the duty rules skip
    proposals whose status is converted.

    Raise PermissionDenied unless actor may file this, and ValidationError
    for an over-long or incomplete text, a member or body of another council,
    or an origin without a kind.
    """
    on_behalf = (member is not None and (actor.member is None or member.pk != actor.member.pk)) or (
        member is None and not actor.has(Perm.FILE_OPINIONS)
    )
    if on_behalf:
        require(actor.has(Perm.MANAGE_OPINIONS), _("Only staff can file a report for another member."))
        _check_on_behalf(actor, content, member)
    else:
        require(actor.has(Perm.FILE_OPINIONS), _("Only seated members can file opinion reports."))
        _check_author(actor, content)
        member = actor.member
    if origin_kind not in OriginKind.values or (origin is None) != (origin_kind == OriginKind.NONE):
        raise ValidationError({"origin": _("Name what the report was made from.")})
    if origin is not None and getattr(origin, "council_id", actor.council.pk) != actor.council.pk:
        raise ValidationError({"origin": _("The item the report comes from belongs to another council.")})
    # A converted proposal may be longer than a report or lack a section:
    # staff edit it before adopting (adopt_report checks both).
    strict = origin_kind != OriginKind.PROPOSAL
    validate_text(actor.council, content, complete=strict, check_limit=strict)
    report = OpinionReport(
        council=actor.council,
        year=timezone.localdate().year,
        filed_by=member.user if on_behalf and member is not None and member.user is not None else actor.user,
        origin_kind=origin_kind,
        origin_type=ContentType.objects.get_for_model(origin) if origin is not None else None,
        origin_id=origin.pk if origin is not None else None,
        origin_label=origin_label[:200],
        origin_url=origin_url[:300],
    )
    for name, value in _author_fields(actor, content, member).items():
        setattr(report, name, value)
    _apply(report, content)
    report.save()
    _attach_all(report, attachments)
    if origin is not None:
        report_history(
            report,
            EventType.CONVERTED_IN,
            actor,
            origin=origin_kind,
            detail=origin_label,
            counts_for_duty=report.counts_for_duty,
        )
    _submit(report, actor, strict=strict)
    report_history(report, EventType.SUBMITTED, actor, on_behalf=on_behalf or None)
    return report


def receive_converted_proposal(
    proposal: models.Model,
    *,
    actor: Actor,
    title: str,
    problem: str,
    analysis: str,
    suggestion: str,
    member: Member | None = None,
    author_kind: str = AuthorKind.MEMBER,
    body_id: int | None = None,
    proposal_url: str = "",
) -> OpinionReport:
    """The proposals committee converted proposal into an opinion report:
    file it for its lead proposer (member) or the body that filed it
    (author_kind, body_id), linked to the proposal (origin_kind PROPOSAL). It
    scores once, as this report; the converted proposal does not score.
    Call it inside the convert action's transaction; errors as
    file_opinion_report."""
    return file_opinion_report(
        actor=actor,
        content=ReportContent(
            title=title[:TITLE_MAX],
            problem=problem,
            analysis=analysis,
            suggestion=suggestion,
            author_kind=author_kind,
            body_id=body_id,
        ),
        member=member,
        origin=proposal,
        origin_kind=OriginKind.PROPOSAL,
        origin_label=title,
        origin_url=proposal_url,
    )
