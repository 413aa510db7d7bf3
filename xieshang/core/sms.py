"""SMS backends. Production plugs in a gateway client with the same send()."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
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
