"""What people read for a recorded action, in one place: the label of each
app's event types and of the actions only the audit log records.

config is the top layer, so it may name every app's EventType. The audit
log, which lists recorded actions of every app, reads them through
action_label(); an object's own history takes its app's EventType labels
(core.events.labelled_timeline). A code nobody labelled still never
reaches the screen: it reads as a generic label of what was done to what
("Sector added"), or as "Other recorded action".
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from xieshang.consultations.states import EventType as ConsultationEvent
from xieshang.duty.states import EventType as DutyEvent
from xieshang.liaison.states import EventType as LiaisonEvent
from xieshang.meetings.states import EventType as MeetingEvent
from xieshang.opinions.states import EventType as OpinionEvent
from xieshang.proposals.states import EventType as ProposalEvent
from xieshang.supervision.states import EventType as SupervisionEvent
from xieshang.surveys.states import EventType as SurveyEvent

EVENT_TYPES: tuple[type[models.TextChoices], ...] = (
    ProposalEvent,
    OpinionEvent,
    MeetingEvent,
    ConsultationEvent,
    LiaisonEvent,
    SupervisionEvent,
    DutyEvent,
    SurveyEvent,
)

# Actions the apps record without an EventType of their own (logins, exports,
# the administration of a council). Where the event and the audit entry of one
# write use two spellings ("member.created" / "member.create"), both are here.
AUDIT_ACTIONS: dict[str, Any] = {
    "login": pgettext_lazy("audit action", "Login"),
    "logout": gettext_lazy("Logout"),
    "password_changed": gettext_lazy("Password changed"),
    "temporary_password_issued": gettext_lazy("Temporary password issued"),
    "preference_changed": gettext_lazy("Preference changed"),
    "permission_denied": gettext_lazy("Request refused"),
    "otp_enrol": gettext_lazy("Second factor: set-up code checked"),
    "otp_enrolled": gettext_lazy("Second factor set up"),
    "otp_removed": gettext_lazy("Second factor removed"),
    "otp_verify": gettext_lazy("Second factor code checked"),
    "account_unlock": gettext_lazy("Account unlocked with an SMS code"),
    "account_unlock_code": gettext_lazy("Unlock code sent by SMS"),
    "account_unlocked": gettext_lazy("Account unlocked"),
    "account.create": gettext_lazy("Account created"),
    "api_token_created": gettext_lazy("API token created"),
    "api_token_revoked": gettext_lazy("API token revoked"),
    "audit.export": gettext_lazy("Audit log exported"),
    "attachments.purge_unattached": gettext_lazy("Abandoned uploads removed"),
    "demo.seed": gettext_lazy("Demo data created"),
    "role.grant": gettext_lazy("Role granted"),
    "role.granted": gettext_lazy("Role granted"),
    "role.revoke": gettext_lazy("Role revoked"),
    "role.revoked": gettext_lazy("Role revoked"),
    "term.make_current": gettext_lazy("Term made current"),
    "term.made_current": gettext_lazy("Term made current"),
    "setting.change": gettext_lazy("Setting changed"),
    "setting.changed": gettext_lazy("Setting changed"),
    "setting.reset": gettext_lazy("Setting reset to its default"),
    "calendar.add_override": gettext_lazy("Working-day exception added"),
    "calendar.override_added": gettext_lazy("Working-day exception added"),
    "calendar.remove_override": gettext_lazy("Working-day exception removed"),
    "calendar.override_removed": gettext_lazy("Working-day exception removed"),
    "member.create": gettext_lazy("Added to the roster"),
    "member.created": gettext_lazy("Added to the roster"),
    "member.update": gettext_lazy("Record changed"),
    "member.updated": gettext_lazy("Record changed"),
    "member.create_login": gettext_lazy("Login created"),
    "member.login_created": gettext_lazy("Login created"),
    "member.reveal_personal_data": gettext_lazy("Personal data shown in full"),
    "member.personal_data_read": gettext_lazy("Personal data shown in full"),
    "member.import": gettext_lazy("Roster imported"),
    "member.export": gettext_lazy("Roster exported"),
    "proposal.collective_filer_authorised": gettext_lazy("Member authorised to file collective proposals"),
    "proposal.collective_filer_revoked": gettext_lazy("Authorisation to file collective proposals revoked"),
    "proposal.reply_saved": gettext_lazy("Reply draft saved"),
    "proposals.default_lists.create": gettext_lazy("Default proposal lists created"),
    "proposals.export": gettext_lazy("Proposal downloaded"),
    "proposals.statistics_export": gettext_lazy("Proposal statistics exported"),
    "opinion.issue_created": gettext_lazy("Bulletin issue created"),
    "opinion.issue_composed": gettext_lazy("Bulletin issue composed"),
    "opinion.issue_published": gettext_lazy("Bulletin issue published"),
    "opinion.issue_exported": gettext_lazy("Bulletin issue downloaded"),
    "opinion.statistics_exported": gettext_lazy("Opinion report statistics exported"),
    "meeting.sheet_exported": gettext_lazy("Sign-in sheet downloaded"),
    "consultation.deliberation_opened": gettext_lazy("Online deliberation opened"),
    "consultation.deliberation_summary": gettext_lazy("Online deliberation summarised"),
    "consultation.draft_added": gettext_lazy("Draft regulation added"),
    "consultation.joint_invited": gettext_lazy("Lower council invited"),
    "consultations.joint_accepted": gettext_lazy("Joint consultation accepted"),
    "consultations.theme_tagged": gettext_lazy("Theme tagged"),
    "consultations.theme_untagged": gettext_lazy("Theme tag removed"),
    "deliberation.opened": gettext_lazy("Online deliberation opened"),
    "deliberation.identity_verified": gettext_lazy("Participant's mobile number confirmed"),
    "deliberation.opinion_posted": gettext_lazy("Opinion posted in an online deliberation"),
    "deliberation.opinion_hidden": gettext_lazy("Opinion hidden by the moderators"),
    "deliberation.opinion_shown": gettext_lazy("Hidden opinion shown again"),
    "legislative.comment": gettext_lazy("Comment on a draft regulation"),
    "legislative.expert_invited": gettext_lazy("Expert invited to comment"),
    "liaison.statistics_exported": gettext_lazy("Liaison statistics exported"),
    "supervision.default_kinds.create": gettext_lazy("Default supervision target kinds created"),
    "supervision.photo_added": gettext_lazy("Inspection photo added"),
    "supervision.report_exported": gettext_lazy("Special report downloaded"),
    "duty.assessment_exported": gettext_lazy("Assessment downloaded"),
    "duty.records_rebuilt": gettext_lazy("Duty records rebuilt"),
    "survey.answers_exported": gettext_lazy("Survey answers exported"),
    "survey.summary_exported": gettext_lazy("Survey summary downloaded"),
}

ACTION_LABELS: dict[str, Any] = {
    **{choice.value: choice.label for event_type in EVENT_TYPES for choice in event_type},
    **AUDIT_ACTIONS,
}

# What a write did, by the last part of its code, for codes built from the
# kind of thing written ("sector.create", "handlingunit.deactivated").
VERB_LABELS: dict[str, Any] = {
    "create": gettext_lazy("%(thing)s added"),
    "created": gettext_lazy("%(thing)s added"),
    "update": gettext_lazy("%(thing)s changed"),
    "updated": gettext_lazy("%(thing)s changed"),
    "delete": gettext_lazy("%(thing)s removed"),
    "deleted": gettext_lazy("%(thing)s removed"),
    "activate": gettext_lazy("%(thing)s reactivated"),
    "activated": gettext_lazy("%(thing)s reactivated"),
    "deactivate": gettext_lazy("%(thing)s deactivated"),
    "deactivated": gettext_lazy("%(thing)s deactivated"),
    "export": gettext_lazy("%(thing)s exported"),
    "exported": gettext_lazy("%(thing)s exported"),
}


# How an audited request ended (AuditEntry.outcome).
OUTCOME_LABELS: dict[str, Any] = {
    "ok": gettext_lazy("done"),
    "denied": gettext_lazy("refused"),
    "refused": gettext_lazy("refused"),
    "failed": gettext_lazy("failed"),
    "locked_out": gettext_lazy("account locked"),
    "address_blocked": gettext_lazy("network address blocked"),
    "address_slowed": gettext_lazy("network address slowed down"),
}


def outcome_label(code: str) -> str:
    """How an audited request ended, in words; never the code itself."""
    return str(OUTCOME_LABELS.get(code) or _("other outcome"))


def thing_label(object_type: str) -> str:
    """The readable name of a model named as app_label.model_name (an audit
    entry's object_type), or "" when no such model exists."""
    if "." not in object_type:
        return ""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return ""
    return str(model._meta.verbose_name)


def action_label(code: str, object_type: str = "") -> str:
    """The label of a recorded action; never the code itself."""
    known = ACTION_LABELS.get(code)
    if known is not None:
        return str(known)
    verb = VERB_LABELS.get(code.rpartition(".")[2])
    thing = thing_label(object_type)
    if verb is not None and thing:
        return capfirst(str(verb) % {"thing": thing})
    if thing:
        return _("Other change to: %(thing)s") % {"thing": thing}
    return _("Other recorded action")
