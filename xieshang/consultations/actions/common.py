"""What every consultations action shares: history and audit, stale-edit
checks, recipients and links."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from xieshang.accounts.models import User
from xieshang.consultations.models import Consultation, ConsultationPlan, Outcome
from xieshang.councils.models import Council, Role
from xieshang.councils.roles import Actor


def users_with_role(council: Council, *roles: str) -> list[User]:
    return list(
        User.objects.filter(
            council_roles__council=council, council_roles__role__in=roles, is_active=True
        ).distinct()
    )


def office_users(council: Council, office_ids: Iterable[int] | None = None) -> list[User]:
    """Users of the council's party-committee and government offices (of the
    given offices only, when office_ids is given)."""
    rows = User.objects.filter(
        council_roles__council=council,
        council_roles__role=Role.OVERSIGHT,
        council_roles__oversight_office__isnull=False,
        is_active=True,
    )
    if office_ids is not None:
        rows = rows.filter(council_roles__oversight_office__in=list(office_ids))
    return list(rows.distinct())


def plan_url(plan: ConsultationPlan) -> str:
    return reverse("consultations:plan", kwargs={"council_slug": plan.council.slug, "pk": plan.pk})


def consultation_url(consultation: Consultation) -> str:
    return reverse(
        "consultations:detail", kwargs={"council_slug": consultation.council.slug, "pk": consultation.pk}
    )


def outcome_url(outcome: Outcome) -> str:
    return reverse("consultations:outcome", kwargs={"council_slug": outcome.council.slug, "pk": outcome.pk})


def office_outcome_url(outcome: Outcome) -> str:
    return reverse(
        "consultations:office_outcome", kwargs={"council_slug": outcome.council.slug, "pk": outcome.pk}
    )


def same_council(actor: Actor, field: str, *objects: Any) -> None:
    """Raise ValidationError on field unless every given object is of actor's council."""
    for obj in objects:
        if obj is not None and obj.council_id != actor.council.pk:
            raise ValidationError({field: _("Choose from this council's own list.")})
