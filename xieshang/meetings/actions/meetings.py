"""Organising meetings: create, change, invite, add guests and materials,
publish, cancel, close (which fixes attendance), and the notices."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from xieshang.core.attachments import DOCUMENTS, IMAGES, attach, attachments_of, store_upload
from xieshang.core.calendar import add_working_days
from xieshang.core.errors import require
from xieshang.core.events import history
from xieshang.core.models import Attachment, Notification
from xieshang.core.states import ensure_state
from xieshang.core.versions import check_version, save_new_version
from xieshang.councils.models import Member, MemberGroup, Sector, Session, SpecialCommittee
from xieshang.councils.queries import current_term, get_setting
from xieshang.councils.roles import Actor, Perm
from xieshang.meetings.actions.common import invitee_users, lock_meeting, tell
from xieshang.meetings.models import Attendance, Guest, Invitation, InvitationRule, Meeting, Sitting
from xieshang.meetings.permissions import can_close, can_manage, can_publish
from xieshang.meetings.queries import attendance_sheet
from xieshang.meetings.states import (
    EDITABLE,
    EventType,
    InvitedVia,
    MeetingKind,
    MeetingStatus,
    ensure_meeting_transition,
)

MATERIAL_KINDS = (*DOCUMENTS, *IMAGES)


@dataclass(frozen=True)
class SittingPlan:
    starts_at: dt.datetime
    ends_at: dt.datetime
    title: str = ""


@dataclass(frozen=True)
class MeetingDetails:
    """What staff fill in for a meeting. Without sittings, the meeting is
    one sitting from its start to its end."""

    kind: str
    title: str
    place: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    agenda: str = ""
    session: Session | None = None
    special_committee: SpecialCommittee | None = None
    sector: Sector | None = None
    sittings: tuple[SittingPlan, ...] = ()


@dataclass(frozen=True)
class InviteeChoice:
    """Whom to invite: whole bodies and members chosen by name."""

    all_members: bool = False
    standing_committee: bool = False
    sectors: Sequence[Sector] = field(default_factory=tuple)
    committees: Sequence[SpecialCommittee] = field(default_factory=tuple)
    groups: Sequence[MemberGroup] = field(default_factory=tuple)
    members: Sequence[Member] = field(default_factory=tuple)


def _validate(details: MeetingDetails, council_id: int) -> list[SittingPlan]:
    errors: dict[str, list[str]] = {}
    if details.kind not in MeetingKind.values:
        errors.setdefault("kind", []).append(_("Choose the kind of meeting."))
    if details.ends_at <= details.starts_at:
        errors.setdefault("ends_at", []).append(_("The meeting must end after it starts."))
    if details.kind == MeetingKind.SPECIAL_COMMITTEE and details.special_committee is None:
        errors.setdefault("special_committee", []).append(_("Choose the special committee that meets."))
    if details.kind == MeetingKind.SECTOR_GROUP and details.sector is None:
        errors.setdefault("sector", []).append(_("Choose the sector group that meets."))
    for body in (details.session, details.special_committee, details.sector):
        if body is not None and body.council_id != council_id:
            raise ValidationError(_("Choose a body of this council."))
    sittings = list(details.sittings) or [SittingPlan(details.starts_at, details.ends_at)]
    for plan in sittings:
        if plan.ends_at <= plan.starts_at:
            errors.setdefault("sittings", []).append(_("Every sitting must end after it starts."))
            break
        if plan.starts_at < details.starts_at or plan.ends_at > details.ends_at:
            errors.setdefault("sittings", []).append(
                _("Every sitting must lie between the meeting's start and end.")
            )
            break
    if errors:
        raise ValidationError(errors)
    return sorted(sittings, key=lambda p: p.starts_at)


def _notice_due_on(meeting: Meeting) -> dt.date:
    start = timezone.localdate(meeting.starts_at)
    days = int(get_setting(meeting.council, "meeting_notice_working_days", year=start.year))
    return add_working_days(start, -days, meeting.council)


def _write_sittings(meeting: Meeting, plans: list[SittingPlan]) -> None:
    """Replace the sittings by the plans, keeping rows (and their check-ins)
    by number where a sitting of that number still exists."""
    existing = {s.number: s for s in meeting.sittings.all()}
    for number, plan in enumerate(plans, start=1):
        sitting = existing.pop(number, None) or Sitting(
            council=meeting.council, meeting=meeting, number=number
        )
        sitting.title = plan.title[:100]
        sitting.starts_at = plan.starts_at
        sitting.ends_at = plan.ends_at
        sitting.save()
    for sitting in existing.values():
        if sitting.check_ins.exists():
            raise ValidationError({"sittings": [_("A sitting with check-ins cannot be removed.")]})
        sitting.delete()


@transaction.atomic
def create_meeting(*, actor: Actor, details: MeetingDetails, publish: bool = False) -> Meeting:
    """Create a meeting (a draft, or published at once) with its sittings.

    Raise PermissionDenied unless the actor manages meetings, and
    ValidationError (by field) for impossible times or a missing body.
    """
    require(actor.has(Perm.MANAGE_MEETINGS))
    plans = _validate(details, actor.council.pk)
    term = current_term(actor.council)
    if term is None:
        raise ValidationError(_("The council has no current term; set one up under council structure first."))
    meeting = Meeting(
        council=actor.council,
        kind=details.kind,
        title=details.title.strip(),
        agenda=details.agenda.strip(),
        place=details.place.strip(),
        starts_at=details.starts_at,
        ends_at=details.ends_at,
        term=term,
        session=details.session,
        special_committee=details.special_committee,
        sector=details.sector,
        created_by=actor.user,
        notice_due_on=dt.date.today(),
    )
    meeting.notice_due_on = _notice_due_on(meeting)
    meeting.save()
    _write_sittings(meeting, plans)
    history(meeting, EventType.CREATED, actor, title=meeting.title, kind=meeting.kind)
    if publish:
        publish_meeting(meeting, actor=actor)
        meeting.refresh_from_db()
    return meeting


@transaction.atomic
def update_meeting(
    meeting: Meeting, *, actor: Actor, details: MeetingDetails, expected_version: int | None = None
) -> Meeting:
    """Change a draft or published meeting. When invitees were already
    notified and the time or place changed, they get a new notice now."""
    meeting = lock_meeting(meeting, actor.council.pk)
    check_version(meeting, expected_version)
    ensure_state(meeting.status, EDITABLE)
    require(can_manage(actor, meeting))
    if details.kind != meeting.kind:
        raise ValidationError(
            {"kind": [_("The kind of a meeting cannot change; cancel it and create another.")]}
        )
    plans = _validate(details, actor.council.pk)
    before = (
        meeting.starts_at,
        meeting.ends_at,
        meeting.place,
        [(s.starts_at, s.ends_at) for s in meeting.sittings.all()],
    )
    meeting.title = details.title.strip()
    meeting.agenda = details.agenda.strip()
    meeting.place = details.place.strip()
    meeting.starts_at = details.starts_at
    meeting.ends_at = details.ends_at
    meeting.session = details.session
    meeting.special_committee = details.special_committee
    meeting.sector = details.sector
    meeting.notice_due_on = _notice_due_on(meeting)
    _write_sittings(meeting, plans)
    after = (meeting.starts_at, meeting.ends_at, meeting.place, [(p.starts_at, p.ends_at) for p in plans])
    changed_logistics = before != after
    if changed_logistics and meeting.notice_sent_at is not None:
        meeting.notice_round += 1
    save_new_version(meeting)
    history(meeting, EventType.CHANGED, actor, title=meeting.title, logistics_changed=changed_logistics)
    if changed_logistics and meeting.notice_sent_at is not None and meeting.status == MeetingStatus.PUBLISHED:
        _send_notice(meeting, changed=True)
    return meeting


def _rule_members(meeting: Meeting, choice: InviteeChoice) -> dict[int, tuple[str, str]]:
    """member id → (via, via name), first reason wins, seated members of the
    meeting's term only."""
    seated = Member.objects.filter(council=meeting.council, term=meeting.term, is_active=True)
    found: dict[int, tuple[str, str]] = {}

    def add(rows: object, via: str, name: str = "") -> None:
        for pk in rows.values_list("pk", flat=True):  # type: ignore[attr-defined]
            found.setdefault(pk, (via, name))

    for member in choice.members:
        if member.council_id == meeting.council_id:
            found.setdefault(member.pk, (InvitedVia.HAND_PICKED, ""))
    if choice.all_members:
        add(seated, InvitedVia.ALL_MEMBERS)
    if choice.standing_committee:
        add(seated.filter(is_standing_committee_member=True), InvitedVia.STANDING_COMMITTEE)
    for sector in choice.sectors:
        add(seated.filter(sector=sector), InvitedVia.SECTOR, sector.name)
    for committee in choice.committees:
        add(seated.filter(special_committees=committee), InvitedVia.SPECIAL_COMMITTEE, committee.name)
    for group in choice.groups:
        add(seated.filter(groups=group), InvitedVia.GROUP, group.name)
    return found


