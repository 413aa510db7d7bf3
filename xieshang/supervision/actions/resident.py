"""Resident supervision (派驻民主监督): supervisor groups posted to handling
units, their activities, and recommendation letters in the council's name
that the unit must answer, once more if staff send the answer back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core.errors import require
from xieshang.core.events import history
from xieshang.core.notifications import notify
from xieshang.core.versions import check_version, save_new_version
from xieshang.councils.models import Council, HandlingUnit, Member, MemberGroup, MemberGroupKind
from xieshang.councils.queries import get_setting
from xieshang.councils.roles import Actor
from xieshang.supervision import permissions as can
from xieshang.supervision.actions.common import (
    own_row,
    page_url,
    raise_if,
    staff_users,
    text_errors,
    unit_users,
)
from xieshang.supervision.models import (
    AppraisalKind,
    LetterReply,
    RecommendationLetter,
    ResidentSupervision,
    SupervisionActivity,
    SupervisionAppraisal,
)
from xieshang.supervision.queries import member_in_group, next_number
from xieshang.supervision.states import ActivityKind, EventType, LetterStatus, ensure_letter_transition

GROUP_SIZE = (2, 10)


@dataclass(frozen=True)
class PostingData:
    group: MemberGroup | None
    handling_unit: HandlingUnit | None
    leader: Member | None
    starts_on: dt.date
    ends_on: dt.date


@transaction.atomic
def post_group(*, actor: Actor, data: PostingData) -> ResidentSupervision:
    """Post a supervisor group of 2–10 members to a handling unit for a term,
    with its leader, a member of the group.

    Raise PermissionDenied unless staff; ValidationError for a group that is
    not a supervisor group of this council or of the wrong size, a unit of
    another council, a leader outside the group, or an end before the start."""
    require(can.is_staff(actor), _("Only staff can post a supervisor group."))
    errors: dict[str, str] = {}
    group = data.group
    if not own_row(actor.council, group) or group is None or group.kind != MemberGroupKind.SUPERVISORS:
        errors["group"] = _("Choose a supervisor group of this council.")
    else:
        size = group.members.filter(is_active=True).count()
        if not GROUP_SIZE[0] <= size <= GROUP_SIZE[1]:
            errors["group"] = _("A supervisor group has 2 to 10 members; this one has %(n)s.") % {"n": size}
        elif data.leader is None or not group.members.filter(pk=data.leader.pk).exists():
            errors["leader"] = _("Choose the leader among the group's members.")
    if not own_row(actor.council, data.handling_unit):
        errors["handling_unit"] = _("Choose a handling unit of this council.")
    if data.ends_on <= data.starts_on:
        errors["ends_on"] = _("The posting ends after it starts.")
    raise_if(errors)
    assert group is not None and data.handling_unit is not None and data.leader is not None
    posting = ResidentSupervision.objects.create(
        council=actor.council,
        group=group,
        handling_unit=data.handling_unit,
        leader=data.leader,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        created_by=actor.user,
    )
    history(posting, EventType.POSTING_CREATED, actor, group=group.name, unit=data.handling_unit.name)
    return posting


@transaction.atomic
def record_activity(
    posting: ResidentSupervision,
    *,
    actor: Actor,
    kind: str,
    held_on: dt.date,
    participants: Sequence[Member],
    outcome: str,
    today: dt.date | None = None,
) -> SupervisionActivity:
    """Record what the posted group did. Raise PermissionDenied unless staff
    or a member of the group; ValidationError for an unknown kind, a future
    date, participants outside the group, or no outcome."""
    require(
        can.can_record_activity(actor, posting, in_group=member_in_group(actor, posting.group_id)),
        _("Only staff or a member of the posted group can record its activities."),
    )
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if kind not in ActivityKind.values:
        errors["kind"] = _("Choose the kind of activity.")
    if held_on > today:
        errors["held_on"] = _("An activity is recorded after it took place; the date is in the future.")
    group_ids = set(posting.group.members.values_list("pk", flat=True))
    if not participants:
        errors["participants"] = _("Name the members who took part.")
    elif any(m.pk not in group_ids for m in participants):
        errors["participants"] = _("Choose participants among the group's members.")
    text_errors(errors, "outcome", outcome, limit=3000, missing=_("Write what came of it."))
    raise_if(errors)
    activity = SupervisionActivity.objects.create(
        council=actor.council,
        posting=posting,
        kind=kind,
        held_on=held_on,
        year=held_on.year,
        outcome=outcome.strip(),
        recorded_by=actor.user,
    )
    activity.participants.set(list(participants))
    history(activity, EventType.ACTIVITY_RECORDED, actor, kind=kind, participants=len(participants))
    return activity


@transaction.atomic
def issue_letter(
    posting: ResidentSupervision,
    *,
    actor: Actor,
    title: str,
    text: str,
    today: dt.date | None = None,
) -> RecommendationLetter:
    """Issue a recommendation letter in the council's name to the unit the
    group is posted to, numbered per year; the reply is due after the
    council's number of days. The unit's liaisons are told.

    Raise PermissionDenied unless staff, ValidationError for an empty title
    or text."""
    require(can.is_staff(actor), _("Only staff can issue a letter in the council's name."))
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    text_errors(errors, "title", title, limit=100, missing=_("Give the letter a title."))
    text_errors(errors, "text", text, limit=5000, missing=_("Write the recommendations."))
    raise_if(errors)
    days = int(get_setting(actor.council, "letter_reply_days", year=today.year))
    # Letters are numbered under a lock on the council row: one at a time.
    Council.objects.select_for_update().filter(pk=actor.council.pk).first()
    letter = RecommendationLetter.objects.create(
        council=actor.council,
        posting=posting,
        handling_unit_id=posting.handling_unit_id,
        year=today.year,
        number=next_number(RecommendationLetter, actor.council, today.year),
        title=title.strip(),
        text=text.strip(),
        issued_on=today,
        due_on=today + dt.timedelta(days=days),
        issued_by=actor.user,
    )
    history(letter, EventType.LETTER_ISSUED, actor, number=letter.number, unit=posting.handling_unit.name)
    notify(
        recipients=unit_users(actor.council.pk, posting.handling_unit_id),
        council=actor.council,
        title=_("A recommendation letter for your unit: %(title)s") % {"title": letter.title},
        url=page_url("letter", letter),
        kind="supervision.letter",
    )
    return letter


def _lock(letter: RecommendationLetter) -> RecommendationLetter:
    return (
        RecommendationLetter.objects.select_for_update(of=("self",))
        .select_related("council")
        .get(pk=letter.pk)
    )


@transaction.atomic
def answer_letter(
    letter: RecommendationLetter, *, actor: Actor, text: str, today: dt.date | None = None
) -> LetterReply:
    """The unit answers (issued or returned → answered).

    Raise InvalidTransition when answered already (a second reply after the
    final one), PermissionDenied unless the actor is a liaison of the unit
    the letter was sent to, ValidationError for an empty or long reply."""
    row = _lock(letter)
    ensure_letter_transition(row.status, LetterStatus.ANSWERED)
    require(can.can_answer_letter(actor, row), _("Only the unit the letter was sent to can answer it."))
    errors: dict[str, str] = {}
    text_errors(errors, "text", text, limit=5000, missing=_("Write the reply."))
    raise_if(errors)
    reply = LetterReply.objects.create(
        council=row.council, letter=row, text=text.strip(), replied_by=actor.user
    )
    row.status = LetterStatus.ANSWERED
    if row.first_answered_on is None:
        row.first_answered_on = today or timezone.localdate()
    save_new_version(row, update_fields=["status", "first_answered_on"])
    history(row, EventType.LETTER_ANSWERED, actor, rework=row.was_returned)
    notify(
        recipients=staff_users(row.council_id),
        council=row.council,
        title=_("A unit answered the recommendation letter: %(title)s") % {"title": row.title},
        url=page_url("letter", row),
        kind="supervision.letter_answered",
    )
    return reply


@transaction.atomic
def return_letter(
    letter: RecommendationLetter, *, actor: Actor, reason: str, expected_version: int | None = None
) -> RecommendationLetter:
    """Staff send the answer back for rework, once: answered → returned.

    Raise InvalidTransition unless answered, PermissionDenied unless staff or
    when it was returned before, ValidationError without a reason."""
    row = _lock(letter)
    check_version(row, expected_version)
    ensure_letter_transition(row.status, LetterStatus.RETURNED)
    require(
        can.can_return_letter(actor, row), _("An answer can be sent back for rework only once, by staff.")
    )
    errors: dict[str, str] = {}
    text_errors(errors, "reason", reason, limit=500, missing=_("Say what the answer lacks."))
    raise_if(errors)
    row.status = LetterStatus.RETURNED
    row.was_returned = True
    row.return_reason = reason.strip()
    save_new_version(row, update_fields=["status", "was_returned", "return_reason"])
    history(row, EventType.LETTER_RETURNED, actor, reason=row.return_reason)
    notify(
        recipients=unit_users(row.council_id, row.handling_unit_id),
        council=row.council,
        title=_("Your answer was sent back for rework: %(title)s") % {"title": row.title},
        url=page_url("letter", row),
        kind="supervision.letter_returned",
    )
    return row


@transaction.atomic
def close_letter(
    letter: RecommendationLetter, *, actor: Actor, expected_version: int | None = None
) -> RecommendationLetter:
    """Staff accept the answer: answered → closed, final."""
    row = _lock(letter)
    check_version(row, expected_version)
    ensure_letter_transition(row.status, LetterStatus.CLOSED)
    require(can.can_close_letter(actor, row))
    row.status = LetterStatus.CLOSED
    save_new_version(row, update_fields=["status"])
    history(row, EventType.LETTER_CLOSED, actor)
    return row


@transaction.atomic
def record_appraisal(
    posting: ResidentSupervision,
    *,
    actor: Actor,
    kind: str,
    year: int,
    text: str,
    today: dt.date | None = None,
) -> SupervisionAppraisal:
    """Record the unit's yearly feedback on its supervisors (by the unit's
    liaison) or the supervisors' yearly report (by the group's leader or
    staff), once per posting, year and kind.

    Raise PermissionDenied unless the actor may write that kind,
    ValidationError for an unknown kind, a year outside the posting, an empty
    text, or one already recorded."""
    today = today or timezone.localdate()
    if kind == AppraisalKind.UNIT_FEEDBACK:
        allowed = can.is_unit_of(actor, posting.handling_unit_id)
    else:
        allowed = can.is_staff(actor) or (actor.member is not None and actor.member.pk == posting.leader_id)
    require(allowed, _("The unit writes its feedback; the group's leader or staff write the group's report."))
    errors: dict[str, str] = {}
    if kind not in AppraisalKind.values:
        errors["kind"] = _("Choose the unit's feedback or the group's report.")
    if not posting.starts_on.year <= year <= min(posting.ends_on.year, today.year):
        errors["year"] = _("Choose a year of the posting, up to this year.")
    text_errors(errors, "text", text, limit=5000, missing=_("Write the text."))
    if SupervisionAppraisal.objects.filter(posting=posting, year=year, kind=kind).exists():
        errors["kind"] = _("This has already been recorded for that year.")
    raise_if(errors)
    row = SupervisionAppraisal.objects.create(
        council=actor.council,
        posting=posting,
        year=year,
        kind=kind,
        text=text.strip(),
        recorded_on=today,
        recorded_by=actor.user,
    )
    history(row, EventType.APPRAISAL_RECORDED, actor, kind=kind, year=year)
    return row
