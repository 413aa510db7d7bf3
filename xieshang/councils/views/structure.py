"""Council structure pages (/c/<slug>/admin/…): the hub, terms and sessions,
and one table-driven set of pages for every kind of named body."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.forms.models import model_to_dict
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xieshang.councils.actions.roles import create_account_with_role, grant_role, revoke_role
from xieshang.councils.actions.structure import (
    create_body,
    create_session,
    create_term,
    delete_body,
    make_term_current,
    set_body_active,
    update_body,
    update_session,
    update_term,
)
from xieshang.councils.forms.structure import (
    LinkUserForm,
    NewAccountForm,
    NewTermForm,
    SessionForm,
    TermForm,
    body_form_class,
)
from xieshang.councils.models import (
    Affiliation,
    HandlingUnit,
    MemberGroup,
    NamedBody,
    OversightOffice,
    Role,
    Sector,
    SpecialCommittee,
)
from xieshang.councils.queries import (
    access_body,
    access_council_role,
    access_session,
    access_term,
    bodies_of,
    bodies_with_people,
    current_term,
    people_of,
    references_to,
    terms_with_sessions,
)
from xieshang.councils.roles import Perm
from xieshang.councils.tenancy import CouncilRequest, council_view


@dataclass(frozen=True)
class BodyKind:
    """One kind of named body and how its pages present it."""

    slug: str
    model: type[NamedBody]
    title: Promise
    add_label: Promise
    hint: Promise
    # The role of the people the body has (liaisons, office users), if any.
    people_role: str | None = None
    people_label: Promise | None = None


BODY_KINDS: dict[str, BodyKind] = {
    kind.slug: kind
    for kind in (
        BodyKind(
            "sectors",
            Sector,
            gettext_lazy("Sectors"),
            gettext_lazy("Add a sector"),
            gettext_lazy("The sectors (界别) members are seated by, each with its sector group."),
        ),
        BodyKind(
            "affiliations",
            Affiliation,
            gettext_lazy("Parties and organisations"),
            gettext_lazy("Add a party or organisation"),
            gettext_lazy("The parties and organisations (党派团体) members belong to."),
        ),
        BodyKind(
            "committees",
            SpecialCommittee,
            gettext_lazy("Special committees"),
            gettext_lazy("Add a special committee"),
            gettext_lazy("The council's special committees, such as the proposals committee."),
        ),
        BodyKind(
            "groups",
            MemberGroup,
            gettext_lazy("Member groups"),
            gettext_lazy("Add a member group"),
            gettext_lazy("Standing groups of members: contact groups, supervisor groups, activity groups."),
        ),
        BodyKind(
            "units",
            HandlingUnit,
            gettext_lazy("Handling units"),
            gettext_lazy("Add a handling unit"),
            gettext_lazy("Departments and organisations that answer proposals, letters and reports."),
            people_role=Role.UNIT_LIAISON,
            people_label=gettext_lazy("Liaisons"),
        ),
        BodyKind(
            "offices",
            OversightOffice,
            gettext_lazy("Oversight offices"),
            gettext_lazy("Add an oversight office"),
            gettext_lazy("The party-committee and government offices that co-assign and receive outcomes."),
            people_role=Role.OVERSIGHT,
            people_label=gettext_lazy("Users"),
        ),
    )
}


def _kind(kind: str) -> BodyKind:
    try:
        return BODY_KINDS[kind]
    except KeyError:
        raise Http404 from None


def _form_invalid(
    request: CouncilRequest, template: str, context: dict[str, Any], form: BaseForm, error: ValidationError
) -> HttpResponse:
    """Show an action's validation error next to the fields it names."""
    form.add_error(None, error)
    return render(request, template, context, status=400)


FORM_PAGE = "councils/structure/form.html"


# ---- hub -------------------------------------------------------------------


