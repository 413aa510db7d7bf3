"""Who may do what with liaison plans, visits, constituents and concerns.

Pure predicates over an Actor and an object, used by the actions and by the
pages (to show only the buttons that work). Council membership of the object
is checked by the access_* reads before any of these is asked.
"""

from __future__ import annotations

from xieshang.accounts.models import User
from xieshang.councils.models import Role
from xieshang.councils.roles import Actor, Perm
from xieshang.liaison.models import Concern, Constituent, LiaisonVisit
from xieshang.liaison.states import UNRESOLVED


def is_staff(actor: Actor) -> bool:
    return actor.has(Perm.MANAGE_CONCERNS)


def is_leader(actor: Actor) -> bool:
    return actor.has_role(Role.LEADER)


def can_plan_for(actor: Actor, leader: User) -> bool:
    """Staff set any leader's plan; a leader sets their own."""
    if not actor.has(Perm.PLAN_VISITS):
        return False
    return is_staff(actor) or (is_leader(actor) and leader.pk == actor.user.pk)


def can_record_visit(actor: Actor, leader_ids: set[int]) -> bool:
    """Staff record any leader's visit; a leader records visits they went on."""
    if not actor.has(Perm.RECORD_VISITS):
        return False
    return is_staff(actor) or (is_leader(actor) and actor.user.pk in leader_ids)


def can_view_visit(actor: Actor, visit_member_id: int) -> bool:
    """The rule of queries.visible_visits for one visit (by the member
    visited): staff and leaders read all, a member the visits made to them."""
    if actor.has(Perm.VIEW_ALL_LIAISON):
        return True
    return actor.member is not None and actor.member.pk == visit_member_id


def can_raise_concern(actor: Actor, visit: LiaisonVisit, leader_ids: set[int]) -> bool:
    return can_record_visit(actor, leader_ids)


def can_keep_constituent(actor: Actor, constituent: Constituent | None) -> bool:
    """A member keeps their own list."""
    if not actor.has(Perm.KEEP_CONSTITUENTS) or actor.member is None:
        return False
    return constituent is None or constituent.member_id == actor.member.pk


def sees_full_phone(actor: Actor, constituent: Constituent) -> bool:
    return (actor.member is not None and constituent.member_id == actor.member.pk) or actor.has(
        Perm.VIEW_PERSONAL_DATA
    )


def is_responsible(actor: Actor, concern: Concern) -> bool:
    """The liaison of the concern's unit, or a user of its office."""
    if not actor.has(Perm.HANDLE_CONCERNS):
        return False
    if concern.handling_unit_id is not None:
        return concern.handling_unit_id in actor.handling_unit_ids
    return concern.oversight_office_id in actor.oversight_office_ids


def can_work_on(actor: Actor, concern: Concern) -> bool:
    """Start, note progress on and resolve an unresolved concern."""
    return concern.status in UNRESOLVED and (is_staff(actor) or is_responsible(actor, concern))


def can_close(actor: Actor, concern: Concern) -> bool:
    """Closing without a solution is the staff's decision."""
    return concern.status in UNRESOLVED and is_staff(actor)


def is_concern_member(actor: Actor, concern: Concern) -> bool:
    return actor.member is not None and concern.member_id == actor.member.pk


def can_convert_to_report(actor: Actor, concern: Concern) -> bool:
    return (
        is_concern_member(actor, concern)
        and actor.has(Perm.FILE_OPINIONS)
        and concern.opinion_report_id is None
    )


def can_convert_to_proposal(actor: Actor, concern: Concern) -> bool:
    return (
        is_concern_member(actor, concern) and actor.has(Perm.FILE_PROPOSALS) and concern.proposal_id is None
    )
