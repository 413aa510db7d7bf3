"""Personal data at rest: SM4-GCM encryption with rotating keys, blind
indexes (HMAC-SM3) for lookups, SM3 digests for the audit chain, masking.

Keys come from settings.DATA_KEYS: "id:base64key,id2:base64key2"; the first
encrypts, every listed key decrypts. Ciphertext is "sm4g:<id>:<b64(nonce|ct|tag)>".
"""

from __future__ import annotations

import base64
import binascii
import functools
import hmac as std_hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "sm4g"
NONCE_BYTES = 12
TAG_BYTES = 16


@functools.cache
def _keys(spec: str) -> tuple[str, dict[str, bytes]]:
    keys: dict[str, bytes] = {}
    current = ""
    for part in spec.split(","):
        key_id, sep, encoded = part.strip().partition(":")
        if not sep or not key_id:
            raise ImproperlyConfigured("XIESHANG_DATA_KEYS entries must look like id:base64key")
        raw = base64.b64decode(encoded)
        if len(raw) != 16:
            raise ImproperlyConfigured(f"data key {key_id!r} must be 16 bytes (SM4)")
        keys[key_id] = raw
        current = current or key_id
    return current, keys


def current_key_id() -> str:
    return _keys(settings.DATA_KEYS)[0]


def encrypt(plaintext: str) -> str:
    key_id, keys = _keys(settings.DATA_KEYS)
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(keys[key_id]), modes.GCM(nonce)).encryptor()
    body = encryptor.update(plaintext.encode("utf-8")) + encryptor.finalize()
    blob = base64.b64encode(nonce + body + encryptor.tag).decode("ascii")
    return f"{PREFIX}:{key_id}:{blob}"


class DecryptionError(ValueError):
    """A stored value is not ciphertext of ours, or was altered (GCM tag check)."""


def is_encrypted(value: str) -> bool:
    return value.startswith(PREFIX + ":")


def decrypt(token: str) -> str:
    """Return the plaintext of token.

    Raise DecryptionError when token is malformed or fails authentication
    (tampered, or encrypted under another key with the same id), and
    ImproperlyConfigured when its key id is not in settings.DATA_KEYS.
    """
    prefix, _sep, rest = token.partition(":")
    key_id, sep, blob = rest.partition(":")
    if prefix != PREFIX or not sep:
        raise DecryptionError("not an encrypted value")
    keys = _keys(settings.DATA_KEYS)[1]
    if key_id not in keys:
        raise ImproperlyConfigured(f"data key {key_id!r} is not configured; cannot decrypt")
    try:
        raw = base64.b64decode(blob, validate=True)
    except binascii.Error as exc:
        raise DecryptionError("encrypted value is damaged") from exc
    if len(raw) < NONCE_BYTES + TAG_BYTES:
        raise DecryptionError("encrypted value is too short")
    nonce, body, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(keys[key_id]), modes.GCM(nonce, tag)).decryptor()
    try:
        return (decryptor.update(body) + decryptor.finalize()).decode("utf-8")
    except InvalidTag as exc:
        raise DecryptionError("encrypted value failed its integrity check (altered or wrong key)") from exc


def key_id_of(token: str) -> str:
    return token.split(":", 2)[1]


def blind_index(value: str) -> str:
    """A keyed digest of value, for equality lookups of encrypted columns."""
    mac = crypto_hmac.HMAC(settings.DATA_INDEX_KEY.encode("utf-8"), hashes.SM3())
    mac.update(value.strip().encode("utf-8"))
    return mac.finalize().hex()


def sm3_hex(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def constant_time_equal(a: str, b: str) -> bool:
    return std_hmac.compare_digest(a.encode(), b.encode())


def mask_mobile(mobile: str) -> str:
    """138****1234 for an 11-digit number; stars for anything shorter."""
    if len(mobile) >= 7:
        return f"{mobile[:3]}****{mobile[-4:]}"
    return "*" * len(mobile)


def mask_id_number(id_number: str) -> str:
    """Keep the first 3 and last 4 characters of a citizen ID number."""
    if len(id_number) >= 8:
        return f"{id_number[:3]}{'*' * (len(id_number) - 7)}{id_number[-4:]}"
    return "*" * len(id_number)
