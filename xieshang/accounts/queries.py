"""Reads about a person's own account."""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt
from django_otp.plugins.otp_totp.models import TOTPDevice

from xieshang.accounts.models import User


def confirmed_totp_device(user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if they set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def roles_of(user: User) -> list[Any]:
    """The user's roles in every council, with the council, for the profile page.

    Read through the reverse relation so that accounts does not import the
    councils app (which sits above it).
    """
    return list(user.council_roles.select_related("council").order_by("council__name", "role"))


def has_login_failures(user: User) -> bool:
    """Whether failed logins of the account are on record (django-axes
    forgets them once their cool-off has passed, or at a successful login)."""
    return AccessAttempt.objects.filter(username=user.get_username()).exists()