@transaction.atomic
def set_invitees(meeting: Meeting, *, actor: Actor, choice: InviteeChoice) -> int:
    """Make the invitation list what choice says; return the number invited.

    Members who asked for leave or checked in stay invited even when the new
    choice leaves them out (their answers would otherwise lose their meaning).
    Members added after the notice went out get it from the next sweep.
    """
    meeting = lock_meeting(meeting, actor.council.pk)
    ensure_state(meeting.status, EDITABLE)
    require(can_manage(actor, meeting))
    for body in (*choice.sectors, *choice.committees, *choice.groups, *choice.members):
        if body.council_id != actor.council.pk:
            raise ValidationError(_("Choose members and bodies of this council."))
    wanted = _rule_members(meeting, choice)
    current = {
        member_id: (pk, (via, name))
        for member_id, pk, via, name in meeting.invitations.values_list("member_id", "pk", "via", "via_name")
    }
    answered = set(meeting.leave_requests.values_list("member_id", flat=True)) | set(
        meeting.sittings.filter(check_ins__isnull=False).values_list("check_ins__member_id", flat=True)
    )
    removed = [
        pk
        for member_id, (pk, _was) in current.items()
        if member_id not in wanted and member_id not in answered
    ]
    Invitation.objects.filter(pk__in=removed).delete()
    Invitation.objects.bulk_create(
        [
            Invitation(council=meeting.council, meeting=meeting, member_id=member_id, via=via, via_name=name)
            for member_id, (via, name) in wanted.items()
            if member_id not in current
        ]
    )
    # Members invited before keep their row; it names the new reason.
    Invitation.objects.bulk_update(
        [
            Invitation(pk=pk, via=wanted[member_id][0], via_name=wanted[member_id][1])
            for member_id, (pk, was) in current.items()
            if member_id in wanted and was != wanted[member_id]
        ],
        ["via", "via_name"],
    )
    meeting.invitation_rules.all().delete()
    rules = (
        [InvitationRule(council=meeting.council, meeting=meeting, via=InvitedVia.ALL_MEMBERS)]
        if choice.all_members
        else []
    )
    if choice.standing_committee:
        rules.append(
            InvitationRule(council=meeting.council, meeting=meeting, via=InvitedVia.STANDING_COMMITTEE)
        )
    rules += [
        InvitationRule(council=meeting.council, meeting=meeting, via=InvitedVia.SECTOR, sector=s)
        for s in choice.sectors
    ]
    rules += [
        InvitationRule(
            council=meeting.council, meeting=meeting, via=InvitedVia.SPECIAL_COMMITTEE, special_committee=c
        )
        for c in choice.committees
    ]
    rules += [
        InvitationRule(council=meeting.council, meeting=meeting, via=InvitedVia.GROUP, group=g)
        for g in choice.groups
    ]
    InvitationRule.objects.bulk_create(rules)
    total = meeting.invitations.count()
    history(
        meeting,
        EventType.INVITEES_CHANGED,
        actor,
        invited=total,
        added=len([m for m in wanted if m not in current]),
        removed=len(removed),
    )
    if meeting.status == MeetingStatus.PUBLISHED:
        send_notice_if_due(meeting, now=timezone.now())
    return total