@council_view(Perm.MANAGE_STRUCTURE)
def structure(request: CouncilRequest) -> HttpResponse:
    """The council-structure hub: terms and every kind of body, with counts."""
    council = request.council
    current = current_term(council)
    cards = [
        {"kind": kind, "active": bodies_of(council, kind.model, active_only=True).count()}
        for kind in BODY_KINDS.values()
    ]
    return render(request, "councils/structure/hub.html", {"current_term": current, "cards": cards})


# ---- terms and sessions ----------------------------------------------------


@council_view(Perm.MANAGE_STRUCTURE)
def term_list(request: CouncilRequest) -> HttpResponse:
    return render(request, "councils/structure/terms.html", {"terms": terms_with_sessions(request.council)})


def _terms_url(request: CouncilRequest) -> str:
    return reverse("councils:term_list", args=[request.council.slug])


@council_view(Perm.MANAGE_STRUCTURE)
def term_create(request: CouncilRequest) -> HttpResponse:
    form = NewTermForm(request.POST or None)
    context = {"form": form, "title": _("New term"), "back_url": _terms_url(request)}
    if request.method == "POST":
        if not form.is_valid():
            return render(request, FORM_PAGE, context, status=400)
        try:
            term = create_term(actor=request.actor, **form.cleaned_data)
        except ValidationError as error:
            return _form_invalid(request, FORM_PAGE, context, form, error)
        messages.success(request, _("Term %(number)s was added.") % {"number": term.number})
        return redirect(_terms_url(request))
    return render(request, FORM_PAGE, context)


@council_view(Perm.MANAGE_STRUCTURE)
def term_edit(request: CouncilRequest, term_id: int) -> HttpResponse:
    term = access_term(request.actor, term_id)
    initial = {"number": term.number, "starts_on": term.starts_on, "ends_on": term.ends_on}
    form = TermForm(request.POST or None, initial=initial)
    context = {"form": form, "title": _("Edit %(term)s") % {"term": term}, "back_url": _terms_url(request)}
    if request.method == "POST":
        if not form.is_valid():
            return render(request, FORM_PAGE, context, status=400)
        try:
            update_term(term, actor=request.actor, **form.cleaned_data)
        except ValidationError as error:
            return _form_invalid(request, FORM_PAGE, context, form, error)
        messages.success(request, _("The term was saved."))
        return redirect(_terms_url(request))
    return render(request, FORM_PAGE, context)


@require_POST
@council_view(Perm.MANAGE_STRUCTURE)
def term_make_current(request: CouncilRequest, term_id: int) -> HttpResponse:
    term = make_term_current(access_term(request.actor, term_id), actor=request.actor)
    messages.success(request, _("%(term)s is now the current term.") % {"term": term})
    return redirect(_terms_url(request))


@council_view(Perm.MANAGE_STRUCTURE)
def session_create(request: CouncilRequest, term_id: int) -> HttpResponse:
    term = access_term(request.actor, term_id)
    form = SessionForm(request.POST or None)
    context = {
        "form": form,
        "title": _("New session of %(term)s") % {"term": term},
        "back_url": _terms_url(request),
    }
    if request.method == "POST":
        if not form.is_valid():
            return render(request, FORM_PAGE, context, status=400)
        try:
            create_session(term, actor=request.actor, **form.cleaned_data)
        except ValidationError as error:
            return _form_invalid(request, FORM_PAGE, context, form, error)
        messages.success(request, _("The session was added."))
        return redirect(_terms_url(request))
    return render(request, FORM_PAGE, context)


@council_view(Perm.MANAGE_STRUCTURE)
def session_edit(request: CouncilRequest, session_id: int) -> HttpResponse:
    session = access_session(request.actor, session_id)
    initial = {
        "number": session.number,
        "year": session.year,
        "opens_on": session.opens_on,
        "closes_on": session.closes_on,
    }
    form = SessionForm(request.POST or None, initial=initial)
    context = {
        "form": form,
        "title": _("Edit %(session)s") % {"session": session},
        "back_url": _terms_url(request),
    }
    if request.method == "POST":
        if not form.is_valid():
            return render(request, FORM_PAGE, context, status=400)
        try:
            update_session(session, actor=request.actor, **form.cleaned_data)
        except ValidationError as error:
            return _form_invalid(request, FORM_PAGE, context, form, error)
        messages.success(request, _("The session was saved."))
        return redirect(_terms_url(request))
    return render(request, FORM_PAGE, context)


