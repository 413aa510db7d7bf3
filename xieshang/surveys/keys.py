"""Who answered, as a keyed hash: the respondent key of a response.

HMAC-SHA256 keyed by the server's SECRET_KEY and the survey's own salt, of
"member:<id>", "unit:<id>" or "mobile:<number>". The same person gets the
same key in one survey (so nobody answers twice) and unrelated keys in two
surveys; without the server's key, the stored hashes of an anonymous
survey cannot be tried against the few billion mobile numbers.
"""

from __future__ import annotations

from django.utils.crypto import salted_hmac

_SALT = "xieshang.surveys.respondent"


def respondent_key(salt: str, who: str) -> str:
    return salted_hmac(f"{_SALT}:{salt}", who, algorithm="sha256").hexdigest()


def member_key(salt: str, member_id: int) -> str:
    return respondent_key(salt, f"member:{member_id}")


def unit_key(salt: str, unit_id: int) -> str:
    return respondent_key(salt, f"unit:{unit_id}")


def mobile_key(salt: str, mobile: str) -> str:
    return respondent_key(salt, f"mobile:{mobile}")
