"""Who may do what with duty records and assessments (pure predicates)."""

from __future__ import annotations

from xieshang.councils.models import Member
from xieshang.councils.roles import Actor, Perm
from xieshang.duty.models import DutyAssessment


def is_own(actor: Actor, member: Member) -> bool:
    return actor.member is not None and actor.member.pk == member.pk


def can_view_member_duty(actor: Actor, member: Member) -> bool:
    """Staff, administrators and leaders see every member's record in their
    council; a member sees only their own."""
    if member.council_id != actor.council.pk:
        return False
    return actor.has(Perm.VIEW_ALL_DUTY) or (actor.has(Perm.VIEW_OWN_DUTY) and is_own(actor, member))


def can_add_records(actor: Actor, member: Member) -> bool:
    return member.council_id == actor.council.pk and actor.has(Perm.MANAGE_DUTY_RECORDS)


def can_assess(actor: Actor, assessment: DutyAssessment | None = None) -> bool:
    if assessment is not None and assessment.council_id != actor.council.pk:
        return False
    return actor.has(Perm.ASSESS_DUTY)


def can_see_result(actor: Actor, assessment: DutyAssessment, member: Member) -> bool:
    """A member sees their own result once the assessment is published; those
    who may view everyone's records see the scores in any state."""
    if assessment.council_id != actor.council.pk or member.council_id != actor.council.pk:
        return False
    if actor.has(Perm.VIEW_ALL_DUTY):
        return True
    return assessment.is_published and actor.has(Perm.VIEW_OWN_DUTY) and is_own(actor, member)


def can_edit_rules(actor: Actor) -> bool:
    return actor.has(Perm.MANAGE_SCORING_RULES)
