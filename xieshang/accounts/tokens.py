"""Personal API tokens: create, revoke, and authenticate a request's token.

Only the SHA-256 digest of a token is stored. A lookup by digest means the
raw secret is never compared byte by byte against stored secrets, so timing
reveals nothing about valid tokens; the prefix lets people tell their tokens
apart in the list.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.accounts.models import ApiToken, User
from xieshang.accounts.scopes import TokenScope
from xieshang.core.audit import audit
from xieshang.core.crypto import constant_time_equal
from xieshang.core.errors import require

PREFIX_LENGTH = 12
# Writing last_used_at on every API call would turn every read into a write.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def digest_of(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@transaction.atomic
def create_token(
    *,
    user: User,
    name: str,
    expires_at: dt.datetime | None = None,
    with_second_factor: bool = False,
    scope: str = TokenScope.ALL,
) -> tuple[ApiToken, str]:
    """Create an API token for user and return it with its secret.

    The secret is returned this once and never stored. Raise ValidationError
    when the name is empty, expires_at is not in the future or the scope is
    unknown.
    """
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the token a name."), code="required")
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError(_("The expiry date must be in the future."), code="expired")
    if scope not in TokenScope.values:
        raise ValidationError({"scope": _("Choose what the token may reach.")}, code="invalid")
    secret = ApiToken.new_secret()
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=secret[:PREFIX_LENGTH],
        digest=digest_of(secret),
        expires_at=expires_at,
        created_with_second_factor=with_second_factor,
        scope=scope,
    )
    audit(
        "api_token_created",
        user=user,
        obj=token,
        data={"name": token.name, "prefix": token.prefix, "expires_at": expires_at, "scope": scope},
    )
    return token, secret


@transaction.atomic
def revoke_token(token: ApiToken, *, user: User) -> ApiToken:
    """Revoke token so that it no longer authenticates.

    Raise PermissionDenied unless the token belongs to user. Revoking a
    token twice keeps the first revocation time.
    """
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    require(token.user_id == user.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit("api_token_revoked", user=user, obj=token, data={"name": token.name, "prefix": token.prefix})
    return token


def authenticate_token(raw: str) -> User | None:
    """Return the active user whose live token is raw, or None.

    Revoked and expired tokens and tokens of deactivated users return None.
    """
    token = find_live_token(raw)
    return token.user if token is not None else None


def find_live_token(raw: str) -> ApiToken | None:
    """Return the live token whose secret is raw (its user loaded), or None;
    mark it used at most once a minute."""
    raw = (raw or "").strip()
    if not raw.startswith("xs_"):
        return None
    digest = digest_of(raw)
    # get(), not first(): the digest is unique, and first() would order the rows.
    try:
        token = ApiToken.objects.select_related("user").get(digest=digest)
    except ApiToken.DoesNotExist:
        return None
    if not constant_time_equal(token.digest, digest):
        return None
    if not token.is_active or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or token.last_used_at <= now - LAST_USED_RESOLUTION:
        # Conditional update, so that concurrent requests write at most once.
        ApiToken.objects.filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_RESOLUTION), pk=token.pk
        ).update(last_used_at=now)
    return token


def tokens_of(user: User) -> list[ApiToken]:
    """The user's tokens, newest first, revoked ones included."""
    return list(ApiToken.objects.filter(user=user).order_by("-created_at", "-id"))


def access_token(user: User, token_id: int) -> ApiToken:
    """Return user's token with token_id; raise Http404 for missing tokens
    and other users' tokens alike."""
    token = ApiToken.objects.filter(user=user, pk=token_id).first()
    if token is None:
        raise Http404
    return token
