"""Every write to a person's own account: password, preferences, second factor.

Each function checks what it needs, writes, and appends an audit entry in the
same transaction.
"""

from __future__ import annotations

import secrets
import string
import time

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from xieshang.accounts.models import User
from xieshang.core.audit import audit
from xieshang.core.errors import Conflict

# Letters and digits that cannot be mistaken for each other when read out or
# copied from paper (no 0/O, 1/l/I).
_TEMPORARY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"


@transaction.atomic
def change_password(user: User, *, new_password: str, request: HttpRequest | None = None) -> User:
    """Give user new_password (checked against the password policy) and lift
    any requirement to change it.

    Raise ValidationError when the password does not meet the policy. The
    caller has checked the current password.
    """
    validate_password(new_password, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    user.set_password(new_password)
    forced = user.must_change_password
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    audit("password_changed", user=user, data={"was_required": forced}, request=request)
    return user


@transaction.atomic
def issue_temporary_password(user: User, *, issued_by: User, request: HttpRequest | None = None) -> str:
    """Give user a new random password that must be changed at next login,
    and return it (to be handed over once; it is not stored in clear).

    The caller checks that issued_by may manage this account.
    """
    password = _temporary_password()
    user = User.objects.select_for_update().get(pk=user.pk)
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    audit(
        "temporary_password_issued",
        user=issued_by,
        obj=user,
        data={"for_user": user.get_username()},
        request=request,
    )
    return password


def _temporary_password() -> str:
    while True:
        candidate = "".join(secrets.choice(_TEMPORARY_ALPHABET) for _ in range(12))
        # Three character classes, as the password policy requires.
        if (
            any(c.islower() for c in candidate)
            and any(c.isupper() for c in candidate)
            and any(c in string.digits for c in candidate)
        ):
            return candidate


@transaction.atomic
def set_elder_mode(user: User, *, on: bool) -> User:
    """Remember on the account whether elder mode is on."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.prefers_elder_mode != on:
        user.prefers_elder_mode = on
        user.save(update_fields=["prefers_elder_mode"])
        audit("preference_changed", user=user, data={"elder_mode": on})
    return user


@transaction.atomic
def set_language(user: User, *, language: str) -> User:
    """Remember the user's interface language, applied at each login.

    Raise ValidationError for a language the platform does not offer.
    """
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("This language is not available."), code="invalid_language")
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
        audit("preference_changed", user=user, data={"language": language})
    return user


def enrol_totp_device(user: User, *, key: str, token: str, request: HttpRequest | None = None) -> TOTPDevice:
    """Confirm an authenticator app set up with the hex key by one code it
    shows, and store it as the user's second factor.

    Raise ValidationError when the code does not match (audited), and
    Conflict when the user already has a confirmed authenticator.
    """
    device = TOTPDevice(user=user, name=_("Authenticator app"), key=key, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if not _is_code(token) or not totp.verify(int(token), tolerance=device.tolerance):
        # Outside any transaction, so the entry stays although we raise.
        audit("otp_enrol", user=user, outcome="failed", request=request)
        raise ValidationError(_("The code is wrong or has expired. Enter the code the app shows now."))
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise Conflict(_("You already have an authenticator app. Remove it first to set up another."))
        # The code just used may not be used again to log in.
        device.last_t = totp.t()
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device.save()
        audit("otp_enrolled", user=user, obj=device, request=request)
    return device


def remove_totp_devices(user: User, *, password: str, request: HttpRequest | None = None) -> int:
    """Remove the user's authenticator apps after checking their password;
    return how many were removed.

    Raise ValidationError when the password is wrong (audited).
    """
    if not User.objects.get(pk=user.pk).check_password(password):
        audit("otp_removed", user=user, outcome="failed", data={"reason": "wrong_password"}, request=request)
        raise ValidationError(_("The password is wrong."), code="wrong_password")
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        removed, _details = TOTPDevice.objects.filter(user=user).delete()
        audit("otp_removed", user=user, data={"devices": removed}, request=request)
    return removed


@transaction.atomic
def verify_second_factor(user: User, *, token: str, request: HttpRequest | None = None) -> TOTPDevice | None:
    """Check a code from the user's authenticator app; return the device when
    it matches, else None.

    Each code works once; repeated failures slow further attempts down
    (django-otp's throttling). Failures are audited.
    """
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("id").first()
    # verify_token also counts failures (for throttling) and refuses a code
    # that was already used.
    verified = device is not None and device.verify_token(token.strip())
    if not verified:
        audit("otp_verify", user=user, outcome="failed", request=request)
        return None
    return device


def _is_code(token: str) -> bool:
    return token.isdigit() and len(token) in (6, 8)
