"""A per-address token bucket in the cache, for the open register (no login, so no account to limit)."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.http import HttpRequest

CAPACITY = 60  # requests in a burst
REFILL_PER_SECOND = 1.0  # sustained rate


def client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def take_token(key: str, *, capacity: int = CAPACITY, rate: float = REFILL_PER_SECOND,
               now: float | None = None) -> tuple[bool, float]:
    """(allowed, seconds to wait). Not atomic across processes: good enough to blunt scraping, and
    a lost update only ever lets one extra request through."""
    now = time.time() if now is None else now
    cache_key = f"ratelimit:open:{key}"
    tokens, stamp = cache.get(cache_key, (float(capacity), now))
    tokens = min(float(capacity), tokens + (now - stamp) * rate)
    if tokens < 1:
        cache.set(cache_key, (tokens, now), timeout=int(capacity / rate) + 60)
        return False, (1 - tokens) / rate
    cache.set(cache_key, (tokens - 1, now), timeout=int(capacity / rate) + 60)
    return True, 0.0


RATE_LIMIT_MESSAGE = "请求过于频繁，请稍后再试（公开项目库每个地址每秒约 1 次，可短时连续 60 次）。"
