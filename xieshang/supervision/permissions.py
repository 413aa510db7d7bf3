"""Who may do what in democratic supervision.

Pure predicates over an Actor and an object, used by the actions and by the
pages (to show only the buttons that work). Council membership of the object
is checked by the access_* reads before any of these is asked; what needs a
query (is the member in the group?) is asked by the caller and passed in.
"""

from __future__ import annotations

from xieshang.councils.roles import Actor, Perm
from xieshang.supervision.models import (
    Recommendation,
    RecommendationLetter,
    ResidentSupervision,
    SupervisionCampaign,
)
from xieshang.supervision.states import (
    AWAITING_REPLY,
    CampaignStatus,
    LetterStatus,
    RecommendationStatus,
)


def is_staff(actor: Actor) -> bool:
    return actor.has(Perm.MANAGE_SUPERVISION)


def can_manage_campaign(actor: Actor, campaign: SupervisionCampaign) -> bool:
    """Targets, groups and rounds change while the campaign is under way."""
    return is_staff(actor) and campaign.status == CampaignStatus.OPEN


def can_inspect(actor: Actor, campaign: SupervisionCampaign, *, in_assigned_group: bool) -> bool:
    """Staff record any inspection of an open campaign; a member records one
    of a target their group is assigned to."""
    if campaign.status != CampaignStatus.OPEN:
        return False
    return is_staff(actor) or (actor.has(Perm.INSPECT) and actor.member is not None and in_assigned_group)


def is_unit_of(actor: Actor, unit_id: int) -> bool:
    return actor.has(Perm.ANSWER_SUPERVISION) and unit_id in actor.handling_unit_ids


def can_reply_recommendation(actor: Actor, recommendation: Recommendation) -> bool:
    """The liaison of the unit it was sent to, until it is resolved."""
    return recommendation.status != RecommendationStatus.RESOLVED and is_unit_of(
        actor, recommendation.handling_unit_id
    )


def can_resolve_recommendation(actor: Actor, recommendation: Recommendation) -> bool:
    return is_staff(actor) and recommendation.status == RecommendationStatus.REPLIED


def can_record_activity(actor: Actor, posting: ResidentSupervision, *, in_group: bool) -> bool:
    """Staff, or a supervisor of the posted group."""
    return is_staff(actor) or (actor.has(Perm.INSPECT) and actor.member is not None and in_group)


def can_answer_letter(actor: Actor, letter: RecommendationLetter) -> bool:
    return letter.status in AWAITING_REPLY and is_unit_of(actor, letter.handling_unit_id)


def can_return_letter(actor: Actor, letter: RecommendationLetter) -> bool:
    """Staff send an answer back for rework once."""
    return is_staff(actor) and letter.status == LetterStatus.ANSWERED and not letter.was_returned


def can_close_letter(actor: Actor, letter: RecommendationLetter) -> bool:
    return is_staff(actor) and letter.status == LetterStatus.ANSWERED


def can_instruct(actor: Actor) -> bool:
    """A user of an oversight office records a leader's 批示 on a special report."""
    return actor.has(Perm.INSTRUCT_SUPERVISION) and bool(actor.oversight_office_ids)
