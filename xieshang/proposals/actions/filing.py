"""Writing and filing proposals, and co-signing them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from xieshang.accounts.models import User
from xieshang.core.attachments import (
    DOCUMENTS,
    IMAGES,
    attach,
    attachments_of,
    clean_filename,
    store_upload,
    validate_upload,
)
from xieshang.core.errors import Conflict, require
from xieshang.core.events import audit_only, history
from xieshang.core.models import Attachment
from xieshang.core.states import ensure_state
from xieshang.core.versions import check_version, save_new_version
from xieshang.councils.models import Council, HandlingUnit, Member, NamedBody, Session
from xieshang.councils.queries import get_setting
from xieshang.councils.roles import Actor, Perm
from xieshang.proposals.actions.common import lock_proposal, proposer_users, staff_users, tell
from xieshang.proposals.models import COLLECTIVE_KINDS, CollectiveFiler, Cosigner, Proposal, ProposalCategory
from xieshang.proposals.permissions import (
    can_answer_cosign,
    can_edit,
    can_file,
    can_invite_cosigners,
    can_submit,
)
from xieshang.proposals.search import index_proposal
from xieshang.proposals.states import (
    EDITABLE,
    CosignStatus,
    EventType,
    ProposalStatus,
    Window,
    ensure_proposal_transition,
)
from xieshang.proposals.window import window_status


@dataclass(frozen=True)
class ProposalContent:
    """What the proposer writes."""

    title: str
    situation: str = ""
    analysis: str = ""
    suggestions: str = ""
    category: ProposalCategory | None = None
    suggested_units: Sequence[HandlingUnit] = field(default_factory=tuple)
    consents_to_publish_reply: bool = False
    window: str = Window.SESSION

    @classmethod
    def as_written(cls, proposal: Proposal) -> ProposalContent:
        """The proposal's text as it stands."""
        return cls(
            title=proposal.title,
            situation=proposal.situation,
            analysis=proposal.analysis,
            suggestions=proposal.suggestions,
            category=proposal.category,
            suggested_units=tuple(proposal.suggested_units.all()),
            consents_to_publish_reply=proposal.consents_to_publish_reply,
            window=proposal.window,
        )


SECTIONS = ("situation", "analysis", "suggestions")


def validate_content(council: Council, content: ProposalContent, *, complete: bool) -> None:
    """Raise ValidationError (by field) unless content fits the council's
    limits; complete=True also requires what a filed proposal must have."""
    errors: dict[str, str] = {}
    title_max = int(get_setting(council, "proposal_title_max_chars"))
    section_max = int(get_setting(council, "proposal_section_max_chars"))
    if not content.title.strip():
        errors["title"] = _("Give the proposal a title.")
    elif len(content.title) > title_max:
        errors["title"] = _("The title may have at most %(max)s characters; it has %(n)s.") % {
            "max": title_max,
            "n": len(content.title),
        }
    for name in SECTIONS:
        text = getattr(content, name)
        if len(text) > section_max:
            errors[name] = _("This section may have at most %(max)s characters; it has %(n)s.") % {
                "max": section_max,
                "n": len(text),
            }
    if content.category is not None and content.category.council_id != council.pk:
        errors["category"] = _("Choose a category of this council.")
    if any(unit.council_id != council.pk for unit in content.suggested_units):
        errors["suggested_units"] = _("Choose handling units of this council.")
    if content.window not in Window.values:
        errors["window"] = _("Choose session or regular proposal.")
    if complete:
        if content.category is None:
            errors.setdefault("category", _("Choose a category."))
        if not content.suggestions.strip():
            errors.setdefault(
                "suggestions",
                _("A proposal without concrete suggestions is incomplete: write your suggestions."),
            )
        if not content.situation.strip():
            errors.setdefault("situation", _("Describe the situation."))
    if errors:
        raise ValidationError(errors)


