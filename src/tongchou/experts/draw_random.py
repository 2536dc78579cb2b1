"""The draw's randomness: a deterministic, unbiased stream derived from the seed (ADR 0020).

For one category the stream is the sequence of HMAC-SM3 outputs

    block_k = HMAC-SM3(key = bytes.fromhex(seed),
                       msg = "tongchou-expert-draw-v1" 0x00 category(UTF-8) 0x00 k(8 bytes, big-endian))

for k = 0, 1, 2, …; each block read as a 256-bit big-endian integer r. A uniform integer in [0, n)
takes the next block and accepts it when r < 2**256 - (2**256 mod n) (rejection sampling, so there is
no modulo bias), answering r mod n; a rejected block is discarded and the next one tried.
"""

from __future__ import annotations

import secrets

from cryptography.hazmat.primitives import hashes, hmac

from tongchou.crypto.sm import sm3_hex

DOMAIN = b"tongchou-expert-draw-v1"
_SPACE = 1 << 256


def new_seed() -> str:
    """32 bytes from the operating system's generator, as 64 lowercase hex characters."""
    return secrets.token_bytes(32).hex()


def commitment(seed: str) -> str:
    """Lowercase hex SM3 of the seed string's ASCII bytes: published before the draw."""
    return sm3_hex(seed.encode("ascii"))


class CategoryStream:
    """Uniform integers for one category, reproducible from the seed and the category alone."""

    def __init__(self, seed: str, category: str) -> None:
        self._key = bytes.fromhex(seed)
        self._prefix = DOMAIN + b"\x00" + category.encode("utf-8") + b"\x00"
        self._counter = 0

    def _block(self) -> int:
        mac = hmac.HMAC(self._key, hashes.SM3())
        mac.update(self._prefix + self._counter.to_bytes(8, "big"))
        self._counter += 1
        return int.from_bytes(mac.finalize(), "big")

    def below(self, n: int) -> int:
        if n < 1:
            raise ValueError("n must be at least 1")
        limit = _SPACE - (_SPACE % n)
        while True:
            r = self._block()
            if r < limit:
                return r % n


def sample_order(candidates: list[str], k: int, stream: CategoryStream) -> list[str]:
    """The first k of a uniformly random permutation (Fisher–Yates from the front) of `candidates`."""
    items = list(candidates)
    k = min(k, len(items))
    for i in range(k):
        j = i + stream.below(len(items) - i)
        items[i], items[j] = items[j], items[i]
    return items[:k]
