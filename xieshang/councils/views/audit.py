"""The audit log of one council, for its administrators: filter, page
through, export to Excel (the export is itself audited)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.action_labels import action_label, outcome_label, thing_label
from config.detail_labels import detail_text
from xieshang.core.audit import audit, council_actions, council_entries
from xieshang.core.exports import xlsx_response
from xieshang.core.forms import StyledFormMixin
from xieshang.core.models import AuditEntry
from xieshang.councils.roles import Perm
from xieshang.councils.tenancy import CouncilRequest, council_view

PAGE_SIZE = 50
# An export is for an inspection, not a backup: a larger range is refused
# with a message asking for narrower filters.
EXPORT_LIMIT = 20000


class AuditFilterForm(StyledFormMixin, forms.Form):
    uncounted_fields = frozenset({"user"})
    action = forms.ChoiceField(label=gettext_lazy("Action"), required=False)
    user = forms.CharField(label=gettext_lazy("User name"), required=False, max_length=150)
    date_from = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, actions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labelled = sorted(((code, action_label(code)) for code in actions), key=lambda choice: choice[1])
        self.fields["action"].choices = [("", _("All actions")), *labelled]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return data


def _filtered(request: CouncilRequest) -> tuple[AuditFilterForm, Any]:
    form = AuditFilterForm(request.GET or None, actions=council_actions(request.council.slug))
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        filters = {
            "action": form.cleaned_data["action"],
            "username": form.cleaned_data["user"].strip(),
            "date_from": form.cleaned_data["date_from"],
            "date_to": form.cleaned_data["date_to"],
        }
    return form, council_entries(request.council.slug, **filters)


@council_view(Perm.VIEW_AUDIT)
def audit_log(request: CouncilRequest) -> HttpResponse:
    """This council's audit entries, newest first."""
    form, rows = _filtered(request)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for entry in page.object_list:
        entry.labels = EntryLabels.of(entry)  # type: ignore[attr-defined]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "councils/audit_log.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@council_view(Perm.VIEW_AUDIT)
def audit_log_export(request: CouncilRequest) -> HttpResponse:
    """The filtered entries as an Excel sheet; the export is recorded too."""
    form, rows = _filtered(request)
    entries = list(rows[: EXPORT_LIMIT + 1])
    if len(entries) > EXPORT_LIMIT:
        return render(
            request,
            "councils/audit_log.html",
            {
                "form": form,
                "page": Paginator(rows, PAGE_SIZE).get_page(1),
                "query": "",
                "export_refused": EXPORT_LIMIT,
            },
            status=400,
        )
    audit(
        "audit.export",
        user=request.user,
        council=request.council,
        data={"rows": len(entries), "filters": request.GET.dict()},
        request=request,
    )
    headers = [_("Time"), _("Action"), _("Outcome"), _("User"), _("Object"), _("IP address"), _("Details")]
    local = timezone.get_current_timezone()
    table = (
        [
            e.created_at.astimezone(local).strftime("%Y-%m-%d %H:%M:%S"),
            labels.action,
            labels.outcome,
            e.username,
            labels.object,
            e.ip,
            detail_text(e.data),
        ]
        for e in entries
        for labels in [EntryLabels.of(e)]
    )
    stamp = timezone.localdate().isoformat()
    return xlsx_response(
        filename=_("audit-log-%(council)s-%(date)s.xlsx") % {"council": request.council.name, "date": stamp},
        sheet_title=_("Audit log"),
        headers=headers,
        rows=table,
    )


@dataclass(frozen=True)
class EntryLabels:
    """An audit entry as people read it: what was done, how it ended, to what."""

    action: str
    outcome: str
    object: str

    @classmethod
    def of(cls, entry: AuditEntry) -> EntryLabels:
        thing = thing_label(entry.object_type) or (_("record") if entry.object_type else "")
        return cls(
            action=action_label(entry.action, entry.object_type),
            outcome=outcome_label(entry.outcome),
            object=f"{thing} {entry.object_id}".strip(),
        )
