"""Personal data at rest: SM4-GCM round trips, tampering and unknown keys are
refused, and rotate_data_keys moves everything to the new key (and the new
index key with --reindex) without losing a value."""

from __future__ import annotations

import base64
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from xieshang.core import crypto
from xieshang.core.keyrotation import encrypted_models

K1 = "k1:" + base64.b64encode(b"0123456789abcdef").decode()
K2 = "k2:" + base64.b64encode(b"fedcba9876543210").decode()


def test_round_trip_keeps_chinese_text_and_names_the_key():
    with override_settings(DATA_KEYS=K1):
        token = crypto.encrypt("北京市朝阳区 13800138000")
        assert token.startswith("sm4g:k1:")
        assert "13800138000" not in token
        assert crypto.decrypt(token) == "北京市朝阳区 13800138000"


def test_the_same_value_encrypts_differently_each_time():
    with override_settings(DATA_KEYS=K1):
        assert crypto.encrypt("13800138000") != crypto.encrypt("13800138000")


def test_tampered_ciphertext_is_refused():
    with override_settings(DATA_KEYS=K1):
        token = crypto.encrypt("110101199001011234")
        prefix, key_id, blob = token.split(":")
        raw = bytearray(base64.b64decode(blob))
        raw[14] ^= 0x01
        tampered = f"{prefix}:{key_id}:{base64.b64encode(bytes(raw)).decode()}"
        with pytest.raises(crypto.DecryptionError, match="integrity"):
            crypto.decrypt(tampered)
        with pytest.raises(crypto.DecryptionError):
            crypto.decrypt(f"{prefix}:{key_id}:not-base64!")
        with pytest.raises(crypto.DecryptionError):
            crypto.decrypt("13800138000")


def test_a_value_under_another_key_with_the_same_id_is_refused():
    with override_settings(DATA_KEYS=K1):
        token = crypto.encrypt("秘密")
    with override_settings(DATA_KEYS="k1:" + K2.split(":")[1]), pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token)


def test_an_unknown_key_id_is_a_configuration_error():
    with override_settings(DATA_KEYS=K1):
        token = crypto.encrypt("秘密")
    with override_settings(DATA_KEYS=K2), pytest.raises(ImproperlyConfigured, match="k1"):
        crypto.decrypt(token)


def test_malformed_key_settings_fail_loudly():
    with (
        override_settings(DATA_KEYS="k1:" + base64.b64encode(b"short").decode()),
        pytest.raises(ImproperlyConfigured),
    ):
        crypto.encrypt("x")


def test_blind_index_depends_on_the_index_key_only():
    with override_settings(DATA_INDEX_KEY="a"):
        first = crypto.blind_index("13800138000")
        assert crypto.blind_index(" 13800138000 ") == first
    with override_settings(DATA_INDEX_KEY="b"):
        assert crypto.blind_index("13800138000") != first


def _raw(table: str, column: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE {column} <> '' ORDER BY id")  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def test_every_encrypted_field_is_discovered_with_its_index():
    found = {t.label: ([f.name for f in t.fields], t.index_fields) for t in encrypted_models()}
    assert found["accounts.user"] == (["mobile"], ("mobile_index",))
    assert found["councils.member"] == (["id_number", "mobile"], ("id_number_index", "mobile_index"))


@pytest.mark.django_db
def test_rotation_moves_every_value_to_the_new_key_and_keeps_it_readable():
    user_model = get_user_model()
    table = user_model._meta.db_table
    with override_settings(DATA_KEYS=K1):
        for i in range(7):
            user_model.objects.create(username=f"u{i}", mobile=f"1380013800{i}")
        user_model.objects.create(username="nomobile")
    assert all(v.startswith("sm4g:k1:") for v in _raw(table, "mobile"))

    with override_settings(DATA_KEYS=f"{K2},{K1}"):
        out = StringIO()
        call_command("rotate_data_keys", "--batch-size", "3", stdout=out)
        assert "accounts.user.mobile: 7 re-encrypted, 0 already current, 1 empty" in out.getvalue()
        again = StringIO()
        call_command("rotate_data_keys", stdout=again)
        assert "accounts.user.mobile: 0 re-encrypted, 7 already current, 1 empty" in again.getvalue()

    assert all(v.startswith("sm4g:k2:") for v in _raw(table, "mobile"))
    with override_settings(DATA_KEYS=K2):
        assert sorted(user_model.objects.exclude(mobile="").values_list("mobile", flat=True)) == [
            f"1380013800{i}" for i in range(7)
        ]


@pytest.mark.django_db
def test_values_stored_before_encryption_are_encrypted_by_rotation():
    user_model = get_user_model()
    with override_settings(DATA_KEYS=K1):
        user = user_model.objects.create(username="legacy")
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {user_model._meta.db_table} SET mobile = %s WHERE id = %s",  # noqa: S608
                ["13900139000", user.pk],
            )
        call_command("rotate_data_keys", stdout=StringIO())
        user.refresh_from_db()
        assert user.mobile == "13900139000"
    assert _raw(user_model._meta.db_table, "mobile")[0].startswith("sm4g:k1:")


@pytest.mark.django_db
def test_reindex_recomputes_blind_indexes_under_a_new_index_key():
    user_model = get_user_model()
    with override_settings(DATA_KEYS=K1, DATA_INDEX_KEY="old-index-key"):
        user_model.objects.create(username="a", mobile="13800138001")
        user_model.objects.create(username="b", mobile="13800138002")
    with override_settings(DATA_KEYS=K1, DATA_INDEX_KEY="new-index-key"):
        assert not user_model.objects.filter(mobile_index=crypto.blind_index("13800138001")).exists()
        out = StringIO()
        call_command("rotate_data_keys", "--reindex", stdout=out)
        assert "accounts.user: 2 rows re-indexed" in out.getvalue()
        assert user_model.objects.get(mobile_index=crypto.blind_index("13800138001")).username == "a"
        again = StringIO()
        call_command("rotate_data_keys", "--reindex", stdout=again)
        assert "accounts.user: 0 rows re-indexed" in again.getvalue()
