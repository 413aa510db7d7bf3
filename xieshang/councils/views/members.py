"""The member roster (委员名册): list, export, detail, create, edit, the
audited "show full number", member logins and the Excel import."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xieshang.core.errors import StaleEdit
from xieshang.core.events import labelled_timeline
from xieshang.core.exports import xlsx_download
from xieshang.councils.actions.members import (
    DuplicateMember,
    create_member,
    create_member_login,
    create_member_with_login,
    export_members,
    import_members,
    reveal_personal_data,
    update_member,
)
from xieshang.councils.forms.members import MemberFilterForm, MemberForm, RosterUploadForm
from xieshang.councils.lockout import locked_accounts
from xieshang.councils.models import Member
from xieshang.councils.queries import access_member, has_terms, members_for
from xieshang.councils.roles import Perm
from xieshang.councils.roster import build_template, columns_for, read_roster
from xieshang.councils.tenancy import CouncilRequest, council_view

SORTABLE = {
    "name": gettext_lazy("Full name"),
    "sector": gettext_lazy("Sector"),
    "affiliation": gettext_lazy("Affiliation"),
    "term": gettext_lazy("Term"),
}
EVENT_LABELS = {
    "member.created": gettext_lazy("Added to the roster"),
    "member.updated": gettext_lazy("Record changed"),
    "member.login_created": gettext_lazy("Login created"),
}


def _query_without(request: CouncilRequest, *names: str) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


@council_view(Perm.VIEW_MEMBERS)
def member_list(request: CouncilRequest) -> HttpResponse:
    """The roster with filters, name search, sorting and pages."""
    form = MemberFilterForm(request.GET, council=request.council)
    members = form.apply(members_for(request.actor))
    totals = members.order_by().aggregate(
        seated=Count("id", filter=Q(is_active=True)),
        standing=Count("id", filter=Q(is_standing_committee_member=True)),
    )
    page = Paginator(members, form.page_size).get_page(request.GET.get("page"))
    sort_query = _query_without(request, "sort", "page")
    current = form.sort_key
    columns = {
        key: {
            "label": label,
            "active": current.lstrip("-") == key,
            "descending": current == f"-{key}",
            "next": f"-{key}" if current == key else key,
        }
        for key, label in SORTABLE.items()
    }
    return render(
        request,
        "councils/members/list.html",
        {
            "form": form,
            "page": page,
            "totals": totals,
            "query": _query_without(request, "page"),
            "sort_query": sort_query,
            "columns": columns,
            "has_filters": bool(form.describe()),
            "has_terms": has_terms(request.council),
            "can_manage": request.actor.has(Perm.MANAGE_MEMBERS),
            "can_import": request.actor.has(Perm.IMPORT_MEMBERS),
            "can_export": request.actor.has(Perm.EXPORT_MEMBERS),
            "can_structure": request.actor.has(Perm.MANAGE_STRUCTURE),
        },
    )


@council_view(Perm.EXPORT_MEMBERS)
def member_export(request: CouncilRequest) -> HttpResponse:
    """Exactly the rows the list shows with the same filters, as Excel."""
    form = MemberFilterForm(request.GET, council=request.council)
    content = export_members(
        actor=request.actor, members=form.apply(members_for(request.actor)), filters=form.describe()
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    name = _("member-list-%(council)s-%(date)s.xlsx") % {"council": request.council.name, "date": stamp}
    return xlsx_download(content, filename=name)


def _detail_context(request: CouncilRequest, member: Member, revealed: dict[str, str]) -> dict[str, Any]:
    return {
        "member": member,
        "events": labelled_timeline(member, EVENT_LABELS),
        "revealed": revealed,
        "committees": list(member.special_committees.all()),
        "groups": list(member.groups.all()),
        "can_manage": request.actor.has(Perm.MANAGE_MEMBERS),
        "can_reveal": request.actor.has(Perm.VIEW_PERSONAL_DATA),
        "can_unlock": request.actor.has(Perm.MANAGE_ROLES),
        "locked_until": locked_accounts([member.user]).get(member.user.pk) if member.user else None,
    }


@council_view(Perm.VIEW_MEMBERS)
def member_detail(request: CouncilRequest, member_id: int) -> HttpResponse:
    member = access_member(request.actor, member_id)
    return render(request, "councils/members/detail.html", _detail_context(request, member, {}))


@require_POST
@council_view(Perm.VIEW_PERSONAL_DATA)
def member_reveal(request: CouncilRequest, member_id: int) -> HttpResponse:
    """Show one full personal number, once, and record who looked."""
    member = access_member(request.actor, member_id)
    field = request.POST.get("field", "")
    if field not in ("id_number", "mobile"):
        return HttpResponse(_("Unknown field."), status=400)
    value = reveal_personal_data(member, actor=request.actor, field=field)
    if getattr(request, "htmx", False):
        return render(request, "councils/members/_revealed.html", {"value": value, "field": field})
    return render(request, "councils/members/detail.html", _detail_context(request, member, {field: value}))


@council_view(Perm.MANAGE_MEMBERS)
def member_create(request: CouncilRequest) -> HttpResponse:
    form = MemberForm(request.POST or None, council=request.council)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data.get("create_login"):
                member, login = create_member_with_login(actor=request.actor, data=form.member_data())
                return render(
                    request, "councils/members/login_created.html", {"member": member, "login": login}
                )
            member = create_member(actor=request.actor, data=form.member_data())
        except DuplicateMember as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("%(name)s was added to the roster.") % {"name": member.full_name})
            return redirect("councils:member_detail", council_slug=request.council.slug, member_id=member.pk)
    return render(
        request,
        "councils/members/form.html",
        {"form": form, "member": None, "has_terms": has_terms(request.council)},
    )


@council_view(Perm.MANAGE_MEMBERS)
def member_edit(request: CouncilRequest, member_id: int) -> HttpResponse:
    member = access_member(request.actor, member_id)
    form = MemberForm(request.POST or None, instance=member, council=request.council)
    conflict: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            update_member(
                member, actor=request.actor, data=form.member_data(), version=form.cleaned_data["version"]
            )
        except StaleEdit:
            # Keep what was typed; carry the newest version so that saving
            # again knowingly replaces the other change.
            current = access_member(request.actor, member_id)
            data = request.POST.copy()
            data["version"] = str(current.version)
            form = MemberForm(data, instance=current, council=request.council)
            form.is_valid()
            conflict = _differences(form, current)
        except DuplicateMember as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("councils:member_detail", council_slug=request.council.slug, member_id=member.pk)
    return render(
        request,
        "councils/members/form.html",
        {"form": form, "member": member, "conflict": conflict, "stale": bool(conflict) or None},
        status=409 if conflict else 200,
    )


def _differences(form: MemberForm, current: Member) -> list[str]:
    """Labels of the fields where the saved record differs from what was typed."""
    labels = []
    data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    for name, field in form.fields.items():
        if name in ("version", "id_number", "mobile") or name not in data:
            continue
        saved: Any = getattr(current, name)
        typed = data[name]
        if name in ("special_committees", "groups"):
            saved, typed = set(saved.all()), set(typed)
        if saved != typed:
            labels.append(str(field.label))
    return labels or [_("no field differs from what you typed")]


@require_POST
@council_view(Perm.MANAGE_MEMBERS)
def member_create_login(request: CouncilRequest, member_id: int) -> HttpResponse:
    member = access_member(request.actor, member_id)
    login = create_member_login(member, actor=request.actor)
    return render(request, "councils/members/login_created.html", {"member": member, "login": login})


@council_view(Perm.IMPORT_MEMBERS)
def member_template(request: CouncilRequest) -> HttpResponse:
    """The Excel template for the roster import, with this council's lists."""
    name = _("member-roster-template-%(council)s.xlsx") % {"council": request.council.name}
    return xlsx_download(build_template(request.council), filename=name)


@council_view(Perm.IMPORT_MEMBERS)
def member_import(request: CouncilRequest) -> HttpResponse:
    """Check an uploaded roster; import it only when every row is right."""
    form = RosterUploadForm(request.POST or None, request.FILES or None, council=request.council)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = read_roster(upload, council=request.council, term=form.cleaned_data["term"])
        if result.is_valid:
            try:
                count = import_members(actor=request.actor, rows=result.rows, file_name=upload.name)
            except DuplicateMember as error:
                result.problem = error.message
            else:
                messages.success(
                    request,
                    _("%(count)s members were imported into term %(term)s.")
                    % {"count": count, "term": form.cleaned_data["term"].number},
                )
                if result.ignored_columns:
                    messages.warning(request, result.ignored_notice)
                return redirect("councils:member_list", council_slug=request.council.slug)
    return render(
        request,
        "councils/members/import.html",
        {
            "form": form,
            "result": result,
            "columns": columns_for(request.council),
            "has_terms": has_terms(request.council),
        },
    )
