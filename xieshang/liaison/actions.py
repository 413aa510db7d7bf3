"""Every write to liaison data, one function per business verb.

Converting a concern into an opinion report or a proposal draft goes through
the opinions and proposals actions (docs/adr/0003-liaison-above-domain-apps.md).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.accounts.models import User
from xieshang.core.audit import audit
from xieshang.core.calendar import working_days_between
from xieshang.core.errors import Conflict, require
from xieshang.core.events import history, record_event
from xieshang.core.notifications import notify
from xieshang.core.versions import check_version, save_new_version
from xieshang.councils.models import Council, HandlingUnit, Member, OversightOffice, Role
from xieshang.councils.queries import get_setting
from xieshang.councils.roles import Actor
from xieshang.liaison import permissions as can
from xieshang.liaison.models import Concern, ConcernNote, Constituent, LiaisonVisit, PlannedVisit, VisitPlan
from xieshang.liaison.queries import leaders_of
from xieshang.liaison.states import (
    UNRESOLVED,
    ConcernStatus,
    ConstituentKind,
    EventType,
    ensure_concern_transition,
)
from xieshang.opinions.actions.filing import ReportContent, file_opinion_report
from xieshang.opinions.models import OpinionReport
from xieshang.opinions.states import OriginKind
from xieshang.proposals.actions.filing import ProposalContent, save_draft
from xieshang.proposals.models import Proposal

# Working days before the due date on which the responsible unit is reminded.
REMIND_DAYS_BEFORE = 3


def concern_url(concern: Concern) -> str:
    return reverse("liaison:concern", kwargs={"council_slug": concern.council.slug, "pk": concern.pk})


def _seated_member(council: Council, member: Member | None, field: str = "member") -> Member:
    if member is None or member.council_id != council.pk:
        raise ValidationError({field: _("Choose a seated member of this council.")})
    if not member.is_active:
        raise ValidationError(
            {field: _("%(name)s is no longer a seated member.") % {"name": member.full_name}}
        )
    return member


def _lock_concern(concern: Concern) -> Concern:
    return Concern.objects.select_for_update(of=("self",)).select_related("council").get(pk=concern.pk)


def responsible_users(concern: Concern) -> list[User]:
    """The liaisons of the concern's unit, or the users of its office."""
    rows = User.objects.filter(council_roles__council_id=concern.council_id, is_active=True)
    if concern.handling_unit_id is not None:
        rows = rows.filter(
            council_roles__role=Role.UNIT_LIAISON, council_roles__handling_unit_id=concern.handling_unit_id
        )
    else:
        rows = rows.filter(
            council_roles__role=Role.OVERSIGHT, council_roles__oversight_office_id=concern.oversight_office_id
        )
    return list(rows.distinct())


def staff_users(council_id: int) -> list[User]:
    return list(
        User.objects.filter(
            council_roles__council_id=council_id, council_roles__role=Role.STAFF, is_active=True
        ).distinct()
    )


def _member_users(concern: Concern) -> list[User]:
    user = concern.member.user
    return [user] if user is not None else []


# Plans ---------------------------------------------------------------------


@transaction.atomic
def set_visit_plan(*, actor: Actor, leader: User, year: int, rows: Sequence[tuple[int, Member]]) -> VisitPlan:
    """Replace leader's plan for year with rows of (month, member).

    Raise PermissionDenied unless actor is staff or the leader themself;
    ValidationError when leader is not a leader of this council, a member is
    not a seated member of this council, a month is out of 1–12 or a month
    has more visits than the council's setting allows. Nothing is saved then.
    """
    require(can.can_plan_for(actor, leader), _("Only staff or the leader can set a visit plan."))
    if not leaders_of(actor.council.pk).filter(pk=leader.pk).exists():
        raise ValidationError({"leader": _("Choose a leader of this council.")})
    per_month = int(get_setting(actor.council, "liaison_visits_per_month", year=year))
    errors: dict[str, str] = {}
    seen: set[tuple[int, int]] = set()
    for month, member in rows:
        if not 1 <= month <= 12:
            errors["__all__"] = _("A month must be between 1 and 12.")
            continue
        try:
            _seated_member(actor.council, member)
        except ValidationError:
            errors[f"month_{month}"] = _("%(name)s is not a seated member of this council.") % {
                "name": member.full_name if member is not None else "?"
            }
        if member is not None:
            seen.add((month, member.pk))
    counts = Counter(month for month, _member in seen)
    for month, count in counts.items():
        if count > per_month:
            errors.setdefault(
                f"month_{month}",
                _("At most %(n)s visits a month are planned in this council.") % {"n": per_month},
            )
    if errors:
        raise ValidationError(errors)
    plan, _created = VisitPlan.objects.select_for_update().get_or_create(
        council=actor.council, leader=leader, year=year, defaults={"chosen_by": actor.user}
    )
    plan.chosen_by = actor.user
    plan.save()
    plan.rows.all().delete()
    PlannedVisit.objects.bulk_create(
        PlannedVisit(council=actor.council, plan=plan, month=month, member_id=member_pk)
        for month, member_pk in sorted(seen)
    )
    history(plan, EventType.PLAN_SET, actor, leader=leader.display_name, year=year, visits=len(seen))
    return plan