def _apply(proposal: Proposal, content: ProposalContent) -> None:
    proposal.title = content.title.strip()
    proposal.situation = content.situation
    proposal.analysis = content.analysis
    proposal.suggestions = content.suggestions
    proposal.category = content.category
    proposal.consents_to_publish_reply = content.consents_to_publish_reply
    proposal.window = content.window


# Files a proposer may attach: documents and images, checked by content.
ATTACHMENT_KINDS = (*DOCUMENTS, *IMAGES)
ATTACHMENT_PURPOSE = "proposal.attachment"


def _check_uploads(council: Council, files: Sequence[File]) -> dict[str, list[str]]:
    """Problems with new files, by form field, before anything is written."""
    max_bytes = int(get_setting(council, "proposal_attachment_max_mb")) * 1024 * 1024
    problems: list[str] = []
    for upload in files:
        try:
            validate_upload(upload, allowed_kinds=ATTACHMENT_KINDS, max_bytes=max_bytes)
        except ValidationError as error:
            name = clean_filename(upload.name or "")
            problems.extend(f"{name}: {message}" for message in error.messages)
    return {"attachments": problems} if problems else {}


def _files_to_remove(proposal: Proposal | None, remove_ids: Sequence[int]) -> list[Attachment]:
    wanted = set(remove_ids)
    if not wanted:
        return []
    rows = list(attachments_of(proposal).filter(pk__in=wanted)) if proposal is not None else []
    if len(rows) != len(wanted):
        raise ValidationError({"attachments": _("A file to remove is no longer attached to this proposal.")})
    return rows


def _check_count(council: Council, proposal: Proposal | None, *, adding: int, removing: int) -> None:
    if not adding:
        return
    limit = int(get_setting(council, "proposal_attachments_max"))
    existing = attachments_of(proposal).count() if proposal is not None else 0
    if existing - removing + adding > limit:
        raise ValidationError(
            {
                "attachments": _(
                    "A proposal may have at most %(max)s attachments; it has %(n)s. "
                    "Remove a file before adding another."
                )
                % {"max": limit, "n": existing - removing}
            }
        )


def _store_files(
    proposal: Proposal, actor: Actor, files: Sequence[File], remove: Sequence[Attachment]
) -> None:
    for row in remove:
        stored = row.stored_name
        row.delete()
        transaction.on_commit(partial(default_storage.delete, stored))
    if not files:
        return
    max_bytes = int(get_setting(proposal.council, "proposal_attachment_max_mb")) * 1024 * 1024
    for upload in files:
        attachment = store_upload(
            upload,
            council=proposal.council,
            user=actor.user,
            allowed_kinds=ATTACHMENT_KINDS,
            purpose=ATTACHMENT_PURPOSE,
            max_bytes=max_bytes,
        )
        attach(attachment, proposal)


def _latest_session(proposal: Proposal) -> Session | None:
    return Session.objects.filter(term=proposal.term).order_by("-number").first()


@transaction.atomic
def save_draft(
    proposal: Proposal | None,
    *,
    actor: Actor,
    content: ProposalContent,
    expected_version: int | None = None,
    on_behalf_of: Member | None = None,
    collective_author: NamedBody | None = None,
    files: Sequence[File] = (),
    remove_files: Sequence[int] = (),
) -> Proposal:
    """Create (proposal=None) or change the actor's own draft or returned proposal.

    files are attached to it (PDF, Word, Excel, images, up to the council's
    count and size limits); the attachments with the ids in remove_files
    are removed. Staff may create one on_behalf_of a seated member who cannot
    go online; they then write and submit it for them, and the history says so.
    Raise PermissionDenied unless actor is a seated member who may file, staff
    filing for a member of this council, or the filer of this proposal;
    ValidationError for content over the limits, an unacceptable file, too
    many files or a member of another council or term; StaleEdit when the
    proposal changed since the form loaded, InvalidTransition once it is no
    longer a draft or returned. Nothing is written on an error.
    """
    require(can_file(actor))
    _check_draft(actor, content, files)
    if proposal is None:
        _files_to_remove(None, remove_files)
        _check_count(actor.council, None, adding=len(files), removing=0)
        proposal = _new_draft(actor, content, on_behalf_of, collective_author)
        removed: list[Attachment] = []
    else:
        proposal, removed = _change_draft(proposal, actor, content, expected_version, files, remove_files)
    proposal.suggested_units.set(content.suggested_units)
    _store_files(proposal, actor, files, removed)
    entered_for = ""
    if proposal.lead_proposer is not None and proposal.lead_proposer.user_id != actor.user.pk:
        entered_for = proposal.lead_proposer.full_name
    history(
        proposal,
        EventType.DRAFT_SAVED,
        actor,
        on_behalf_of=entered_for,
        files_added="、".join(clean_filename(upload.name or "") for upload in files),
        files_removed="、".join(row.original_name for row in removed),
    )
    # A returned proposal stays findable with its revised text; drafts are not indexed.
    index_proposal(proposal)
    return proposal


