"""The proposal workflow (提案), as a table.

draft → submitted → review outcome (accepted / declined / converted / merged /
returned); accepted → assigned → replied → released → rated → concluded.
A dissatisfied rating may send the proposal to rehandling, whose reply is
final (the second round cannot be rehandled again; actions check the round).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xieshang.core.states import TransitionTable, ensure_transition


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("draft")  # being written by the proposer, seen by nobody else
    # 已提交: a proposal is filed (提交); an opinion report is sent up (报送).
    SUBMITTED = "submitted", pgettext_lazy("proposal", "submitted")  # waiting for review by staff
    RETURNED = "returned", _("returned for revision")  # back with the proposer
    # 已立案; "accepted" alone also names a plan suggestion staff take up (采纳).
    ACCEPTED = "accepted", pgettext_lazy("proposal", "accepted")  # has a case number, waits for assignment
    DECLINED = "declined", _("declined")  # not accepted, with a configured reason
    CONVERTED = "converted", _("converted")  # turned into an opinion report or letter
    MERGED = "merged", _("merged")  # handled as part of another proposal
    ASSIGNED = "assigned", _("assigned")  # handling units are working on it
    REPLIED = "replied", _("replied")  # every unit's reply waits for staff check
    RELEASED = "released", _("reply released")  # proposers may read and rate
    RATED = "rated", _("rated")  # the lead proposer rated the reply
    REHANDLING = "rehandling", _("rehandling")  # handled again after dissatisfaction
    CONCLUDED = "concluded", _("concluded")  # handling finished


ALLOWED_TRANSITIONS: TransitionTable = {
    ProposalStatus.DRAFT: frozenset({ProposalStatus.SUBMITTED}),
    ProposalStatus.SUBMITTED: frozenset(
        {
            ProposalStatus.ACCEPTED,
            ProposalStatus.DECLINED,
            ProposalStatus.CONVERTED,
            ProposalStatus.MERGED,
            ProposalStatus.RETURNED,
        }
    ),
    ProposalStatus.RETURNED: frozenset({ProposalStatus.SUBMITTED}),
    ProposalStatus.ACCEPTED: frozenset({ProposalStatus.ASSIGNED}),
    ProposalStatus.DECLINED: frozenset(),
    ProposalStatus.CONVERTED: frozenset(),
    ProposalStatus.MERGED: frozenset(),
    ProposalStatus.ASSIGNED: frozenset({ProposalStatus.REPLIED}),
    # A reply sent back for rework reopens handling in the round it came from.
    ProposalStatus.REPLIED: frozenset(
        {ProposalStatus.RELEASED, ProposalStatus.ASSIGNED, ProposalStatus.REHANDLING}
    ),
    # Concluding without a rating once the feedback window has closed.
    ProposalStatus.RELEASED: frozenset({ProposalStatus.RATED, ProposalStatus.CONCLUDED}),
    ProposalStatus.RATED: frozenset({ProposalStatus.CONCLUDED, ProposalStatus.REHANDLING}),
    ProposalStatus.REHANDLING: frozenset({ProposalStatus.REPLIED}),
    ProposalStatus.CONCLUDED: frozenset(),
}

# Statuses in which a proposal carries a case number.
NUMBERED = frozenset(
    {
        ProposalStatus.ACCEPTED,
        ProposalStatus.ASSIGNED,
        ProposalStatus.REPLIED,
        ProposalStatus.RELEASED,
        ProposalStatus.RATED,
        ProposalStatus.REHANDLING,
        ProposalStatus.CONCLUDED,
    }
)
# Statuses in which the proposer may still change the text.
EDITABLE = frozenset({ProposalStatus.DRAFT, ProposalStatus.RETURNED})
# Statuses in which units are handling (replies may be written).
HANDLING = frozenset({ProposalStatus.ASSIGNED, ProposalStatus.REHANDLING})
# Review outcomes: the proposal has left the review queue for good.
CLOSED_AT_REVIEW = frozenset({ProposalStatus.DECLINED, ProposalStatus.CONVERTED, ProposalStatus.MERGED})

STATUS_CSS = {
    ProposalStatus.DRAFT: "status-draft",
    ProposalStatus.SUBMITTED: "status-waiting",
    ProposalStatus.RETURNED: "status-draft",
    ProposalStatus.ACCEPTED: "status-waiting",
    ProposalStatus.DECLINED: "status-closed",
    ProposalStatus.CONVERTED: "status-closed",
    ProposalStatus.MERGED: "status-closed",
    ProposalStatus.ASSIGNED: "status-progress",
    ProposalStatus.REPLIED: "status-progress",
    ProposalStatus.RELEASED: "status-waiting",
    ProposalStatus.RATED: "status-done",
    ProposalStatus.REHANDLING: "status-progress",
    ProposalStatus.CONCLUDED: "status-done",
}


def ensure_proposal_transition(current: str, target: str) -> None:
    """Raise InvalidTransition unless the table allows current → target."""
    ensure_transition(ALLOWED_TRANSITIONS, current, target)


class CosignStatus(models.TextChoices):
    INVITED = "invited", _("invited")
    CONFIRMED = "confirmed", _("confirmed")
    REFUSED = "refused", pgettext_lazy("co-sign invitation", "refused")  # 谢绝联名


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("lead unit")  # 主办: replies once for all units
    ASSISTING = "assisting", _("assisting unit")  # 协办: sends its opinion to the lead
    JOINT = "joint", _("joint unit")  # 会办: handles jointly, opinion to the lead
    SPLIT = "split", _("split unit")  # 分办: replies on its own


# Roles whose unit writes a reply to the proposer.
REPLYING_ROLES = frozenset({AssignmentRole.LEAD, AssignmentRole.SPLIT})


class NoteKind(models.TextChoices):
    """What a handling unit records while handling (办理)."""

    PRE_HANDLING_CONTACT = "pre_handling_contact", _("contact with the proposer before handling")
    CONSULTATION = "consultation", _("handling consultation with the proposer")
    HELPER_OPINION = "helper_opinion", _("opinion sent to the lead unit")


# Only units that help the lead send it their opinion.
HELPER_ROLES = frozenset({AssignmentRole.ASSISTING, AssignmentRole.JOINT})


class FollowThroughKind(models.TextChoices):
    """How a leader follows a key proposal through (督办)."""

    INSPECTION = "inspection", _("inspection")
    MEETING = "meeting", _("follow-through meeting")
    VISIT = "visit", _("visit to the handling unit")
    OTHER = "other", _("other")


class ReplyStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("waiting for check")
    RETURNED = "returned", _("returned for rework")
    RELEASED = "released", _("released")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("basically satisfied")
    DISSATISFIED = "dissatisfied", _("dissatisfied")


# What a Feedback row may hold: a proposer's rating, or (recorded by the
# system when the window closed without one, if the council counts a missing
# rating so) "no feedback". Proposers choose only among Satisfaction.
NO_FEEDBACK = "no_feedback"
FEEDBACK_CHOICES = [*Satisfaction.choices, (NO_FEEDBACK, _("no feedback"))]
# The ratings that count as satisfied in the satisfaction rate.
PLEASED = frozenset({Satisfaction.SATISFIED.value, Satisfaction.BASICALLY_SATISFIED.value})


class FollowUpStatus(models.TextChoices):
    """A B-category proposal re-checked the following year (跟踪办理)."""

    OPEN = "open", _("waiting for the unit")  # the unit has not said what was done since
    REPORTED = "reported", _("reported by the unit")  # staff read the account and close it
    CLOSED = "closed", _("closed")  # staff closed the follow-up


FOLLOW_UP_TRANSITIONS: TransitionTable = {
    FollowUpStatus.OPEN: frozenset({FollowUpStatus.REPORTED}),
    # The unit may correct its account until staff close the follow-up.
    FollowUpStatus.REPORTED: frozenset({FollowUpStatus.REPORTED, FollowUpStatus.CLOSED}),
    FollowUpStatus.CLOSED: frozenset(),
}


def ensure_follow_up_transition(current: str, target: str) -> None:
    """Raise InvalidTransition unless the follow-up table allows current → target."""
    ensure_transition(FOLLOW_UP_TRANSITIONS, current, target)


class Window(models.TextChoices):
    SESSION = "session", _("session proposal")
    REGULAR = "regular", _("regular proposal")


class ConversionTarget(models.TextChoices):
    OPINION_REPORT = "opinion_report", _("opinion report")
    LETTER = "letter", _("letter to the responsible office")


class EventType(models.TextChoices):
    """Event types written to the proposal's history, with timeline labels."""

    DRAFT_SAVED = "proposal.draft_saved", _("Draft saved")
    SUBMITTED = "proposal.submitted", _("Submitted for review")
    COSIGNER_INVITED = "proposal.cosigner_invited", _("Cosigner invited")
    COSIGN_CONFIRMED = "proposal.cosign_confirmed", _("Cosigner confirmed")
    COSIGN_REFUSED = "proposal.cosign_refused", _("Cosigner refused")
    ACCEPTED = "proposal.accepted", _("Accepted with a case number")
    DECLINED = "proposal.declined", _("Declined")
    CONVERTED = "proposal.converted", _("Converted")
    MERGED = "proposal.merged", _("Merged into another proposal")
    MERGED_IN = "proposal.merged_in", _("Another proposal merged into this one")
    RETURNED = "proposal.returned", _("Returned for revision")
    ASSIGNED = "proposal.assigned", _("Assigned to handling units")
    OBJECTED = "proposal.assignment_objected", _("A unit objected to the assignment")
    REASSIGNED = "proposal.reassigned", _("Handling units changed")
    EXTENDED = "proposal.extension_approved", _("Extension approved")
    REPLY_SUBMITTED = "proposal.reply_submitted", _("Reply submitted")
    REPLY_RETURNED = "proposal.reply_returned", _("Reply returned for rework")
    REPLY_RELEASED = "proposal.reply_released", _("Reply released to the proposer")
    RATED = "proposal.rated", _("Reply rated")
    REHANDLING = "proposal.rehandling_ordered", _("Rehandling ordered")
    CONCLUDED = "proposal.concluded", _("Concluded")
    MARKED_KEY = "proposal.marked_key", _("Key proposal marking changed")
    MARKED_OUTSTANDING = "proposal.marked_outstanding", _("Outstanding proposal marking changed")
    NOTE = "proposal.handling_note", _("Handling recorded by the unit")
    FOLLOWED_THROUGH = "proposal.followed_through", _("Follow-through of the key proposal recorded")
    FEEDBACK_MISSING = "proposal.feedback_missing", _("Rating window closed without a rating")
    FOLLOW_UP_OPENED = "proposal.follow_up_opened", _("Follow-up next year opened (B-category reply)")
    FOLLOW_UP_REPORTED = "proposal.follow_up_reported", _("Follow-up: the unit reported what was done")
    FOLLOW_UP_CLOSED = "proposal.follow_up_closed", _("Follow-up closed")