# Constituents --------------------------------------------------------------


@dataclass(frozen=True)
class ConstituentData:
    name: str
    kind: str = ConstituentKind.PERSON
    sector_area: str = ""
    phone: str = ""
    note: str = ""
    is_active: bool = True


def _validate_constituent(data: ConstituentData) -> None:
    errors: dict[str, str] = {}
    if not data.name.strip():
        errors["name"] = _("Give the name of the person or organisation.")
    elif len(data.name) > 100:
        errors["name"] = _("The name may have at most 100 characters.")
    if data.kind not in ConstituentKind.values:
        errors["kind"] = _("Choose person or organisation.")
    phone = data.phone.replace(" ", "").replace("-", "")
    if phone and (not phone.isdigit() or not 7 <= len(phone) <= 15):
        errors["phone"] = _("Enter a phone number of 7 to 15 digits.")
    if len(data.sector_area) > 100:
        errors["sector_area"] = _("At most 100 characters.")
    if len(data.note) > 200:
        errors["note"] = _("At most 200 characters.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_constituent(constituent: Constituent | None, *, actor: Actor, data: ConstituentData) -> Constituent:
    """Add (constituent=None) or change a constituent in the actor's own list.

    Raise PermissionDenied unless actor is a seated member keeping this list,
    ValidationError for a missing name, unknown kind or malformed phone.
    """
    require(can.can_keep_constituent(actor, constituent), _("Only the member can change their list."))
    _validate_constituent(data)
    assert actor.member is not None
    if constituent is None:
        constituent = Constituent(council=actor.council, member=actor.member)
    else:
        constituent = Constituent.objects.select_for_update().get(pk=constituent.pk)
    constituent.name = data.name.strip()
    constituent.kind = data.kind
    constituent.sector_area = data.sector_area.strip()
    constituent.phone = data.phone.replace(" ", "").replace("-", "")
    constituent.note = data.note.strip()
    constituent.is_active = data.is_active
    constituent.save()
    # The phone is personal data: the audit says it changed, not what it is.
    audit(
        EventType.CONSTITUENT_SAVED,
        user=actor.user,
        council=actor.council,
        obj=constituent,
        data={"name": constituent.name},
    )
    return constituent


# Visits --------------------------------------------------------------------


@dataclass(frozen=True)
class ConcernData:
    title: str
    due_on: dt.date
    description: str = ""
    handling_unit: HandlingUnit | None = None
    oversight_office: OversightOffice | None = None


def _validate_concern(council: Council, data: ConcernData, today: dt.date) -> None:
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = _("Say what the concern is.")
    elif len(data.title) > 100:
        errors["title"] = _("At most 100 characters; shorten the concern and put details below.")
    if len(data.description) > 1500:
        errors["description"] = _("At most 1,500 characters.")
    if (data.handling_unit is None) == (data.oversight_office is None):
        errors["handling_unit"] = _("Choose either the handling unit or the office responsible.")
    body = data.handling_unit or data.oversight_office
    if body is not None and body.council_id != council.pk:
        errors["handling_unit"] = _("Choose a unit or office of this council.")
    if data.due_on < today:
        errors["due_on"] = _("The due date cannot be in the past.")
    if errors:
        raise ValidationError(errors)


def _new_concern(visit: LiaisonVisit, data: ConcernData, actor: Actor) -> Concern:
    concern = Concern.objects.create(
        council=actor.council,
        visit=visit,
        member=visit.member,
        year=visit.year,
        title=data.title.strip(),
        description=data.description,
        handling_unit=data.handling_unit,
        oversight_office=data.oversight_office,
        due_on=data.due_on,
    )
    history(concern, EventType.CONCERN_RAISED, actor, responsible=concern.responsible_name)
    notify(
        recipients=responsible_users(concern),
        council=actor.council,
        title=_("A concern from a liaison visit for you: %(title)s") % {"title": concern.title},
        url=concern_url(concern),
        kind="liaison.concern",
    )
    return concern


@transaction.atomic
def record_visit(
    *,
    actor: Actor,
    member: Member | None,
    visited_on: dt.date,
    leaders: Sequence[User],
    constituents: Sequence[Constituent] = (),
    discussion: str,
    concerns: Sequence[ConcernData] = (),
    today: dt.date | None = None,
) -> LiaisonVisit:
    """Record a leaders' visit to a member, with the constituents met and the
    concerns raised.

    Raise PermissionDenied unless actor is staff or one of the leaders;
    ValidationError when the member is not a seated member of this council, a
    leader is not a leader here, a constituent is not on the member's list,
    the date is in the future or a concern is incomplete. Nothing is saved then.
    """
    today = today or timezone.localdate()
    leader_ids = {leader.pk for leader in leaders}
    require(can.can_record_visit(actor, leader_ids), _("Only staff or a visiting leader can record a visit."))
    member = _seated_member(actor.council, member)
    errors: dict[str, str] = {}
    if not leader_ids:
        errors["leaders"] = _("Name the leader or leaders who visited.")
    elif leaders_of(actor.council.pk).filter(pk__in=leader_ids).count() != len(leader_ids):
        errors["leaders"] = _("Choose leaders of this council.")
    if visited_on > today:
        errors["visited_on"] = _("A visit is recorded after it took place; the date is in the future.")
    if any(c.member_id != member.pk for c in constituents):
        errors["constituents"] = _("Choose constituents from the list of the member visited.")
    if not discussion.strip():
        errors["discussion"] = _("Say what was discussed.")
    elif len(discussion) > 3000:
        errors["discussion"] = _("At most 3,000 characters.")
    if errors:
        raise ValidationError(errors)
    for data in concerns:
        _validate_concern(actor.council, data, today)
    planned = (
        PlannedVisit.objects.filter(
            council=actor.council,
            plan__year=visited_on.year,
            plan__leader_id__in=leader_ids,
            member=member,
        )
        .order_by("month")
        .first()
    )
    visit = LiaisonVisit.objects.create(
        council=actor.council,
        visited_on=visited_on,
        year=visited_on.year,
        member=member,
        discussion=discussion,
        planned=planned,
        recorded_by=actor.user,
    )
    visit.leaders.set(list(leaders))
    visit.constituents.set(list(constituents))
    history(
        visit,
        EventType.VISIT_RECORDED,
        actor,
        member=member.full_name,
        constituents=len(constituents),
        concerns=len(concerns),
    )
    for data in concerns:
        _new_concern(visit, data, actor)
    return visit


@transaction.atomic
def raise_concern(
    visit: LiaisonVisit, *, actor: Actor, data: ConcernData, today: dt.date | None = None
) -> Concern:
    """Add a concern to a recorded visit.

    Raise PermissionDenied unless actor is staff or one of the visit's
    leaders, ValidationError for an incomplete concern."""
    leader_ids = set(visit.leaders.values_list("pk", flat=True))
    require(can.can_raise_concern(actor, visit, leader_ids))
    _validate_concern(actor.council, data, today or timezone.localdate())
    return _new_concern(visit, data, actor)


# Concerns ------------------------------------------------------------------


@transaction.atomic
def start_concern(concern: Concern, *, actor: Actor, expected_version: int | None = None) -> Concern:
    """The responsible unit (or staff) starts work: open → in progress.

    Raise PermissionDenied unless actor is responsible or staff,
    InvalidTransition unless open, StaleEdit when changed since loaded."""
    concern = _lock_concern(concern)
    require(can.is_staff(actor) or can.is_responsible(actor, concern))
    check_version(concern, expected_version)
    ensure_concern_transition(concern.status, ConcernStatus.IN_PROGRESS)
    concern.status = ConcernStatus.IN_PROGRESS
    save_new_version(concern, update_fields=["status"])
    history(concern, EventType.CONCERN_STARTED, actor)
    return concern


@transaction.atomic
def note_progress(concern: Concern, *, actor: Actor, text: str) -> ConcernNote:
    """Add a progress note to an unresolved concern; an open one moves to in
    progress. Raise PermissionDenied unless actor is responsible or staff,
    InvalidTransition when resolved or closed, ValidationError for empty text."""
    concern = _lock_concern(concern)
    require(can.is_staff(actor) or can.is_responsible(actor, concern))
    if concern.status not in UNRESOLVED:
        ensure_concern_transition(concern.status, ConcernStatus.IN_PROGRESS)
    if not text.strip():
        raise ValidationError({"text": _("Write what was done.")})
    if len(text) > 1000:
        raise ValidationError({"text": _("At most 1,000 characters.")})
    note = ConcernNote.objects.create(
        council=concern.council, concern=concern, text=text.strip(), author=actor.user
    )
    if concern.status == ConcernStatus.OPEN:
        concern.status = ConcernStatus.IN_PROGRESS
    save_new_version(concern, update_fields=["status"])
    history(concern, EventType.PROGRESS_NOTED, actor, note=note.text[:200])
    return note


@transaction.atomic
def resolve_concern(
    concern: Concern,
    *,
    actor: Actor,
    resolution: str,
    today: dt.date | None = None,
    expected_version: int | None = None,
) -> Concern:
    """Write down how the concern was solved: → resolved. The member is told.

    Raise PermissionDenied unless actor is responsible or staff,
    InvalidTransition when already resolved or closed, ValidationError for an
    empty resolution, StaleEdit when changed since loaded."""
    concern = _lock_concern(concern)
    require(can.is_staff(actor) or can.is_responsible(actor, concern))
    check_version(concern, expected_version)
    ensure_concern_transition(concern.status, ConcernStatus.RESOLVED)
    if not resolution.strip():
        raise ValidationError({"resolution": _("Say how the concern was resolved.")})
    if len(resolution) > 1500:
        raise ValidationError({"resolution": _("At most 1,500 characters.")})
    concern.status = ConcernStatus.RESOLVED
    concern.resolution = resolution.strip()
    concern.finished_on = today or timezone.localdate()
    save_new_version(concern, update_fields=["status", "resolution", "finished_on"])
    history(concern, EventType.CONCERN_RESOLVED, actor)
    notify(
        recipients=_member_users(concern),
        council=concern.council,
        title=_("A concern from your constituents was resolved: %(title)s") % {"title": concern.title},
        url=concern_url(concern),
        kind="liaison.resolved",
    )
    return concern


@transaction.atomic
def close_concern(
    concern: Concern,
    *,
    actor: Actor,
    reason: str,
    today: dt.date | None = None,
    expected_version: int | None = None,
) -> Concern:
    """Close a concern without a solution, with the reason: → closed.

    Raise PermissionDenied unless actor is staff, InvalidTransition when
    already resolved or closed, ValidationError without a reason."""
    concern = _lock_concern(concern)
    require(can.is_staff(actor), _("Only staff can close a concern without a solution."))
    check_version(concern, expected_version)
    ensure_concern_transition(concern.status, ConcernStatus.CLOSED)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for closing the concern.")})
    if len(reason) > 300:
        raise ValidationError({"reason": _("At most 300 characters.")})
    concern.status = ConcernStatus.CLOSED
    concern.close_reason = reason.strip()
    concern.finished_on = today or timezone.localdate()
    save_new_version(concern, update_fields=["status", "close_reason", "finished_on"])
    history(concern, EventType.CONCERN_CLOSED, actor, reason=concern.close_reason)
    notify(
        recipients=_member_users(concern),
        council=concern.council,
        title=_("A concern from your constituents was closed: %(title)s") % {"title": concern.title},
        url=concern_url(concern),
        kind="liaison.closed",
    )
    return concern


@transaction.atomic
def convert_concern_to_report(
    concern: Concern, *, actor: Actor, title: str, problem: str, analysis: str, suggestion: str
) -> OpinionReport:
    """The member files an opinion report made from the concern; the report
    names the concern as its origin and the concern links to the report.

    Raise PermissionDenied unless actor is the member the concern belongs to
    and may file reports, Conflict when it was converted already, and the
    opinion actions' ValidationError for an incomplete or over-long report."""
    concern = _lock_concern(concern)
    if concern.opinion_report_id is not None:
        raise Conflict(_("This concern has already been turned into an opinion report."))
    require(can.can_convert_to_report(actor, concern))
    report = file_opinion_report(
        actor=actor,
        content=ReportContent(title=title, problem=problem, analysis=analysis, suggestion=suggestion),
        origin=concern,
        origin_kind=OriginKind.CONCERN,
        origin_label=concern.title,
        origin_url=concern_url(concern),
    )
    concern.opinion_report = report
    save_new_version(concern, update_fields=["opinion_report"])
    history(concern, EventType.CONVERTED_TO_REPORT, actor, report_id=report.pk)
    return report


@transaction.atomic
def convert_concern_to_proposal(concern: Concern, *, actor: Actor, title: str, situation: str) -> Proposal:
    """The member starts a proposal draft from the concern, to finish and
    file on the proposal pages; the concern links to the draft and the
    proposal's page shows the concern it came from.

    Raise PermissionDenied unless actor is the member the concern belongs to
    and may file proposals, Conflict when it was converted already, and the
    proposal actions' ValidationError for a title over the limit."""
    concern = _lock_concern(concern)
    if concern.proposal_id is not None:
        raise Conflict(_("This concern has already been turned into a proposal draft."))
    require(can.can_convert_to_proposal(actor, concern))
    proposal = save_draft(None, actor=actor, content=ProposalContent(title=title, situation=situation))
    concern.proposal = proposal
    save_new_version(concern, update_fields=["proposal"])
    history(concern, EventType.CONVERTED_TO_PROPOSAL, actor, proposal_id=proposal.pk)
    return proposal


# The sweep -----------------------------------------------------------------


@dataclass(frozen=True)
class SweepRun:
    checked: int
    reminded: int
    overdue: int


def remind_concerns(*, today: dt.date) -> SweepRun:
    """Remind the responsible units of unresolved concerns due within
    REMIND_DAYS_BEFORE working days, and flag those past due (telling the
    unit, the staff and the member). Idempotent: flags are set with a
    compare-and-swap update and every message has a dedupe key."""
    checked = reminded = overdue = 0
    rows = Concern.objects.filter(status__in=UNRESOLVED).select_related("council", "member")
    for concern in rows.iterator():
        checked += 1
        if concern.due_on < today:
            overdue += _flag_overdue(concern, today)
        elif working_days_between(today, concern.due_on, concern.council) <= REMIND_DAYS_BEFORE:
            reminded += _remind(concern)
    return SweepRun(checked=checked, reminded=reminded, overdue=overdue)


def _remind(concern: Concern) -> int:
    sent = notify(
        recipients=responsible_users(concern),
        council=concern.council,
        title=_("Concern due on %(date)s: %(title)s")
        % {"date": concern.due_on.isoformat(), "title": concern.title},
        url=concern_url(concern),
        kind="liaison.due_soon",
        dedupe_key=f"liaison.concern.{concern.pk}.due.{concern.due_on.isoformat()}",
    )
    return 1 if sent else 0


@transaction.atomic
def _flag_overdue(concern: Concern, today: dt.date) -> int:
    flagged = Concern.objects.filter(pk=concern.pk, status__in=UNRESOLVED, overdue_since__isnull=True).update(
        overdue_since=today
    )
    if not flagged:
        return 0
    record_event(
        concern,
        EventType.CONCERN_OVERDUE,
        council=concern.council,
        data={"due_on": concern.due_on.isoformat()},
    )
    notify(
        recipients=[*responsible_users(concern), *staff_users(concern.council_id), *_member_users(concern)],
        council=concern.council,
        title=_("Concern overdue since %(date)s: %(title)s")
        % {"date": concern.due_on.isoformat(), "title": concern.title},
        url=concern_url(concern),
        kind="liaison.overdue",
        dedupe_key=f"liaison.concern.{concern.pk}.overdue",
    )
    return 1
