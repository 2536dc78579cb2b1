"""The SM4 key for personal data at rest: FIELD_ENCRYPTION_KEY (32 hex characters) from the environment;
the embedded mode generates one under var/ and keeps it there (never in the repository)."""

from __future__ import annotations

import secrets
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@lru_cache(maxsize=1)
def field_key() -> bytes:
    configured = getattr(settings, "FIELD_ENCRYPTION_KEY", "")
    if not configured:
        key_file = settings.VAR_DIR / "field_key"
        if not key_file.exists():
            settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
            key_file.write_text(secrets.token_hex(16), encoding="ascii")
            key_file.chmod(0o600)
        configured = key_file.read_text(encoding="ascii").strip()
    try:
        key = bytes.fromhex(configured)
    except ValueError as exc:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY 须为 32 位十六进制字符（128 位 SM4 密钥）") from exc
    if len(key) != 16:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY 须为 32 位十六进制字符（128 位 SM4 密钥）")
    return key
