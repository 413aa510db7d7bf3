"""Users: one login per person, whatever councils they belong to."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xieshang.accounts.scopes import TokenScope
from xieshang.core import crypto
from xieshang.core.fields import EncryptedTextField


class User(AbstractUser):
    """A person who can log in. is_superuser marks the platform administrator.

    The mobile number is encrypted; mobile_index (a blind index) lets people
    log in with it and keeps it unique.
    """

    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    mobile = EncryptedTextField(_("mobile number"), blank=True)
    mobile_index = models.CharField(max_length=64, blank=True, editable=False)
    prefers_elder_mode = models.BooleanField(_("elder mode"), default=False)
    language = models.CharField(_("language"), max_length=10, blank=True)
    # Set when an administrator gives the account a temporary password; the
    # person must choose their own before doing anything else.
    must_change_password = models.BooleanField(_("must change password"), default=False)

    objects = UserManager()  # type: ignore[misc,assignment]

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mobile_index"],
                condition=~models.Q(mobile_index=""),
                name="user_unique_mobile",
            )
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The index is a pure function of the column, so deriving it here is
        # bookkeeping, not a side effect.
        self.mobile_index = crypto.blind_index(self.mobile) if self.mobile else ""
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def masked_mobile(self) -> str:
        return crypto.mask_mobile(self.mobile) if self.mobile else ""


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 digest is stored; the token itself
    is shown once, at creation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Whether the session that created the token had confirmed a second
    # factor: where a council requires one for staff, only such tokens count.
    created_with_second_factor = models.BooleanField(default=False)
    # What the token may reach (accounts.scopes): everything, reading, or one app.
    scope = models.CharField(_("scope"), max_length=20, choices=TokenScope.choices, default=TokenScope.ALL)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def new_secret() -> str:
        return "xs_" + secrets.token_urlsafe(32)

    @property
    def is_active(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()


class AddressThrottle(models.Model):
    """Login attempts that failed from one network address, whichever
    accounts they tried, in the current window (the per-address throttle;
    the per-account lockout is django-axes'). An attempt is counted when it
    starts and taken back when it succeeds."""

    address = models.CharField(max_length=45, unique=True)
    failures = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField()
    last_attempt_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.address}: {self.failures}"


class UnlockCode(models.Model):
    """A 6-digit code sent by SMS to the owner of a locked account, which
    lifts the lockout; stored hashed, valid for minutes, a few attempts."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"unlock code for {self.user_id}"
