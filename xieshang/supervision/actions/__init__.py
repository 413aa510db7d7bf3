"""Every write to democratic supervision, one function per business verb,
by area; callers import from here."""

from xieshang.supervision.actions.campaigns import (
    CampaignData,
    TargetData,
    add_round,
    add_targets,
    assign_groups,
    create_campaign,
    create_default_target_kinds,
    save_target_kind,
    set_campaign_status,
)
from xieshang.supervision.actions.imports import import_targets
from xieshang.supervision.actions.inspections import (
    InspectionData,
    ProblemData,
    add_inspection_photo,
    record_inspection,
)
from xieshang.supervision.actions.recommendations import (
    reply_recommendation,
    resolve_recommendation,
    send_recommendation,
)
from xieshang.supervision.actions.reports import issue_special_report, record_report_instruction
from xieshang.supervision.actions.resident import (
    PostingData,
    answer_letter,
    close_letter,
    issue_letter,
    post_group,
    record_activity,
    record_appraisal,
    return_letter,
)
from xieshang.supervision.actions.sweep import SweepRun, remind_and_flag

__all__ = [
    "CampaignData",
    "InspectionData",
    "PostingData",
    "ProblemData",
    "SweepRun",
    "TargetData",
    "add_inspection_photo",
    "add_round",
    "add_targets",
    "answer_letter",
    "assign_groups",
    "close_letter",
    "create_campaign",
    "create_default_target_kinds",
    "import_targets",
    "issue_letter",
    "issue_special_report",
    "post_group",
    "record_activity",
    "record_appraisal",
    "record_inspection",
    "record_report_instruction",
    "remind_and_flag",
    "reply_recommendation",
    "resolve_recommendation",
    "return_letter",
    "save_target_kind",
    "send_recommendation",
    "set_campaign_status",
]