@transaction.atomic
def add_guest(
    meeting: Meeting,
    *,
    actor: Actor,
    full_name: str,
    organisation: str = "",
    title: str = "",
    mobile: str = "",
) -> Guest:
    """Add a non-member attendee (a department head, an expert) by name."""
    meeting = lock_meeting(meeting, actor.council.pk)
    ensure_state(meeting.status, EDITABLE)
    require(can_manage(actor, meeting))
    if not full_name.strip():
        raise ValidationError({"full_name": [_("Enter the guest's name.")]})
    guest = Guest.objects.create(
        council=meeting.council,
        meeting=meeting,
        full_name=full_name.strip(),
        organisation=organisation.strip(),
        title=title.strip(),
        mobile=mobile.strip(),
    )
    history(meeting, EventType.INVITEES_CHANGED, actor, guest_added=guest.full_name)
    return guest


@transaction.atomic
def remove_guest(guest: Guest, *, actor: Actor) -> None:
    meeting = lock_meeting(guest.meeting, actor.council.pk)
    ensure_state(meeting.status, EDITABLE)
    require(can_manage(actor, meeting) and guest.meeting_id == meeting.pk)
    name = guest.full_name
    guest.delete()
    history(meeting, EventType.INVITEES_CHANGED, actor, guest_removed=name)


