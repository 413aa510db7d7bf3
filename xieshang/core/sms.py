"""SMS backends. Production plugs in a gateway client with the same send()."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import F, QuerySet
from django.utils.module_loading import import_string

logger = logging.getLogger("xieshang.sms")


@dataclass(frozen=True)
class SmsMessage:
    to: str
    text: str


class LogSmsBackend:
    """Writes messages to the log instead of sending them (the default)."""

    def send(self, message: SmsMessage) -> None:
        logger.info("SMS to %s: %s", message.to, message.text)


class MemorySmsBackend:
    """Keeps sent messages in outbox, for tests (like Django's locmem e-mail)."""

    outbox: list[SmsMessage] = []

    def send(self, message: SmsMessage) -> None:
        MemorySmsBackend.outbox.append(message)


def get_sms_backend() -> LogSmsBackend | MemorySmsBackend:
    # Like the MAILERS backend: the deployment names the class in settings.
    return import_string(settings.SMS_BACKEND)()  # type: ignore[no-any-return]


def send_sms(to: str, text: str) -> None:
    get_sms_backend().send(SmsMessage(to=to, text=text))


def new_sms_code() -> str:
    """A random 6-digit code to send by SMS (store only its hash)."""
    return f"{secrets.randbelow(10**6):06d}"


def count_code_attempt(code: QuerySet[Any], *, limit: int) -> bool:
    """Count one check of the code row that code selects, unless it has had
    limit checks already; return whether it was counted.

    Call it before comparing the code: one conditional UPDATE counts and
    decides at once, so parallel guesses cannot slip past the limit (a read,
    a compare and then an increment let six through against five). The row
    needs a whole-number `attempts` column.
    """
    return code.filter(attempts__lt=limit).update(attempts=F("attempts") + 1) == 1
