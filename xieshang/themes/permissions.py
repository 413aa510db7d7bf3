"""Who may tag items with themes."""

from __future__ import annotations

from xieshang.councils.roles import Actor, Perm


def can_tag(actor: Actor, *, view_perm: Perm) -> bool:
    """Staff who prepare consultations, and read every item of a kind (its
    app says by which permission), tag those items with themes and remove
    their tags."""
    return actor.has(Perm.MANAGE_CONSULTATIONS) and actor.has(view_perm)