# ---- named bodies (one set of views for every kind) ------------------------


def _list_url(request: CouncilRequest, kind: BodyKind) -> str:
    return reverse("councils:body_list", args=[request.council.slug, kind.slug])


@council_view(Perm.MANAGE_STRUCTURE)
def body_list(request: CouncilRequest, kind: str) -> HttpResponse:
    """Every body of one kind, active ones first, with their people counted."""
    body_kind = _kind(kind)
    rows = bodies_with_people(request.council, body_kind.model, people_role=body_kind.people_role)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "councils/structure/body_list.html", {"kind": body_kind, "page": page})


@council_view(Perm.MANAGE_STRUCTURE)
def body_create(request: CouncilRequest, kind: str) -> HttpResponse:
    body_kind = _kind(kind)
    form = body_form_class(body_kind.model)(request.POST or None)
    context = {"form": form, "title": body_kind.add_label, "back_url": _list_url(request, body_kind)}
    if request.method == "POST":
        if not form.is_valid():
            return render(request, FORM_PAGE, context, status=400)
        try:
            body = create_body(body_kind.model, actor=request.actor, data=form.cleaned_data)
        except ValidationError as error:
            return _form_invalid(request, FORM_PAGE, context, form, error)
        messages.success(request, _("“%(name)s” was added.") % {"name": body.name})
        if body_kind.people_role:
            return redirect("councils:body_people", request.council.slug, body_kind.slug, body.pk)
        return redirect(_list_url(request, body_kind))
    return render(request, FORM_PAGE, context)


@council_view(Perm.MANAGE_STRUCTURE)
def body_edit(request: CouncilRequest, kind: str, body_id: int) -> HttpResponse:
    """Edit a body; below the form, why it cannot be deleted (what uses it),
    or the button that deletes it when nothing does."""
    body_kind = _kind(kind)
    body = access_body(request.actor, body_kind.model, body_id)
    form_class = body_form_class(body_kind.model)
    initial = model_to_dict(body, fields=list(form_class.base_fields))
    form = form_class(request.POST or None, initial=initial)
    context = {
        "form": form,
        "title": _("Edit “%(name)s”") % {"name": body.name},
        "back_url": _list_url(request, body_kind),
        "kind": body_kind,
        "body": body,
        "references": references_to(body),
    }
    template = "councils/structure/body_edit.html"
    if request.method == "POST":
        if not form.is_valid():
            return render(request, template, context, status=400)
        try:
            update_body(body, actor=request.actor, data=form.cleaned_data)
        except ValidationError as error:
            return _form_invalid(request, template, context, form, error)
        messages.success(request, _("The changes were saved."))
        return redirect(_list_url(request, body_kind))
    return render(request, template, context)


@require_POST
@council_view(Perm.MANAGE_STRUCTURE)
def body_set_active(request: CouncilRequest, kind: str, body_id: int) -> HttpResponse:
    body_kind = _kind(kind)
    body = access_body(request.actor, body_kind.model, body_id)
    is_active = request.POST.get("is_active") == "1"
    body = set_body_active(body, actor=request.actor, is_active=is_active)
    if is_active:
        messages.success(request, _("“%(name)s” is active again.") % {"name": body.name})
    else:
        messages.success(
            request,
            _("“%(name)s” was deactivated: it stays on existing records but is no longer offered.")
            % {"name": body.name},
        )
    return redirect(_list_url(request, body_kind))


@require_POST
@council_view(Perm.MANAGE_STRUCTURE)
def body_delete(request: CouncilRequest, kind: str, body_id: int) -> HttpResponse:
    body_kind = _kind(kind)
    body = access_body(request.actor, body_kind.model, body_id)
    name = body.name
    delete_body(body, actor=request.actor)
    messages.success(request, _("“%(name)s” was deleted.") % {"name": name})
    return redirect(_list_url(request, body_kind))


