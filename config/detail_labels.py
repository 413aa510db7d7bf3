"""What people read for the details of a recorded action: the name of each
field the actions put into an audit entry's data, and detail_text(), which
writes the data as "field: value" text (the audit log's Excel export).

A field nobody named reads as "other detail", never as its code; a value
that is an action code reads as that action's label (config/action_labels.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from config.action_labels import ACTION_LABELS, action_label

DETAIL_LABELS: dict[str, Any] = {
    "action": gettext_lazy("action"),
    "activity": gettext_lazy("activity"),
    "added": gettext_lazy("added"),
    "adjustment": gettext_lazy("adjustment"),
    "adoption": gettext_lazy("adoption"),
    "after": gettext_lazy("after"),
    "allowed": gettext_lazy("allowed"),
    "approved_on": gettext_lazy("approved on"),
    "articles": gettext_lazy("articles"),
    "before": gettext_lazy("before"),
    "body": gettext_lazy("body"),
    "by": gettext_lazy("by"),
    "case_number": gettext_lazy("case number"),
    "category": gettext_lazy("category"),
    "changes": gettext_lazy("changes"),
    "comment": gettext_lazy("comment"),
    "comments": gettext_lazy("comments"),
    "concerns": gettext_lazy("concerns"),
    "constituents": gettext_lazy("constituents"),
    "consultation": gettext_lazy("consultation"),
    "contact": gettext_lazy("contact"),
    "count": gettext_lazy("count"),
    "council": gettext_lazy("council"),
    "counts_for_duty": gettext_lazy("counts for duty"),
    "created": gettext_lazy("created"),
    "date": gettext_lazy("date"),
    "date_from": gettext_lazy("from"),
    "date_to": gettext_lazy("to"),
    "deliberation": gettext_lazy("deliberation"),
    "detail": gettext_lazy("detail"),
    "devices": gettext_lazy("devices"),
    "document": gettext_lazy("document"),
    "draft": gettext_lazy("draft"),
    "due_on": gettext_lazy("due on"),
    "edited": gettext_lazy("edited"),
    "elder_mode": gettext_lazy("elder mode"),
    "evidence": gettext_lazy("evidence"),
    "expires_at": gettext_lazy("expires at"),
    "field": gettext_lazy("field"),
    "fields": gettext_lazy("fields"),
    "file": gettext_lazy("file"),
    "files_added": gettext_lazy("files added"),
    "files_removed": gettext_lazy("files removed"),
    "filters": gettext_lazy("filters"),
    "follow_up": gettext_lazy("follow-up"),
    "follow_up_on": gettext_lazy("follow-up on"),
    "for_role": gettext_lazy("for the role"),
    "for_user": gettext_lazy("for the user"),
    "format": gettext_lazy("format"),
    "full_personal_data": gettext_lazy("full personal data"),
    "guest_added": gettext_lazy("guest added"),
    "guest_removed": gettext_lazy("guest removed"),
    "held_on": gettext_lazy("held on"),
    "into": gettext_lazy("into"),
    "invited": gettext_lazy("invited"),
    "is_key": gettext_lazy("key proposal"),
    "is_outstanding": gettext_lazy("outstanding proposal"),
    "issued_on": gettext_lazy("issued on"),
    "item": gettext_lazy("item"),
    "kind": gettext_lazy("kind"),
    "language": gettext_lazy("language"),
    "late": gettext_lazy("late"),
    "leader": gettext_lazy("leader"),
    "leave_id": gettext_lazy("leave request"),
    "left_early": gettext_lazy("left early"),
    "level": gettext_lazy("level"),
    "login_user_id": gettext_lazy("login"),
    "logistics_changed": gettext_lazy("logistics changed"),
    "lower_council": gettext_lazy("lower council"),
    "material_added": gettext_lazy("material added"),
    "material_removed": gettext_lazy("material removed"),
    "materials": gettext_lazy("materials"),
    "member": gettext_lazy("member"),
    "member_id": gettext_lazy("member"),
    "member_ids": gettext_lazy("members"),
    "members": gettext_lazy("members"),
    "method": gettext_lazy("method"),
    "moved": gettext_lazy("moved"),
    "name": pgettext_lazy("of a person or thing", "name"),
    "note": gettext_lazy("note"),
    "notice_due_on": gettext_lazy("notice due on"),
    "number": gettext_lazy("number"),
    "offices": gettext_lazy("offices"),
    "on_behalf": gettext_lazy("on behalf"),
    "on_behalf_of": gettext_lazy("on behalf of"),
    "origin": gettext_lazy("origin"),
    "over_time": gettext_lazy("over time"),
    "participant": gettext_lazy("participant"),
    "participants": gettext_lazy("participants"),
    "path": gettext_lazy("address"),
    "plan_item": gettext_lazy("plan item"),
    "points": gettext_lazy("points"),
    "prefix": gettext_lazy("prefix"),
    "proposal_id": gettext_lazy("proposal"),
    "proposed": gettext_lazy("proposed"),
    "reason": gettext_lazy("reason"),
    "recipients": gettext_lazy("recipients"),
    "removed": gettext_lazy("removed"),
    "removed_speech": gettext_lazy("speech removed"),
    "reopened": gettext_lazy("reopened"),
    "report_id": gettext_lazy("opinion report"),
    "reports": gettext_lazy("opinion reports"),
    "responsible": gettext_lazy("responsible"),
    "retry_after": gettext_lazy("retry after"),
    "reused": gettext_lazy("reused"),
    "reviewer_id": gettext_lazy("reviewer"),
    "round": gettext_lazy("round"),
    "rows": gettext_lazy("rows"),
    "satisfaction": gettext_lazy("satisfaction"),
    "second_factor": gettext_lazy("second factor"),
    "seconds": gettext_lazy("seconds"),
    "sitting": gettext_lazy("sitting"),
    "speech": gettext_lazy("speech"),
    "starts_at": gettext_lazy("starts at"),
    "suggestion": gettext_lazy("suggestion"),
    "supports": gettext_lazy("supports"),
    "target": gettext_lazy("sent to"),
    "theme": gettext_lazy("theme"),
    "themes": gettext_lazy("themes"),
    "title": pgettext_lazy("of a document", "title"),
    "top": gettext_lazy("top"),
    "topic": gettext_lazy("topic"),
    "unit": gettext_lazy("unit"),
    "units": gettext_lazy("units"),
    "up": gettext_lazy("moved up"),
    "updated": gettext_lazy("updated"),
    "user": gettext_lazy("user"),
    "username": gettext_lazy("user name"),
    "version": gettext_lazy("version"),
    "via": gettext_lazy("via"),
    "visits": gettext_lazy("visits"),
    "walk_in": gettext_lazy("walk-in"),
    "was_required": gettext_lazy("was required"),
    "words": gettext_lazy("words"),
    "year": gettext_lazy("year"),
}


def detail_label(key: str) -> str:
    """The name of one field of an audit entry's data; never the key itself."""
    known = DETAIL_LABELS.get(key)
    return str(known) if known is not None else _("other detail")


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Mapping):
        return pgettext("nested details", "(%(details)s)") % {"details": detail_text(value)} if value else ""
    if isinstance(value, list | tuple):
        return pgettext("list separator", ", ").join(_value(item) for item in value)
    if isinstance(value, str) and value in ACTION_LABELS:
        return action_label(value)
    return str(value)


def detail_text(data: Mapping[str, Any] | None) -> str:
    """data as "field: value" text, one field after another, in the
    reader's language; empty values are left out."""
    if not data:
        return ""
    colon = pgettext("label separator", ": ")
    parts = [
        f"{detail_label(key)}{colon}{_value(value)}"
        for key, value in sorted(data.items())
        if value not in (None, "", [], {})
    ]
    return pgettext("details separator", "; ").join(parts)
