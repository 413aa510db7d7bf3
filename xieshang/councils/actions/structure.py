"""Writes to a council's structure: terms, sessions and named bodies (sectors,
affiliations, special committees, member groups, handling units, oversight
offices).

Bodies are deactivated, not deleted, once anything refers to them; a body
nothing refers to may be deleted.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from xieshang.core.audit import audit
from xieshang.core.errors import Conflict, require
from xieshang.core.events import record_event
from xieshang.councils.models import NamedBody, Session, Term
from xieshang.councils.queries import references_to
from xieshang.councils.roles import Actor, Perm

# Fields of each body kind an administrator may set (besides the council).
BODY_FIELDS: dict[str, tuple[str, ...]] = {
    "sector": ("name", "sort_order"),
    "affiliation": ("name", "sort_order"),
    "specialcommittee": ("name", "sort_order"),
    "membergroup": ("name", "kind", "sort_order"),
    "handlingunit": ("name", "short_name", "contact_phone", "sort_order"),
    "oversightoffice": ("name", "kind", "sort_order"),
}


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    """data with dates as ISO strings, as event rows store JSON."""
    return json.loads(json.dumps(data, default=str))  # type: ignore[no-any-return]


def _check_term_dates(starts_on: dt.date, ends_on: dt.date) -> None:
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": _("The term must end after it starts.")})


@transaction.atomic
def create_term(
    *, actor: Actor, number: int, starts_on: dt.date, ends_on: dt.date, is_current: bool = False
) -> Term:
    """Open a new term (届) of the actor's council.

    The council's first term is current whatever is_current says; making a
    new term current ends the current status of the previous one.
    Raise PermissionDenied unless actor may manage the structure, and
    ValidationError for a used number or dates out of order.
    """
    require(actor.has(Perm.MANAGE_STRUCTURE))
    _check_term_dates(starts_on, ends_on)
    terms = Term.objects.select_for_update().filter(council=actor.council)
    if terms.filter(number=number).exists():
        raise ValidationError({"number": _("This council already has a term with this number.")})
    has_current = terms.filter(is_current=True).exists()
    make_current = is_current or not has_current
    if make_current and has_current:
        terms.filter(is_current=True).update(is_current=False)
    term = Term.objects.create(
        council=actor.council, number=number, starts_on=starts_on, ends_on=ends_on, is_current=make_current
    )
    data = {"number": number, "starts_on": starts_on, "ends_on": ends_on, "is_current": make_current}
    record_event(term, "term.created", council=actor.council, actor=actor.user, data=_plain(data))
    audit("term.create", user=actor.user, council=actor.council, obj=term, data=data)
    return term


@transaction.atomic
def update_term(term: Term, *, actor: Actor, number: int, starts_on: dt.date, ends_on: dt.date) -> Term:
    """Correct a term's number or dates.

    Raise PermissionDenied unless actor may manage the structure, and
    ValidationError for a used number, dates out of order, or dates that
    would leave one of its sessions outside the term.
    """
    require(actor.has(Perm.MANAGE_STRUCTURE))
    term = Term.objects.select_for_update().get(pk=term.pk, council=actor.council)
    _check_term_dates(starts_on, ends_on)
    if Term.objects.filter(council=actor.council, number=number).exclude(pk=term.pk).exists():
        raise ValidationError({"number": _("This council already has a term with this number.")})
    outside = term.sessions.exclude(opens_on__gte=starts_on, closes_on__lte=ends_on)
    if outside.exists():
        raise ValidationError(_("Some sessions of this term would fall outside these dates."))
    before = {"number": term.number, "starts_on": term.starts_on, "ends_on": term.ends_on}
    term.number, term.starts_on, term.ends_on = number, starts_on, ends_on
    term.save(update_fields=["number", "starts_on", "ends_on"])
    data = {"before": before, "after": {"number": number, "starts_on": starts_on, "ends_on": ends_on}}
    record_event(term, "term.updated", council=actor.council, actor=actor.user, data=_plain(data))
    audit("term.update", user=actor.user, council=actor.council, obj=term, data=data)
    return term


@transaction.atomic
def make_term_current(term: Term, *, actor: Actor) -> Term:
    """Make term the council's current term (there is always exactly one once
    a term exists). Raise PermissionDenied unless actor may manage the structure."""
    require(actor.has(Perm.MANAGE_STRUCTURE))
    terms = Term.objects.select_for_update().filter(council=actor.council)
    term = terms.get(pk=term.pk)
    if term.is_current:
        return term
    previous = terms.filter(is_current=True).first()
    terms.filter(is_current=True).update(is_current=False)
    term.is_current = True
    term.save(update_fields=["is_current"])
    data = {"previous_term": previous.number if previous else None}
    record_event(term, "term.made_current", council=actor.council, actor=actor.user, data=_plain(data))
    audit("term.make_current", user=actor.user, council=actor.council, obj=term, data=data)
    return term


def _check_session(
    term: Term, *, number: int, year: int, opens_on: dt.date, closes_on: dt.date, exclude: int | None
) -> None:
    errors: dict[str, str] = {}
    if closes_on < opens_on:
        errors["closes_on"] = _("The session must close on or after the day it opens.")
    if opens_on.year != year:
        errors["year"] = _("The year must be the year the session opens.")
    if opens_on < term.starts_on or closes_on > term.ends_on:
        errors["opens_on"] = _("The session must lie within its term (%(start)s – %(end)s).") % {
            "start": term.starts_on.isoformat(),
            "end": term.ends_on.isoformat(),
        }
    same_number = Session.objects.filter(term=term, number=number)
    if exclude is not None:
        same_number = same_number.exclude(pk=exclude)
    if same_number.exists():
        errors["number"] = _("This term already has a session with this number.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_session(
    term: Term, *, actor: Actor, number: int, year: int, opens_on: dt.date, closes_on: dt.date
) -> Session:
    """Add a plenary session (次会议) to term.

    Raise PermissionDenied unless actor may manage the structure, and
    ValidationError for a used number, a year that is not the opening year,
    dates out of order or outside the term.
    """
    require(actor.has(Perm.MANAGE_STRUCTURE))
    term = Term.objects.select_for_update().get(pk=term.pk, council=actor.council)
    _check_session(term, number=number, year=year, opens_on=opens_on, closes_on=closes_on, exclude=None)
    session = Session.objects.create(
        council=actor.council, term=term, number=number, year=year, opens_on=opens_on, closes_on=closes_on
    )
    data = {"term": term.number, "number": number, "year": year, "opens_on": opens_on, "closes_on": closes_on}
    record_event(session, "session.created", council=actor.council, actor=actor.user, data=_plain(data))
    audit("session.create", user=actor.user, council=actor.council, obj=session, data=data)
    return session


@transaction.atomic
def update_session(
    session: Session, *, actor: Actor, number: int, year: int, opens_on: dt.date, closes_on: dt.date
) -> Session:
    """Correct a session's number, year or dates (same rules as create_session)."""
    require(actor.has(Perm.MANAGE_STRUCTURE))
    session = (
        Session.objects.select_for_update(of=("self",))
        .select_related("term")
        .get(pk=session.pk, council=actor.council)
    )
    _check_session(
        session.term, number=number, year=year, opens_on=opens_on, closes_on=closes_on, exclude=session.pk
    )
    before = {"number": session.number, "year": session.year, "opens_on": session.opens_on}
    session.number, session.year, session.opens_on, session.closes_on = number, year, opens_on, closes_on
    session.save(update_fields=["number", "year", "opens_on", "closes_on"])
    data = {"before": before, "after": {"number": number, "year": year, "opens_on": opens_on}}
    record_event(session, "session.updated", council=actor.council, actor=actor.user, data=_plain(data))
    audit("session.update", user=actor.user, council=actor.council, obj=session, data=data)
    return session


