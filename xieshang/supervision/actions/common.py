"""What the supervision actions share: who is told, links, text checks."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.urls import reverse
from django.utils.translation import gettext as _

from xieshang.accounts.models import User
from xieshang.councils.models import Council, Role


def page_url(name: str, obj: Model) -> str:
    council = obj.council  # type: ignore[attr-defined]
    return reverse(f"supervision:{name}", kwargs={"council_slug": council.slug, "pk": obj.pk})


def unit_users(council_id: int, unit_id: int) -> list[User]:
    """The liaisons of a handling unit."""
    return list(
        User.objects.filter(
            council_roles__council_id=council_id,
            council_roles__role=Role.UNIT_LIAISON,
            council_roles__handling_unit_id=unit_id,
            is_active=True,
        ).distinct()
    )


def staff_users(council_id: int) -> list[User]:
    return list(
        User.objects.filter(
            council_roles__council_id=council_id, council_roles__role=Role.STAFF, is_active=True
        ).distinct()
    )


def text_errors(errors: dict[str, str], field: str, value: str, *, limit: int, missing: str) -> None:
    """Add field's error to errors: missing (blank) or over limit characters."""
    if not value.strip():
        errors[field] = missing
    elif len(value) > limit:
        errors[field] = _("At most %(n)s characters.") % {"n": f"{limit:,}"}


def raise_if(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def own_row(council: Council, row: Model | None) -> bool:
    return row is not None and getattr(row, "council_id", None) == council.pk