def _check_draft(actor: Actor, content: ProposalContent, files: Sequence[File]) -> None:
    """Refuse, naming every field at once, content over the limits and
    files that may not be attached."""
    errors: dict[str, list[str]] = {}
    try:
        validate_content(actor.council, content, complete=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    errors.update(_check_uploads(actor.council, files))
    if errors:
        raise ValidationError(errors)


def _new_draft(
    actor: Actor, content: ProposalContent, on_behalf_of: Member | None, collective_author: NamedBody | None
) -> Proposal:
    """A new draft in the actor's name, a member's (entered by staff) or a
    body's (collective proposals)."""
    if collective_author is not None:
        proposal = _new_collective(actor, collective_author)
    else:
        lead = _lead_proposer(actor, on_behalf_of)
        proposal = Proposal(council=actor.council, term=lead.term, lead_proposer=lead, filed_by=actor.user)
    _apply(proposal, content)
    proposal.save()
    return proposal


def _lead_proposer(actor: Actor, on_behalf_of: Member | None) -> Member:
    if on_behalf_of is not None:
        require(actor.has(Perm.REVIEW_PROPOSALS))
        if on_behalf_of.council_id != actor.council.pk or not on_behalf_of.is_active:
            raise ValidationError({"proposer": _("Choose a seated member of this council.")})
        return on_behalf_of
    require(
        actor.has(Perm.FILE_PROPOSALS) and actor.member is not None,
        _("Only seated members can file proposals."),
    )
    assert actor.member is not None
    return actor.member


def _change_draft(
    proposal: Proposal,
    actor: Actor,
    content: ProposalContent,
    expected_version: int | None,
    files: Sequence[File],
    remove_files: Sequence[int],
) -> tuple[Proposal, list[Attachment]]:
    """Write content into the actor's draft or returned proposal; return it
    with the attachments to remove."""
    proposal = lock_proposal(proposal, actor)
    check_version(proposal, expected_version)
    ensure_state(proposal.status, EDITABLE)
    require(can_edit(actor, proposal))
    if proposal.status == ProposalStatus.RETURNED and content.window != proposal.window:
        # It is filed again under the window it was reviewed in; a regular
        # proposal must not slip into a closed session window this way.
        raise ValidationError(
            {"window": _("A returned proposal keeps the kind it was filed as (session or regular).")}
        )
    removed = _files_to_remove(proposal, remove_files)
    _check_count(actor.council, proposal, adding=len(files), removing=len(removed))
    _apply(proposal, content)
    save_new_version(proposal)
    return proposal, removed


def _new_collective(actor: Actor, body: NamedBody) -> Proposal:
    """A new proposal in body's name; the actor must be authorised for it."""
    require(actor.has(Perm.FILE_PROPOSALS) and actor.member is not None)
    assert actor.member is not None
    kind = next((k for k, model in COLLECTIVE_KINDS.items() if isinstance(body, model)), None)
    authorised = (
        kind is not None
        and body.council_id == actor.council.pk
        and CollectiveFiler.objects.filter(
            council=actor.council, user=actor.user, **{f"body_{kind}": body}
        ).exists()
    )
    require(authorised, _("You are not authorised to file proposals in this body's name."))
    return Proposal(
        council=actor.council,
        term=actor.member.term,
        lead_proposer=None,
        filed_by=actor.user,
        **{f"author_{kind}": body},
    )


@transaction.atomic
def authorise_collective_filer(*, actor: Actor, user: User, body: NamedBody) -> CollectiveFiler:
    """Let user file proposals in body's name (staff only).

    Raise ValidationError unless user is a member with a login in this
    council and body is one of its affiliations, sectors, special committees
    or member groups; Conflict when the authorisation exists already.
    """
    require(actor.has(Perm.REVIEW_PROPOSALS))
    kind = next((k for k, model in COLLECTIVE_KINDS.items() if isinstance(body, model)), None)
    if kind is None or body.council_id != actor.council.pk:
        raise ValidationError({"body": _("Choose a body of this council.")})
    if not Member.objects.filter(council=actor.council, user=user, is_active=True).exists():
        raise ValidationError({"user": _("Choose a seated member with a login.")})
    filer, created = CollectiveFiler.objects.get_or_create(
        council=actor.council, user=user, **{f"body_{kind}": body}, defaults={"granted_by": actor.user}
    )
    if not created:
        raise Conflict(_("This member may already file in this body's name."))
    audit_only("proposal.collective_filer_authorised", actor, filer, user=user.pk, body=f"{kind}:{body.pk}")
    return filer


@transaction.atomic
def revoke_collective_filer(filer: CollectiveFiler, *, actor: Actor) -> None:
    """Withdraw an authorisation (staff only); proposals already filed stay."""
    require(actor.has(Perm.REVIEW_PROPOSALS) and filer.council_id == actor.council.pk)
    audit_only("proposal.collective_filer_revoked", actor, filer, user=filer.user_id, body=filer.body_key)
    filer.delete()


def check_session_window(council: Council, *, today: dt.date) -> None:
    """Raise ValidationError on "window" unless session proposals may be
    filed today (the council's session window, see proposals.window)."""
    status = window_status(council, today)
    if status.is_open:
        return
    if status.upcoming is not None:
        message = _(
            "Session proposals for the %(year)s plenary are accepted from %(opens)s to %(closes)s. "
            "File this one as a regular proposal, or submit it once the window is open."
        ) % {
            "year": status.upcoming.year,
            "opens": date_format(status.upcoming.opens_on, "DATE_FORMAT"),
            "closes": date_format(status.upcoming.closes_on, "DATE_FORMAT"),
        }
    elif status.closed is not None:
        message = _(
            "The session window for the %(year)s plenary closed on %(closes)s: "
            "file this proposal as a regular proposal."
        ) % {"year": status.closed.year, "closes": date_format(status.closed.closes_on, "DATE_FORMAT")}
    else:
        message = _("The session window is closed: file this proposal as a regular proposal.")
    raise ValidationError({"window": message})


@transaction.atomic
def submit_proposal(
    proposal: Proposal,
    *,
    actor: Actor,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Proposal:
    """File a draft (or a returned proposal again) for review.

    A draft filed as a session proposal must be submitted within the
    council's session window (on today, by default the current day); a
    returned proposal is filed again under the window it was first filed in.
    Raise PermissionDenied unless actor is its filer, InvalidTransition unless
    it is a draft or returned, ValidationError when it is incomplete or the
    session window is closed, and StaleEdit when it changed since the form
    loaded.
    """
    proposal = lock_proposal(proposal, actor)
    require(can_file(actor))
    check_version(proposal, expected_version)
    ensure_proposal_transition(proposal.status, ProposalStatus.SUBMITTED)
    require(can_submit(actor, proposal))
    content = ProposalContent.as_written(proposal)
    # Every problem at once: what is missing and whether the window is open.
    errors: dict[str, list[str]] = {}
    try:
        validate_content(actor.council, content, complete=True)
    except ValidationError as error:
        errors.update(error.message_dict)
    if proposal.status == ProposalStatus.DRAFT and proposal.window == Window.SESSION:
        try:
            check_session_window(proposal.council, today=today or timezone.localdate())
        except ValidationError as error:
            errors.setdefault("window", []).extend(error.message_dict["window"])
    if errors:
        raise ValidationError(errors)
    if proposal.session is None:
        proposal.session = _latest_session(proposal)
    proposal.status = ProposalStatus.SUBMITTED
    proposal.submitted_at = timezone.now()
    proposal.review_note = ""
    save_new_version(proposal)
    history(proposal, EventType.SUBMITTED, actor)
    index_proposal(proposal)
    tell(
        staff_users(proposal),
        proposal,
        _("New proposal to review: %(title)s") % {"title": proposal.title},
        kind="proposal.review",
    )
    return proposal


@transaction.atomic
def invite_cosigners(proposal: Proposal, *, actor: Actor, members: Sequence[Member]) -> list[Cosigner]:
    """Ask members of the same council and term to co-sign.

    Raise InvalidTransition once it is no longer editable, PermissionDenied
    unless actor files the proposal, and ValidationError naming any member from another council or
    term (or the lead proposer). Members already invited are left as they are.
    """
    proposal = lock_proposal(proposal, actor)
    ensure_state(proposal.status, EDITABLE)
    require(can_invite_cosigners(actor, proposal))
    wrong = [m for m in members if m.council_id != proposal.council_id or m.term_id != proposal.term_id]
    if wrong:
        raise ValidationError(
            {
                "members": _("%(names)s cannot co-sign: only members of this council in this term can.")
                % {"names": "、".join(m.full_name for m in wrong)}
            }
        )
    if any(m.pk == proposal.lead_proposer_id for m in members):
        raise ValidationError({"members": _("The lead proposer cannot co-sign their own proposal.")})
    existing = set(proposal.cosigners.values_list("member_id", flat=True))
    created = [Cosigner.objects.create(proposal=proposal, member=m) for m in members if m.pk not in existing]
    for row in created:
        history(proposal, EventType.COSIGNER_INVITED, actor, member=row.member.full_name)
    users = [row.member.user for row in created if row.member.user is not None]
    tell(
        users,
        proposal,
        _("Please co-sign: %(title)s") % {"title": proposal.title},
        kind="proposal.cosign",
    )
    return created


@transaction.atomic
def answer_cosign(cosigner: Cosigner, *, actor: Actor, confirm: bool) -> Cosigner:
    """Confirm or refuse an invitation to co-sign.

    Raise PermissionDenied unless the invitation is the actor's, and Conflict
    when it was answered already or the proposal has been reviewed.
    """
    cosigner = (
        Cosigner.objects.select_for_update(of=("self",))
        .select_related("proposal", "member")
        .get(pk=cosigner.pk)
    )
    proposal = lock_proposal(cosigner.proposal, actor)
    require(actor.member is not None and cosigner.member_id == actor.member.pk)
    if not can_answer_cosign(actor, cosigner):
        raise Conflict(_("This invitation has already been answered or the proposal has been reviewed."))
    cosigner.status = CosignStatus.CONFIRMED if confirm else CosignStatus.REFUSED
    cosigner.answered_at = timezone.now()
    cosigner.save()
    event = EventType.COSIGN_CONFIRMED if confirm else EventType.COSIGN_REFUSED
    history(proposal, event, actor, member=cosigner.member.full_name)
    message = _("%(name)s confirmed co-signing") if confirm else _("%(name)s declined to co-sign")
    tell(
        proposer_users(proposal),
        proposal,
        message % {"name": cosigner.member.full_name},
        kind="proposal.cosign",
    )
    return cosigner
