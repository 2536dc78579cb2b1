"""A text field stored SM4-GCM encrypted (ID numbers, phone numbers, bank accounts: SECURITY.md)."""

from __future__ import annotations

import base64
from typing import Any

from django.db import models

from tongchou.crypto.keys import field_key
from tongchou.crypto.sm import sm4_gcm_decrypt, sm4_gcm_encrypt

PREFIX = "sm4gcm:"


class EncryptedTextField(models.TextField):
    """Encrypts on the way to the database, decrypts on the way back. Not searchable or sortable."""

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        blob = sm4_gcm_encrypt(field_key(), str(value).encode("utf-8"), b"tongchou-field")
        return PREFIX + base64.b64encode(blob).decode("ascii")

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value in (None, "") or not str(value).startswith(PREFIX):
            return value
        blob = base64.b64decode(str(value)[len(PREFIX):])
        return sm4_gcm_decrypt(field_key(), blob, b"tongchou-field").decode("utf-8")


def mask_middle(value: str, keep_start: int = 3, keep_end: int = 4) -> str:
    """138****5678 — for lists and for anyone who may not see the whole value."""
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return value[0] + "*" * (len(value) - 1)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]