def _kind(model: type[NamedBody]) -> str:
    return model._meta.model_name or ""


def _check_body_name(model: type[NamedBody], *, actor: Actor, name: str, exclude: int | None) -> None:
    taken = model.objects.filter(council=actor.council, name=name)  # type: ignore[attr-defined]
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise ValidationError({"name": _("This name is already used in this council.")})


@transaction.atomic
def create_body[B: NamedBody](model: type[B], *, actor: Actor, data: dict[str, Any]) -> B:
    """Add a named body of kind model (a sector, a handling unit …) to the
    actor's council; data holds that kind's BODY_FIELDS.

    Raise PermissionDenied unless actor may manage the structure, and
    ValidationError when the name is already used in the council.
    """
    require(actor.has(Perm.MANAGE_STRUCTURE))
    kind = _kind(model)
    values = {name: data[name] for name in BODY_FIELDS[kind] if name in data}
    _check_body_name(model, actor=actor, name=values["name"], exclude=None)
    body = model(council=actor.council, **values)
    body.save()
    record_event(body, f"{kind}.created", council=actor.council, actor=actor.user, data={"name": body.name})
    audit(f"{kind}.create", user=actor.user, council=actor.council, obj=body, data={"name": body.name})
    return body


@transaction.atomic
def update_body[B: NamedBody](body: B, *, actor: Actor, data: dict[str, Any]) -> B:
    """Change a named body's fields (BODY_FIELDS of its kind).

    Raise PermissionDenied unless actor may manage the structure, and
    ValidationError when the new name is already used in the council.
    """
    require(actor.has(Perm.MANAGE_STRUCTURE))
    model = type(body)
    kind = _kind(model)
    body = model.objects.select_for_update().get(pk=body.pk, council=actor.council)  # type: ignore[attr-defined]
    if "name" in data:
        _check_body_name(model, actor=actor, name=data["name"], exclude=body.pk)
    changed = {}
    for name in BODY_FIELDS[kind]:
        if name in data and getattr(body, name) != data[name]:
            changed[name] = {"old": getattr(body, name), "new": data[name]}
            setattr(body, name, data[name])
    body.save()
    record_event(body, f"{kind}.updated", council=actor.council, actor=actor.user, data={"changes": changed})
    audit(f"{kind}.update", user=actor.user, council=actor.council, obj=body, data={"changes": changed})
    return body


