"""The bench's SMS backend (named only in deliberation_bench.py's server
environment): append each message to sms.log in the bench's var directory,
so that the bench can read the codes it was sent, as a phone would."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


class FileSmsBackend:
    def send(self, message: Any) -> None:
        line = f"{message.to}\t{message.text}\n".encode()
        path = Path(os.environ["XIESHANG_VAR_DIR"]) / "sms.log"
        # One write per message with O_APPEND: lines from several workers do not interleave.
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)
