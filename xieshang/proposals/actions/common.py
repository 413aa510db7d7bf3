"""What every proposals action shares: locking, stale-edit checks, history,
audit and messages to the people concerned."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse

from xieshang.accounts.models import User
from xieshang.core.notifications import notify
from xieshang.councils.models import Role
from xieshang.councils.roles import Actor
from xieshang.proposals.models import Proposal


def lock_proposal(proposal: Proposal, actor: Actor) -> Proposal:
    """Re-read the proposal under a row lock, within the actor's council."""
    return (
        # of=self: the nullable joins (session, lead proposer) cannot be locked on PostgreSQL.
        Proposal.objects.select_for_update(of=("self",))
        .select_related("term", "session", "lead_proposer")
        .get(pk=proposal.pk, council=actor.council)
    )


def proposal_url(proposal: Proposal) -> str:
    return reverse("proposals:detail", kwargs={"council_slug": proposal.council.slug, "pk": proposal.pk})


def proposer_users(proposal: Proposal) -> list[User]:
    """Users who hear about their proposal: the filer and the lead proposer."""
    users: list[User] = [proposal.filed_by]
    if proposal.lead_proposer is not None and proposal.lead_proposer.user is not None:
        users.append(proposal.lead_proposer.user)
    return users


def staff_users(proposal: Proposal) -> list[User]:
    return list(
        User.objects.filter(
            council_roles__council_id=proposal.council_id, council_roles__role=Role.STAFF, is_active=True
        ).distinct()
    )


def liaison_users(proposal: Proposal, unit_ids: Iterable[int]) -> list[User]:
    return list(
        User.objects.filter(
            council_roles__council_id=proposal.council_id,
            council_roles__role=Role.UNIT_LIAISON,
            council_roles__handling_unit_id__in=list(unit_ids),
            is_active=True,
        ).distinct()
    )


def tell(
    recipients: Iterable[User],
    proposal: Proposal,
    title: str,
    *,
    kind: str,
    body: str = "",
    dedupe_key: str = "",
) -> None:
    """Put a message linking to the proposal in each recipient's inbox."""
    notify(
        recipients=recipients,
        council=proposal.council,
        title=title,
        body=body,
        url=proposal_url(proposal),
        kind=kind,
        dedupe_key=dedupe_key,
    )