@transaction.atomic
def add_material(meeting: Meeting, *, actor: Actor, upload: File) -> Attachment:
    """Store a file (PDF, Word, Excel, image) as material of the meeting.
    Raise ValidationError for an unacceptable file."""
    meeting = lock_meeting(meeting, actor.council.pk)
    ensure_state(meeting.status, EDITABLE)
    require(can_manage(actor, meeting))
    attachment = store_upload(
        upload,
        council=meeting.council,
        user=actor.user,
        allowed_kinds=MATERIAL_KINDS,
        purpose="meeting.material",
    )
    attach(attachment, meeting)
    history(meeting, EventType.CHANGED, actor, material_added=attachment.original_name)
    return attachment


@transaction.atomic
def remove_material(meeting: Meeting, *, actor: Actor, attachment_id: int) -> None:
    meeting = lock_meeting(meeting, actor.council.pk)
    ensure_state(meeting.status, EDITABLE)
    require(can_manage(actor, meeting))
    attachment = attachments_of(meeting).filter(pk=attachment_id).first()
    if attachment is None:
        raise ValidationError(_("This file is not a material of the meeting."))
    stored, name = attachment.stored_name, attachment.original_name
    attachment.delete()
    transaction.on_commit(lambda: default_storage.delete(stored))
    history(meeting, EventType.CHANGED, actor, material_removed=name)


@transaction.atomic
def publish_meeting(meeting: Meeting, *, actor: Actor) -> Meeting:
    """Show a draft to its invitees; the notice goes out now when its day has
    come, else on its day (sweep)."""
    meeting = lock_meeting(meeting, actor.council.pk)
    ensure_meeting_transition(meeting.status, MeetingStatus.PUBLISHED)
    require(can_publish(actor, meeting))
    meeting.status = MeetingStatus.PUBLISHED
    save_new_version(meeting, update_fields=["status", "updated_at"])
    history(meeting, EventType.PUBLISHED, actor, notice_due_on=meeting.notice_due_on.isoformat())
    send_notice_if_due(meeting, now=timezone.now())
    return meeting


@transaction.atomic
def cancel_meeting(meeting: Meeting, *, actor: Actor, reason: str) -> Meeting:
    """Cancel a draft or published meeting; invitees of a published one are told."""
    meeting = lock_meeting(meeting, actor.council.pk)
    ensure_state(meeting.status, EDITABLE)
    require(can_manage(actor, meeting))
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the meeting is cancelled; invitees will read it.")]})
    was_published = meeting.status == MeetingStatus.PUBLISHED
    ensure_meeting_transition(meeting.status, MeetingStatus.CANCELLED)
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancel_reason = reason.strip()[:500]
    save_new_version(meeting, update_fields=["status", "cancel_reason", "updated_at"])
    history(meeting, EventType.CANCELLED, actor, reason=meeting.cancel_reason)
    if was_published:
        tell(
            invitee_users(meeting),
            meeting,
            _("Cancelled: %(title)s") % {"title": meeting.title},
            kind="meeting.cancelled",
            body=meeting.cancel_reason,
            dedupe_key=f"meeting-cancelled:{meeting.pk}",
            by_sms=meeting.notice_sent_at is not None,
        )
    return meeting


def fix_attendance(meeting: Meeting, *, member_ids: Sequence[int] | None = None) -> int:
    """Write the Attendance rows of a closed meeting from its sheet (all
    members, or only member_ids); return the number written. Idempotent."""
    sheet = attendance_sheet(meeting)
    now = timezone.now()
    rows = [
        Attendance(
            council=meeting.council,
            meeting=meeting,
            member=row.member,
            status=row.status,
            sittings_attended=row.attended,
            sittings_total=len(sheet.sittings),
            is_invited=row.is_invited,
            was_late=row.was_late,
            left_early=row.left_early,
            computed_at=now,
        )
        for row in sheet.rows
        if member_ids is None or row.member.pk in member_ids
    ]
    keep = [r.member.pk for r in rows]
    stale = Attendance.objects.filter(meeting=meeting).exclude(member_id__in=keep)
    if member_ids is not None:
        stale = stale.filter(member_id__in=list(member_ids))
    stale.delete()
    Attendance.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["meeting", "member"],
        update_fields=[
            "status",
            "sittings_attended",
            "sittings_total",
            "is_invited",
            "was_late",
            "left_early",
            "computed_at",
        ],
        batch_size=500,
    )
    return len(rows)


def _close(meeting: Meeting, actor: Actor | None) -> Meeting:
    ensure_meeting_transition(meeting.status, MeetingStatus.CLOSED)
    meeting.status = MeetingStatus.CLOSED
    save_new_version(meeting, update_fields=["status", "updated_at"])
    written = fix_attendance(meeting)
    history(meeting, EventType.CLOSED, actor, in_council=meeting.council, members=written)
    return meeting