@transaction.atomic
def set_body_active[B: NamedBody](body: B, *, actor: Actor, is_active: bool) -> B:
    """Deactivate a body (it stays on the records that cite it but is no longer
    offered for new ones) or reactivate it.

    Raise PermissionDenied unless actor may manage the structure.
    """
    require(actor.has(Perm.MANAGE_STRUCTURE))
    model = type(body)
    kind = _kind(model)
    body = model.objects.select_for_update().get(pk=body.pk, council=actor.council)  # type: ignore[attr-defined]
    if body.is_active == is_active:
        return body
    body.is_active = is_active
    body.save(update_fields=["is_active"])
    verb = "activated" if is_active else "deactivated"
    record_event(body, f"{kind}.{verb}", council=actor.council, actor=actor.user)
    audit(f"{kind}.{verb[:-1]}", user=actor.user, council=actor.council, obj=body)
    return body


@transaction.atomic
def delete_body(body: NamedBody, *, actor: Actor) -> None:
    """Delete a body that nothing refers to (a mistaken entry).

    Raise PermissionDenied unless actor may manage the structure, and
    Conflict when any record refers to the body: deactivate it instead.
    """
    require(actor.has(Perm.MANAGE_STRUCTURE))
    model = type(body)
    kind = _kind(model)
    body = model.objects.select_for_update().get(pk=body.pk, council=actor.council)  # type: ignore[attr-defined]
    references = references_to(body)
    if references:
        raise Conflict(_("This entry is still used, so it cannot be deleted; deactivate it instead."))
    data = {"name": body.name, "id": body.pk}
    # Written before the row goes, so that both still name it.
    record_event(body, f"{kind}.deleted", council=actor.council, actor=actor.user, data=_plain(data))
    audit(f"{kind}.delete", user=actor.user, council=actor.council, obj=body, data=data)
    try:
        body.delete()
    except ProtectedError as exc:  # a reference created since the check
        raise Conflict(
            _("This entry is still used, so it cannot be deleted; deactivate it instead.")
        ) from exc
