"""Every write to a person's own account: password, preferences, second
factor, lifting a login lockout; and the login throttle per address.

Each function checks what it needs, writes, and appends an audit entry in the
same transaction.
"""

from __future__ import annotations

import datetime as dt
import math
import secrets
import string
import time
from dataclasses import dataclass

from axes.utils import reset as reset_axes_attempts
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from xieshang.accounts.backends import find_user
from xieshang.accounts.models import AddressThrottle, UnlockCode, User
from xieshang.accounts.queries import has_login_failures
from xieshang.core.audit import audit
from xieshang.core.crypto import blind_index, constant_time_equal
from xieshang.core.errors import Conflict
from xieshang.core.sms import count_code_attempt, new_sms_code, send_sms

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


# The login throttle per network address ---------------------------------------

# The longest wait between tries once an address is slowed down.
MAX_SLOWDOWN_SECONDS = 60


@dataclass(frozen=True)
class AddressRefusal:
    """A login attempt refused before its password was checked: the address
    must wait retry_after seconds (slowed), or is blocked until its window
    ends (blocked)."""

    blocked: bool
    retry_after: int


@transaction.atomic
def claim_login_attempt(address: str) -> AddressRefusal | None:
    """Count a login attempt from address as failed in advance, or refuse it.

    Counting it before the password is checked, under the row's lock, keeps
    parallel attempts within the limits; release_login_attempt() takes it
    back when the login succeeds. Refuse when the address has had
    LOGIN_ADDRESS_BLOCK_AFTER failures in the window (until the window
    ends), or LOGIN_ADDRESS_SLOWDOWN_AFTER and its last attempt is too
    recent (1 s, doubling with each failure up to MAX_SLOWDOWN_SECONDS).
    """
    now = timezone.now()
    row, _created = AddressThrottle.objects.select_for_update().get_or_create(
        address=address, defaults={"window_started_at": now, "last_attempt_at": now}
    )
    window = dt.timedelta(minutes=settings.LOGIN_ADDRESS_WINDOW_MINUTES)
    if row.window_started_at + window <= now:
        row.failures, row.window_started_at = 0, now
    refusal = _address_refusal(row, now=now, window=window)
    if refusal is None:
        row.failures += 1
        row.last_attempt_at = now
    row.save()
    return refusal


def _address_refusal(
    row: AddressThrottle, *, now: dt.datetime, window: dt.timedelta
) -> AddressRefusal | None:
    block_after = settings.LOGIN_ADDRESS_BLOCK_AFTER
    if block_after and row.failures >= block_after:
        return AddressRefusal(blocked=True, retry_after=_whole_seconds(row.window_started_at + window - now))
    slowdown_after = settings.LOGIN_ADDRESS_SLOWDOWN_AFTER
    if slowdown_after and row.failures >= slowdown_after:
        wait = min(2 ** min(row.failures - slowdown_after, 10), MAX_SLOWDOWN_SECONDS)
        ready_at = row.last_attempt_at + dt.timedelta(seconds=wait)
        if now < ready_at:
            return AddressRefusal(blocked=False, retry_after=_whole_seconds(ready_at - now))
    return None


def _whole_seconds(delta: dt.timedelta) -> int:
    return max(1, math.ceil(delta.total_seconds()))


def release_login_attempt(address: str) -> None:
    """Take back the failure claim_login_attempt() counted in advance: the
    attempt succeeded, or was no password check at all."""
    AddressThrottle.objects.filter(address=address, failures__gt=0).update(failures=F("failures") - 1)


# Lifting a login lockout ------------------------------------------------------

UNLOCK_CODE_VALID_FOR = dt.timedelta(minutes=10)
UNLOCK_CODE_MAX_ATTEMPTS = 5
UNLOCK_CODES_PER_HOUR = 3


def clear_login_failures(user: User) -> int:
    """Forget the account's failed logins, which lifts its lockout; return
    how many failure records were removed. Callers check who may do it."""
    return int(reset_axes_attempts(username=user.get_username()))


def _unlock_code_hash(user: User, code: str) -> str:
    # Keyed, so that a copy of the table does not give the codes away.
    return blind_index(f"unlock:{user.pk}:{code}")


def request_unlock_code(*, login: str, request: HttpRequest | None = None) -> bool:
    """Send the owner of the account named login (username or mobile number)
    a code by SMS that lifts its lockout; return whether one was sent.

    Nothing is sent for an unknown or inactive account, one without failed
    logins or without a mobile number, or after UNLOCK_CODES_PER_HOUR codes
    in the last hour; the page says the same either way.
    """
    user = find_user(login)
    if user is None or not user.is_active or not user.mobile or not has_login_failures(user):
        return False
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        now = timezone.now()
        recent = UnlockCode.objects.filter(user=user, created_at__gte=now - dt.timedelta(hours=1))
        if recent.count() >= UNLOCK_CODES_PER_HOUR:
            audit(
                "account_unlock_code",
                outcome="refused",
                obj=user,
                data={"username": user.username},
                request=request,
            )
            return False
        code = new_sms_code()
        UnlockCode.objects.create(
            user=user, code_hash=_unlock_code_hash(user, code), expires_at=now + UNLOCK_CODE_VALID_FOR
        )
        audit("account_unlock_code", obj=user, data={"username": user.username}, request=request)
        text = _(
            "xieshang: %(code)s is your code to unlock your account, valid for 10 minutes. "
            "If you did not ask for it, ignore this message."
        ) % {"code": code}
        mobile = user.mobile
        transaction.on_commit(lambda: send_sms(mobile, text))
    return True


def unlock_with_code(*, login: str, code: str, request: HttpRequest | None = None) -> User:
    """Lift the lockout of the account named login when code is its newest
    unused unlock code; return the account.

    Raise ValidationError (on "code") when the code is wrong, expired or has
    had its UNLOCK_CODE_MAX_ATTEMPTS checks. Every check counts, in the
    database before the code is compared; a wrong code is audited. Not one
    transaction: the count and the audit entry stay although we raise.
    """
    user = find_user(login)
    row = (
        UnlockCode.objects.filter(user=user, used_at__isnull=True).order_by("-created_at").first()
        if user
        else None
    )
    now = timezone.now()
    if user is None or row is None:
        raise ValidationError({"code": _("The code is not correct.")})
    if row.expires_at <= now:
        raise ValidationError({"code": _("The code has expired. Ask for a new one.")})
    if not count_code_attempt(UnlockCode.objects.filter(pk=row.pk), limit=UNLOCK_CODE_MAX_ATTEMPTS):
        raise ValidationError({"code": _("Too many wrong codes. Ask for a new one.")})
    if not constant_time_equal(row.code_hash, _unlock_code_hash(user, code.strip())):
        audit("account_unlock", outcome="failed", obj=user, data={"username": user.username}, request=request)
        raise ValidationError({"code": _("The code is not correct.")})
    with transaction.atomic():
        if not UnlockCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=now):
            raise ValidationError({"code": _("The code has expired. Ask for a new one.")})
        clear_login_failures(user)
        audit("account_unlocked", user=user, data={"method": "sms"}, request=request)
    return user
