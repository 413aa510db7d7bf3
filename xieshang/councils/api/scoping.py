"""Resolving the council of a request, and building the answers every
endpoint shares."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xieshang.core.api import request_user
from xieshang.core.errors import require
from xieshang.core.models import Notification
from xieshang.councils.models import Member, Term

# The resolver of a request's ids lives with the queries; named here too
# for the endpoints that take it from this module.
from xieshang.councils.queries import council_row as council_row
from xieshang.councils.queries import council_rows as council_rows
from xieshang.councils.roles import Actor, Perm
from xieshang.councils.tenancy import needs_second_factor, resolve_council


def council_actor(request: HttpRequest, council_slug: str, perm: Perm | None = Perm.VIEW_COUNCIL) -> Actor:
    """Resolve the council and the requester's Actor in it (Http404 when the
    council is missing or none of their business), then require perm."""
    _council, actor = resolve_council(request_user(request), council_slug)
    # For the audit entry of a denial.
    request.council = actor.council  # type: ignore[attr-defined]
    if needs_second_factor(request, actor):
        # The pages redirect to the code page; the API can only refuse.
        raise PermissionDenied(
            _(
                "This council requires staff to confirm a second factor. Log in with your "
                "authenticator code, or use a token created after doing so."
            )
        )
    if perm is not None:
        require(actor.has(perm))
    return actor


def ref_out(body: Any) -> dict[str, Any] | None:
    return None if body is None else {"id": body.pk, "name": body.name}


def term_out(term: Term | None) -> dict[str, Any] | None:
    if term is None:
        return None
    return {
        "id": term.pk,
        "number": term.number,
        "starts_on": term.starts_on,
        "ends_on": term.ends_on,
        "is_current": term.is_current,
    }


def member_out(member: Member, actor: Actor) -> dict[str, Any]:
    """A member as the actor may see it: full ID and mobile numbers only with
    VIEW_PERSONAL_DATA, and never decrypted into the answer otherwise."""
    full = actor.has(Perm.VIEW_PERSONAL_DATA)
    return {
        "id": member.pk,
        "term": term_out(member.term),
        "full_name": member.full_name,
        "gender": member.gender,
        "birth_date": member.birth_date,
        "ethnicity": member.ethnicity,
        "mobile": member.mobile if full else member.masked_mobile,
        "id_number": member.id_number if full else member.masked_id_number,
        "personal_data_masked": not full,
        "affiliation": ref_out(member.affiliation),
        "sector": ref_out(member.sector),
        "employer_title": member.employer_title,
        "is_standing_committee_member": member.is_standing_committee_member,
        "recommending_body": member.recommending_body,
        "is_active": member.is_active,
        "version": member.version,
        "created_at": member.created_at,
        "updated_at": member.updated_at,
    }


def member_detail_out(member: Member, actor: Actor) -> dict[str, Any]:
    out = member_out(member, actor)
    out["special_committees"] = [ref_out(c) for c in member.special_committees.all()]
    out["groups"] = [ref_out(g) for g in member.groups.all()]
    return out


def body_out(body: Any) -> dict[str, Any]:
    return {"id": body.pk, "name": body.name, "sort_order": body.sort_order, "is_active": body.is_active}


def notification_out(row: Notification) -> dict[str, Any]:
    return {
        "id": row.pk,
        "title": row.title,
        "body": row.body,
        "url": row.url,
        "kind": row.kind,
        "created_at": row.created_at,
        "read_at": row.read_at,
        "is_read": row.read_at is not None,
    }
