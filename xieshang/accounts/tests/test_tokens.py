"""API tokens: the secret is shown once, only its digest is kept, and only
live tokens of active users authenticate."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from xieshang.accounts.models import ApiToken
from xieshang.accounts.tests.factories import UserFactory
from xieshang.accounts.tokens import authenticate_token, create_token, revoke_token
from xieshang.core.models import AuditEntry
from xieshang.core.testing import assert_nothing_changed

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


def test_create_token_stores_only_digest_and_prefix():
    user = UserFactory()
    token, secret = create_token(user=user, name="统计接口")
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(stored.prefix)
    assert len(stored.prefix) == 12
    assert secret not in {stored.digest, stored.prefix, stored.name}
    assert AuditEntry.objects.filter(action="api_token_created", user_id_copy=user.pk).count() == 1


def test_create_token_refuses_empty_name_and_past_expiry():
    user = UserFactory()
    with pytest.raises(ValidationError):
        create_token(user=user, name="  ")
    with pytest.raises(ValidationError):
        create_token(user=user, name="x", expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert not ApiToken.objects.exists()


def test_authenticate_token_returns_the_owner():
    user = UserFactory()
    _token, secret = create_token(user=user, name="报表")
    assert authenticate_token(secret) == user


def test_authenticate_token_rejects_unknown_or_altered_secrets():
    user = UserFactory()
    _token, secret = create_token(user=user, name="报表")
    assert authenticate_token("") is None
    assert authenticate_token("xs_nothing") is None
    assert authenticate_token(secret[:-1] + ("A" if secret[-1] != "A" else "B")) is None


def test_revoked_token_no_longer_authenticates_and_revocation_is_audited():
    user = UserFactory()
    token, secret = create_token(user=user, name="报表")
    revoke_token(token, user=user)
    assert authenticate_token(secret) is None
    assert AuditEntry.objects.filter(action="api_token_revoked", object_id=str(token.pk)).count() == 1


def test_revoking_twice_keeps_the_first_time_and_one_audit_entry():
    user = UserFactory()
    token, _secret = create_token(user=user, name="报表")
    first = revoke_token(token, user=user).revoked_at
    second = revoke_token(token, user=user).revoked_at
    assert first == second
    assert AuditEntry.objects.filter(action="api_token_revoked").count() == 1


def test_another_user_cannot_revoke_my_token():
    owner, other = UserFactory(), UserFactory()
    token, secret = create_token(user=owner, name="报表")
    with assert_nothing_changed(token), pytest.raises(PermissionDenied):
        revoke_token(token, user=other)
    assert authenticate_token(secret) == owner


def test_expired_token_is_rejected():
    user = UserFactory()
    with time_machine.travel(NOW, tick=False):
        _token, secret = create_token(user=user, name="报表", expires_at=NOW + dt.timedelta(days=1))
        assert authenticate_token(secret) == user
    with time_machine.travel(NOW + dt.timedelta(days=1, seconds=1), tick=False):
        assert authenticate_token(secret) is None


def test_token_of_deactivated_user_is_rejected():
    user = UserFactory()
    _token, secret = create_token(user=user, name="报表")
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert authenticate_token(secret) is None


def test_last_used_at_is_written_at_most_once_a_minute():
    user = UserFactory()
    with time_machine.travel(NOW, tick=False):
        token, secret = create_token(user=user, name="报表")
        authenticate_token(secret)
    token.refresh_from_db()
    assert token.last_used_at == NOW
    with time_machine.travel(NOW + dt.timedelta(seconds=59), tick=False):
        authenticate_token(secret)
    token.refresh_from_db()
    assert token.last_used_at == NOW
    with time_machine.travel(NOW + dt.timedelta(seconds=61), tick=False):
        authenticate_token(secret)
    token.refresh_from_db()
    assert token.last_used_at == NOW + dt.timedelta(seconds=61)
