"""Model fields for personal data that must be encrypted at rest."""

from __future__ import annotations

from typing import Any

from django.db import models

from xieshang.core import crypto


class EncryptedTextField(models.TextField):
    """Stores str values SM4-GCM encrypted; reads them back decrypted.

    Not searchable or sortable in SQL: keep a blind_index column beside it
    where equality lookups are needed.
    """

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str:
        if value is None or value == "":
            return ""
        return crypto.decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        if value is None or value == "":
            return ""
        return crypto.encrypt(str(value))

    def to_python(self, value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, str) and value.startswith(crypto.PREFIX + ":"):
            return crypto.decrypt(value)
        return str(value)
