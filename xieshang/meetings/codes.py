"""Check-in codes: what the QR code on the staff screen encodes.

A code names a sitting and a 30-second window and is signed with an HMAC
keyed by SECRET_KEY, so only the server can make one and nobody can move a
code to another sitting or another window. A code is accepted during its own
window and the next one (the phone may take a few seconds to open the link);
older codes have expired. Pure functions: the caller passes the time in.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from django.utils.crypto import constant_time_compare, salted_hmac

WINDOW_SECONDS = 30
_SALT = "xieshang.meetings.check-in"
_CODE = re.compile(r"^(\d{1,18})-(\d{1,12})-([0-9a-f]{24})$")


def window_of(now: dt.datetime) -> int:
    """The number of the 30-second window now falls in (counted from the epoch)."""
    return int(now.timestamp()) // WINDOW_SECONDS


def seconds_left(now: dt.datetime) -> int:
    """Seconds until the code shown at now is replaced."""
    return WINDOW_SECONDS - int(now.timestamp()) % WINDOW_SECONDS


def _signature(sitting_id: int, window: int) -> str:
    return salted_hmac(_SALT, f"{sitting_id}:{window}", algorithm="sha256").hexdigest()[:24]


def code_for(sitting_id: int, now: dt.datetime) -> str:
    """The code for sitting_id in the window of now."""
    window = window_of(now)
    return f"{sitting_id}-{window}-{_signature(sitting_id, window)}"


class CodeState(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    INVALID = "invalid"


@dataclass(frozen=True)
class CodeCheck:
    """What a scanned code says: its state and, unless invalid, its sitting."""

    state: CodeState
    sitting_id: int | None = None


def check_code(code: str, now: dt.datetime) -> CodeCheck:
    """Check a scanned code at time now.

    INVALID when it is malformed, its signature is wrong, or its window lies
    in the future; EXPIRED when it is older than the previous window; VALID
    in its own window and the one after.
    """
    match = _CODE.match(code or "")
    if match is None:
        return CodeCheck(CodeState.INVALID)
    sitting_id, window, signature = int(match[1]), int(match[2]), match[3]
    if not constant_time_compare(signature, _signature(sitting_id, window)):
        return CodeCheck(CodeState.INVALID)
    current = window_of(now)
    if window > current:
        return CodeCheck(CodeState.INVALID)
    if window < current - 1:
        return CodeCheck(CodeState.EXPIRED, sitting_id)
    return CodeCheck(CodeState.VALID, sitting_id)
