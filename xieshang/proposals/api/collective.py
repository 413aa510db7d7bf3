"""Who may file proposals in the name of a body of the council."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from xieshang.core.api import ERROR_RESPONSES, WRITE_ERROR_RESPONSES, ObjectId, Page, PageQuery, paginate
from xieshang.councils.api.schemas import CouncilSlug
from xieshang.councils.api.scoping import council_actor
from xieshang.councils.queries import council_row, seated_member_users
from xieshang.councils.roles import Perm
from xieshang.proposals.actions import filing
from xieshang.proposals.api.answers import CollectiveFilerOut
from xieshang.proposals.api.common import BASE
from xieshang.proposals.api.schemas import CollectiveFilerIn
from xieshang.proposals.models import CollectiveFiler
from xieshang.proposals.queries import body_from_key, collective_authorisations, collective_filers

router = Router()


@router.get(f"{BASE}/collective-filers", response={200: Page[CollectiveFilerOut], **ERROR_RESPONSES})
def list_proposal_collective_filers(
    request: HttpRequest, council_slug: CouncilSlug, filters: Query[PageQuery]
) -> dict[str, Any]:
    """Who may file proposals in the name of which body of the council."""
    actor = council_actor(request, council_slug, Perm.REVIEW_PROPOSALS)
    return paginate(collective_filers(actor), filters)


@router.get(f"{BASE}/collective-filers/mine", response={200: list[CollectiveFilerOut], **ERROR_RESPONSES})
def list_my_proposal_collective_bodies(
    request: HttpRequest, council_slug: CouncilSlug
) -> list[CollectiveFiler]:
    """The bodies the member may file proposals for (send one as file_as)."""
    actor = council_actor(request, council_slug, Perm.FILE_PROPOSALS)
    return collective_authorisations(actor)


@router.post(f"{BASE}/collective-filers", response={201: CollectiveFilerOut, **WRITE_ERROR_RESPONSES})
def authorise_proposal_collective_filer(
    request: HttpRequest, council_slug: CouncilSlug, payload: CollectiveFilerIn
) -> Status:
    """Let a seated member file proposals in the name of a body (409 when they may already)."""
    actor = council_actor(request, council_slug, Perm.REVIEW_PROPOSALS)
    user = council_row(
        actor,
        seated_member_users(actor.council),
        payload.user_id,
        field="user_id",
        message=_("Choose a seated member with a login."),
    )
    body = body_from_key(actor.council, payload.body)
    if body is None:
        raise ValidationError({"body": _("Choose a body of this council.")})
    filer = filing.authorise_collective_filer(actor=actor, user=user, body=body)
    return Status(201, filer)


@router.post(f"{BASE}/collective-filers/{{filer_id}}/revoke", response={204: None, **WRITE_ERROR_RESPONSES})
def revoke_proposal_collective_filer(
    request: HttpRequest, council_slug: CouncilSlug, filer_id: ObjectId
) -> Status:
    """Withdraw an authorisation; proposals already filed stay."""
    actor = council_actor(request, council_slug, Perm.REVIEW_PROPOSALS)
    filer = collective_filers(actor).filter(pk=filer_id).first()
    if filer is None:
        raise Http404
    filing.revoke_collective_filer(filer, actor=actor)
    return Status(204, None)
