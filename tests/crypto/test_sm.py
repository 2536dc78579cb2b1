from __future__ import annotations

import pytest

from tongchou.crypto import sm


def test_sm3_known_answer():
    assert sm.sm3_hex(b"abc") == sm.SM3_ABC


def test_sm4_gcm_round_trip_and_tamper_detection():
    key = bytes(range(16))
    blob = sm.sm4_gcm_encrypt(key, b"65230119800101001X", b"expert:1")
    assert sm.sm4_gcm_decrypt(key, blob, b"expert:1") == b"65230119800101001X"
    tampered = blob[:-1] + bytes([blob[-1] ^ 1])
    with pytest.raises(Exception):  # noqa: B017,PT011 — cryptography's InvalidTag
        sm.sm4_gcm_decrypt(key, tampered, b"expert:1")


def test_self_test_refuses_a_broken_sm3(monkeypatch):
    monkeypatch.setattr(sm, "sm3_hex", lambda data: "0" * 64)
    with pytest.raises(sm.CryptoSelfTestError, match="SM3"):
        sm.self_test()