# ---- people of units and offices -------------------------------------------


def _people_kind(kind: str) -> BodyKind:
    body_kind = _kind(kind)
    if body_kind.people_role is None:
        raise Http404
    return body_kind


def _people_context(
    request: CouncilRequest, body_kind: BodyKind, body: NamedBody, **forms: Any
) -> dict[str, Any]:
    return {
        "kind": body_kind,
        "body": body,
        "people": people_of(body),  # type: ignore[arg-type]
        "link_form": forms.get("link_form") or LinkUserForm(),
        "account_form": forms.get("account_form") or NewAccountForm(),
    }


def _organisation(body_kind: BodyKind, body: NamedBody) -> dict[str, Any]:
    if body_kind.people_role == Role.UNIT_LIAISON:
        return {"role": Role.UNIT_LIAISON, "handling_unit": body}
    return {"role": Role.OVERSIGHT, "oversight_office": body}


@council_view(Perm.MANAGE_STRUCTURE)
def body_people(request: CouncilRequest, kind: str, body_id: int) -> HttpResponse:
    """A unit's liaisons or an office's users, and the forms that add them."""
    body_kind = _people_kind(kind)
    body = access_body(request.actor, body_kind.model, body_id)
    return render(request, "councils/structure/body_people.html", _people_context(request, body_kind, body))


@require_POST
@council_view(Perm.MANAGE_ROLES)
def body_people_link(request: CouncilRequest, kind: str, body_id: int) -> HttpResponse:
    body_kind = _people_kind(kind)
    body = access_body(request.actor, body_kind.model, body_id)
    form = LinkUserForm(request.POST)
    context = _people_context(request, body_kind, body, link_form=form)
    template = "councils/structure/body_people.html"
    if not form.is_valid():
        return render(request, template, context, status=400)
    try:
        grant_role(actor=request.actor, user=form.user, **_organisation(body_kind, body))
    except ValidationError as error:
        return _form_invalid(request, template, context, form, error)
    messages.success(request, _("%(user)s was added.") % {"user": form.user.display_name})
    return redirect("councils:body_people", request.council.slug, body_kind.slug, body.pk)


@require_POST
@council_view(Perm.MANAGE_ROLES)
def body_people_create(request: CouncilRequest, kind: str, body_id: int) -> HttpResponse:
    """Create an account for a new liaison or office user and show its
    temporary password, once (the page is not cached and not shown again)."""
    body_kind = _people_kind(kind)
    body = access_body(request.actor, body_kind.model, body_id)
    form = NewAccountForm(request.POST)
    context = _people_context(request, body_kind, body, account_form=form)
    template = "councils/structure/body_people.html"
    if not form.is_valid():
        return render(request, template, context, status=400)
    try:
        row, password = create_account_with_role(
            actor=request.actor, **form.cleaned_data, **_organisation(body_kind, body)
        )
    except ValidationError as error:
        return _form_invalid(request, template, context, form, error)
    response = render(
        request,
        "councils/structure/account_created.html",
        {
            "account": row.user,
            "password": password,
            "back_url": reverse("councils:body_people", args=[request.council.slug, body_kind.slug, body.pk]),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@council_view(Perm.MANAGE_ROLES)
def body_people_remove(request: CouncilRequest, kind: str, body_id: int, role_id: int) -> HttpResponse:
    body_kind = _people_kind(kind)
    body = access_body(request.actor, body_kind.model, body_id)
    row = access_council_role(request.actor, role_id)
    owner = row.handling_unit_id if body_kind.people_role == Role.UNIT_LIAISON else row.oversight_office_id
    if owner != body.pk:
        raise Http404
    revoke_role(row, actor=request.actor)
    messages.success(request, _("%(user)s was removed.") % {"user": row.user.display_name})
    return redirect("councils:body_people", request.council.slug, body_kind.slug, body.pk)