@transaction.atomic
def close_meeting(meeting: Meeting, *, actor: Actor, now: dt.datetime) -> Meeting:
    """Close a meeting that has begun and fix everyone's attendance.
    Staff may still correct check-ins afterwards; the rows follow."""
    meeting = lock_meeting(meeting, actor.council.pk)
    require(can_close(actor, meeting, now=now))
    return _close(meeting, actor)


def _notice_key(meeting: Meeting) -> str:
    return f"meeting-notice:{meeting.pk}:{meeting.notice_round}"


def _send_notice(meeting: Meeting, *, changed: bool = False) -> int:
    """Send the current round's notice to invitees who have not had it;
    return how many got it now. Safe to repeat (dedupe key per round)."""
    key = _notice_key(meeting)
    had = set(
        Notification.objects.filter(dedupe_key=key, council=meeting.council).values_list(
            "recipient_id", flat=True
        )
    )
    users = [u for u in invitee_users(meeting) if u.pk not in had]
    if not users:
        return 0
    when = date_format(timezone.localtime(meeting.starts_at), "DATETIME_FORMAT")
    title = (
        _("Changed: %(title)s, now %(when)s at %(place)s")
        if changed
        else _("Meeting notice: %(title)s, %(when)s at %(place)s")
    ) % {"title": meeting.title, "when": when, "place": meeting.place}
    tell(
        users,
        meeting,
        title,
        kind="meeting.notice",
        body=_("Please attend, or ask for leave before the meeting starts."),
        dedupe_key=key,
        by_sms=True,
    )
    Meeting.objects.filter(pk=meeting.pk, notice_sent_at__isnull=True).update(notice_sent_at=timezone.now())
    meeting.notice_sent_at = meeting.notice_sent_at or timezone.now()
    history(
        meeting,
        EventType.NOTICE_SENT,
        None,
        in_council=meeting.council,
        round=meeting.notice_round,
        recipients=len(users),
    )
    return len(users)


def send_notice_if_due(meeting: Meeting, *, now: dt.datetime) -> int:
    """Send the notice of a published meeting whose notice day has come and
    which has not started; return how many invitees got it now."""
    if meeting.status != MeetingStatus.PUBLISHED or now >= meeting.starts_at:
        return 0
    if timezone.localdate(now) < meeting.notice_due_on:
        return 0
    return _send_notice(meeting)


@dataclass(frozen=True)
class SweepRun:
    notices: int
    closed: int


# Meetings not closed by staff are closed this long after they end.
AUTO_CLOSE_AFTER = dt.timedelta(days=1)


def sweep(*, now: dt.datetime) -> SweepRun:
    """Send due notices and close meetings that ended a day ago (system
    actions, one transaction per meeting). Idempotent."""
    notices = closed = 0
    due = Meeting.objects.filter(
        status=MeetingStatus.PUBLISHED, notice_due_on__lte=timezone.localdate(now), starts_at__gt=now
    ).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            meeting = Meeting.objects.select_for_update(of=("self",)).select_related("council").get(pk=pk)
            notices += send_notice_if_due(meeting, now=now)
    ended = Meeting.objects.filter(
        status=MeetingStatus.PUBLISHED, ends_at__lt=now - AUTO_CLOSE_AFTER
    ).values_list("pk", flat=True)
    for pk in list(ended):
        with transaction.atomic():
            meeting = Meeting.objects.select_for_update(of=("self",)).select_related("council").get(pk=pk)
            if meeting.status == MeetingStatus.PUBLISHED:
                _close(meeting, None)
                closed += 1
    return SweepRun(notices=notices, closed=closed)


def invitation_rules_of(meeting: Meeting) -> InviteeChoice:
    """The choice staff last made for this meeting (to fill the form)."""
    rules = list(meeting.invitation_rules.select_related("sector", "special_committee", "group"))
    picked = Member.objects.filter(
        Q(meeting_invitations__meeting=meeting, meeting_invitations__via=InvitedVia.HAND_PICKED)
    )
    return InviteeChoice(
        all_members=any(r.via == InvitedVia.ALL_MEMBERS for r in rules),
        standing_committee=any(r.via == InvitedVia.STANDING_COMMITTEE for r in rules),
        sectors=[r.sector for r in rules if r.sector is not None],
        committees=[r.special_committee for r in rules if r.special_committee is not None],
        groups=[r.group for r in rules if r.group is not None],
        members=list(picked),
    )
